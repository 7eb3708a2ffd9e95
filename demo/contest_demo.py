"""Cuộc thi mẫu: a contest of a past year with its rounds and the attempts of its participants,
for the reports' "gần 12.000 lượt người tham gia dự thi" (``manage.py load_contest_demo``).

Participants and attempts are written with ``bulk_create`` in batches; a lượt người tham gia is
one participant having attempted one round (``contest.selectors.participation``), so the contest
gets exactly ``participations`` of them, spread over its rounds, some people taking part in more
than one round. Running it again for the same year adds nothing.
"""

from __future__ import annotations

import datetime
import random
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from contest.models import Attempt, Contest, Participant, QuestionBank, Round
from contest.rules import AttemptState, Group
from org.models import AdministrativeUnit, UnitLevel

from .generator import FAMILY_NAMES, GIVEN_NAMES, MIDDLE_NAMES

ROUNDS = 4
BATCH = 2000


@dataclass(frozen=True)
class ContestDemo:
    contest: Contest
    created: bool
    participants: int
    participations: int


def _slug(year: int) -> str:
    return f"tim-hieu-cai-cach-hanh-chinh-{year}"


def load_contest_demo(*, year: int, participations: int = 11950, seed: int = 0) -> ContestDemo:
    """The contest "Tìm hiểu về cải cách hành chính" of ``year``: four weekly rounds opened in
    October and ``participations`` attempts over them (once per year)."""
    found = Contest.objects.filter(slug=_slug(year)).first()
    if found is not None:
        return ContestDemo(
            found, False, found.participants.count(), Attempt.objects.filter(round__contest=found).count()
        )
    communes = list(AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE).values_list("pk", flat=True))
    if not communes:
        communes = list(AdministrativeUnit.objects.values_list("pk", flat=True))
    if not communes:
        raise ValueError("no administrative unit: load the demo catalog first")
    rng = random.Random(f"contest-{year}-{seed}")
    zone = timezone.get_current_timezone()
    with transaction.atomic():
        bank = QuestionBank.objects.create(name=f"Ngân hàng câu hỏi cải cách hành chính năm {year} (mẫu)")
        contest = Contest.objects.create(
            slug=_slug(year),
            title=f"Cuộc thi trực tuyến “Tìm hiểu về cải cách hành chính tỉnh Khánh Hòa năm {year}”",
            summary="Cuộc thi mẫu của hệ thống (dữ liệu trình diễn).",
            organiser="Sở Nội vụ tỉnh Khánh Hòa",
            is_published=True,
        )
        rounds = []
        for number in range(1, ROUNDS + 1):
            opens = datetime.datetime(year, 10, 3, 8, 0, tzinfo=zone) + datetime.timedelta(weeks=number - 1)
            closes = opens + datetime.timedelta(days=6, hours=9)
            rounds.append(
                Round(
                    contest=contest,
                    number=number,
                    title=f"Tuần thứ {number}",
                    opens_at=opens,
                    closes_at=closes,
                    bank=bank,
                    closed_at=closes,
                    participants_count=0,
                )
            )
        Round.objects.bulk_create(rounds)
        rounds = list(Round.objects.filter(contest=contest).order_by("number"))
        # Lượt per round, then people: about one in four takes part in more than one round.
        per_round = [participations // ROUNDS + (1 if i < participations % ROUNDS else 0) for i in range(ROUNDS)]
        people = max(max(per_round), int(participations * 0.78))
        groups = [Group.CIVIL_SERVANT] * 5 + [Group.STUDENT] * 3 + [Group.WORKER] + [Group.OTHER]
        participants = [
            Participant(
                contest=contest,
                full_name=f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}",
                birth_date=datetime.date(rng.randrange(1960, 2008), rng.randrange(1, 13), rng.randrange(1, 29)),
                commune_id=rng.choice(communes),
                group=rng.choice(groups),
                personal_id=f"0569{n:08d}",
            )
            for n in range(1, people + 1)
        ]
        Participant.objects.bulk_create(participants, batch_size=BATCH)
        ids = list(Participant.objects.filter(contest=contest).order_by("pk").values_list("pk", flat=True))
        for round_, count in zip(rounds, per_round, strict=True):
            attempts = []
            for participant_id in rng.sample(ids, count):
                started = round_.opens_at + datetime.timedelta(seconds=rng.randrange(6 * 86400))
                taken = rng.randrange(180, 20 * 60)
                attempts.append(
                    Attempt(
                        public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                        round=round_,
                        participant_id=participant_id,
                        number=1,
                        state=AttemptState.SUBMITTED,
                        started_at=started,
                        ends_at=started + datetime.timedelta(seconds=round_.time_limit_seconds),
                        submitted_at=started + datetime.timedelta(seconds=taken),
                        questions=[],
                        prediction=rng.randrange(1000, 5000),
                        score=rng.randrange(0, 21),
                        time_taken_ms=taken * 1000,
                    )
                )
            Attempt.objects.bulk_create(attempts, batch_size=BATCH)
            Round.objects.filter(pk=round_.pk).update(participants_count=count)
    return ContestDemo(contest, True, people, participations)
