"""How well search finds what citizens mean: the measures of the labelled queries in
bench/search_queries.json, and the thresholds they must reach (bench/search_quality.py prints
them; catalog/tests/test_search_real.py fails under the thresholds).

Each labelled query has ``q`` (with ``repeat``, the text repeated that many times), ``lang``,
``kind`` and ``expected``: the procedures a citizen means, any of which answers the query
(empty for a query that nothing should match). ``relevant``, where given, is the full set of
procedures that belong in the results; precision is measured on those queries.

- recall@k: share of the queries with an expected procedure that find one in the first k;
- precision@5: on the queries with ``relevant``, the share of the (at most five) first results
  that are relevant (no result at all counts as 0);
- median result count: of every query that expects something;
- nonsense: queries expecting nothing; each must return no result;
- foreign recall@5: recall@5 of the queries in English, Chinese, Korean and Japanese.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

THRESHOLDS = {"recall@1": 0.92, "recall@5": 0.98, "precision@5": 0.6, "foreign recall@5": 0.9}


@dataclass
class Quality:
    queries: int = 0
    recall_at_1: float = 0.0
    recall_at_5: float = 0.0
    precision_at_5: float = 0.0
    precision_queries: int = 0
    median_results: float = 0.0
    nonsense: int = 0
    nonsense_with_results: list[str] = field(default_factory=list)
    foreign: int = 0
    foreign_recall_at_5: float = 0.0
    by_kind: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    misses: list[tuple[str, str, list[str], list[str]]] = field(default_factory=list)

    def failures(self) -> list[str]:
        """What falls short of the thresholds, in words (empty when all are reached)."""
        measured = {
            "recall@1": self.recall_at_1,
            "recall@5": self.recall_at_5,
            "precision@5": self.precision_at_5,
            "foreign recall@5": self.foreign_recall_at_5,
        }
        out = [
            f"{name} = {measured[name]:.3f} < {least}" for name, least in THRESHOLDS.items() if measured[name] < least
        ]
        out += [f"nonsense query {q!r} has results" for q in self.nonsense_with_results]
        return out


def query_text(item: dict) -> str:
    return item["q"] * item.get("repeat", 1)


def evaluate(queries: Sequence[dict], search: Callable[[str, str], list[str]]) -> Quality:
    """Measure ``search`` (query, language -> codes, best first) on the labelled ``queries``."""
    found = 0
    at1 = at5 = 0
    foreign = foreign_at5 = 0
    precisions: list[float] = []
    counts: list[int] = []
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    quality = Quality()
    for item in queries:
        text = query_text(item)
        codes = search(text, item["lang"])
        expected = set(item["expected"])
        if not expected:
            quality.nonsense += 1
            if codes:
                quality.nonsense_with_results.append(text[:60])
            continue
        found += 1
        counts.append(len(codes))
        hit1 = bool(codes) and codes[0] in expected
        hit5 = bool(expected & set(codes[:5]))
        at1 += hit1
        at5 += hit5
        stats = kinds[item["kind"]]
        stats[0] += 1
        stats[1] += hit1
        stats[2] += hit5
        if item["lang"] != "vi":
            foreign += 1
            foreign_at5 += hit5
        if "relevant" in item:
            shown = codes[:5]
            precisions.append(len(set(shown) & set(item["relevant"])) / len(shown) if shown else 0.0)
        if not hit1:
            quality.misses.append((text, item["lang"], item["expected"], codes[:5]))
    quality.queries = found
    quality.recall_at_1 = at1 / found if found else 0.0
    quality.recall_at_5 = at5 / found if found else 0.0
    quality.precision_queries = len(precisions)
    quality.precision_at_5 = statistics.fmean(precisions) if precisions else 0.0
    quality.median_results = statistics.median(counts) if counts else 0.0
    quality.foreign = foreign
    quality.foreign_recall_at_5 = foreign_at5 / foreign if foreign else 0.0
    quality.by_kind = {k: (n, h1 / n, h5 / n) for k, (n, h1, h5) in sorted(kinds.items())}
    return quality
