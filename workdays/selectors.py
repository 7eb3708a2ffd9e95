"""The calendar in force, built from the administrators' table.

Every deadline reads it, so each process keeps the built calendar for
``WORK_CALENDAR_CACHE_SECONDS`` (a minute); a change to the table clears it at once in the
process that made it (``apps.WorkdaysConfig.ready``), and in the others within that minute.
Official days off are decided weeks ahead, so a minute's delay changes no deadline."""

from __future__ import annotations

import threading
import time

from django.conf import settings

from .calendar import WorkCalendar
from .models import DayKind, OfficialDay

_lock = threading.Lock()
_cached: tuple[float, WorkCalendar] | None = None


def _build() -> WorkCalendar:
    rows = list(OfficialDay.objects.values_list("date", "kind"))
    return WorkCalendar.from_entries(
        days_off=(d for d, kind in rows if kind == DayKind.DAY_OFF),
        makeup_days=(d for d, kind in rows if kind == DayKind.MAKEUP),
        years=(d.year for d, kind in rows),
    )


def work_calendar() -> WorkCalendar:
    global _cached
    seconds = float(getattr(settings, "WORK_CALENDAR_CACHE_SECONDS", 60))
    now = time.monotonic()
    cached = _cached
    if cached is not None and now - cached[0] < seconds:
        return cached[1]
    calendar = _build()
    with _lock:
        _cached = (now, calendar)
    return calendar


def forget_work_calendar(**_kwargs: object) -> None:
    """Drop this process's calendar: the next deadline reads the table again."""
    global _cached
    with _lock:
        _cached = None
