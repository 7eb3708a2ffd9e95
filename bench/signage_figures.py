"""Requests per second of today's figures (GET /api/v1/figures/today, read by the centre's
electronic board), under gunicorn with 2 workers and production settings, with the bare Django
view (/ping) measured in the same run for the ratio. The figures are counted at most once every
MOTCUA_TODAY_FIGURES_CACHE_SECONDS (5) per cache (each worker's memory here; Redis in
production); the count itself is timed once without the cache.

Usage: .venv/bin/python bench/signage_figures.py [--seconds 10] [--dossiers 20000]
Target: ≥ 1,000 requests/s.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import _setup
from http_throughput import free_port, production_env, python_load, served, wrk_load

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ["/ping", "/api/v1/figures/today"]


def main() -> None:
    seconds = float(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 10
    wanted = int(sys.argv[sys.argv.index("--dossiers") + 1]) if "--dossiers" in sys.argv else 20000
    _setup.ensure_catalog()
    from django.core.management import call_command

    from dossiers.figures import today_figures_uncached
    from dossiers.models import Dossier

    if not Dossier.objects.exists():
        call_command("generate_dossiers", count=wanted, verbosity=0)
    count = Dossier.objects.count()
    started = time.perf_counter()
    figures = today_figures_uncached()
    counting_ms = (time.perf_counter() - started) * 1000

    env = production_env()
    port = int(os.environ.get("MOTCUA_BENCH_PORT") or free_port())
    with served(env, port, warm=TARGETS, rounds=10) as base:
        load = wrk_load if subprocess.run(["which", "wrk"], capture_output=True).returncode == 0 else python_load
        print(
            f"database: {_setup.database_label()}, dossiers: {count}, counting once without cache: "
            f"{counting_ms:.1f} ms (received today {figures.received_today}, this month {figures.received_this_month}),"
            f" client: {load.__name__}, {seconds:.0f} s each"
        )
        results = {path: load(base + path, seconds) for path in TARGETS}
        for path in TARGETS:
            print(f"{path:28s} {results[path]:8.0f} req/s   ratio to bare view {results[path] / results['/ping']:.2f}")


if __name__ == "__main__":
    main()
