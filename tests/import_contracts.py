"""An import-linter contract type of our own (``lint-imports`` reads it from pyproject.toml):
no app imports another app's private parts.

Private means a name starting with one underscore (dunders such as ``__init__`` are not private):
a module or package (``dossiers._intake``) or a name in a module (``from dossiers.services import
_apply``). An app uses its own private parts freely; every other package listed in ``apps`` goes
through the public names. The names imported are read from the source itself (the import graph
knows modules, not names), so a statement spread over several lines is read whole.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import grimp
from importlinter import Contract, ContractCheck, fields, output

REPOSITORY = Path(__file__).resolve().parent.parent


def is_private(name: str) -> bool:
    """``_x`` is private; ``__init__`` and ``__version__`` are not; ``x`` is not."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def root_of(module: str) -> str:
    return module.split(".", 1)[0]


@dataclass(frozen=True, order=True)
class Trespass:
    importer: str
    imported: str
    line: int

    def __str__(self) -> str:
        return f"{self.importer} -> {self.imported} (l.{self.line})"


def source_file(module: str, base: Path) -> Path | None:
    parts = module.split(".")
    for candidate in (base.joinpath(*parts).with_suffix(".py"), base.joinpath(*parts, "__init__.py")):
        if candidate.is_file():
            return candidate
    return None


def private_modules_imported(graph: grimp.ImportGraph, apps: set[str]) -> set[Trespass]:
    """Imports of a module whose dotted path has a private part, from another app."""
    found = set()
    for module in graph.modules:
        if root_of(module) not in apps or not any(is_private(part) for part in module.split(".")[1:]):
            continue
        for importer in graph.find_modules_that_directly_import(module):
            if root_of(importer) in apps and root_of(importer) != root_of(module):
                for detail in graph.get_import_details(importer=importer, imported=module):
                    found.add(Trespass(importer, module, detail["line_number"]))
    return found


def private_names_imported(graph: grimp.ImportGraph, apps: set[str], base: Path) -> set[Trespass]:
    """``from <another app>.<module> import _name`` anywhere in the apps' modules."""
    found = set()
    for module in graph.modules:
        if root_of(module) not in apps:
            continue
        path = source_file(module, base)
        if path is None:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
                continue
            if root_of(node.module) not in apps or root_of(node.module) == root_of(module):
                continue
            for alias in node.names:
                if is_private(alias.name):
                    found.add(Trespass(module, f"{node.module}.{alias.name}", node.lineno))
    return found


class PrivateModulesContract(Contract):
    """Configuration: ``apps``, the top-level packages that keep their private parts to
    themselves."""

    type_name = "private_modules"

    apps = fields.ListField(subfield=fields.StringField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        apps = set(self.apps)  # type: ignore[call-overload]
        trespasses = private_modules_imported(graph, apps) | private_names_imported(graph, apps, REPOSITORY)
        return ContractCheck(kept=not trespasses, metadata={"trespasses": sorted(trespasses)})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error("Private parts imported from another app:", bold=False)
        output.new_line()
        for trespass in check.metadata["trespasses"]:
            output.print_error(f"- {trespass}", bold=False)
        output.new_line()
