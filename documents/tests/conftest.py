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
