"""Reports read from the streaming replica when one is configured (``DATABASE_REPLICA_URL``), and
from the primary when there is none or while it does not answer (``common.db.reporting_alias``)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from common import db

ROOT = Path(__file__).resolve().parents[2]


def databases(**env: str) -> dict[str, Any]:
    """The DATABASES the settings build from ``env`` (read in a fresh interpreter)."""
    code = "from django.conf import settings; import json; print(json.dumps(settings.DATABASES, default=str))"
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "MOTCUA_DB_"))}
    environment.update(DJANGO_SETTINGS_MODULE="motcua.settings.dev", **env)
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def test_without_a_replica_url_there_is_only_the_default_database():
    assert list(databases(DATABASE_URL="postgres://motcua@db.example.vn:5432/motcua")) == ["default"]


def test_a_replica_url_defines_the_replica_alias_configured_as_the_primary_is():
    found = databases(
        DATABASE_URL="postgres://motcua@pgbouncer.example.vn:6432/motcua",
        DATABASE_REPLICA_URL="postgres://motcua@replica.example.vn:6432/motcua",
        MOTCUA_DB_PREPARE_THRESHOLD="off",
        MOTCUA_DB_DISABLE_SERVER_SIDE_CURSORS="true",
    )
    replica = found["replica"]
    assert (replica["HOST"], replica["PORT"], replica["NAME"]) == ("replica.example.vn", 6432, "motcua")
    # Tests read the replica alias from the default database.
    assert replica["TEST"]["MIRROR"] == "default"
    # Behind the same kind of pooler: nothing prepared, no server-side cursor; a short wait.
    assert replica["OPTIONS"] == {"connect_timeout": 3}
    assert replica["DISABLE_SERVER_SIDE_CURSORS"] is found["default"]["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert databases(
        DATABASE_URL="postgres://motcua@primary.example.vn/motcua",
        DATABASE_REPLICA_URL="postgres://motcua@replica.example.vn/motcua",
        MOTCUA_DB_REPLICA_CONNECT_TIMEOUT="1",
    )["replica"]["OPTIONS"] == {"connect_timeout": 1, "server_side_binding": True, "prepare_threshold": 5}


def closed_port() -> int:
    """A port of this machine where nothing listens (connection refused at once)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def replica(django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """A ``replica`` alias added to this process's connections: a copy of the default database's
    settings, which the test may point elsewhere."""
    settings = {**connections.settings["default"], "TEST": {"MIRROR": "default"}}
    connections.settings[db.REPLICA] = settings
    db.forget_replica_state()
    with django_db_blocker.unblock():
        yield settings
        connections[db.REPLICA].close()
    del connections[db.REPLICA]
    del connections.settings[db.REPLICA]
    db.forget_replica_state()


def test_reports_read_from_the_primary_when_no_replica_is_configured():
    assert db.reporting_alias() == "default"


def test_reports_read_from_the_replica_while_it_answers(replica):
    assert db.reporting_alias() == "replica"
    assert db.reporting_alias() == "replica"


def test_reports_read_from_the_primary_while_the_replica_is_down_and_try_it_again_later(replica, monkeypatch):
    replica.update(
        ENGINE="django.db.backends.postgresql",
        HOST="127.0.0.1",
        PORT=closed_port(),
        NAME="motcua",
        USER="postgres",
        PASSWORD="",
        OPTIONS={"connect_timeout": 1},
    )
    clock = [1000.0]
    monkeypatch.setattr(db.time, "monotonic", lambda: clock[0])
    asked = []
    answers = db._answers
    monkeypatch.setattr(db, "_answers", lambda alias: asked.append(alias) or answers(alias))
    assert db.reporting_alias() == "default"
    # Within the next RETRY_SECONDS the replica is not asked again (no wait for each report).
    clock[0] += db.RETRY_SECONDS - 1
    assert db.reporting_alias() == "default"
    assert asked == ["replica"]
    # It is back: the next report after the delay reads from it again.
    replica.update({k: v for k, v in connections.settings["default"].items() if k != "TEST"})
    connections[db.REPLICA].close()
    del connections[db.REPLICA]
    clock[0] += 2
    assert db.reporting_alias() == "replica"
    assert asked == ["replica", "replica"]
