"""``manage.py generate_dossiers --year 2022 --count 40000 [--seed N]``: a realistic year of
dossiers over the demo's real procedures, agencies and one-stop units (``demo.generator``).

Running it again adds more dossiers on top (codes continue each unit's daily sequence);
``--paid-online-vnd 18000000000`` makes the year's online payments total just over that sum
(else each pays its fee). ``--if-empty`` does nothing when there are dossiers already (``make demo`` uses it).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from common.formats import group_thousands
from demo.generator import DEFAULT_BATCH, Summary, generate_dossiers, generate_online_payments
from dossiers.models import Dossier


class Command(BaseCommand):
    help = "Sinh hồ sơ mẫu cho một năm: trực tuyến và trực tiếp, đúng hạn, trễ hạn, bổ sung, rút, có lịch sử xử lý."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=None, help="Năm tiếp nhận (mặc định: năm nay).")
        parser.add_argument("--count", type=int, default=40000, help="Số hồ sơ (mặc định 40.000).")
        parser.add_argument("--seed", type=int, default=0, help="Hạt giống ngẫu nhiên: cùng hạt giống, cùng dữ liệu.")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH, help="Số hồ sơ mỗi giao dịch.")
        parser.add_argument(
            "--now",
            default=None,
            help="Thời điểm hiện tại giả định (ISO 8601); các bước sau thời điểm này chưa xảy ra.",
        )
        parser.add_argument("--since", type=datetime.date.fromisoformat, default=None, help="Từ ngày (YYYY-MM-DD).")
        parser.add_argument("--until", type=datetime.date.fromisoformat, default=None, help="Đến ngày (YYYY-MM-DD).")
        parser.add_argument("--if-empty", action="store_true", help="Chỉ sinh khi chưa có hồ sơ nào.")
        parser.add_argument(
            "--online-share",
            type=float,
            default=None,
            help="Giữ tỷ lệ hồ sơ trực tuyến ở mức này (0..1), thay vì rút ngẫu nhiên.",
        )
        parser.add_argument(
            "--count-received",
            action="store_true",
            help="--count là số hồ sơ được tiếp nhận (hồ sơ từ chối tiếp nhận, rút trước khi tiếp nhận tính thêm).",
        )
        parser.add_argument(
            "--paid-online-vnd",
            type=int,
            default=None,
            help="Tổng số tiền thanh toán trực tuyến của năm (đồng); mặc định: đúng mức phí của từng hồ sơ.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        if options["if_empty"] and Dossier.objects.exists():
            if verbosity >= 1:
                self.stdout.write("Đã có hồ sơ: không sinh thêm.")
            return
        now = timezone.now()
        if options["now"]:
            try:
                now = datetime.datetime.fromisoformat(options["now"])
            except ValueError as error:
                raise CommandError(f"--now: {error}") from error
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        year = options["year"] or timezone.localdate(now).year
        count = options["count"]
        if count < 1 or options["batch_size"] < 1:
            raise CommandError("--count và --batch-size phải lớn hơn 0.")
        if options["online_share"] is not None and not 0 <= options["online_share"] <= 1:
            raise CommandError("--online-share phải từ 0 đến 1.")

        def progress(summary: Summary) -> None:
            if verbosity >= 2:
                self.stdout.write(f"  {summary.dossiers:,} hồ sơ, {summary.events:,} bước ({summary.seconds:.0f} giây)")

        try:
            summary = generate_dossiers(
                year=year,
                count=count,
                seed=options["seed"],
                now=now,
                batch_size=options["batch_size"],
                progress=progress,
                since=options["since"],
                until=options["until"],
                online_share=options["online_share"],
                count_received=options["count_received"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        payments, paid_vnd = generate_online_payments(
            year=year, target_vnd=options["paid_online_vnd"], seed=options["seed"]
        )
        if verbosity >= 1:
            states = ", ".join(f"{state} {n}" for state, n in summary.states.most_common())
            channels = ", ".join(f"{channel} {n}" for channel, n in summary.channels.most_common())
            self.stdout.write(
                f"Năm {year}: {summary.dossiers} hồ sơ, {summary.events} bước xử lý, {summary.documents} giấy tờ, "
                f"{summary.clock_stops} lần tạm dừng trong {summary.seconds:.1f} giây.\n"
                f"  Trạng thái: {states}.\n  Cách nộp: {channels}.\n"
                f"  Đã giải quyết: {summary.on_time} đúng hạn, {summary.late} trễ hạn "
                f"({summary.on_time_share:.1%} đúng hạn).\n"
                f"  Thanh toán trực tuyến: {group_thousands(payments)} khoản, {group_thousands(paid_vnd)} đồng "
                "(rebuild_figures cập nhật số liệu)."
            )
