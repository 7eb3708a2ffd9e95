"""Django's SQLite backend, with the writers of one database file taking turns on a file lock.

SQLite lets one writer in at a time. A connection that finds the write lock taken sleeps in
SQLite's busy handler for 1, 2, 5, 10, 15, 20, 25… ms between tries, whenever the lock is freed
in the meantime: with two server processes writing, each often waits far longer than the other
held the lock, and the cores stand idle. Here a transaction first takes an advisory lock on a
file beside the database (``<name>-writer.lock``), polled every 0.1–0.5 ms, then ``BEGIN
IMMEDIATE`` as before; the lock is let go at commit or rollback.

The file lock only orders the writers: SQLite's own locking still guards the data. A writer
that does not get the file lock within the busy timeout goes on to ``BEGIN`` and SQLite decides,
as without it (so a thread waiting on another never hangs for longer than SQLite would let it).
Writes outside a transaction (autocommit) do not take it. An in-memory database has none.
"""

from __future__ import annotations

import fcntl
import os
import time
from typing import Any

from django.db.backends.sqlite3 import base

_POLL_FIRST = 0.0001
_POLL_MAX = 0.0005


class DatabaseWrapper(base.DatabaseWrapper):
    _writer_fd: int | None = None
    _writer_locked = False

    def _writer_lock_path(self) -> str | None:
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}-writer.lock"

    def _writer_acquire(self) -> None:
        if self._writer_locked:
            return
        if self._writer_fd is None:
            path = self._writer_lock_path()
            if path is None:
                return
            self._writer_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        deadline = time.monotonic() + timeout
        delay = _POLL_FIRST
        while True:
            try:
                fcntl.flock(self._writer_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return
                time.sleep(delay)
                delay = min(delay * 2, _POLL_MAX)
            else:
                self._writer_locked = True
                return

    def _writer_release(self) -> None:
        if self._writer_locked and self._writer_fd is not None:
            self._writer_locked = False
            fcntl.flock(self._writer_fd, fcntl.LOCK_UN)

    def _start_transaction_under_autocommit(self) -> None:
        self._writer_acquire()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._writer_release()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._writer_release()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._writer_release()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._writer_release()
            if self._writer_fd is not None:
                os.close(self._writer_fd)
                self._writer_fd = None
