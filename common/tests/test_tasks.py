"""Tasks asked for on commit (``common.tasks.enqueue_on_commit``): recorded in the asking
transaction and never for one that rolls back; outside a request sent at once after the commit; in
a request, all of its tasks in one message once the answer has gone out, which the worker sends on
as one task each; sent again by the periodic redrive until they have run, then forgotten."""

from __future__ import annotations

import pytest
from celery import Task, shared_task
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.utils import timezone

from common.models import PendingTask
from common.tasks import enqueue_on_commit, redrive_delay, redrive_tasks

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
    request_finished.send(sender=None)  # does not raise: the redrive delivers later
    assert "could not enqueue common.tests.remember" in caplog.text
    assert PendingTask.objects.get().args == ["một", 1]


failures: list[int] = []


@shared_task(name="common.tests.fails_first")
def fails_first(number: int) -> None:
    if not failures:
        failures.append(number)
        raise ConnectionError("the national system is down")
    ran.append(("sau lỗi", number))


def test_a_task_that_has_run_leaves_no_record(asked, transactional_db):
    with transaction.atomic():
        enqueue_on_commit(remember, "một", 1)
        assert PendingTask.objects.count() == 1
    assert ran == [("một", 1)]
    assert not PendingTask.objects.exists()


def test_a_rolled_back_transaction_records_nothing(transactional_db):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        enqueue_on_commit(remember, "một", 1)
        1 / 0  # noqa: B018
    assert not PendingTask.objects.exists()


def test_the_redrive_sends_a_failed_task_again_until_it_has_run(asked, transactional_db, settings):
    settings.TASK_REDRIVE_SECONDS = 0
    failures.clear()
    with transaction.atomic():
        enqueue_on_commit(fails_first, 7)  # runs eagerly on commit and fails
    pending = PendingTask.objects.get()
    assert ran == [] and pending.attempts == 0

    assert redrive_tasks() == 1
    assert ran == [("sau lỗi", 7)]
    assert not PendingTask.objects.exists()
    assert redrive_tasks() == 0


def test_a_task_not_due_yet_is_left_alone(asked, transactional_db, settings, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(Task, "apply_async", down)
    with transaction.atomic():
        enqueue_on_commit(remember, "một", 1)
    pending = PendingTask.objects.get()
    assert pending.due_at == pending.created_at + redrive_delay(0)
    assert redrive_tasks() == 0  # not due: its message may still be on its way
    PendingTask.objects.update(due_at=timezone.now())
    assert redrive_tasks() == 0  # due, but the broker still refuses: tried again later
    pending.refresh_from_db()
    assert pending.attempts == 1 and pending.due_at > timezone.now()


def test_the_redrive_delay_doubles_up_to_its_cap(settings):
    settings.TASK_REDRIVE_SECONDS, settings.TASK_REDRIVE_CAP_SECONDS = 120, 3600
    assert [redrive_delay(n).total_seconds() for n in range(7)] == [120, 240, 480, 960, 1920, 3600, 3600]
