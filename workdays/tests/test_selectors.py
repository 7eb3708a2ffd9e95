"""The calendar in force is read from the official days once a minute per process, and at once
after a change made in the process."""

from __future__ import annotations

import datetime

import pytest

from workdays.models import DayKind, OfficialDay
from workdays.selectors import forget_work_calendar, work_calendar

pytestmark = pytest.mark.django_db

SATURDAY = datetime.date(2031, 3, 1)


@pytest.fixture
def cached(settings):
    settings.WORK_CALENDAR_CACHE_SECONDS = 60
    forget_work_calendar()
    yield
    forget_work_calendar()


def test_the_calendar_is_read_once_while_it_is_fresh(cached, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = work_calendar()
        assert work_calendar() is first


def test_a_change_to_the_official_days_is_seen_at_once(cached):
    assert not work_calendar().is_working_day(SATURDAY)
    OfficialDay.objects.create(date=SATURDAY, kind=DayKind.MAKEUP, name="Làm bù")
    assert work_calendar().is_working_day(SATURDAY)
    OfficialDay.objects.filter(date=SATURDAY).first().delete()
    assert not work_calendar().is_working_day(SATURDAY)


def test_without_a_cache_every_call_reads_the_table(settings, django_assert_num_queries):
    settings.WORK_CALENDAR_CACHE_SECONDS = 0
    with django_assert_num_queries(2):
        work_calendar()
        work_calendar()
