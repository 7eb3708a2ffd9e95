from __future__ import annotations

from pathlib import Path

import pytest

from dossiers.tests.factories import World, world


@pytest.fixture(autouse=True)
def file_root(settings, tmp_path: Path) -> Path:
    """Each test stores its files in a folder of its own."""
    settings.FILE_STORAGE_ROOT = tmp_path / "files"
    return settings.FILE_STORAGE_ROOT


@pytest.fixture
def w(db) -> World:
    return world()


@pytest.fixture(autouse=True)
def document_types(request: pytest.FixtureRequest) -> None:
    """The common document types of migration 0002, again: a transactional test run before on the
    same worker empties every table."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        from documents.seed import document_types_seed

        request.getfixturevalue("db")
        document_types_seed()
