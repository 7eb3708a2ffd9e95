"""Issue 20's speed targets over a million dossiers: a year's statistics (≤ 2 s, PostgreSQL and
SQLite), the QĐ 766 scorecard of every agency (≤ 2 s), the annual report's DOCX (≤ 5 s), the
dashboards against the bare view (≥ 0.3 × its requests/s, cached), and the export of a million
dossiers as XLSX (streamed: the process's peak memory is printed).

What it measures on. The statistics, the scorecard and the report read the reports' own tables:
``DossierFact`` (what each dossier last added to the figures) and ``DailyFigure`` (the daily sums,
kept by the transitions, rebuilt by ``rebuild_figures``). Generating a million dossiers through
``generate_dossiers`` and rebuilding the figures from them takes about 40 minutes on this machine
(≈ 720 dossiers/s, then ≈ 900/s), so the first run writes those two tables directly: a million
dossier facts drawn over the demo's real procedures (weighted by popularity, as the generator
draws them), their agencies and one-stop units, on the working days of last year, with due dates
from each procedure's time limit on the real calendar, 50 % online where the procedure allows it,
outcomes early / on time / late / in progress / withdrawn / stopped / refused at intake, and fees
paid (online for online dossiers); the daily table is summed from them by ``rules.contribution``,
the very function the transitions and ``rebuild_figures`` use. There are no ``Dossier`` rows
behind the facts (the export's dossier codes are empty); the other apps' tables (feedback,
surveys, news, contests) hold what the demo set holds.

Usage (its own database: var/bench_reports_million.sqlite3, or DATABASE_URL):
    .venv/bin/python bench/reports_million.py [--dossiers 1000000] [--rounds 3] [--export] [--fill-only]
"""

from __future__ import annotations

import datetime
import os
import platform
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_reports_million.sqlite3'}")

import _setup  # noqa: E402


