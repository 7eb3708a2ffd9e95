"""Backup and restore (sao lưu, phục hồi): the database and both file stores, and the drill that
proves a backup restores (``deploy/backup-drill``, docs/backup.md).

A backup is a folder: ``database.dump`` (PostgreSQL, ``pg_dump`` custom format) or
``database.sqlite3`` (SQLite's online backup), ``files/<store>/…`` (every object of the two
stores: ``media``, Django's default storage with the procedures' templates and the issued slips,
and ``files``, the documents' store, MOTCUA_FILE_STORAGE, local disk or S3), and
``manifest.json``: the row count of every table and the SHA-256 of every file, taken from the
same snapshot as the dump (PostgreSQL: ``pg_dump --snapshot`` of a repeatable-read transaction
that counted the rows). A restore makes a fresh database (a new PostgreSQL database, or a new
SQLite file) and fresh stores (new folders, or new buckets), and a verification compares them
with the manifest: the same counts, the same files with the same hashes."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import connection

MANIFEST = "manifest.json"


def stores() -> dict[str, Storage]:
    """The file stores a backup holds, by name."""
    from documents.storage import file_storage

    return {"media": default_storage, "files": file_storage()}


def _walk(storage: Storage, folder: str = "") -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def store_hashes(storage: Storage) -> dict[str, str]:
    hashes = {}
    for name in _walk(storage):
        with storage.open(name, "rb") as handle:
            hashes[name] = _sha256(handle.read())
    return hashes


def copy_store(source: Storage, target: Storage) -> int:
    """Every object of ``source`` into ``target`` under the same name; how many."""
    copied = 0
    for name in _walk(source):
        with source.open(name, "rb") as handle:
            data = handle.read()
        if target.exists(name):
            target.delete(name)
        saved = target.save(name, ContentFile(data))
        if saved != name:
            raise RuntimeError(f"{name} was stored as {saved}")
        copied += 1
    return copied


def fresh_store_like(storage: Storage, where: str) -> Storage:
    """An empty store of the same kind: a folder ``where`` on local disk, or the bucket ``where``."""
    if isinstance(storage, FileSystemStorage):
        return FileSystemStorage(location=where)
    s3_like: Any = type(storage)  # django-storages' S3Storage and the like
    return s3_like(bucket_name=where)  # type: ignore[no-any-return]


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def _count(cursor: Any, tables: list[str], quote: Any) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _pg_environment(settings_dict: dict[str, Any], name: str | None = None) -> dict[str, str]:
    environment = dict(os.environ)
    environment.update(
        PGHOST=str(settings_dict.get("HOST") or "127.0.0.1"),
        PGPORT=str(settings_dict.get("PORT") or 5432),
        PGUSER=str(settings_dict.get("USER") or "postgres"),
        PGDATABASE=name or str(settings_dict["NAME"]),
    )
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return environment


@dataclass
class Manifest:
    vendor: str
    tables: dict[str, int]
    files: dict[str, dict[str, str]] = field(default_factory=dict)

    def save(self, folder: Path) -> None:
        data = {"vendor": self.vendor, "tables": self.tables, "files": self.files}
        (folder / MANIFEST).write_text(json.dumps(data, indent=1, sort_keys=True))

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        data = json.loads((folder / MANIFEST).read_text())
        return cls(vendor=data["vendor"], tables=data["tables"], files=data["files"])


def backup(folder: Path) -> Manifest:
    """Dump the database and copy both stores into ``folder`` (made, must be empty)."""
    folder.mkdir(parents=True, exist_ok=False)
    tables = _tables()
    if connection.vendor == "sqlite":
        target = sqlite3.connect(folder / "database.sqlite3")
        connection.ensure_connection()
        connection.connection.backup(target)
        counts = _count(target.cursor(), tables, connection.ops.quote_name)
        target.close()
    elif connection.vendor == "postgresql":
        import psycopg

        settings_dict = connection.settings_dict
        with psycopg.connect(**_conninfo(settings_dict)) as snapshot:
            snapshot.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            row = snapshot.execute("SELECT pg_export_snapshot()").fetchone()
            assert row is not None
            counts = _count(snapshot.cursor(), tables, connection.ops.quote_name)
            dump = [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--snapshot={row[0]}",
                "-f",
                str(folder / "database.dump"),
            ]
            subprocess.run(
                dump,
                env=_pg_environment(settings_dict),
                check=True,
                capture_output=True,
            )
            snapshot.rollback()
    else:
        raise NotImplementedError(connection.vendor)
    manifest = Manifest(vendor=connection.vendor, tables=counts)
    for name, storage in stores().items():
        copy_store(storage, FileSystemStorage(location=str(folder / "files" / name)))
        manifest.files[name] = store_hashes(FileSystemStorage(location=str(folder / "files" / name)))
    manifest.save(folder)
    return manifest


def _conninfo(settings_dict: dict[str, Any], name: str | None = None) -> dict[str, Any]:
    info = {
        "host": settings_dict.get("HOST") or "127.0.0.1",
        "port": settings_dict.get("PORT") or 5432,
        "user": settings_dict.get("USER") or "postgres",
        "dbname": name or settings_dict["NAME"],
        "autocommit": True,
    }
    if settings_dict.get("PASSWORD"):
        info["password"] = settings_dict["PASSWORD"]
    return info


@dataclass(frozen=True)
class Restored:
    """Where a backup was restored: a SQLite file or a PostgreSQL database, and the stores."""

    vendor: str
    database: str
    stores: dict[str, Storage]


def restore(folder: Path, *, database: str, stores_at: dict[str, str]) -> Restored:
    """Restore the backup in ``folder`` into the fresh database ``database`` (a file path for
    SQLite, a database name on the same PostgreSQL server, created here; neither may exist) and
    fresh stores (``stores_at``: a folder or bucket per store name)."""
    manifest = Manifest.load(folder)
    if manifest.vendor == "sqlite":
        if Path(database).exists():
            raise FileExistsError(database)
        shutil.copyfile(folder / "database.sqlite3", database)
    else:
        import psycopg

        settings_dict = connection.settings_dict
        with psycopg.connect(**_conninfo(settings_dict, "postgres")) as admin:
            admin.execute(f"CREATE DATABASE {connection.ops.quote_name(database)}")
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-d", database, str(folder / "database.dump")],
            env=_pg_environment(settings_dict, database),
            check=True,
            capture_output=True,
        )
    restored_stores = {}
    for name, source in stores().items():
        target = fresh_store_like(source, stores_at[name])
        copy_store(FileSystemStorage(location=str(folder / "files" / name)), target)
        restored_stores[name] = target
    return Restored(vendor=manifest.vendor, database=database, stores=restored_stores)


def differences(folder: Path, restored: Restored) -> list[str]:
    """What the restored database and stores lack or hold differently from the manifest: one
    line per table whose count differs and per file missing, extra or with another hash."""
    manifest = Manifest.load(folder)
    found: list[str] = []
    tables = sorted(manifest.tables)
    if restored.vendor == "sqlite":
        copy = sqlite3.connect(restored.database)
        counts = _count(copy.cursor(), tables, connection.ops.quote_name)
        copy.close()
    else:
        import psycopg

        with psycopg.connect(**_conninfo(connection.settings_dict, restored.database)) as server:
            counts = _count(server.cursor(), tables, connection.ops.quote_name)
    for table in tables:
        if counts[table] != manifest.tables[table]:
            found.append(f"table {table}: {counts[table]} rows restored, {manifest.tables[table]} backed up")
    for name, expected in manifest.files.items():
        actual = store_hashes(restored.stores[name])
        for path in sorted(expected.keys() | actual.keys()):
            if path not in actual:
                found.append(f"{name}/{path}: missing")
            elif path not in expected:
                found.append(f"{name}/{path}: not in the backup")
            elif actual[path] != expected[path]:
                found.append(f"{name}/{path}: another SHA-256")
    return found


def drop(restored: Restored) -> None:
    """Remove a restored PostgreSQL database (the drill's; a SQLite file goes with its folder)."""
    if restored.vendor != "postgresql":
        return
    import psycopg

    with psycopg.connect(**_conninfo(connection.settings_dict, "postgres")) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(restored.database)}")
