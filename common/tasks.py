"""Asking the workers for tasks once a transaction commits (``enqueue_on_commit``).

Outside a request (a worker, a command) each task goes to the broker as soon as its transaction
commits. In a request, the tasks its transactions asked for are sent when the answer has gone
out (``request_finished``), together: one message, ``common.run_tasks``, whose worker sends each
on as its own task (with its own retries), instead of one message per task on the request's
time. A task lost with a process that dies in between is what the periodic sweeps are for, as
with one lost between the commit and its message (``motcua.celery``)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

from celery import current_app, shared_task
from django.core.signals import request_finished, request_started
from django.db import transaction

logger = logging.getLogger(__name__)
_request = threading.local()

Call = tuple[str, Sequence[Any]]


def enqueue_on_commit(task: Any, *args: Any) -> None:
    """``task.delay(*args)`` once the current transaction commits (at once outside one); never if
    it rolls back."""
    name = str(task.name)
    transaction.on_commit(lambda: _asked(name, args))


def _asked(name: str, args: Sequence[Any]) -> None:
    batch: list[Call] | None = getattr(_request, "batch", None)
    if batch is None:
        _send([(name, args)])
    else:
        batch.append((name, args))


def _send(calls: list[Call]) -> None:
    try:
        if len(calls) == 1:
            name, args = calls[0]
            current_app.tasks[name].apply_async(args=list(args))
        else:
            run_tasks.delay([[name, list(args)] for name, args in calls])
    except Exception:  # the transactions have committed; the sweeps deliver later
        logger.exception("could not enqueue %s; the periodic sweeps will", ", ".join(name for name, _ in calls))


@shared_task(name="common.run_tasks")
def run_tasks(calls: list[list[Any]]) -> int:
    """Send on each task that one request asked for; returns how many."""
    for name, args in calls:
        current_app.tasks[name].apply_async(args=args)
    return len(calls)


def _request_started(**kwargs: Any) -> None:
    _flush()  # a request that ended without request_finished (should not happen) loses nothing
    _request.batch = []


def _flush(**kwargs: Any) -> None:
    """The request is over: its tasks go (request_finished)."""
    batch: list[Call] | None = getattr(_request, "batch", None)
    _request.batch = None
    if batch:
        _send(batch)


request_started.connect(_request_started, dispatch_uid="common.tasks.request_started")
request_finished.connect(_flush, dispatch_uid="common.tasks.request_finished")
