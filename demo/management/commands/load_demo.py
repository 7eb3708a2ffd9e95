"""``manage.py load_demo``: the demo portal of Tỉnh Khánh Hòa (used by ``make run`` and tests).

In order: the province's units, agencies, one-stop units and officers (``org.demo``); the 379 real
procedures from the shared data (``import_procedures``, decisions in effect from 01/7/2025); links
from published implementing agencies to the province's agencies; life events, a usage estimate
and search synonyms (``catalog.demo``); the translations (``import_translations``); the official
days off (``load_workdays``); the fee policies (``load_payment_demo``); the declaration forms kept
as files in catalog/declaration_forms (``load_declaration_forms``). Running it again changes
nothing.

The composition lives in the demo app, at the top of the layers: it may call every context's demo
loader, where the catalog calling payments' loader was an arrow upwards.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from catalog import demo as catalog_demo
from catalog.services import catalog_revision_bump
from org.demo import load_org_demo

EFFECTIVE_DATE = "2025-07-01"


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: tỉnh Khánh Hòa, cơ quan, cán bộ, 379 thủ tục thật, bản dịch, sự kiện đời sống."

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        started = time.perf_counter()
        procedures_file = settings.SHARED_DATA_DIR / "procedures.json"
        if not procedures_file.is_file():
            raise CommandError(
                f"Không tìm thấy {procedures_file}. Đặt biến môi trường MOTCUA_SHARED_DATA là thư mục chứa "
                "procedures.json."
            )

        def say(message: str) -> None:
            if verbosity >= 1:
                self.stdout.write(message)

        org = load_org_demo()
        say(
            f"Tổ chức: {len(org.agencies) + 2 * len(org.commune_agencies)} cơ quan, "
            f"{1 + len(org.commune_units)} bộ phận một cửa, {org.officers_created} cán bộ mới "
            f"(mật khẩu: biến MOTCUA_DEMO_PASSWORD)."
        )
        call_command(
            "import_procedures",
            str(procedures_file),
            effective_date=EFFECTIVE_DATE,
            publish=True,
            verbosity=verbosity,
            stdout=self.stdout,
        )
        with transaction.atomic():
            linked = catalog_demo.link_implementing_agencies(org)
            events = catalog_demo.seed_life_events()
            estimated = catalog_demo.estimate_popularity()
            synonyms = catalog_demo.seed_synonyms()
            confirmed = catalog_demo.confirm_working_days()
        say(
            f"Danh mục: {linked} cơ quan thực hiện được gắn với cơ quan của tỉnh; "
            f"{len(events)} sự kiện đời sống ({sum(events.values())} liên kết); "
            f"{estimated} thủ tục được ước tính mức độ sử dụng; {synonyms} nhóm từ đồng nghĩa mới; "
            f"{confirmed} thủ tục được xác nhận thời hạn bằng ngày làm việc."
        )
        call_command(
            "import_translations",
            str(settings.BASE_DIR / "catalog" / "translations"),
            verbosity=verbosity,
            stdout=self.stdout,
        )
        workdays_file = settings.SHARED_DATA_DIR / "workdays.json"
        if workdays_file.is_file():
            call_command("load_workdays", str(workdays_file), verbosity=verbosity, stdout=self.stdout)
        call_command("load_payment_demo", verbosity=verbosity, stdout=self.stdout)
        call_command("load_declaration_forms", verbosity=verbosity, stdout=self.stdout)
        with transaction.atomic():
            catalog_revision_bump()
        say(self.style.SUCCESS(f"Xong dữ liệu mẫu trong {time.perf_counter() - started:.1f} giây."))
