"""Server-side search latency with 2,000 procedures in five languages.

Runs every labelled query (all five languages) several times against a warm index and reports
p50/p95/max in milliseconds. Usage: .venv/bin/python bench/search_latency.py [--total 2000]
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import _setup


def main() -> None:
    total = int(sys.argv[sys.argv.index("--total") + 1]) if "--total" in sys.argv else 2000
    count = _setup.ensure_catalog(total)
    from catalog.models import ProcedureTranslation
    from catalog.search import index_for, search

    queries = json.loads(Path(__file__).with_name("search_queries.json").read_text(encoding="utf-8"))
    started = time.perf_counter()
    sizes = {lang: len(index_for(lang).docs) for lang in ("vi", "en", "zh-hans", "ko", "ja")}
    build = time.perf_counter() - started
    results = {}
    for label, prefix in (("search (API, list page)", False), ("suggest as you type", True)):
        timings = []
        for _round in range(5):
            for item in queries:
                t0 = time.perf_counter()
                search(item["q"], language=item["lang"], prefix=prefix)
                timings.append((time.perf_counter() - t0) * 1000)
        timings.sort()
        results[label] = (statistics.median(timings), timings[int(len(timings) * 0.95) - 1], timings[-1], len(timings))
    translations = ProcedureTranslation.objects.count()
    print(f"database: {_setup.database_label()}, procedures: {count}, translations: {translations}")
    print(f"indexed documents per language: {sizes}; index build {build:.2f} s")
    for label, (p50, p95, worst, n) in results.items():
        print(f"{label}: {n} searches, p50 = {p50:.2f} ms, p95 = {p95:.2f} ms, max = {worst:.2f} ms")


if __name__ == "__main__":
    main()