def _argument(name: str, default: int) -> int:
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def _fill(year: int, wanted: int, seed: int = 20) -> None:
    """Write ``wanted`` dossier facts of ``year`` and the daily table summed from them."""
    from django.db import connection, transaction

    from catalog.models import ProcedureVersion
    from demo.generator import IndexedCalendar
    from org.models import OneStopUnit
    from reports import rules
    from reports.models import DIMENSIONS, DailyFigure, DossierFact
    from workdays.selectors import work_calendar

    rng = random.Random(seed)
    calendar = IndexedCalendar(work_calendar(), datetime.date(year - 1, 1, 1), datetime.date(year + 2, 12, 31))
    days = [d for d in calendar.working_days if d.year == year]
    today = datetime.date(year + 1, 1, 15)  # the facts are read as of mid-January of the next year
    area_of = dict(OneStopUnit.objects.values_list("pk", "administrative_unit_id"))
    served: dict[int, list[int]] = {}
    for unit_id, agency_id in OneStopUnit.served_agencies.through.objects.values_list("onestopunit_id", "agency_id"):
        served.setdefault(agency_id, []).append(unit_id)
    choices, weights = [], []
    versions = (
        ProcedureVersion.objects.filter(procedure__code__regex=r"^\d\.\d{6}$")
        .select_related("procedure")
        .prefetch_related("agencies__agencies", "fee_items")
    )
    for version in versions:
        agencies = sorted({a.pk for ia in version.agencies.all() for a in ia.agencies.all() if a.is_active})
        places = [(a, u) for a in agencies for u in served.get(a, [])]
        if not places:
            continue
        online = version.online_level != "none" and "online" in set(version.channels)
        fee = sum(f.amount_vnd for f in version.fee_items.all())
        choices.append((version.procedure_id, version.field_id, version.processing_days, online, fee, places))
        weights.append(float(max(version.procedure.popularity, 1)))
    online_weight = sum(w for c, w in zip(choices, weights, strict=True) if c[3]) / sum(weights)
    online_chance = min(0.95, 0.5 / online_weight) if online_weight else 0.0

    totals: dict[tuple[tuple[int, int, int, str, int, int], datetime.date], list[int]] = {}
    index = {m: i for i, m in enumerate(rules.MEASURES)}
    batch: list[DossierFact] = []
    started = time.perf_counter()
    drawn = rng.choices(range(len(choices)), weights=weights, k=wanted)
    with transaction.atomic():
        for n, which in enumerate(drawn, start=1):
            procedure_id, field_id, limit, online, fee, places = choices[which]
            agency_id, unit_id = places[rng.randrange(len(places))]
            channel = (
                "online" if online and rng.random() < online_chance else rng.choice(("counter",) * 9 + ("postal",))
            )
            received = days[rng.randrange(len(days))]
            due = calendar.add_working_days(received, limit) if limit else None
            roll = rng.random()
            state, finished, closed, supplements = "returned", None, None, 0
            if roll < 0.01:
                state, received_on, closed, due = "not_received", None, received, None
            elif roll < 0.02:
                state, received_on, closed, due = "withdrawn", None, received, None
            else:
                received_on = received
                span = max(limit or 5, 1)
                took = rng.randint(1, span) if rng.random() < 0.93 else span + rng.randint(1, 10)
                finished = calendar.add_working_days(received, took)
                if rng.random() < 0.1:
                    supplements = 1 if rng.random() < 0.9 else 2
                if roll < 0.04:
                    state = "withdrawn"
                elif roll < 0.05:
                    state = "stopped"
                if finished > today:
                    state, finished = "in_progress", None
            payments: tuple[rules.Paid, ...] = ()
            if fee and received_on is not None and rng.random() < 0.8:
                payments = (rules.Paid(received_on, fee, channel == "online"),)
            facts = rules.DossierFacts(
                state=state,
                channel=channel,
                outcome="approved" if state in rules.DONE_STATES else "",
                received_on=received_on,
                finished_on=finished,
                closed_on=closed,
                due_on=due,
                supplement_requests=supplements,
                digitized=received_on is not None and channel != "online" and rng.random() < 0.7,
                reused=channel == "online" and rng.random() < 0.2,
                e_result=state in rules.DONE_STATES and rng.random() < 0.6,
                payments=payments,
            )
            dims = (agency_id, procedure_id, field_id, channel, unit_id, area_of[unit_id])
            for day, row in rules.contribution(facts).items():
                target = totals.get((dims, day))
                if target is None:
                    target = totals[(dims, day)] = [0] * len(rules.MEASURES)
                for measure, amount in row.items():
                    target[index[measure]] += amount
            batch.append(
                DossierFact(
                    dossier_id=100_000_000 + n,  # apart from any generated dossier
                    **dict(zip(DIMENSIONS, dims, strict=True)),
                    state=state,
                    outcome=facts.outcome,
                    received_on=received_on,
                    finished_on=finished,
                    closed_on=closed,
                    due_on=due,
                    supplement_requests=supplements,
                    digitized=facts.digitized,
                    reused=facts.reused,
                    e_result=facts.e_result,
                    payments=[[p.day.isoformat(), p.amount_vnd, p.online, 0, 0] for p in payments],
                )
            )
            if len(batch) == 5000:
                DossierFact.objects.bulk_create(batch)
                batch = []
            if n % 200_000 == 0:
                print(f"  {n:,} dossier facts ({time.perf_counter() - started:.0f} s)", flush=True)
        DossierFact.objects.bulk_create(batch)
        rows = []
        for (dims, day), values in totals.items():
            rows.append(
                DailyFigure(
                    day=day,
                    **dict(zip(DIMENSIONS, dims, strict=True)),
                    **dict(zip(rules.MEASURES, values, strict=True)),
                )
            )
            if len(rows) == 5000:
                DailyFigure.objects.bulk_create(rows)
                rows = []
        DailyFigure.objects.bulk_create(rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE reports_dailyfigure; ANALYZE reports_dossierfact")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"wrote {wanted:,} dossier facts and {len(totals):,} daily rows in {time.perf_counter() - started:.0f} s")


CPU: list[float] = []  # this process's CPU time of the last measure's rounds (SQLite works in it)


def _timed(function, rounds: int) -> tuple[list[float], object]:  # type: ignore[no-untyped-def]
    found = None
    times = []
    CPU.clear()
    for _ in range(rounds):
        started, cpu = time.perf_counter(), time.process_time()
        found = function()
        times.append((time.perf_counter() - started) * 1000)
        CPU.append((time.process_time() - cpu) * 1000)
    return times, found


def _said(name: str, times: list[float], target_ms: float | None = None) -> None:
    verdict = ""
    if target_ms is not None:
        verdict = "  OK" if statistics.median(times) <= target_ms else f"  OVER the {target_ms / 1000:.1f} s target"
    print(
        f"{name:52s} median {statistics.median(times):6.0f} ms (min {min(times):.0f}, max {max(times):.0f}; "
        f"CPU of this process {statistics.median(CPU):.0f} ms){verdict}"
    )


def main() -> None:
    wanted = _argument("--dossiers", 1_000_000)
    rounds = _argument("--rounds", 3)
    _setup.ensure_catalog()

    import django
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from accounts.tests.officers import sign_in_verified
    from catalog.models import Procedure
    from org.models import Agency
    from reports import documents, selectors, services, views, xlsx
    from reports.models import DailyFigure, DossierFact, ReportKind

    year = timezone.localdate().year - 1
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if DossierFact.objects.count() < wanted:
        DossierFact.objects.all().delete()
        DailyFigure.objects.all().delete()
        _fill(year, wanted)
    if "--fill-only" in sys.argv:
        return

    load = os.getloadavg()
    version = connection.Database.sqlite_version if connection.vendor == "sqlite" else connection.pg_version  # type: ignore[attr-defined]
    facts, daily = DossierFact.objects.count(), DailyFigure.objects.count()
    print(
        f"environment: Python {platform.python_version()}, Django {django.get_version()}, "
        f"{_setup.database_label()} {version}, {os.cpu_count()} CPUs, "
        f"load average {' '.join(f'{x:.1f}' for x in load)}"
    )
    print(f"data: {facts:,} dossier facts, {daily:,} daily figure rows, year {year}")

    times, found = _timed(lambda: selectors.dossier_figures(start=start, end=end), rounds)
    print(f"  received {found.received_new:,}, online {found.online_share:.1%}, finished {found.finished:,}")  # type: ignore[attr-defined]
    _said("a year's dossier figures, whole province", times, 2000)
    times, _found = _timed(lambda: selectors.statistics(start=start, end=end), rounds)
    _said("a year's statistics (with feedback, news, contests)", times, 2000)
    times, _found = _timed(lambda: selectors.dossier_figures_by(start=start, end=end, by="agency_id"), rounds)
    _said("a year's figures of each agency (one query)", times, 2000)
    times, cards = _timed(lambda: selectors.agency_scorecards(start=start, end=end, allowed=None), rounds)
    _said(f"QĐ 766 scorecard of every agency ({len(cards):,})", times, 2000)  # type: ignore[arg-type]

    user = get_user_model().objects.filter(username="bench-reports").first()
    if user is None:
        user = get_user_model().objects.create_user("bench-reports", kind="officer", is_superuser=True)
    heading = documents.Heading(
        parent_body="Ủy ban nhân dân tỉnh Khánh Hòa",
        body="Văn phòng",
        number="15/BC-VP",
        place="Khánh Hòa",
        day=datetime.date(year + 1, 1, 10),
        signer_title="CHÁNH VĂN PHÒNG",
        signer_name="Nguyễn Văn An",
    )
    times, _found = _timed(
        lambda: services.report_write(
            actor=user,
            kind=ReportKind.PROPAGANDA,
            start=start,
            end=end,
            scope=selectors.Scope(),
            agency_id=None,
            heading=heading,
            pdf=False,
        ),
        rounds,
    )
    _said("the annual report's DOCX (figures, template, kept)", times, 5000)

    data = {"tu": start, "den": end, "co_quan": "", "linh_vuc": None, "kenh": "", "thu_tuc": ""}
    times, _found = _timed(lambda: views.board_for(user, data), rounds)
    _said("the officers' dashboard's figures for the year", times)

    client = Client()
    sign_in_verified(client, user)
    period = {"tu": start.isoformat(), "den": end.isoformat()}
    times, _found = _timed(lambda: client.get("/can-bo/bao-cao/", period), rounds)
    _said("the officers' dashboard, whole page", times)

    # Requests/s in one process (Django's test client, no network): the bare view, then the
    # public figures page, counted once and then served from the cache.
    cache.clear()
    public = Client()
    public.get("/so-lieu/")
    speeds: dict[str, list[float]] = {}
    for path in ("/ping", "/so-lieu/", "/ping"):
        n, started = 0, time.perf_counter()
        while time.perf_counter() - started < 5:
            assert public.get(path).status_code == 200
            n += 1
        speeds.setdefault(path, []).append(n / (time.perf_counter() - started))
    bare = statistics.mean(speeds["/ping"])
    page = speeds["/so-lieu/"][0]
    print(f"requests/s in one process: /ping {bare:.0f}, /so-lieu/ cached {page:.0f} ({page / bare:.2f} × /ping)")

    if "--export" in sys.argv:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        counted = selectors.counted_dossiers(start=start, end=end)
        streamed = xlsx.dossiers_workbook(
            selectors.dossier_lines(counted, end=end),
            start=start,
            end=end,
            scope_text="bench",
            agency_names=dict(Agency.objects.values_list("pk", "name")),
            procedure_codes=dict(Procedure.objects.values_list("pk", "code")),
        )
        size = sum(len(chunk) for chunk in streamed)  # what the response would send, chunk by chunk
        took = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(
            f"dossier export of the year: {counted.count():,} rows, {size / 1e6:.0f} MB XLSX in {took:.0f} s; "
            f"peak RSS {before / 1024:.0f} MB before, {after / 1024:.0f} MB after"
        )


if __name__ == "__main__":
    main()
