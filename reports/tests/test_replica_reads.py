"""The reports read their figures from the streaming replica (``DATABASE_REPLICA_URL``) and write
nothing there: the dashboard, its XLSX, the public figures, the statistics API and a report
document all run their figure queries on the replica's connection, none on the primary's; the
report document itself is stored on the primary; with the replica down they read the primary.

The replica here is a second, read-only connection to the test database (as a hot standby
refuses writes): SQLite opened with ``mode=ro``, PostgreSQL with ``default_transaction_read_only``.
The tests commit (``transaction=True``) so that the second connection sees the data."""

from __future__ import annotations

import datetime
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.tests.officers import sign_in_verified
from common import db
from dossiers.rules import State
from dossiers.tests.factories import World, at, walk_to, world
from org.models import Role
from org.tests.factories import officer
from reports import documents, services
from reports.models import DailyFigure, ReportDocument
from reports.selectors import Scope

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", db.REPLICA])
YEAR = 2025
PERIOD = {"tu": f"{YEAR}-01-01", "den": f"{YEAR}-12-31"}
FIGURES = DailyFigure._meta.db_table


def _settings(**changes: Any) -> dict[str, Any]:
    return {**connections.settings["default"], "TEST": {"MIRROR": "default"}, **changes}


def read_only_copy() -> dict[str, Any]:
    """The settings of a read-only connection to the default (test) database."""
    primary = connections["default"].settings_dict
    if primary["ENGINE"] == "django.db.backends.postgresql":
        options = {**primary.get("OPTIONS", {}), "options": "-c default_transaction_read_only=on"}
        return _settings(NAME=primary["NAME"], OPTIONS=options)
    return _settings(ENGINE="django.db.backends.sqlite3", NAME=f"file:{primary['NAME']}?mode=ro", OPTIONS={})


def unreachable() -> dict[str, Any]:
    """The settings of a replica that does not answer (nothing listens, no such file)."""
    primary = connections["default"].settings_dict
    if primary["ENGINE"] == "django.db.backends.postgresql":
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        return _settings(HOST="127.0.0.1", PORT=port, OPTIONS={"connect_timeout": 1})
    return _settings(ENGINE="django.db.backends.sqlite3", NAME="file:/nonexistent/replica.sqlite3?mode=ro", OPTIONS={})


@pytest.fixture(scope="module")
def replica_alias(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The alias ``replica`` for the tests of this module (it must exist before a test declares it
    among its databases); each test points it somewhere."""
    with django_db_blocker.unblock():
        connections.settings[db.REPLICA] = read_only_copy()
    yield
    connections[db.REPLICA].close()
    del connections[db.REPLICA]
    del connections.settings[db.REPLICA]
    db.forget_replica_state()


def _use_replica(settings: dict[str, Any]) -> Iterator[None]:
    connections[db.REPLICA].close()
    del connections[db.REPLICA]
    connections.settings[db.REPLICA] = settings
    db.forget_replica_state()
    yield
    connections[db.REPLICA].close()
    db.forget_replica_state()


@pytest.fixture
def replica(replica_alias: None) -> Iterator[None]:
    yield from _use_replica(read_only_copy())


@pytest.fixture
def replica_down(replica_alias: None) -> Iterator[None]:
    yield from _use_replica(unreachable())


class Ward:
    def __init__(self, w: World) -> None:
        self.world = w
        self.analyst = officer("phantich-phuong", {w.agency: [Role.ANALYST]})
        self.client = Client()
        sign_in_verified(self.client, self.analyst)


@pytest.fixture
def ward() -> Ward:
    """A ward that received three dossiers in November 2025: two returned, one in progress."""
    w = world()
    for state in (State.RETURNED, State.RETURNED, State.IN_PROGRESS):
        walk_to(w, state, now=at(YEAR, 11, 3))
    cache.clear()
    return Ward(w)


def _cell(html: str, key: str) -> str:
    row = html.split(f'data-figure="{key}"', 1)[1].split("</tr>", 1)[0]
    return row.split("<td>", 2)[1].split("</td>", 1)[0]


def _reads(client: Client, url: str, params: dict[str, str]) -> tuple[Any, list[str], list[str]]:
    """The answer to GET ``url`` and the SQL it ran on the primary and on the replica."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[db.REPLICA]) as copy,
    ):
        answer = client.get(url, params)
    return answer, [q["sql"] for q in primary], [q["sql"] for q in copy]


