"""Tasks asked for on commit (``common.tasks.enqueue_on_commit``): never for a transaction that
rolls back; outside a request at once after the commit; in a request, all of its tasks in one
message once the answer has gone out, which the worker sends on as one task each."""

from __future__ import annotations

import pytest
from celery import Task, shared_task
from django.core.signals import request_finished, request_started
from django.db import transaction

from common.tasks import enqueue_on_commit

ran: list[tuple[str, int]] = []


@shared_task(name="common.tests.remember")
def remember(word: str, number: int) -> None:
    ran.append((word, number))


@pytest.fixture
def asked(tasks_asked):
    ran.clear()
    return tasks_asked


def test_outside_a_request_a_task_goes_once_its_transaction_commits(asked, transactional_db):
    with transaction.atomic():
        enqueue_on_commit(remember, "một", 1)
        assert asked == []
    assert asked == ["common.tests.remember"]
    assert ran == [("một", 1)]


def test_a_rolled_back_transaction_asks_for_nothing(asked, transactional_db):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        enqueue_on_commit(remember, "một", 1)
        1 / 0  # noqa: B018
    request_started.send(sender=None)
    request_finished.send(sender=None)
    assert asked == [] and ran == []


def test_a_request_sends_its_tasks_in_one_message_after_the_answer(asked, transactional_db):
    request_started.send(sender=None)
    with transaction.atomic():
        enqueue_on_commit(remember, "một", 1)
        enqueue_on_commit(remember, "hai", 2)
    with transaction.atomic():
        enqueue_on_commit(remember, "ba", 3)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        enqueue_on_commit(remember, "bốn", 4)
        1 / 0  # noqa: B018
    assert asked == [] and ran == []  # nothing while the request runs
    request_finished.send(sender=None)
    assert asked == ["common.run_tasks", *["common.tests.remember"] * 3]
    assert ran == [("một", 1), ("hai", 2), ("ba", 3)]


def test_a_request_with_one_task_sends_that_task_itself(asked, transactional_db):
    request_started.send(sender=None)
    with transaction.atomic():
        enqueue_on_commit(remember, "một", 1)
    request_finished.send(sender=None)
    assert asked == ["common.tests.remember"]
    assert ran == [("một", 1)]


def test_a_broker_that_refuses_loses_nothing_of_the_transaction(monkeypatch, transactional_db, caplog):
    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(Task, "apply_async", down)
    request_started.send(sender=None)
    with transaction.atomic():
        enqueue_on_commit(remember, "một", 1)
    request_finished.send(sender=None)  # does not raise: the sweeps deliver later
    assert "could not enqueue common.tests.remember" in caplog.text
