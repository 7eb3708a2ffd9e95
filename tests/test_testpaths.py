"""Every app's tests are part of `make test`: pytest collects only the folders that pyproject.toml
lists, so an app added without its line would have its tests silently left out."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_folder_with_tests_is_collected():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["testpaths"])
    with_tests = {
        path.parent.name
        for path in ROOT.glob("*/tests")
        if path.is_dir() and not path.parent.name.startswith(".") and any(path.rglob("test_*.py"))
    }
    assert with_tests - listed == set()
