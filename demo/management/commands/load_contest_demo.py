"""``manage.py load_contest_demo --year 2022 [--participations 11950]``: a past year's demo contest
with its participants' attempts (``demo.contest_demo``); once per year."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from demo.contest_demo import load_contest_demo


class Command(BaseCommand):
    help = "Nạp cuộc thi mẫu của một năm với các vòng thi và lượt dự thi."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=None, help="Năm tổ chức (mặc định: năm trước).")
        parser.add_argument("--participations", type=int, default=11950, help="Số lượt người tham gia.")
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"] or timezone.localdate().year - 1
        if options["participations"] < 1:
            raise CommandError("--participations phải lớn hơn 0.")
        try:
            result = load_contest_demo(year=year, participations=options["participations"], seed=options["seed"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] >= 1:
            said = "đã tạo" if result.created else "đã có"
            self.stdout.write(
                f"{result.contest.title}: {said}, {result.participants} người dự thi, "
                f"{result.participations} lượt người tham gia."
            )
