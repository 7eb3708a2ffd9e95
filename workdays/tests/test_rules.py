"""Deadlines: the 15:00 cut-off, clock stops, on time and late."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from workdays.calendar import WorkCalendar
from workdays.rules import (
    ClockStop,
    Timeliness,
    counting_day,
    due_date,
    remaining_working_days,
    timeliness,
)

D = datetime.date
cal = WorkCalendar()


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute))


def test_received_before_three_counts_from_that_day():
    assert counting_day(at(D(2022, 11, 7), 14, 59), cal) == D(2022, 11, 7)
    assert due_date(at(D(2022, 11, 7), 9), 3, cal) == D(2022, 11, 10)


def test_received_at_or_after_three_counts_from_the_next_working_day():
    assert counting_day(at(D(2022, 11, 7), 15, 0), cal) == D(2022, 11, 8)
    assert due_date(at(D(2022, 11, 7), 16), 3, cal) == D(2022, 11, 11)


def test_received_on_a_saturday_counts_from_monday():
    assert due_date(at(D(2022, 11, 5), 9), 1, cal) == D(2022, 11, 8)


def test_clock_stops_move_the_due_date_by_their_working_days():
    received = at(D(2022, 11, 7), 9)
    # Supplement requested Tuesday 8, answered Thursday 10: three working days stopped.
    stop = ClockStop(D(2022, 11, 8), D(2022, 11, 10))
    assert due_date(received, 3, cal, stops=[stop]) == D(2022, 11, 15)


def test_an_open_stop_runs_until_today():
    received = at(D(2022, 11, 7), 9)
    assert due_date(received, 3, cal, stops=[ClockStop(D(2022, 11, 8))], today=D(2022, 11, 9)) == D(2022, 11, 14)


def test_remaining_time():
    assert remaining_working_days(D(2022, 11, 10), D(2022, 11, 7), cal) == 3
    assert remaining_working_days(D(2022, 11, 10), D(2022, 11, 10), cal) == 0
    assert remaining_working_days(D(2022, 11, 10), D(2022, 11, 14), cal) == -2


def test_on_time_means_no_later_than_the_due_date():
    assert timeliness(D(2022, 11, 10), D(2022, 11, 10), supplement_requests=0) is Timeliness.ON_TIME
    assert timeliness(D(2022, 11, 11), D(2022, 11, 10), supplement_requests=0) is Timeliness.LATE


def test_more_than_one_supplement_request_counts_as_late():
    assert timeliness(D(2022, 11, 9), D(2022, 11, 10), supplement_requests=1) is Timeliness.ON_TIME
    assert timeliness(D(2022, 11, 9), D(2022, 11, 10), supplement_requests=2) is Timeliness.LATE


@given(
    st.datetimes(min_value=datetime.datetime(2021, 1, 1), max_value=datetime.datetime(2029, 12, 31)), st.integers(0, 40)
)
def test_the_due_date_is_a_working_day_n_working_days_after_counting_starts(received, n):
    due = due_date(received, n, cal)
    start = counting_day(received, cal)
    assert cal.working_days_between(start, due) == n
    assert cal.is_working_day(due)
    assert due >= received.date()


@given(
    st.datetimes(min_value=datetime.datetime(2021, 1, 1), max_value=datetime.datetime(2029, 12, 31)),
    st.integers(1, 20),
    st.integers(0, 10),
    st.integers(0, 15),
)
def test_a_stop_never_shortens_the_time(received, n, offset, length):
    start = received.date() + datetime.timedelta(days=offset)
    stop = ClockStop(start, start + datetime.timedelta(days=length))
    assert due_date(received, n, cal, stops=[stop]) >= due_date(received, n, cal)
