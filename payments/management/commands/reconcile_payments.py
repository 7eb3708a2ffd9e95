"""Đối soát giao dịch: compare a gateway's statement (CSV) for a day with our payments and list
every mismatch. Exit status 1 when there is any, so that a scheduled run can alert."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from payments.models import Method
from payments.selectors import statement_mismatches

KINDS = {
    "missing_here": "có trong sao kê, không có trong hệ thống",
    "missing_there": "đã thu trong hệ thống, không có trong sao kê",
    "amount": "khác số tiền",
    "state": "khác trạng thái",
}


class Command(BaseCommand):
    help = "Đối soát sao kê của cổng thanh toán (CSV: reference,gateway_number,amount_vnd,status) theo ngày."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("statement", type=Path)
        parser.add_argument("--gateway", choices=[Method.VNPAY, Method.PAYGOV], required=True)
        parser.add_argument("--day", type=datetime.date.fromisoformat, required=True, help="YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["statement"]
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        mismatches, problems = statement_mismatches(
            method=options["gateway"], day=options["day"], text=path.read_text(encoding="utf-8-sig")
        )
        for problem in problems:
            self.stderr.write(f"dòng {problem.line}: {problem.message}")
        for m in mismatches:
            self.stdout.write(f"{m.reference}\t{KINDS[m.kind]}\thệ thống: {m.ours or '-'}\tsao kê: {m.theirs or '-'}")
        self.stdout.write(f"{len(mismatches)} chênh lệch, {len(problems)} dòng không đọc được.")
        if mismatches or problems:
            raise SystemExit(1)
