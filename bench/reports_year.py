"""The officers' dashboard (/can-bo/bao-cao/) over a year of generated dossiers: the time of its
queries for last year, province-wide (the heaviest view: every agency, the same period a year
before, the monthly charts and the table by agency), and of the whole page (queries, template and
Chart.js data) through Django's test client as a signed-in, verified analyst would get it.

The first run fills its database (`var/bench_reports.sqlite3`, or `DATABASE_URL`): the demo
catalog, then `manage.py generate_dossiers --year <last year> --count N` and `rebuild_figures`.

Usage: .venv/bin/python bench/reports_year.py [--dossiers 40000] [--rounds 5]
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_reports.sqlite3'}")

import _setup  # noqa: E402


def _argument(name: str, default: int) -> int:
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def main() -> None:
    wanted = _argument("--dossiers", 40000)
    rounds = _argument("--rounds", 5)
    _setup.ensure_catalog()
    import datetime

    import django
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.tests.officers import sign_in_verified
    from dossiers.models import Dossier
    from reports import views
    from reports.models import DailyFigure

    year = timezone.localdate().year - 1
    since, until = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    existing = Dossier.objects.count()  # the benchmark's own database: every dossier is of that year
    if existing < wanted:
        started = time.perf_counter()
        call_command("generate_dossiers", year=year, count=wanted - existing, verbosity=0)
        call_command("rebuild_figures", verbosity=0)
        took = time.perf_counter() - started
        print(f"generated {wanted - existing} dossiers and rebuilt the figures in {took:.0f} s")
    elif not DailyFigure.objects.exists():
        call_command("rebuild_figures", verbosity=0)

    user = get_user_model().objects.filter(username="bench-reports").first()
    if user is None:
        user = get_user_model().objects.create_user("bench-reports", kind="officer", is_superuser=True)
    data = {"tu": since, "den": until, "co_quan": "", "linh_vuc": None, "kenh": ""}

    board_ms, queries = [], 0
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            board = views.board_for(user, data)  # the view's own work, without HTTP
            board_ms.append((time.perf_counter() - started) * 1000)
        queries = len(captured.captured_queries)

    client = Client()
    sign_in_verified(client, user)
    page_ms = []
    for _ in range(rounds):
        started = time.perf_counter()
        answer = client.get("/can-bo/bao-cao/", {"tu": since.isoformat(), "den": until.isoformat()})
        page_ms.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, answer.status_code
    xlsx_started = time.perf_counter()
    assert client.get("/can-bo/bao-cao/xlsx/", {"tu": since.isoformat(), "den": until.isoformat()}).status_code == 200
    xlsx_ms = (time.perf_counter() - xlsx_started) * 1000

    received = next(line.value for line in board.lines if line.key == "received_new")
    load = os.getloadavg()
    version = connection.Database.sqlite_version if connection.vendor == "sqlite" else connection.pg_version  # type: ignore[attr-defined]
    print(
        f"environment: Python {platform.python_version()}, Django {django.get_version()}, "
        f"{_setup.database_label()} {version}, "
        f"{os.cpu_count()} CPUs, load average {' '.join(f'{x:.1f}' for x in load)}"
    )
    print(
        f"data: {Dossier.objects.count()} dossiers ({received} received in {year}), "
        f"{DailyFigure.objects.count()} daily figure rows, {len(board.by_agency)} agencies with dossiers"
    )
    print(
        f"dashboard for {year}, whole province: queries {statistics.median(board_ms):.0f} ms median "
        f"(min {min(board_ms):.0f}, max {max(board_ms):.0f}; {queries} SQL statements); "
        f"whole page {statistics.median(page_ms):.0f} ms median; XLSX {xlsx_ms:.0f} ms"
    )


if __name__ == "__main__":
    main()
