"""How well search finds what citizens mean, on the labelled queries of search_queries.json:
recall@1 and recall@5, precision@5, the median number of results, the nonsense queries that must
find nothing and the recall of the queries in other languages (catalog/search_evaluation.py
defines each). Exits with status 1 when a figure falls short of its threshold.

Usage: .venv/bin/python bench/search_quality.py [--misses]
(on PostgreSQL, give it a database of its own: DATABASE_URL=postgres://…/motcua_quality)
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

# The real catalog only: the speed benchmarks add generated variants to their own database.
os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(__file__).resolve().parent.parent / 'var' / 'quality.sqlite3'}")

import _setup

QUERIES = Path(__file__).with_name("search_queries.json")


def main() -> None:
    total = _setup.ensure_catalog()
    from catalog.search import search
    from catalog.search_evaluation import THRESHOLDS, evaluate

    queries = json.loads(QUERIES.read_text(encoding="utf-8"))
    q = evaluate(queries, lambda text, lang: [h.code for h in search(text, language=lang, prefix=False)])
    print(f"database: {_setup.database_label()}, procedures: {total}, queries: {len(queries)}")
    print(f"recall@1 = {q.recall_at_1:.3f}   recall@5 = {q.recall_at_5:.3f}   ({q.queries} queries)")
    print(f"precision@5 = {q.precision_at_5:.3f} ({q.precision_queries} queries with every relevant procedure)")
    print(f"median result count = {q.median_results:g}")
    print(f"nonsense queries with results: {len(q.nonsense_with_results)} of {q.nonsense}")
    print(f"foreign-language recall@5 = {q.foreign_recall_at_5:.3f} ({q.foreign} queries)")
    for kind, (n, at1, at5) in q.by_kind.items():
        print(f"  {kind:14s} n={n:3d}  r@1={at1:.2f}  r@5={at5:.2f}")
    if "--misses" in sys.argv:
        for text, lang, expected, got in q.misses:
            print(f"MISS [{lang}] {text!r}: expected {expected}, got {got}")
    failures = q.failures()
    print("thresholds: " + ", ".join(f"{k} ≥ {v}" for k, v in THRESHOLDS.items()) + ", no result for nonsense")
    for failure in failures:
        print(f"BELOW THRESHOLD: {failure}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
