"""Asking the workers for tasks once a transaction commits (``enqueue_on_commit``), without
losing or doubling one.

Each task asked for is first written in the asking transaction (``PendingTask``, a transactional
outbox): rolled back with it, or committed with it. Outside a request each task goes to the broker
as soon as its transaction commits. In a request, the tasks its transactions asked for are sent
when the answer has gone out (``request_finished``), together: one message, ``common.run_tasks``,
whose worker sends each on as its own task (with its own retries), instead of one message per task
on the request's time. A task that has run to its end deletes its row (``task_success``); the
worker's periodic ``redrive_tasks`` sends again whatever is left when due (the broker was down at
the commit, a process died between the commit and its message, a task exhausted its retries), with
a growing delay, until it has run. A message and its redrive may both arrive: the tasks are
idempotent (a result is issued once per approval, a dossier moves on once per payment)."""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Sequence
from typing import Any

from celery import current_app, shared_task
from celery.signals import task_success
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.utils import timezone

from .models import PendingTask

logger = logging.getLogger(__name__)
_request = threading.local()

Call = tuple[str, Sequence[Any], int]
TASK_ID_PREFIX = "pending-task-"


def enqueue_on_commit(task: Any, *args: Any) -> None:
    """``task.delay(*args)`` once the current transaction commits (at once outside one), recorded
    in that transaction so that it is sent again until it has run; never if it rolls back. The
    arguments are JSON (ids, not objects)."""
    name = str(task.name)
    now = timezone.now()
    row = PendingTask.objects.create(name=name, args=list(args), created_at=now, due_at=now + redrive_delay(0))
    transaction.on_commit(lambda: _asked(name, args, row.pk))


def redrive_delay(attempts: int) -> datetime.timedelta:
    """How long a task sent ``attempts`` times by the sweep has to run before it is sent again:
    ``TASK_REDRIVE_SECONDS`` doubling with each attempt, at most ``TASK_REDRIVE_CAP_SECONDS``."""
    seconds = min(settings.TASK_REDRIVE_SECONDS * 2 ** min(attempts, 20), settings.TASK_REDRIVE_CAP_SECONDS)
    return datetime.timedelta(seconds=seconds)


def _asked(name: str, args: Sequence[Any], pending_id: int) -> None:
    batch: list[Call] | None = getattr(_request, "batch", None)
    if batch is None:
        _send([(name, args, pending_id)])
    else:
        batch.append((name, args, pending_id))


def _apply(name: str, args: Sequence[Any], pending_id: int) -> None:
    current_app.tasks[name].apply_async(args=list(args), task_id=f"{TASK_ID_PREFIX}{pending_id}")


def _send(calls: list[Call]) -> None:
    try:
        if len(calls) == 1:
            _apply(*calls[0])
        else:
            run_tasks.delay([[name, list(args), pending_id] for name, args, pending_id in calls])
    except Exception:  # the rows have committed: redrive_tasks sends them when due
        logger.exception("could not enqueue %s; the periodic redrive will", ", ".join(name for name, *_ in calls))


@shared_task(name="common.run_tasks")
def run_tasks(calls: list[list[Any]]) -> int:
    """Send on each task that one request asked for; returns how many."""
    for name, args, pending_id in calls:
        _apply(name, args, pending_id)
    return len(calls)


@shared_task(name="common.redrive_tasks")
def redrive_tasks() -> int:
    """Send again the recorded tasks that are due (CELERY_BEAT_SCHEDULE["common-redrive-tasks"]);
    how many. Each is claimed by moving its ``due_at`` first, so that two sweeps never send one
    together."""
    now = timezone.now()
    sent = 0
    due = PendingTask.objects.filter(due_at__lte=now).order_by("due_at")[: settings.TASK_REDRIVE_BATCH]
    for pending in due:
        claimed = PendingTask.objects.filter(pk=pending.pk, due_at=pending.due_at).update(
            due_at=now + redrive_delay(pending.attempts + 1), attempts=pending.attempts + 1
        )
        if not claimed:
            continue
        try:
            _apply(pending.name, pending.args, pending.pk)
        except Exception:
            logger.exception("could not enqueue %s; tried again later", pending.name)
            continue
        sent += 1
    return sent


def _done(sender: Any = None, **kwargs: Any) -> None:
    """A recorded task ran to its end: its row goes (a retry keeps the row until then)."""
    task_id = str(getattr(getattr(sender, "request", None), "id", "") or "")
    if task_id.startswith(TASK_ID_PREFIX):
        PendingTask.objects.filter(pk=int(task_id.removeprefix(TASK_ID_PREFIX))).delete()


def _request_started(**kwargs: Any) -> None:
    _flush()  # a request that ended without request_finished (should not happen) loses nothing
    _request.batch = []


def _flush(**kwargs: Any) -> None:
    """The request is over: its tasks go (request_finished)."""
    batch: list[Call] | None = getattr(_request, "batch", None)
    _request.batch = None
    if batch:
        _send(batch)


task_success.connect(_done, dispatch_uid="common.tasks.task_success")
request_started.connect(_request_started, dispatch_uid="common.tasks.request_started")
request_finished.connect(_flush, dispatch_uid="common.tasks.request_finished")
