"""Recall@1 and recall@5 of the labelled citizens' queries in search_queries.json.

Usage: .venv/bin/python bench/search_quality.py [--misses]
(on PostgreSQL, give it a database of its own: DATABASE_URL=postgres://…/motcua_quality)
"""

from __future__ import annotations

import json
import os
import sys
from collections import defaultdict
from pathlib import Path

# The real catalog only: the speed benchmarks add generated variants to their own database.
os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(__file__).resolve().parent.parent / 'var' / 'quality.sqlite3'}")

import _setup

QUERIES = Path(__file__).with_name("search_queries.json")


def evaluate() -> dict:
    from catalog.search import search

    queries = json.loads(QUERIES.read_text(encoding="utf-8"))
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    misses = []
    hits1 = hits5 = 0
    for item in queries:
        codes = [h.code for h in search(item["q"], language=item["lang"])[:5]]
        expected = set(item["expected"])
        at1 = bool(codes[:1]) and codes[0] in expected
        at5 = bool(expected & set(codes))
        hits1 += at1
        hits5 += at5
        stats = by_kind[item["kind"]]
        stats[0] += 1
        stats[1] += at1
        stats[2] += at5
        if not at1:
            misses.append((item["q"], item["lang"], item["expected"], codes))
    n = len(queries)
    return {"n": n, "recall@1": hits1 / n, "recall@5": hits5 / n, "by_kind": dict(by_kind), "misses": misses}


def main() -> None:
    total = _setup.ensure_catalog()
    result = evaluate()
    print(f"database: {_setup.database_label()}, procedures: {total}, queries: {result['n']}")
    print(f"recall@1 = {result['recall@1']:.3f}   recall@5 = {result['recall@5']:.3f}")
    for kind, (n, at1, at5) in sorted(result["by_kind"].items()):
        print(f"  {kind:14s} n={n:3d}  r@1={at1 / n:.2f}  r@5={at5 / n:.2f}")
    if "--misses" in sys.argv:
        for q, lang, expected, got in result["misses"]:
            print(f"MISS [{lang}] {q!r}: expected {expected}, got {got}")


if __name__ == "__main__":
    main()
