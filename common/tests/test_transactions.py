"""Savepoints only where somebody can use them (``common.transactions``)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.transactions import atomic_whole, inner_atomic

pytestmark = pytest.mark.django_db(transaction=True)


def add(key: str) -> None:
    Session.objects.create(session_key=key, session_data="", expire_date=timezone.now())


def keys() -> set[str]:
    return set(Session.objects.values_list("session_key", flat=True))


def savepoints(queries: CaptureQueriesContext) -> int:
    return sum("SAVEPOINT" in q["sql"].upper() for q in queries.captured_queries)


def test_inside_a_whole_transaction_an_inner_block_takes_no_savepoint() -> None:
    with CaptureQueriesContext(connection) as queries, atomic_whole():
        with inner_atomic():
            add("một")
    assert savepoints(queries) == 0
    assert keys() == {"một"}


def test_elsewhere_an_inner_block_is_an_ordinary_one_with_its_savepoint() -> None:
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        add("một")
        with pytest.raises(ZeroDivisionError), inner_atomic():
            add("hai")
            1 / 0  # noqa: B018
        add("ba")
    assert savepoints(queries) >= 2
    assert keys() == {"một", "ba"}


def test_an_error_in_an_inner_block_rolls_the_whole_transaction_back() -> None:
    with pytest.raises(ZeroDivisionError), atomic_whole():
        add("một")
        with inner_atomic():
            add("hai")
            1 / 0  # noqa: B018
    assert keys() == set()


def test_a_block_that_recovers_keeps_its_savepoint_inside_a_whole_transaction() -> None:
    with atomic_whole():
        add("một")
        try:
            with transaction.atomic():  # as payments does around moving the dossier on
                with inner_atomic():
                    add("hai")
                    1 / 0  # noqa: B018
        except ZeroDivisionError:
            pass
        add("ba")
    assert keys() == {"một", "ba"}


def test_the_mark_ends_with_the_whole_transaction() -> None:
    with atomic_whole():
        pass
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        with inner_atomic():
            add("một")
    assert savepoints(queries) >= 1
