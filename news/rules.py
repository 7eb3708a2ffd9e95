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


@dataclass(frozen=True)
class Item:
    """One published item for counting: its type, its topics and when it was published."""

    kind: str
    published: datetime.date
    topics: tuple[str, ...] = ()


def count_items(items: Iterable[Item], *, start: datetime.date, end: datetime.date) -> dict[str, Counter[str]]:
    """Items published between ``start`` and ``end`` (both inclusive), counted per type and per
    topic (an item with two topics counts once in each)."""
    by_kind: Counter[str] = Counter()
    by_topic: Counter[str] = Counter()
    for item in items:
        if start <= item.published <= end:
            by_kind[item.kind] += 1
            by_topic.update(set(item.topics))
    return {"kind": by_kind, "topic": by_topic}


def report_sentence(*, articles: int, infographics: int, documents: int) -> str:
    """The annual report's sentence, e.g. "82 tin bài (trong đó có 49 tin, bài và 33 Infographic)
    và 90 văn bản"."""
    return (
        f"{articles + infographics} tin bài (trong đó có {articles} tin, bài và {infographics} Infographic)"
        f" và {documents} văn bản"
    )
