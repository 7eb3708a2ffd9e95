"""Which database a read goes to (cơ sở dữ liệu đọc báo cáo).

Reports and statistics read many rows and write none: where a streaming replica is configured
(``DATABASE_REPLICA_URL`` defines the alias ``"replica"``, motcua/settings/base.py) they read from
it and leave the primary to the citizens and officers. While the replica does not answer (stopped,
restarting, unreachable), they read from the primary instead, and try the replica again a little
later: a report is never refused because the replica is down.

    from common.db import reading_for_reports

    @reading_for_reports()          # every read inside goes to reporting_alias()
    def dossier_figures(...): ...

``reading_for_reports`` chooses the alias once (the outermost call) and ``ReportingRouter``
(``DATABASE_ROUTERS``) sends every read made inside it there; writes always go to the primary, and
outside it every read does too (a page, a transition, a permission check: they must see their own
writes). A query set returned from inside and evaluated after reads from the primary.

A replica lags the primary by the time its last changes take to arrive (usually well under a
second); what a report shows is the state of that moment, never a half-done transaction."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
# After the replica failed to answer, how long the reports keep to the primary before trying it again.
RETRY_SECONDS = 10.0

_state = threading.local()
# The alias the reads of a report go to while one is being read (``reading_for_reports``).
_reading: ContextVar[str | None] = ContextVar("motcua_reporting_reads", default=None)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def reporting_alias() -> str:
    """``"replica"`` when a replica is configured and answers, else ``"default"`` (the primary).
    Asking costs one round trip to the replica (reports are few and long; a read that found it
    down just before would otherwise fail)."""
    if not replica_configured():
        return DEFAULT_DB_ALIAS
    now = time.monotonic()
    if now < getattr(_state, "down_until", 0.0):
        return DEFAULT_DB_ALIAS
    if _answers(REPLICA):
        return REPLICA
    _state.down_until = now + RETRY_SECONDS
    return DEFAULT_DB_ALIAS


def _answers(alias: str) -> bool:
    """One round trip to the database (its connection is per thread, as Django keeps them); a
    connection that broke (the server restarted) is closed, so that the next try opens a new one."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True
    except DatabaseError as error:
        logger.warning(
            "the %s database does not answer (%s); reports read from the primary", alias, type(error).__name__
        )
        try:
            connection.close()
        except DatabaseError:
            pass
        return False


def forget_replica_state() -> None:
    """Forget what this thread learnt of the replica (tests)."""
    _state.__dict__.clear()


@contextmanager
def reading_for_reports() -> Iterator[str]:
    """Within it, every read goes to ``reporting_alias()`` (asked once, by the outermost), every
    write to the primary. Used as a decorator by the reports' selectors."""
    current = _reading.get()
    if current is not None:
        yield current
        return
    token = _reading.set(reporting_alias())
    try:
        yield _reading.get() or DEFAULT_DB_ALIAS
    finally:
        _reading.reset(token)


class ReportingRouter:
    """Sends the reads made within ``reading_for_reports`` to the replica (when it answers) and has
    nothing migrated there (a streaming replica copies the primary's schema)."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return _reading.get()

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None
