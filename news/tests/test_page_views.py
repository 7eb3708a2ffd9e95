"""Page views (lượt xem) for the annual report: counted in the cache on every visit, also of a
page answered from the page cache, moved into the daily table by the worker, counted per period."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from news import page_views
from news.models import PageViewDay
from news.tests import factories as f
from news.tests.test_library import document

pytestmark = pytest.mark.django_db

URL = "/api/v1/figures/news"


def figures(start: datetime.date, end: datetime.date) -> dict:
    response = Client().get(URL, {"from": start.isoformat(), "to": end.isoformat()})
    assert response.status_code == 200
    return response.json()


def test_visits_of_cached_pages_count_and_reach_the_figures_after_the_flush():
    article = f.article("Tin được đọc")
    infographic = f.infographic("Infographic được xem")
    f.article_index()
    doc = document("61/2018/NĐ-CP")
    client = Client()
    for _ in range(3):  # the first rendered, the next two answered from the page cache
        assert client.get(article.url).status_code == 200
    assert client.get(infographic.url).status_code == 200
    assert client.get(f"/tin-tuc/van-ban/{doc.pk}/").status_code == 200
    assert client.get("/tin-tuc/bai-viet/").status_code == 200  # a list is not an item: not counted
    today = timezone.localdate()

    assert figures(today, today)["views"] == 0  # nothing written to the database per visit
    assert PageViewDay.objects.count() == 0

    assert page_views.flush_views() == 5
    answer = figures(today, today)
    assert answer["views"] == 5
    assert answer["views_by_kind"] == {"article": 3, "infographic": 1, "document": 1}
    assert [m["views"] for m in answer["by_month"]] == [5]


def test_a_second_flush_adds_nothing_and_later_visits_are_added_to_the_same_day():
    article = f.article("Tin được đọc")
    client = Client()
    client.get(article.url)
    client.get(article.url)
    assert page_views.flush_views() == 2
    assert page_views.flush_views() == 0
    client.get(article.url)
    assert page_views.flush_views() == 1
    row = PageViewDay.objects.get()
    assert (row.kind, row.item_id, row.views, row.day) == ("article", article.pk, 3, timezone.localdate())


def test_views_are_counted_in_the_period_and_month_of_their_day():
    article = f.article("Tin tháng 3")
    doc = document("01/2022/QĐ-UBND")
    march, april = datetime.date(2022, 3, 31), datetime.date(2022, 4, 1)
    for _ in range(4):
        page_views.record_view("article", article.pk, day=march)
    page_views.record_view("document", doc.pk, day=april)
    # Flushed after midnight: yesterday's counters are moved too.
    assert page_views.flush_views(today=datetime.date(2022, 4, 2)) == 5

    assert figures(datetime.date(2022, 3, 1), datetime.date(2022, 3, 31))["views"] == 4
    assert figures(datetime.date(2022, 4, 1), datetime.date(2022, 4, 30))["views_by_kind"] == {
        "article": 0,
        "infographic": 0,
        "document": 1,
    }
    year = figures(datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))
    assert year["views"] == 5
    assert {m["month"]: m["views"] for m in year["by_month"] if m["views"]} == {"2022-03": 4, "2022-04": 1}
