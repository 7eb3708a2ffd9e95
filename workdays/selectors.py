"""The calendar in force, built from the administrators' table."""

from __future__ import annotations

from .calendar import WorkCalendar
from .models import DayKind, OfficialDay


def work_calendar() -> WorkCalendar:
    rows = list(OfficialDay.objects.values_list("date", "kind"))
    return WorkCalendar.from_entries(
        days_off=(d for d, kind in rows if kind == DayKind.DAY_OFF),
        makeup_days=(d for d, kind in rows if kind == DayKind.MAKEUP),
        years=(d.year for d, kind in rows),
    )
