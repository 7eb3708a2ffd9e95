"""The working-day calendar of cán bộ, công chức on a Monday–Friday week, as pure functions.

A day is a working day when it is a weekday that is not a day off, or a Saturday worked in
exchange for a day off (làm bù). For a year whose official decisions are loaded, the days off are
exactly those decisions' days (public holidays, lunar new year, compensatory and swapped days);
for any other year the statutory holidays of the `holidays` package apply, with no swaps.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import holidays

MAX_SEARCH_DAYS = 366 * 5


@lru_cache(maxsize=64)
def statutory_days_off(year: int) -> frozenset[datetime.date]:
    """Weekdays off by law in ``year`` (Labour Code art. 112 and its compensatory days), as the
    `holidays` package computes them, lunar new year included."""
    return frozenset(day for day in holidays.country_holidays("VN", years=year) if day.weekday() < 5)


@dataclass(frozen=True)
class WorkCalendar:
    """Official days off and make-up working days for the years listed in ``official_years``."""

    days_off: frozenset[datetime.date] = frozenset()
    makeup_days: frozenset[datetime.date] = frozenset()
    official_years: frozenset[int] = frozenset()
    _statutory: dict[int, frozenset[datetime.date]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_entries(
        cls, days_off: Iterable[datetime.date], makeup_days: Iterable[datetime.date], years: Iterable[int]
    ) -> WorkCalendar:
        return cls(frozenset(days_off), frozenset(makeup_days), frozenset(years))

    def is_day_off(self, day: datetime.date) -> bool:
        if day.year in self.official_years:
            return day in self.days_off
        return day in statutory_days_off(day.year)

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.makeup_days:
            return True
        return day.weekday() < 5 and not self.is_day_off(day)

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """The first working day strictly after ``day``."""
        for offset in range(1, MAX_SEARCH_DAYS):
            candidate = day + datetime.timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError("no working day within five years")

    def add_working_days(self, day: datetime.date, count: int) -> datetime.date:
        """The ``count``-th working day after ``day`` (``day`` itself when ``count`` is 0)."""
        if count < 0:
            raise ValueError("count must not be negative")
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days in the half-open span (start, end]; negative when ``end`` is before
        ``start``."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            1 for offset in range(1, (end - start).days + 1) if self.is_working_day(start + datetime.timedelta(offset))
        )
