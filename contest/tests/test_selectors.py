"""contest.selectors.participation, which the reports read ("gần 12.000 lượt người tham gia"):
one per participant and round, by commune, group and age band on the round's opening day."""

from __future__ import annotations

import datetime

import pytest

from contest import selectors, services
from contest.rules import Group
from reports.selectors import contest_counts

from .factories import CLOSES, OPENS, commune, contest_round, participant

pytestmark = pytest.mark.django_db


def test_participation_counts_people_per_round_by_commune_group_and_age_band():
    r = contest_round()
    later = type(r).objects.create(
        contest=r.contest,
        number=2,
        opens_at=CLOSES,
        closes_at=CLOSES + datetime.timedelta(days=7),
        bank=r.bank,
        draw_spec=r.draw_spec,
        attempts_allowed=2,
    )
    student = participant(r.contest, group=Group.STUDENT, birth_date=datetime.date(2008, 3, 3))  # 17 on 02/03/2026
    servant = participant(
        r.contest, group=Group.CIVIL_SERVANT, birth_date=datetime.date(1980, 1, 1), commune=commune("Xã Cam Lâm")
    )
    participant(r.contest)  # registered, never started: not counted
    at = OPENS + datetime.timedelta(minutes=1)
    for person in (student, servant):
        services.attempt_start(round_=r, participant=person, now=at)
    attempt, _ = services.attempt_start(round_=later, participant=student, now=CLOSES + datetime.timedelta(minutes=1))
    services.attempt_submit(
        public_id=attempt.public_id, participant=student, now=CLOSES + datetime.timedelta(minutes=2)
    )
    services.attempt_start(round_=later, participant=student, now=CLOSES + datetime.timedelta(minutes=3))

    found = selectors.participation(contest_id=r.contest_id)
    assert (found.contests, found.participants, found.attempts) == (1, 3, 4)
    assert found.by_group == {Group.STUDENT: 2, Group.CIVIL_SERVANT: 1}
    assert found.by_commune == {"Phường Nha Trang": 2, "Xã Cam Lâm": 1}
    assert found.by_age_band == {"<18": 1, "18-30": 1, "46-60": 1}  # the student turned 18 by round 2
    only_first = selectors.participation(start=OPENS.date(), end=OPENS.date())
    assert (only_first.participants, only_first.attempts) == (2, 2)
    counts = contest_counts(start=OPENS.date(), end=CLOSES.date())
    assert counts is not None and (counts.contests, counts.participants) == (1, 3)
