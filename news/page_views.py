"""Page views of the section's articles, infographics and documents (lượt xem), counted without a
write to the database per request and also for pages answered from the page cache.

A view adds one to a counter in the cache (``cache.incr``; atomic on Redis, the production cache)
under the day, the kind and the item: ``news:views:2022-03-01:article:42``. The task worker's beat
(``news.tasks.flush_page_views``) moves those counters into ``PageViewDay`` rows, one per item and
day: it adds what it read and takes exactly that amount off the counter, so a view counted while
it runs stays for the next flush, and a second flush adds nothing (idempotent). Counters live
``COUNTER_SECONDS``; the flush looks at the last ``FLUSH_DAYS`` days, so a day's views are moved
even when the flush runs after midnight.

The counters must be in a cache shared by the web processes and the worker (Redis, ``CACHE_URL``);
with the per-process local-memory cache of a test run or a single-process demo only the process
that counted can flush."""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import rules

COUNTER_SECONDS = 3 * 24 * 3600
FLUSH_DAYS = 3
COUNTED_KINDS = (rules.KIND_ARTICLE, rules.KIND_INFOGRAPHIC, rules.KIND_DOCUMENT)


def _key(day: datetime.date, kind: str, item_id: int) -> str:
    return f"news:views:{day.isoformat()}:{kind}:{item_id}"


def record_view(kind: str, item_id: int, *, day: datetime.date | None = None) -> None:
    """One view of the item, today (the portal's time zone)."""
    key = _key(day or timezone.localdate(), kind, item_id)
    try:
        cache.incr(key)
    except ValueError:  # no counter yet (or evicted): start it; a racing add falls back to incr
        if not cache.add(key, 1, COUNTER_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                pass


def _counted_items() -> list[tuple[str, int]]:
    """Every item that may have counters: articles and infographics (every language) and the
    library's documents."""
    from .models import ArticlePage, InfographicPage, LegalDocument

    items = [(rules.KIND_ARTICLE, pk) for pk in ArticlePage.objects.values_list("pk", flat=True)]
    items += [(rules.KIND_INFOGRAPHIC, pk) for pk in InfographicPage.objects.values_list("pk", flat=True)]
    items += [(rules.KIND_DOCUMENT, pk) for pk in LegalDocument.objects.values_list("pk", flat=True)]
    return items


def flush_views(*, today: datetime.date | None = None) -> int:
    """Move the counters of the last ``FLUSH_DAYS`` days into ``PageViewDay``; returns how many
    views were moved."""
    from .models import PageViewDay

    today = today or timezone.localdate()
    days = [today - datetime.timedelta(days=n) for n in range(FLUSH_DAYS)]
    keys = {_key(day, kind, pk): (day, kind, pk) for day in days for kind, pk in _counted_items()}
    moved = 0
    for key, count in cache.get_many(list(keys)).items():
        count = int(count or 0)
        if count <= 0:
            continue
        day, kind, pk = keys[key]
        with transaction.atomic():
            row, created = PageViewDay.objects.get_or_create(day=day, kind=kind, item_id=pk, defaults={"views": count})
            if not created:
                PageViewDay.objects.filter(pk=row.pk).update(views=F("views") + count)
        cache.decr(key, count)
        moved += count
    return moved
