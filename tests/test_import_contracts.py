"""The import contracts (pyproject.toml, [tool.importlinter]) hold: contexts import only
downwards as DESIGN.md draws the arrows, reports writes nothing of anyone else, and no app imports
another app's private parts. ``make test`` runs ``lint-imports`` before pytest; this test runs it
too, so a plain pytest run fails on a new upward import as well."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import grimp
import pytest

from tests.import_contracts import Trespass, is_private, private_modules_imported, private_names_imported

REPOSITORY = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_the_import_contracts_hold() -> None:
    done = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=REPOSITORY, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_every_app_of_the_settings_is_under_the_layers_contract() -> None:
    """A new app takes its place in the layers (or the contract says nothing about it)."""
    import tomllib

    from django.conf import settings

    config = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    (layers,) = [c for c in config["contracts"] if c["id"] == "layers"]
    layered = {name.strip() for layer in layers["layers"] for name in layer.split("|")}
    ours = {app for app in settings.INSTALLED_APPS if (REPOSITORY / app).is_dir() and "." not in app}
    assert ours - {"idp"} <= layered, "apps missing from the layers contract"


@pytest.mark.parametrize(
    ("name", "private"),
    [("_intake", True), ("_x", True), ("intake", False), ("__init__", False), ("__version__", False)],
)
def test_a_name_is_private_when_it_starts_with_one_underscore(name: str, private: bool) -> None:
    assert is_private(name) is private


@pytest.fixture
def two_apps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> grimp.ImportGraph:
    """alpha keeps a private module and a private function; beta uses them in every way."""
    files = {
        "alpha/__init__.py": "",
        "alpha/_secret.py": "VALUE = 1\n",
        "alpha/services.py": "from ._secret import VALUE\nfrom alpha._secret import VALUE as AGAIN\n"
        "def public(): ...\ndef _helper(): ...\n",
        "beta/__init__.py": "",
        "beta/direct.py": "from alpha._secret import VALUE\n",
        "beta/spread.py": "from alpha.services import (\n    public,\n    _helper,\n)\n",
        "beta/fine.py": "from alpha.services import public\nfrom alpha import __name__ as alpha_name\n",
    }
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(textwrap.dedent(text), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return grimp.build_graph("alpha", "beta", cache_dir=None)


def test_another_apps_private_module_is_a_trespass_its_own_is_not(two_apps: grimp.ImportGraph) -> None:
    assert private_modules_imported(two_apps, {"alpha", "beta"}) == {Trespass("beta.direct", "alpha._secret", 1)}


def test_another_apps_private_name_is_a_trespass_even_on_several_lines(
    two_apps: grimp.ImportGraph, tmp_path: Path
) -> None:
    assert private_names_imported(two_apps, {"alpha", "beta"}, tmp_path) == {
        Trespass("beta.spread", "alpha.services._helper", 1)
    }


def test_a_package_left_out_of_the_apps_is_not_judged(two_apps: grimp.ImportGraph, tmp_path: Path) -> None:
    assert private_modules_imported(two_apps, {"alpha"}) == set()
    assert private_names_imported(two_apps, {"alpha"}, tmp_path) == set()
