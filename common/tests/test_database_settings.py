"""How the settings connect to each database (``motcua.settings.base``): on PostgreSQL the values
go apart from the SQL and a query that runs often is prepared, so PostgreSQL plans it once per
connection; ``MOTCUA_DB_PREPARE_THRESHOLD=off`` keeps Django's defaults for poolers that cannot
keep prepared statements."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_options(url: str, **env: str) -> dict[str, object]:
    """The OPTIONS the settings give the database at ``url`` (read in a fresh interpreter)."""
    code = "from django.conf import settings; import json; print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
    environment = {key: value for key, value in os.environ.items() if key != "MOTCUA_DB_PREPARE_THRESHOLD"}
    environment.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="motcua.settings.dev", **env)
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def test_postgresql_binds_values_on_the_server_and_prepares_what_runs_often():
    url = "postgres://motcua@db.example.vn:5432/motcua"
    assert database_options(url) == {"server_side_binding": True, "prepare_threshold": 5}
    assert database_options(url, MOTCUA_DB_PREPARE_THRESHOLD="2") == {
        "server_side_binding": True,
        "prepare_threshold": 2,
    }
    assert database_options(url, MOTCUA_DB_PREPARE_THRESHOLD="off") == {}
    # The options of the URL's query string are kept beside them.
    assert database_options(url + "?sslmode=require") == {
        "sslmode": "require",
        "server_side_binding": True,
        "prepare_threshold": 5,
    }


@pytest.mark.django_db
def test_a_query_run_often_is_planned_once_per_connection():
    """On the suite's database: on PostgreSQL, the sixth run of one query finds it prepared; SQLite
    has no such statements (and no such option)."""
    options = connection.settings_dict["OPTIONS"]
    if connection.vendor != "postgresql":
        assert "prepare_threshold" not in options and "server_side_binding" not in options
        return
    for _ in range(6):
        list(Session.objects.filter(session_key="khong-co").values_list("session_data"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "django_session"' in statement for statement in prepared), prepared
