"""Builders for payment tests: a dossier world whose procedure charges fees, the provincial 50%
online reduction, and signed gateway callbacks."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings

from catalog.models import FeeItem
from dossiers.models import Dossier
from dossiers.rules import State
from dossiers.tests.factories import World, walk_to, world
from payments import rules
from payments.models import FeePolicy, Payment, PolicyKind
from payments.services import payment_mark_pending, payment_start

RESOLUTION = "Nghị quyết số 12/2025/NQ-HĐND của HĐND tỉnh Khánh Hòa"


def fee_world(*, amounts: tuple[int, ...] = (50_000,), **procedure: Any) -> World:
    """``world()`` whose procedure charges ``amounts`` (any channel), with the 50% online reduction."""
    w = world(**procedure)
    for position, amount in enumerate(amounts):
        FeeItem.objects.create(
            version=w.version, amount_vnd=amount, description=f"Lệ phí {position + 1}", position=position
        )
    online_reduction()
    return w


def online_reduction(valid_from: datetime.date = datetime.date(2025, 1, 1)) -> FeePolicy:
    return FeePolicy.objects.get_or_create(
        kind=PolicyKind.REDUCTION,
        title="Giảm 50% phí, lệ phí khi nộp hồ sơ trực tuyến",
        legal_basis=RESOLUTION,
        valid_from=valid_from,
        percent=Decimal(50),
        channel="online",
    )[0]


def awaiting(w: World) -> Dossier:
    return walk_to(w, State.AWAITING_PAYMENT)


def pending(w: World, dossier: Dossier, method: str = "vnpay") -> Payment:
    payment = payment_start(actor=w.citizen, dossier=dossier, method=method)
    payment_mark_pending(payment=payment)
    return payment


def vnpay_ipn(
    payment: Payment,
    *,
    code: str = "00",
    amount_vnd: int | None = None,
    number: str = "14226112",
    secret: str | None = None,
    **changes: str,
) -> dict[str, str]:
    params = {
        "vnp_Amount": rules.vnpay_amount(payment.amount_vnd if amount_vnd is None else amount_vnd),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": f"VNP{number}",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": "Nop phi",
        "vnp_PayDate": "20251103100000",
        "vnp_ResponseCode": code,
        "vnp_TmnCode": settings.PAYMENT_VNPAY_TMN_CODE,
        "vnp_TransactionNo": number,
        "vnp_TransactionStatus": "00" if code == "00" else "02",
        "vnp_TxnRef": payment.reference,
        **changes,
    }
    return {**params, "vnp_SecureHash": rules.vnpay_sign(params, secret or settings.PAYMENT_VNPAY_HASH_SECRET)}


def paygov_result(payment: Payment, *, code: str = "00", amount_vnd: int | None = None) -> dict[str, object]:
    message: dict[str, object] = {
        "LoaiBanTin": "RESULT",
        "PhienBan": rules.PAYGOV_VERSION,
        "MaDoiTac": settings.PAYMENT_PAYGOV_PARTNER_CODE,
        "MaThamChieu": payment.reference,
        "MaGiaoDich": "9000000001",
        "SoTien": payment.amount_vnd if amount_vnd is None else amount_vnd,
        "MaKetQua": code,
        "ThoiGianGD": "20251103100000",
    }
    return rules.paygov_sign(message, "RESULT", settings.PAYMENT_PAYGOV_SECRET)
