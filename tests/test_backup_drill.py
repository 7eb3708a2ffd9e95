"""The backup drill on a small data set: a citizen's dossier with its stored scan and its receipt
slip, backed up (database dump and both file stores), restored into a fresh database and fresh
folders, and compared: every table's rows and every file's SHA-256 alike. A restored copy that
lost a row or whose file changed is told apart, so the drill can fail."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from dossiers import services
from dossiers.rules import Action
from dossiers.slips.store import slip_store
from dossiers.tests.factories import MONDAY, submitted, world
from motcua import backup

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def data(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.FILE_STORAGE_ROOT = tmp_path / "files"
    from documents.services import file_store
    from results.tests.samples import plain_pdf

    w = world()
    dossier = services.dossier_receive(actor=w.counter, dossier=submitted(w), now=MONDAY)
    slip_store(event=dossier.events.get(action=Action.RECEIVE))
    file_store(data=plain_pdf(), name="khai-sinh.pdf", actor=w.counter)
    return dossier


@pytest.fixture
def restored(data, tmp_path):
    folder = tmp_path / "backup"
    manifest = backup.backup(folder)
    database = (
        str(tmp_path / "restored.sqlite3")
        if connection.vendor == "sqlite"
        else f"{connection.settings_dict['NAME']}_r{uuid.uuid4().hex[:8]}"
    )
    copy = backup.restore(folder, database=database, stores_at={name: str(tmp_path / name) for name in backup.stores()})
    yield folder, manifest, copy
    backup.drop(copy)


def test_a_restored_backup_has_every_row_and_every_file(restored):
    folder, manifest, copy = restored
    assert manifest.tables["dossiers_dossier"] == 1 and manifest.tables["dossiers_dossierslip"] == 1
    assert len(manifest.files["files"]) == 1 and len(manifest.files["media"]) == 1
    assert backup.differences(folder, copy) == []


def test_the_drill_tells_a_changed_file_and_a_lost_row(restored):
    folder, manifest, copy = restored
    [name] = manifest.files["files"]
    with copy.stores["files"].open(name, "wb") as handle:
        handle.write(b"%PDF-1.7 another document")
    if copy.vendor == "sqlite":
        db = sqlite3.connect(copy.database)
        lost = db.execute("DELETE FROM dossiers_dossierslip").rowcount
        db.commit()
        db.close()
    else:
        import psycopg

        with psycopg.connect(**backup._conninfo(connection.settings_dict, copy.database)) as db:
            lost = db.execute("DELETE FROM dossiers_dossierslip").rowcount
    found = backup.differences(folder, copy)
    assert f"files/{name}: another SHA-256" in found
    assert lost == 1
    assert "table dossiers_dossierslip: 0 rows restored, 1 backed up" in found


def test_the_drill_script_runs_end_to_end(data, tmp_path, settings):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "motcua.settings.test"}
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        environment["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    else:
        environment["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    environment.update(MOTCUA_MEDIA_ROOT=settings.MEDIA_ROOT, MOTCUA_FILE_ROOT=str(settings.FILE_STORAGE_ROOT))
    result = subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "backup-drill"), "--folder", str(tmp_path / "drill")],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "drill passed" in result.stdout
