import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workdays.services import official_days_load


class Command(BaseCommand):
    help = "Nạp ngày nghỉ, ngày làm bù chính thức (định dạng shared/data/workdays.json)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):  # type: ignore[no-untyped-def]
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            report = official_days_load(data)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"Không nạp được {file}: {exc}") from exc
        self.stdout.write(f"{report.created} tạo mới, {report.updated} cập nhật, {report.unchanged} không đổi.")
