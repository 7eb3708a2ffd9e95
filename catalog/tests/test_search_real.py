"""Search over the real catalog (379 procedures, their translations and the seeded synonyms),
with the labelled citizens' queries of bench/search_queries.json.

The top five codes of every query are compared with a committed snapshot, so a run on SQLite
and a run on PostgreSQL must give the same results. After an intended ranking change, rewrite
the snapshot with `MOTCUA_UPDATE_SEARCH_SNAPSHOT=1 make test` and review the diff."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from catalog.search import search

ROOT = Path(__file__).resolve().parents[2]
QUERIES = json.loads((ROOT / "bench" / "search_queries.json").read_text(encoding="utf-8"))
SNAPSHOT = Path(__file__).with_name("search_snapshot.json")


@pytest.fixture(scope="module")
def real_catalog(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def top5(real_catalog):
    return {f"{q['lang']}|{q['q']}": [h.code for h in search(q["q"], language=q["lang"])[:5]] for q in QUERIES}


@pytest.mark.django_db
def test_recall_on_citizens_queries(top5):
    at1 = sum(
        top5[f"{q['lang']}|{q['q']}"][:1] != [] and top5[f"{q['lang']}|{q['q']}"][0] in q["expected"] for q in QUERIES
    )
    at5 = sum(bool(set(top5[f"{q['lang']}|{q['q']}"]) & set(q["expected"])) for q in QUERIES)
    assert len(QUERIES) >= 100
    assert at1 / len(QUERIES) >= 0.80, f"recall@1 = {at1 / len(QUERIES):.3f}"
    assert at5 / len(QUERIES) >= 0.93, f"recall@5 = {at5 / len(QUERIES):.3f}"


@pytest.mark.django_db
def test_results_match_the_snapshot_on_every_database(top5):
    if os.environ.get("MOTCUA_UPDATE_SEARCH_SNAPSHOT") == "1":
        SNAPSHOT.write_text(json.dumps(top5, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    differences = {k: (expected.get(k), v) for k, v in top5.items() if expected.get(k) != v}
    assert differences == {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "language", "code"),
    [
        ("1.001193", "vi", "1.001193"),
        ("dang ky khai sinh", "vi", "1.001193"),
        ("đăng ký kết hôn", "vi", "1.000894"),
        ("birth registration", "en", "1.001193"),
        ("出生登记", "zh-hans", "1.001193"),
        ("sổ đỏ bị mất", "vi", "1.012786"),
    ],
)
def test_well_known_queries(real_catalog, query, language, code):
    assert search(query, language=language)[0].code == code
