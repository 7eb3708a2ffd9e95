"""``manage.py load_declaration_forms [DIR]``: load the declaration forms (tờ khai) kept as files,
``catalog/declaration_forms/<procedure_code>.json`` by default (the format is in that folder's
README.md). Each file is checked (``catalog.declaration.form_problems``) and published for its
``effective_from``; a file whose procedure is not in the catalog is skipped; running it again
changes nothing. A file that fails its check stops the command with the problems listed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.services import FormNotPublishable, declaration_form_load

DEFAULT_DIR = Path(settings.BASE_DIR) / "catalog" / "declaration_forms"


class Command(BaseCommand):
    help = "Nạp các tờ khai điện tử (JSON Schema) từ thư mục catalog/declaration_forms."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", nargs="?", default=str(DEFAULT_DIR))

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["directory"])
        files = sorted(directory.glob("*.json"))
        if not files:
            raise CommandError(f"Không có tệp tờ khai nào trong {directory}.")
        counts: dict[str, int] = {}
        for path in files:
            try:
                content = json.loads(path.read_text(encoding="utf-8"))
            except json.JSONDecodeError as error:
                raise CommandError(f"{path.name}: không phải JSON hợp lệ ({error}).") from error
            if not isinstance(content, dict):
                raise CommandError(f"{path.name}: phải là một đối tượng JSON.")
            if content.get("procedure_code") != path.stem:
                raise CommandError(f"{path.name}: procedure_code phải trùng tên tệp ({path.stem}).")
            try:
                form, done = declaration_form_load(content)
            except FormNotPublishable as refused:
                raise CommandError(f"{path.name}: " + "; ".join(refused.problems)) from refused
            except ValueError as error:
                raise CommandError(f"{path.name}: {error}") from error
            if form is None and done.startswith("missing"):
                raise CommandError(f"{path.name}: {done}")
            key = done if form is not None else "skipped"
            counts[key] = counts.get(key, 0) + 1
            if options["verbosity"] >= 2:
                self.stdout.write(f"{path.name}: {done}")
        summary = ", ".join(f"{n} {what}" for what, n in sorted(counts.items()))
        self.stdout.write(f"Tờ khai: {len(files)} tệp ({summary}).")
