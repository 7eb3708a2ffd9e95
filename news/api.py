"""Counts of the reform communication for the annual report (GET /api/v1/figures/news): what the
section published in a period, by type, subtype, topic and month, and the report's sentence
("82 tin bài (trong đó có 49 tin, bài và 33 Infographic) và 90 văn bản"). Public: it counts only
what is already published."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Query, Router, Schema

from common.api import answers, check_period
from common.i18n import request_language

from . import page_views, rules
from .selectors import report_items, views_by_month

router = Router(tags=["news"])


class PeriodIn(Schema):
    start: datetime.date = Field(..., alias="from")
    end: datetime.date = Field(..., alias="to")


class MonthOut(Schema):
    month: str  # "2022-03"
    articles: int
    infographics: int
    documents: int
    events: int
    views: int  # lượt xem of articles, infographics and documents that month


class NewsFiguresOut(Schema):
    start: datetime.date
    end: datetime.date
    items: int  # tin bài: articles and infographics
    articles: int
    infographics: int
    documents: int
    events: int
    documents_by_type: dict[str, int]
    events_by_type: dict[str, int]
    items_by_topic: dict[str, int]
    views: int  # lượt xem of articles, infographics and documents
    views_by_kind: dict[str, int]  # article, infographic, document
    by_month: list[MonthOut]
    sentence: str


@router.get(
    "/figures/news",
    response=answers({200: NewsFiguresOut}, 400, 422),
    url_name="news_figures",
    summary="Số liệu truyền thông cải cách hành chính",
)
def news_figures(
    request: HttpRequest,
    period: Query[PeriodIn],
    lang: str | None = None,
) -> NewsFiguresOut:
    """Per period (`from`, `to`, ISO dates, both included, at most 5 years): articles and
    infographics by their first publication, events by their start, documents of the library by
    their date of issue; subtypes are the documents' and events' types, topics the CCHC topics'
    slugs (an item with two topics counts in each). Translations count once, as their source.
    Views (lượt xem) are the page views of articles, infographics (every language) and documents
    on the days of the period, as moved from the cache by the worker (every five minutes)."""
    start, end = period.start, period.end
    with translation.override(request_language(request, lang)):
        check_period(start, end, max_years=5)
    items = report_items(start=start, end=end)
    counted = rules.count_items(items, start=start, end=end)
    kinds, details = counted["kind"], counted["detail"]
    articles, infographics = kinds[rules.KIND_ARTICLE], kinds[rules.KIND_INFOGRAPHIC]
    documents = kinds[rules.KIND_DOCUMENT]
    views = views_by_month(start=start, end=end)
    views_by_kind = {kind: sum(m.get(kind, 0) for m in views.values()) for kind in page_views.COUNTED_KINDS}

    def of(kind: str) -> dict[str, int]:
        return {key.split(":", 1)[1]: n for key, n in sorted(details.items()) if key.startswith(kind + ":")}

    return NewsFiguresOut(
        start=start,
        end=end,
        items=articles + infographics,
        articles=articles,
        infographics=infographics,
        documents=documents,
        events=kinds[rules.KIND_EVENT],
        documents_by_type=of(rules.KIND_DOCUMENT),
        events_by_type=of(rules.KIND_EVENT),
        items_by_topic=dict(sorted(counted["topic"].items())),
        views=sum(views_by_kind.values()),
        views_by_kind=views_by_kind,
        by_month=[
            MonthOut(
                month=month,
                articles=c[rules.KIND_ARTICLE],
                infographics=c[rules.KIND_INFOGRAPHIC],
                documents=c[rules.KIND_DOCUMENT],
                events=c[rules.KIND_EVENT],
                views=sum(views.get(month, {}).values()),
            )
            for month, c in rules.count_by_month(items, start=start, end=end).items()
        ],
        sentence=rules.report_sentence(articles=articles, infographics=infographics, documents=documents),
    )
