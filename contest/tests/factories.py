"""Builders for contest tests: a bank with topics of numbered questions, a contest with a round,
participants registered through the service."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Mapping
from typing import Any

from contest import services
from contest.models import Contest, Option, Participant, Question, QuestionBank, Round, Topic
from contest.rules import Group, QuestionKind
from org.models import AdministrativeUnit, UnitLevel
from org.tests.factories import province

OPENS = datetime.datetime(2026, 3, 2, 1, 0, tzinfo=datetime.UTC)  # 08:00 in Khánh Hòa, a Monday
CLOSES = OPENS + datetime.timedelta(days=7)
_numbers = itertools.count(1)


def commune(name: str = "Phường Nha Trang") -> AdministrativeUnit:
    unit, _created = AdministrativeUnit.objects.get_or_create(
        code=f"C{sum(map(ord, name)) % 10**6:06d}",
        defaults={"name": name, "level": UnitLevel.COMMUNE, "parent": province()},
    )
    return unit


def bank(topics: Mapping[str, int] | None = None, *, multiple_every: int = 4) -> QuestionBank:
    """A bank whose topics hold the given numbers of questions. Each question has four options;
    the right one is the second ("B"); every ``multiple_every``-th question is multiple choice
    with B and D right."""
    qb = QuestionBank.objects.create(name=f"Ngân hàng {next(_numbers)}")
    for topic_code, count in (topics or {"TTHC": 15, "MC": 15}).items():
        topic = Topic.objects.create(bank=qb, code=topic_code, name=f"Chủ đề {topic_code}")
        for n in range(1, count + 1):
            multiple = bool(multiple_every) and n % multiple_every == 0
            question = Question.objects.create(
                bank=qb,
                topic=topic,
                code=f"{topic_code}-{n:03d}",
                kind=QuestionKind.MULTIPLE if multiple else QuestionKind.SINGLE,
                text=f"Câu hỏi {n} về {topic_code}?",
                explanation=f"Giải thích câu {n}.",
                legal_basis="Điều 5 Nghị định 61/2018/NĐ-CP",
            )
            for position, letter in enumerate("ABCD", 1):
                right = letter == "B" or (multiple and letter == "D")
                Option.objects.create(
                    question=question, position=position, text=f"Phương án {letter}", is_correct=right
                )
    return qb


def contest_round(
    qb: QuestionBank | None = None,
    *,
    draw: Mapping[str, Mapping[str, int]] | None = None,
    opens: datetime.datetime = OPENS,
    closes: datetime.datetime = CLOSES,
    **fields: Any,
) -> Round:
    qb = qb or bank()
    contest_fields = {k: fields.pop(k) for k in list(fields) if k.endswith("_prizes")}
    contest = Contest.objects.create(
        slug=f"tim-hieu-phap-luat-{next(_numbers)}",
        title="Cuộc thi trực tuyến tìm hiểu pháp luật về thủ tục hành chính",
        is_published=True,
        **contest_fields,
    )
    return Round.objects.create(
        contest=contest,
        number=1,
        title="Tuần 1",
        opens_at=opens,
        closes_at=closes,
        bank=qb,
        draw_spec=draw or {"*": {"TTHC": 5, "MC": 5}},
        **fields,
    )


def participant(contest: Contest, *, phone: str | None = None, group: str = Group.OTHER, **fields: Any) -> Participant:
    number = next(_numbers)
    place = fields.pop("commune", None) or commune()
    registration = services.Registration(
        full_name=fields.pop("full_name", f"Nguyễn Văn Thí Sinh {number}"),
        birth_date=fields.pop("birth_date", datetime.date(1990, 1, 1) + datetime.timedelta(days=number * 97)),
        commune_id=place.pk,
        group=group,
    )
    person, _created = services.participant_register(
        contest=contest, registration=registration, now=OPENS, phone=phone or f"09{number:08d}", **fields
    )
    return person


def right_answers(attempt: Any) -> dict[int, list[int]]:
    return {q["id"]: q["correct"] for q in attempt.questions}


def ranked_round(takers: int = 2) -> Round:
    """A round taken by ``takers`` participants, then closed and ranked (on the frozen clock)."""
    r = contest_round()
    at = OPENS + datetime.timedelta(minutes=5)
    for n in range(takers):
        person = participant(r.contest)
        attempt, _started = services.attempt_start(round_=r, participant=person, now=at)
        for question_id, correct in list(right_answers(attempt).items())[: 1 + n]:
            services.answer_save(
                public_id=attempt.public_id, participant=person, question_id=question_id, chosen=correct, seq=1, now=at
            )
        services.attempt_submit(public_id=attempt.public_id, participant=person, now=at, prediction=takers)
    services.round_close(round_=r, now=CLOSES + datetime.timedelta(minutes=1))
    r.refresh_from_db()
    return r
