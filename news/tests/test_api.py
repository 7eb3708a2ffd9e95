"""GET /api/v1/figures/news: what the annual report says about the section, from its data."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import Locale

from news.models import DocumentType, EventType
from news.tests import factories as f
from news.tests.test_library import document

pytestmark = pytest.mark.django_db

URL = "/api/v1/figures/news"


def dated(page, day: datetime.date):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    type(page).objects.filter(pk=page.pk).update(first_published_at=moment)
    return page


def tagged(page, *topics):
    page.topics.add(*topics)
    page.save_revision().publish()
    return page


def test_the_report_counts_a_years_items_by_type_topic_subtype_and_month():
    tthc = f.topic("Thủ tục hành chính", "tthc")
    so_hoa = f.topic("Số hóa", "so-hoa")
    first = tagged(f.article("Tin tháng 1"), tthc, so_hoa)
    dated(first, datetime.date(2022, 1, 3))
    dated(tagged(f.article("Tin tháng 12"), tthc), datetime.date(2022, 12, 31))
    dated(f.infographic("Infographic tháng 3"), datetime.date(2022, 3, 1))
    dated(f.article("Tin năm sau"), datetime.date(2023, 1, 1))
    f.article("Bản nháp", publish=False)
    first.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True).save_revision().publish()
    document("1/2022/QĐ-UBND", doc_type=DocumentType.DECISION, issued_on=datetime.date(2022, 3, 15))
    document("2/KH-UBND", doc_type=DocumentType.PLAN, issued_on=datetime.date(2022, 1, 10))
    document("3/2021/QĐ-UBND", doc_type=DocumentType.DECISION, issued_on=datetime.date(2021, 12, 31))
    air = timezone.make_aware(datetime.datetime(2022, 3, 4, 19, 45))
    f.event("Cà phê số", event_type=EventType.BROADCAST, starts_at=air)
    f.event("Tập huấn", starts_at=air + datetime.timedelta(days=300), ends_at=air + datetime.timedelta(days=301))

    response = Client().get(URL, {"from": "2022-01-01", "to": "2022-12-31"})
    assert response.status_code == 200
    body = response.json()
    assert (body["items"], body["articles"], body["infographics"], body["documents"], body["events"]) == (3, 2, 1, 2, 2)
    assert body["sentence"] == "3 tin bài (trong đó có 2 tin, bài và 1 Infographic) và 2 văn bản"
    assert body["documents_by_type"] == {"ke-hoach": 1, "quyet-dinh": 1}
    assert body["events_by_type"] == {"phat-song": 1, "tap-huan": 1}
    assert body["items_by_topic"] == {"so-hoa": 1, "tthc": 2}
    months = {m["month"]: m for m in body["by_month"]}
    assert len(months) == 12
    assert months["2022-01"] == {
        "month": "2022-01",
        "articles": 1,
        "infographics": 0,
        "documents": 1,
        "events": 0,
        "views": 0,
    }
    assert months["2022-03"]["infographics"] == 1 and months["2022-03"]["events"] == 1


def test_a_period_backwards_too_long_or_missing_is_refused_as_a_problem():
    for query in ({"from": "2022-12-31", "to": "2022-01-01"}, {"from": "2010-01-01", "to": "2022-01-01"}):
        response = Client().get(URL, query)
        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "invalid_period"
    missing = Client().get(URL, {"from": "2022-01-01"})
    assert missing.status_code == 400 and missing.json()["code"] == "invalid_request"


def test_the_operation_is_in_the_openapi_document_with_its_schema():
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/figures/news"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"from", "to"}
    assert "NewsFiguresOut" in schema["components"]["schemas"]
