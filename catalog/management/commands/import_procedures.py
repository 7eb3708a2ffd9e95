"""``manage.py import_procedures FILE [--effective-date YYYY-MM-DD] [--publish/--no-publish]``:
import procedures from the shared JSON format or an Excel sheet (see ``catalog.importer``)."""

from __future__ import annotations

import argparse
import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from catalog.importer import ImportFileError, import_file


def parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"ngày không hợp lệ “{value}” (cần dạng YYYY-MM-DD)") from exc


class Command(BaseCommand):
    help = "Nhập thủ tục hành chính từ tệp .json (định dạng dữ liệu dùng chung) hoặc .xlsx."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Tệp .json hoặc .xlsx (trang tính đầu, dòng đầu là tên cột).")
        parser.add_argument(
            "--effective-date",
            help="Ngày có hiệu lực cho quyết định công bố mới tạo (YYYY-MM-DD); mặc định hôm nay.",
        )
        parser.add_argument(
            "--publish",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="Công bố phiên bản mới và phiên bản nháp (mặc định: có).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        raw_date = options.get("effective_date")
        effective_on = parse_date(raw_date) if raw_date else timezone.localdate()
        try:
            report = import_file(options["file"], effective_on=effective_on, publish=options["publish"])
        except ImportFileError as exc:
            raise CommandError(f"Không nhập được: {exc}. Chưa có thay đổi nào.") from exc
        if options["verbosity"] >= 1 or report.skipped:
            style = self.style.WARNING if report.skipped else self.style.SUCCESS
            self.stdout.write(style(report.summary()))
