"""Reform indices: entered per year, charted over the years with the same figures in a table."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import Client

from news.demo import DEMO_INDEX_SOURCE, load_indices
from news.models import ReformIndexScore
from news.rules import IndexYear, index_series
from news.tests import factories as f

LABELS = {"par-index": "PAR Index", "sipas": "SIPAS", "pci": "PCI", "papi": "PAPI"}


def row(index: str, year: int, score: float, rank: int | None, among: int = 63) -> IndexYear:
    return IndexYear(index=index, year=year, score=score, rank=rank, ranked_among=among, source="QĐ")


def test_each_index_comes_in_year_order_with_the_change_from_the_year_before():
    series = index_series(
        [row("pci", 2021, 65.3, 26), row("par-index", 2019, 84.0, 27), row("pci", 2020, 64.75, 28)], labels=LABELS
    )
    assert [s.index for s in series] == ["par-index", "pci"]
    pci = series[1]
    assert [p.year for p in pci.points] == [2020, 2021]
    assert (pci.points[0].score_change, pci.points[0].places_gained) == (None, None)
    assert (pci.points[1].score_change, pci.points[1].places_gained) == (0.55, 2)
    assert pci.chart == {"years": [2020, 2021], "scores": [64.75, 65.3], "ranks": [28, 26]}


def test_a_fall_in_rank_is_told_as_places_lost():
    [series] = index_series([row("sipas", 2021, 85.0, 28), row("sipas", 2022, 84.4, 33)], labels=LABELS)
    assert (series.points[1].places_gained, series.points[1].places_lost) == (-5, 5)


def test_ranks_among_different_numbers_of_provinces_are_not_compared():
    [series] = index_series([row("pci", 2024, 67.0, 20), row("pci", 2025, 68.2, 11, among=34)], labels=LABELS)
    assert series.points[1].places_gained is None
    assert series.points[1].score_change == 1.2


def test_a_gap_year_has_no_change_and_a_missing_rank_is_not_compared():
    [series] = index_series(
        [row("papi", 2018, 42.1, 38), row("papi", 2020, 43.4, 31), row("papi", 2021, 44.0, None)], labels=LABELS
    )
    assert [(p.score_change, p.places_gained) for p in series.points] == [(None, None), (None, None), (0.6, None)]


@pytest.mark.django_db
def test_one_score_per_index_and_year_and_a_rank_within_the_provinces_ranked():
    ReformIndexScore.objects.create(index="pci", year=2022, score=Decimal("64.88"), rank=29, source="VCCI")
    with pytest.raises(ValidationError):
        ReformIndexScore(index="pci", year=2023, score=Decimal("66"), rank=64, ranked_among=63, source="x").full_clean()
    with pytest.raises(ValidationError):
        ReformIndexScore(index="pci", year=2023, score=Decimal("101"), source="x").full_clean()
    with pytest.raises(IntegrityError):
        ReformIndexScore.objects.create(index="pci", year=2022, score=Decimal("60"), source="again")


@pytest.mark.django_db
def test_the_page_draws_each_index_and_tables_the_same_figures_marking_demo_values():
    f.event_index()  # the section's pages
    assert load_indices() == 32
    assert load_indices() == 0
    response = Client().get("/tin-tuc/chi-so/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "/static/vendor/chart.umd.min.js" in text and "cdn" not in text.lower()
    for index in ("par-index", "sipas", "pci", "papi"):
        assert f'data-index-chart="index-data-{index}"' in text
        script = re.search(rf'<script id="index-data-{index}" type="application/json">(.*?)</script>', text)
        data = json.loads(script[1])
        scores = [float(s) for s in ReformIndexScore.objects.filter(index=index).values_list("score", flat=True)]
        assert data["years"] == list(range(2018, 2026)) and data["scores"] == scores
    assert text.count("<table") == 4 and text.count('<th scope="row">2025*</th>') == 4
    assert "Có số liệu trình diễn" in text
    assert ReformIndexScore.objects.filter(source=DEMO_INDEX_SOURCE, is_demo=True).count() == 32
