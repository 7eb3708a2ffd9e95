"""``manage.py import_translations DIR``: load procedure translations and taxonomy names from
``DIR/<lang>/*.json`` (see ``catalog.translation_import``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.translation_import import import_translations


class Command(BaseCommand):
    help = "Nạp bản dịch thủ tục và tên lĩnh vực, nhóm, cơ quan, sự kiện từ DIR/<ngôn ngữ>/*.json."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="Thư mục chứa các thư mục ngôn ngữ (en, zh-hans, ko, ja).")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["directory"])
        if not directory.is_dir():
            raise CommandError(f"Không tìm thấy thư mục {directory}.")
        report = import_translations(directory)
        if options["verbosity"] >= 1 or report.skipped:
            style = self.style.WARNING if report.skipped else self.style.SUCCESS
            self.stdout.write(style(report.summary()))
