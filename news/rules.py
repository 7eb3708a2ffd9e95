"""Pure rules of the reform communication (no I/O): a legal document's validity, an event's
timing, what an infographic needs before it is published, counting for the annual report."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Validity(StrEnum):
    """Hiệu lực of a legal document on a given day."""

    NOT_YET = "not_yet"  # chưa có hiệu lực
    IN_FORCE = "in_force"  # còn hiệu lực
    EXPIRED = "expired"  # hết hiệu lực


def validity(*, on: datetime.date, effective_from: datetime.date | None, expires_on: datetime.date | None) -> Validity:
    """A document is in force from its effective date (inclusive) until its expiry date
    (exclusive: "hết hiệu lực từ ngày …"). With no effective date it is in force from issue,
    which the caller passes as ``effective_from``; with no expiry date it stays in force."""
    if effective_from is not None and on < effective_from:
        return Validity.NOT_YET
    if expires_on is not None and on >= expires_on:
        return Validity.EXPIRED
    return Validity.IN_FORCE


class EventTiming(StrEnum):
    UPCOMING = "upcoming"
    ONGOING = "ongoing"
    PAST = "past"


def event_timing(
    *, now: datetime.datetime, starts_at: datetime.datetime, ends_at: datetime.datetime | None
) -> EventTiming:
    """Upcoming before its start, ongoing from start to end (both inclusive), past after. An event
    without an end (a broadcast's air time, say) is past as soon as it has started."""
    end = ends_at or starts_at
    if now < starts_at:
        return EventTiming.UPCOMING
    if now <= end:
        return EventTiming.ONGOING
    return EventTiming.PAST


def infographic_publishable(text_alternative: str) -> bool:
    """An infographic goes live only with a text that carries the same information (WCAG 1.1.1):
    a few words are a caption, not an alternative."""
    return len(" ".join(text_alternative.split())) >= MIN_TEXT_ALTERNATIVE


MIN_TEXT_ALTERNATIVE = 40


KIND_ARTICLE = "article"  # tin, bài
KIND_INFOGRAPHIC = "infographic"
KIND_DOCUMENT = "document"  # văn bản
KIND_EVENT = "event"  # sự kiện


@dataclass(frozen=True)
class Item:
    """One published item for counting: its type, its topics, when it was published and its
    subtype (a document's or an event's type)."""

    kind: str
    published: datetime.date
    topics: tuple[str, ...] = ()
    detail: str = ""


def count_items(items: Iterable[Item], *, start: datetime.date, end: datetime.date) -> dict[str, Counter[str]]:
    """Items published between ``start`` and ``end`` (both inclusive), counted per type, per
    topic (an item with two topics counts once in each) and per type and subtype
    ("document:quyet-dinh")."""
    by_kind: Counter[str] = Counter()
    by_topic: Counter[str] = Counter()
    by_detail: Counter[str] = Counter()
    for item in items:
        if start <= item.published <= end:
            by_kind[item.kind] += 1
            by_topic.update(set(item.topics))
            if item.detail:
                by_detail[f"{item.kind}:{item.detail}"] += 1
    return {"kind": by_kind, "topic": by_topic, "detail": by_detail}


def report_sentence(*, articles: int, infographics: int, documents: int) -> str:
    """The annual report's sentence, e.g. "82 tin bài (trong đó có 49 tin, bài và 33 Infographic)
    và 90 văn bản"."""
    return (
        f"{articles + infographics} tin bài (trong đó có {articles} tin, bài và {infographics} Infographic)"
        f" và {documents} văn bản"
    )


@dataclass(frozen=True)
class IndexYear:
    """One reform index for one year, as the analyst entered it."""

    index: str
    year: int
    score: float
    rank: int | None
    ranked_among: int
    source: str
    is_demo: bool = False


@dataclass(frozen=True)
class IndexPoint:
    year: int
    score: float
    rank: int | None
    ranked_among: int
    source: str
    is_demo: bool
    score_change: float | None  # against the year before; None without it
    places_gained: int | None  # positive: moved up; None when not comparable

    @property
    def places_lost(self) -> int:
        return max(0, -(self.places_gained or 0))


@dataclass(frozen=True)
class IndexSeries:
    index: str
    label: str
    points: tuple[IndexPoint, ...]

    @property
    def data_id(self) -> str:
        return f"index-data-{self.index}"

    @property
    def has_demo(self) -> bool:
        return any(p.is_demo for p in self.points)

    @property
    def chart(self) -> dict[str, list[object]]:
        """What the chart draws (the table beside it shows the same points)."""
        return {
            "years": [p.year for p in self.points],
            "scores": [p.score for p in self.points],
            "ranks": [p.rank for p in self.points],
        }


def index_series(rows: Iterable[IndexYear], *, labels: dict[str, str]) -> list[IndexSeries]:
    """Each index's years in order, in the order of ``labels``, with the change from the year
    before. Ranks are compared only between years ranked among the same number of provinces:
    3rd of 34 after the 2025 merger is not a gain over 10th of 63."""
    by_index: dict[str, dict[int, IndexYear]] = {}
    for row in rows:
        by_index.setdefault(row.index, {})[row.year] = row
    series = []
    for index, label in labels.items():
        years = by_index.get(index)
        if not years:
            continue
        points = []
        for year in sorted(years):
            row, before = years[year], years.get(year - 1)
            comparable = (
                before is not None
                and before.rank is not None
                and row.rank is not None
                and before.ranked_among == row.ranked_among
            )
            points.append(
                IndexPoint(
                    year=year,
                    score=row.score,
                    rank=row.rank,
                    ranked_among=row.ranked_among,
                    source=row.source,
                    is_demo=row.is_demo,
                    score_change=round(row.score - before.score, 2) if before is not None else None,
                    places_gained=(before.rank - row.rank) if comparable else None,  # type: ignore[operator,union-attr]
                )
            )
        series.append(IndexSeries(index=index, label=label, points=tuple(points)))
    return series


def count_by_month(items: Iterable[Item], *, start: datetime.date, end: datetime.date) -> dict[str, Counter[str]]:
    """Items between ``start`` and ``end`` (both inclusive) per month ("2022-03") and type; every
    month of the period is present, an empty one with no counts."""
    months: dict[str, Counter[str]] = {}
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months[f"{year:04d}-{month:02d}"] = Counter()
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    for item in items:
        if start <= item.published <= end:
            months[item.published.strftime("%Y-%m")][item.kind] += 1
    return months


class TranslationState(StrEnum):
    """Where a page stands in one language (bảng tình trạng bản dịch)."""

    MISSING = "missing"  # chưa dịch: no translation live in that language
    OUTDATED = "outdated"  # cần cập nhật: the source was published again after the translation
    DONE = "done"  # đã dịch


def translation_state(
    *,
    source_published: datetime.datetime | None,
    translation_live: bool,
    translation_published: datetime.datetime | None,
) -> TranslationState:
    """A translation that is not live (none, or a draft) is missing; a live one is outdated when
    the source has been published since the translation last was."""
    if not translation_live:
        return TranslationState.MISSING
    if source_published is not None and (translation_published is None or source_published > translation_published):
        return TranslationState.OUTDATED
    return TranslationState.DONE