@pytest.mark.parametrize(
    "url, params",
    [
        ("/can-bo/bao-cao/", PERIOD),
        ("/can-bo/bao-cao/xlsx/", PERIOD),
        ("/api/v1/figures/dossiers", {"start": PERIOD["tu"], "end": PERIOD["den"]}),
        ("/api/v1/figures/scorecard", {"start": PERIOD["tu"], "end": PERIOD["den"]}),
    ],
)
def test_the_officers_reports_read_their_figures_on_the_replica_and_none_on_the_primary(ward, replica, url, params):
    answer, primary, copy = _reads(ward.client, url, params)
    assert answer.status_code == 200
    assert any(FIGURES in sql for sql in copy)
    assert not [sql for sql in primary if FIGURES in sql or "reports_dossierfact" in sql]
    # Nothing but reads on the replica (a hot standby would refuse the rest).
    assert all(sql.lstrip().upper().startswith(("SELECT", "WITH")) for sql in copy)


def test_the_dashboard_read_on_the_replica_counts_the_wards_dossiers(ward, replica):
    answer, _primary, _copy = _reads(ward.client, "/can-bo/bao-cao/", PERIOD)
    html = answer.content.decode()
    assert (_cell(html, "received_new"), _cell(html, "finished"), _cell(html, "in_progress")) == ("3", "2", "1")


def test_the_public_figures_are_read_on_the_replica(ward, replica):
    answer, primary, copy = _reads(Client(), "/so-lieu/", {})
    assert answer.status_code == 200
    assert any(FIGURES in sql for sql in copy) and not [sql for sql in primary if FIGURES in sql]


def test_a_report_document_is_written_on_the_primary_from_the_replicas_figures(ward, replica):
    heading = documents.Heading(
        parent_body="ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA",
        body="ỦY BAN NHÂN DÂN PHƯỜNG",
        number="15/BC-UBND",
        place="Khánh Hòa",
        day=datetime.date(2026, 1, 5),
        signer_title="CHỦ TỊCH",
        signer_name="Nguyễn Văn A",
        recipients=("Lưu: VT.",),
    )
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[db.REPLICA]) as copy,
    ):
        report = services.report_write(
            actor=ward.analyst,
            kind="one_stop_quarterly",
            start=datetime.date(YEAR, 1, 1),
            end=datetime.date(YEAR, 12, 31),
            scope=Scope(agencies=frozenset({ward.world.agency.pk})),
            agency_id=ward.world.agency.pk,
            heading=heading,
            pdf=False,
        )
    assert ReportDocument.objects.using("default").filter(pk=report.pk).exists()
    assert report.snapshot["figures"]["dossiers"]["received_new"] == 3
    assert any(FIGURES in q["sql"] for q in copy)
    assert not [q["sql"] for q in primary if FIGURES in q["sql"]]
    assert any("INSERT" in q["sql"] and ReportDocument._meta.db_table in q["sql"] for q in primary)


def test_with_the_replica_down_the_reports_read_the_primary(ward, replica_down):
    answer = ward.client.get("/can-bo/bao-cao/", PERIOD)
    assert answer.status_code == 200
    assert _cell(answer.content.decode(), "received_new") == "3"
    assert (
        ward.client.get("/api/v1/figures/dossiers", {"start": PERIOD["tu"], "end": PERIOD["den"]}).json()[
            "received_new"
        ]
        == 3
    )


def test_outside_the_reports_every_read_goes_to_the_primary(ward, replica):
    with CaptureQueriesContext(connections[db.REPLICA]) as copy:
        page = ward.client.get("/can-bo/")
    assert page.status_code in (200, 302)
    assert copy.captured_queries == []
