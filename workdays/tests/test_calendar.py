"""Working days: weekends, holidays (lunar new year included), official swaps and make-up days."""

from __future__ import annotations

import datetime
import json

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from workdays.calendar import WorkCalendar
from workdays.selectors import work_calendar
from workdays.services import official_days_load

D = datetime.date
days = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))
statutory = WorkCalendar()


@pytest.fixture
def official(db) -> WorkCalendar:
    data = json.loads((settings.SHARED_DATA_DIR / "workdays.json").read_text(encoding="utf-8"))
    official_days_load(data)
    return work_calendar()


def test_weekends_are_not_working_days():
    assert not statutory.is_working_day(D(2022, 11, 5))  # Saturday
    assert not statutory.is_working_day(D(2022, 11, 6))  # Sunday
    assert statutory.is_working_day(D(2022, 11, 7))


def test_statutory_holidays_apply_to_years_without_decisions():
    # 2022: Tết Nhâm Dần fell on 1 February; Quốc khánh on Friday 2 September.
    assert not statutory.is_working_day(D(2022, 2, 1))
    assert not statutory.is_working_day(D(2022, 9, 2))
    assert not statutory.is_working_day(D(2022, 5, 2))  # 30/4 on Saturday: Monday 2/5 off (nghỉ bù)


def test_official_swaps_that_the_package_may_not_know(official):
    assert not official.is_working_day(D(2025, 5, 2))  # Friday off, swapped
    assert official.is_working_day(D(2025, 4, 26))  # Saturday worked in exchange
    assert not official.is_working_day(D(2026, 1, 2))
    assert official.is_working_day(D(2026, 1, 10))
    assert not official.is_working_day(D(2026, 8, 31))
    assert official.is_working_day(D(2026, 8, 22))


def test_lunar_new_year_2026(official):
    assert [official.is_working_day(D(2026, 2, d)) for d in range(13, 24)] == [
        True, False, False, False, False, False, False, False, False, False, True
    ]  # fmt: skip


def test_adding_working_days_over_tet(official):
    # Friday 13/2/2026 + 1 working day: Tết runs to Friday 20/2, so Monday 23/2.
    assert official.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)


def test_the_official_table_replaces_the_package_for_its_years(official):
    off_2025 = {
        d for d in (D(2025, 1, 1) + datetime.timedelta(n) for n in range(365)) if not official.is_working_day(d)
    }
    weekdays_off = sorted(d for d in off_2025 if d.weekday() < 5)
    assert len(weekdays_off) == 12
    assert D(2025, 4, 26) not in off_2025


def test_reloading_the_official_table_changes_nothing(official):
    data = json.loads((settings.SHARED_DATA_DIR / "workdays.json").read_text(encoding="utf-8"))
    report = official_days_load(data)
    assert report.created == 0 and report.updated == 0 and report.unchanged > 30


@given(days, st.integers(0, 60))
def test_adding_n_working_days_crosses_exactly_n_working_days(start, n):
    end = statutory.add_working_days(start, n)
    assert statutory.working_days_between(start, end) == n
    assert end == start or statutory.is_working_day(end)


@given(days, st.integers(0, 30), st.integers(0, 30))
def test_adding_is_additive(start, a, b):
    assert statutory.add_working_days(statutory.add_working_days(start, a), b) == statutory.add_working_days(
        start, a + b
    )


@given(days, days)
def test_counting_is_antisymmetric(a, b):
    assert statutory.working_days_between(a, b) == -statutory.working_days_between(b, a)


@given(days)
def test_the_next_working_day_is_a_working_day_within_two_weeks(day):
    following = statutory.next_working_day(day)
    assert statutory.is_working_day(following) and 0 < (following - day).days <= 14
