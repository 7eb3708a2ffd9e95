"""Write the shipped report templates (reports/templates_docx/) afresh from reports.documents."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reports.documents import write_templates


class Command(BaseCommand):
    help = "Viết lại các mẫu báo cáo DOCX gốc (ghi đè các chỉnh sửa trong thư mục templates_docx)."

    def handle(self, *args: Any, **options: Any) -> None:
        for path in write_templates():
            self.stdout.write(str(path))
