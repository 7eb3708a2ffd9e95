"""Savepoints only where somebody can use them.

``transaction.atomic()`` inside another transaction takes a savepoint (two more statements, two
more round trips on PostgreSQL), so that its caller may catch the error and go on with the rest.
A caller that never does (an API action: any error answers the request and rolls back all of
it) says so with ``atomic_whole()``; the services' own blocks inside it (``inner_atomic()``) then
take none. A block that catches a database error to go on (a retry after ``IntegrityError``)
keeps a plain ``transaction.atomic()``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction

_whole: ContextVar[bool] = ContextVar("motcua_atomic_whole", default=False)


@contextmanager
def atomic_whole() -> Iterator[None]:
    """A transaction that rolls back whole on any error raised inside it."""
    with transaction.atomic():
        token = _whole.set(True)
        try:
            yield
        finally:
            _whole.reset(token)


def inner_atomic() -> Any:
    """``transaction.atomic()``, without a savepoint of its own inside ``atomic_whole()``."""
    return transaction.atomic(savepoint=not _whole.get())
