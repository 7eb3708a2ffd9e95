"""Demo fee policies: the provincial People's Council's 50% reduction of fees for dossiers
submitted online, over every procedure's fee items, and the usual exemptions. Idempotent."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from catalog.models import FeeItem
from payments.models import BeneficiaryGroup, FeePolicy, PolicyKind

ONLINE_REDUCTION = {
    "kind": PolicyKind.REDUCTION,
    "title": "Giảm 50% phí, lệ phí đối với hồ sơ nộp trực tuyến",
    "legal_basis": "Nghị quyết của HĐND tỉnh Khánh Hòa quy định mức thu phí, lệ phí khi thực hiện thủ tục hành chính "
    "trên môi trường điện tử",
    "valid_from": datetime.date(2025, 1, 1),
    "valid_to": datetime.date(2026, 12, 31),
    "percent": Decimal(50),
    "channel": "online",
}
EXEMPTIONS = [
    (BeneficiaryGroup.POOR_HOUSEHOLD, "Giấy chứng nhận hộ nghèo, hộ cận nghèo còn hiệu lực"),
    (BeneficiaryGroup.MERITORIOUS, "Giấy chứng nhận người có công với cách mạng"),
    (BeneficiaryGroup.CHILD_UNDER_6, "Giấy khai sinh của trẻ"),
]


class Command(BaseCommand):
    help = "Nạp chính sách miễn, giảm phí, lệ phí mẫu (giảm 50% khi nộp trực tuyến theo Nghị quyết của HĐND tỉnh)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            created = 0
            _policy, made = FeePolicy.objects.get_or_create(title=ONLINE_REDUCTION["title"], defaults=ONLINE_REDUCTION)
            created += made
            for group, proof in EXEMPTIONS:
                _exemption, made = FeePolicy.objects.get_or_create(
                    kind=PolicyKind.EXEMPTION,
                    beneficiary_group=group,
                    defaults={
                        "title": f"Miễn phí, lệ phí cho {group.label.lower()}",
                        "legal_basis": "Luật Phí và lệ phí số 97/2015/QH13; Thông tư 85/2019/TT-BTC",
                        "valid_from": datetime.date(2020, 1, 1),
                        "percent": Decimal(100),
                        "proof_document": proof,
                    },
                )
                created += made
        items = FeeItem.objects.filter(amount_vnd__gt=0).values("version__procedure").distinct().count()
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Phí, lệ phí: {created} chính sách mới; giảm 50% khi nộp trực tuyến áp dụng cho "
                f"{items} thủ tục có thu phí."
            )
