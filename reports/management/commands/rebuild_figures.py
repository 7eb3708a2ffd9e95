"""``manage.py rebuild_figures``: count every dossier afresh into the daily figures (after
``generate_dossiers`` or a restore, which write dossiers without transitions)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from reports.services import figures_rebuild


class Command(BaseCommand):
    help = "Đếm lại số liệu theo ngày từ toàn bộ hồ sơ."

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.perf_counter()
        done = figures_rebuild()
        self.stdout.write(
            f"{done['dossiers']} hồ sơ, {done['daily_rows']} dòng số liệu theo ngày "
            f"({time.perf_counter() - began:.1f} s)"
        )
