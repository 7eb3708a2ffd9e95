"""Today's figures of the one-stop shop, for the centre's electronic board and anyone else:
dossiers received today, the online share of this month's receptions and the on-time share of
this month's finished dossiers. Aggregates only; read from a cache for a few seconds, since every
board asks for them and they move slowly.

On time is the national index's rule (workdays.rules.timeliness): finished no later than the
original due date, with at most one supplement request; here it is counted by the database."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q
from django.utils import timezone

from .models import Dossier
from .rules import Channel

CACHE_KEY = "dossiers:today-figures"


@dataclass(frozen=True)
class TodayFigures:
    day: datetime.date
    received_today: int
    received_this_month: int
    online_this_month: int
    online_share: float | None  # percent, one decimal; None before the first reception
    finished_this_month: int
    on_time_this_month: int
    on_time_share: float | None
    as_of: datetime.datetime


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in percent with one decimal (half up); None of nothing."""
    if whole <= 0:
        return None
    return int(part * 1000 / whole + 0.5) / 10


def today_figures_uncached(now: datetime.datetime | None = None) -> TodayFigures:
    moment = now or timezone.now()
    day = timezone.localdate(moment)
    month_start = timezone.make_aware(datetime.datetime.combine(day.replace(day=1), datetime.time()))
    day_start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    received = Dossier.objects.filter(received_at__gte=month_start, received_at__lte=moment).aggregate(
        month=Count("pk"),
        today=Count("pk", filter=Q(received_at__gte=day_start)),
        online=Count("pk", filter=Q(channel=Channel.ONLINE)),
    )
    finished = Dossier.objects.filter(
        finished_at__gte=month_start, finished_at__lte=moment, original_due_on__isnull=False
    ).aggregate(
        all=Count("pk"),
        on_time=Count("pk", filter=Q(finished_at__date__lte=F("original_due_on"), supplement_request_count__lte=1)),
    )
    return TodayFigures(
        day=day,
        received_today=received["today"],
        received_this_month=received["month"],
        online_this_month=received["online"],
        online_share=share(received["online"], received["month"]),
        finished_this_month=finished["all"],
        on_time_this_month=finished["on_time"],
        on_time_share=share(finished["on_time"], finished["all"]),
        as_of=timezone.localtime(moment),
    )


def today_figures() -> dict[str, object]:
    """The figures as of at most ``TODAY_FIGURES_CACHE_SECONDS`` ago (shared by every web
    process through the cache)."""
    seconds = settings.TODAY_FIGURES_CACHE_SECONDS
    if seconds <= 0:
        return asdict(today_figures_uncached())
    found = cache.get(CACHE_KEY)
    if found is None:
        found = asdict(today_figures_uncached())
        cache.set(CACHE_KEY, found, seconds)
    return found  # type: ignore[no-any-return]
