"""Concurrent takers, each thread with its own database connection: two starts at once make one
attempt, saves of one answer from two tabs keep one row, a submission racing the worker's close
is scored once. The same on SQLite (IMMEDIATE transactions) and PostgreSQL (row locks,
constraints); run with DATABASE_URL=postgres://… for the latter."""

from __future__ import annotations

import datetime

import pytest

from common.testing import at_once
from contest import services
from contest.models import Answer, Attempt
from contest.rules import AttemptState

from .factories import OPENS, contest_round, participant

pytestmark = pytest.mark.django_db(transaction=True)
T = OPENS + datetime.timedelta(minutes=3)


def test_two_starts_at_once_make_one_attempt():
    r = contest_round()
    people = [participant(r.contest) for _ in range(5)]
    for person in people:
        results = at_once([lambda p=person: services.attempt_start(round_=r, participant=p, now=T)] * 2)
        assert [type(result).__name__ for result in results] == ["tuple", "tuple"], results
        (first, started_first), (second, started_second) = results
        assert first.pk == second.pk and sorted([started_first, started_second]) == [False, True]
    assert Attempt.objects.count() == 5


def test_the_same_answer_saved_from_two_tabs_at_once_keeps_one_row_with_the_latest_choice():
    r = contest_round()
    person = participant(r.contest)
    attempt, _ = services.attempt_start(round_=r, participant=person, now=T)
    q = attempt.questions[0]
    a, b = q["options"][0]["id"], q["options"][1]["id"]
    results = at_once(
        [
            lambda: services.answer_save(
                public_id=attempt.public_id, participant=person, question_id=q["id"], chosen=[a], seq=1, now=T
            ),
            lambda: services.answer_save(
                public_id=attempt.public_id, participant=person, question_id=q["id"], chosen=[b], seq=2, now=T
            ),
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert list(Answer.objects.values_list("chosen", "seq")) == [([b], 2)]


def test_a_submission_racing_the_workers_close_is_scored_once():
    r = contest_round(time_limit_seconds=60, grace_seconds=10)
    person = participant(r.contest)
    attempt, _ = services.attempt_start(round_=r, participant=person, now=T)
    q = attempt.questions[0]
    services.answer_save(
        public_id=attempt.public_id, participant=person, question_id=q["id"], chosen=q["correct"], seq=1, now=T
    )
    at = attempt.ends_at + datetime.timedelta(seconds=10)  # the last instant of the grace
    results = at_once(
        [
            lambda: services.attempt_submit(public_id=attempt.public_id, participant=person, now=at),
            lambda: services.attempts_close_overdue(now=at + datetime.timedelta(seconds=1)),
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    closed = Attempt.objects.get()
    assert closed.state in {AttemptState.SUBMITTED, AttemptState.AUTO_SUBMITTED} and closed.score == 1
    assert results[1] == (1 if closed.state == AttemptState.AUTO_SUBMITTED else 0)
