"""Gap-free counters in one statement (common.sequences), on a real counter model (the dossiers'
daily sequence per one-stop unit and day). Concurrency is covered where the numbers are used:
dossiers/tests/test_concurrency.py (50 receptions) and payments/tests/test_concurrency.py."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from common.sequences import next_number
from dossiers.models import DailySequence
from org.tests.factories import agency, one_stop_unit

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 30)


@pytest.fixture
def units():
    served = [agency("Sở Tư pháp")]
    return one_stop_unit("Bộ phận Một cửa A", served), one_stop_unit("Bộ phận Một cửa B", served)


def test_the_first_number_is_one_and_each_next_adds_one(units):
    unit, _other = units
    with transaction.atomic():
        assert [next_number(DailySequence, unit=unit.pk, day=DAY) for _ in range(3)] == [1, 2, 3]
    assert DailySequence.objects.get(unit=unit, day=DAY).last_number == 3


def test_each_key_counts_on_its_own(units):
    unit, other = units
    with transaction.atomic():
        next_number(DailySequence, unit=unit.pk, day=DAY)
        next_number(DailySequence, unit=unit.pk, day=DAY)
        assert next_number(DailySequence, unit=other.pk, day=DAY) == 1
        assert next_number(DailySequence, unit=unit.pk, day=DAY + datetime.timedelta(days=1)) == 1
        assert next_number(DailySequence, unit=unit.pk, day=DAY) == 3


def test_a_rolled_back_caller_gives_its_number_back(units):
    unit, _other = units
    with transaction.atomic():
        next_number(DailySequence, unit=unit.pk, day=DAY)
    with pytest.raises(RuntimeError, match="undo"), transaction.atomic():
        assert next_number(DailySequence, unit=unit.pk, day=DAY) == 2
        raise RuntimeError("undo")
    with transaction.atomic():
        assert next_number(DailySequence, unit=unit.pk, day=DAY) == 2


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_run_outside_a_transaction(units):
    unit, _other = units
    with pytest.raises(RuntimeError, match="inside the transaction"):
        next_number(DailySequence, unit=unit.pk, day=DAY)
