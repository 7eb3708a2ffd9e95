"""Deadlines of dossiers in working days (Nghị định 61/2018, 118/2025; Thông tư 01/2018, 03/2025).

- A dossier received on a working day before 15:00 is counted from that day; one received at or
  after 15:00, or on a day off, from the next working day.
- The due date (ngày hẹn trả) is the N-th working day after the day counting starts.
- Time waiting for the citizen (supplement, payment) does not count: each working day inside a
  clock stop moves the due date by one working day.
- On time: finished no later than the due date; more than one supplement request counts as late,
  as the national index counts it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from .calendar import WorkCalendar

RECEPTION_CUTOFF = datetime.time(15, 0)


@dataclass(frozen=True)
class ClockStop:
    """A span during which the clock stopped, from its first to its last day (inclusive); an open
    stop has no end yet."""

    start: datetime.date
    end: datetime.date | None = None


class Timeliness(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"


def counting_day(received_at: datetime.datetime, calendar: WorkCalendar) -> datetime.date:
    """The day from which the processing time is counted."""
    day = received_at.date()
    if calendar.is_working_day(day) and received_at.time() < RECEPTION_CUTOFF:
        return day
    return calendar.next_working_day(day)


def stopped_working_days(stops: Sequence[ClockStop], calendar: WorkCalendar, today: datetime.date) -> int:
    """Working days during which the clock stood still (an open stop runs until ``today``)."""
    total = 0
    for stop in stops:
        end = stop.end or today
        if end < stop.start:
            continue
        total += calendar.working_days_between(stop.start - datetime.timedelta(days=1), end)
    return total


def due_date(
    received_at: datetime.datetime,
    processing_days: int,
    calendar: WorkCalendar,
    *,
    stops: Sequence[ClockStop] = (),
    today: datetime.date | None = None,
) -> datetime.date:
    """Ngày hẹn trả kết quả: the day by which the result is due, clock stops included."""
    start = counting_day(received_at, calendar)
    paused = stopped_working_days(stops, calendar, today or received_at.date()) if stops else 0
    return calendar.add_working_days(start, processing_days + paused)


def remaining_working_days(due: datetime.date, today: datetime.date, calendar: WorkCalendar) -> int:
    """Working days left until the due date (0 on the due date, negative once overdue)."""
    return calendar.working_days_between(today, due)


def timeliness(finished_on: datetime.date, due: datetime.date, *, supplement_requests: int) -> Timeliness:
    """Đúng hạn / quá hạn as the national index counts it."""
    if supplement_requests > 1 or finished_on > due:
        return Timeliness.LATE
    return Timeliness.ON_TIME
