"""The SQLite backend's writer queue (``common.sqlite``): a transaction holds the file lock beside
the database from its start to its commit or rollback, so the next writer goes in as soon as the
lock is free instead of sleeping in SQLite's busy handler; it never waits longer than the busy
timeout, and SQLite's own locking still decides.

On a database file of their own (whatever database the suite runs on), with the backend's
connections driven the way ``transaction.atomic`` drives them."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db.utils import ConnectionHandler


@pytest.fixture
def database(tmp_path: Path, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    settings_dict = {
        "ENGINE": "common.sqlite",
        "NAME": str(tmp_path / "queue.sqlite3"),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 5},
    }
    with django_db_blocker.unblock():
        with connect(settings_dict) as connection, connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("CREATE TABLE t (n integer)")
        yield settings_dict


@contextmanager
def connect(settings_dict: dict[str, Any]) -> Iterator[Any]:
    handler = ConnectionHandler({"default": settings_dict})
    try:
        yield handler["default"]
    finally:
        handler.close_all()


@contextmanager
def atomic(connection: Any) -> Iterator[None]:
    """What ``transaction.atomic`` does around an outermost block."""
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    try:
        yield
    except BaseException:
        connection.rollback()
        raise
    else:
        connection.commit()
    finally:
        connection.set_autocommit(True)


def insert(connection: Any, n: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO t VALUES (%s)", [n])


def rows(connection: Any) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT n FROM t ORDER BY n")
        return [n for (n,) in cursor.fetchall()]


def lock_is_free(settings_dict: dict[str, Any]) -> bool:
    fd = os.open(settings_dict["NAME"] + "-writer.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def test_a_transaction_holds_the_writer_lock_until_it_commits(database: dict[str, Any]) -> None:
    with connect(database) as connection:
        with atomic(connection):
            insert(connection, 1)
            assert not lock_is_free(database)
        assert lock_is_free(database)
        assert rows(connection) == [1]


def test_a_rolled_back_transaction_lets_the_lock_go_and_keeps_nothing(database: dict[str, Any]) -> None:
    with connect(database) as connection:
        with pytest.raises(ZeroDivisionError), atomic(connection):
            insert(connection, 1)
            1 / 0  # noqa: B018
        assert lock_is_free(database)
        assert rows(connection) == []


def test_the_next_writer_goes_in_as_soon_as_the_first_commits(database: dict[str, Any]) -> None:
    order: list[str] = []
    inside = threading.Event()

    def first() -> None:
        with connect(database) as connection, atomic(connection):
            insert(connection, 1)
            inside.set()
            time.sleep(0.3)
            order.append("first commits")

    thread = threading.Thread(target=first)
    thread.start()
    assert inside.wait(5)
    with connect(database) as connection:
        started = time.monotonic()
        with atomic(connection):
            order.append("second begins")
            insert(connection, 2)
        waited = time.monotonic() - started
        thread.join()
        assert order == ["first commits", "second begins"]
        # SQLite's busy handler alone sleeps past the commit in growing steps (up to 100 ms each)
        # and 5 s in all; the margin is for a thread woken late on a busy machine.
        assert waited < 0.3 + 0.2
        assert rows(connection) == [1, 2]


def test_a_writer_lock_held_too_long_leaves_the_decision_to_sqlite(database: dict[str, Any]) -> None:
    fd = os.open(database["NAME"] + "-writer.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)  # held by somebody who writes nothing
    try:
        with connect({**database, "OPTIONS": {**database["OPTIONS"], "timeout": 0.3}}) as connection:
            started = time.monotonic()
            with atomic(connection):
                insert(connection, 1)
            assert 0.3 <= time.monotonic() - started < 2
            assert rows(connection) == [1]
    finally:
        os.close(fd)


def test_sqlite_still_refuses_a_writer_that_skips_the_queue(database: dict[str, Any]) -> None:
    with connect(database) as connection, atomic(connection):
        insert(connection, 1)
        other = sqlite3.connect(database["NAME"], timeout=0.05)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()


def test_an_in_memory_database_has_no_lock_file(
    tmp_path: Path, django_db_blocker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # where a lock file named after ":memory:" would be made
    with django_db_blocker.unblock(), connect({"ENGINE": "common.sqlite", "NAME": ":memory:"}) as connection:
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE t (n integer)")
        with atomic(connection):
            insert(connection, 1)
        assert rows(connection) == [1]
    assert not list(tmp_path.iterdir())
