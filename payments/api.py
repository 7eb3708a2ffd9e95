"""Payments API: the gateways' server-to-server notifications, each answered in the gateway's own
protocol (VNPay: ``{"RspCode", "Message"}``; the national platform: signed ``MaLoi``), the fees
of a dossier, and the figures of online payment for the reports."""

from __future__ import annotations

import datetime
import ipaddress
import json
import logging
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from common.api import LocalDateTime, answers
from common.formats import fee_sentence
from common.http import client_ip
from common.i18n import request_language
from common.problems import Problem
from dossiers.models import Dossier
from org.models import Agency
from org.permissions import ApiAccess, agencies_overseen, owned_or_404

from . import rules
from .gateways import Paygov, Vnpay
from .models import Method, Source
from .selectors import dossier_assessment, is_payable, paid_payment, payment_figures
from .services import Outcome, payment_apply_callback

router = Router(tags=["payments"])
log = logging.getLogger("payments")

VNPAY_ANSWERS = {
    Outcome.PAID: rules.IPN_OK,
    Outcome.CLOSED: rules.IPN_OK,
    Outcome.ALREADY: rules.IPN_ALREADY_CONFIRMED,
    Outcome.LATE_PAID: rules.IPN_ALREADY_CONFIRMED,
    Outcome.NOT_FOUND: rules.IPN_NOT_FOUND,
    Outcome.WRONG_AMOUNT: rules.IPN_WRONG_AMOUNT,
}
PAYGOV_ANSWERS = {
    Outcome.PAID: "00",
    Outcome.CLOSED: "00",
    Outcome.ALREADY: "06",
    Outcome.LATE_PAID: "06",
    Outcome.NOT_FOUND: "04",
    Outcome.WRONG_AMOUNT: "05",
}


@lru_cache(maxsize=8)
def _networks(allowlist: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in allowlist)


def callback_source_allowed(address: str) -> bool:
    """Whether ``address`` is in ``PAYMENT_CALLBACK_ALLOWLIST`` (addresses or networks)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.PAYMENT_CALLBACK_ALLOWLIST)))


class VnpayIpnParams(Schema):
    """The parameters VNPay sends (all of them, ``vnp_*``, are covered by ``vnp_SecureHash``)."""

    vnp_TmnCode: str = ""
    vnp_TxnRef: str = Field("", description="Mã tham chiếu của giao dịch (của cổng)")
    vnp_Amount: str = Field("", description="Số tiền × 100")
    vnp_ResponseCode: str = ""
    vnp_TransactionStatus: str = ""
    vnp_TransactionNo: str = ""
    vnp_BankCode: str = ""
    vnp_PayDate: str = ""
    vnp_OrderInfo: str = ""
    vnp_SecureHash: str = ""


class VnpayAnswerOut(Schema):
    RspCode: str = Field(..., description="00, 01, 02, 04, 97 hoặc 99")
    Message: str


class PaygovMessageIn(Schema):
    """The national platform's RESULT message, signed in ``MaXacThuc``."""

    model_config = {"extra": "allow"}

    MaDoiTac: str = ""
    MaThamChieu: str = ""
    MaGiaoDich: str = ""
    SoTien: str = ""
    MaKetQua: str = ""
    MaXacThuc: str = ""


class PaygovAnswerOut(Schema):
    MaLoi: str = Field(..., description="00, 03, 04, 05, 06 hoặc 99")
    MoTaLoi: str
    MaDoiTac: str
    MaThamChieu: str
    MaXacThuc: str


class PaymentFiguresOut(Schema):
    """Số liệu thanh toán trực tuyến: money in đồng, shares in percent."""

    start: datetime.date
    end: datetime.date
    paid_online_vnd: int
    paid_total_vnd: int
    paid_dossiers: int
    paid_online_dossiers: int
    online_dossier_share_percent: float
    fee_procedures: int
    fee_procedures_online: int
    online_procedure_share_percent: float
    reductions_vnd: int
    exemptions_vnd: int
    generated_at: LocalDateTime


class FeeLineOut(Schema):
    """One fee line of the catalog as assessed: ``unit_vnd`` × ``quantity`` = ``base_vnd``; minus
    the exemption and the reduction, ``total_vnd``."""

    key: int
    description: str
    unit: str
    quantity: int
    unit_vnd: int
    base_vnd: int
    exemption_vnd: int
    reduction_vnd: int
    total_vnd: int


class FeePolicyOut(Schema):
    """A reduction (giảm) or an exemption (miễn) applied, with its legal basis."""

    title: str
    legal_basis: str
    percent: str
    channel: str


class DossierFeesOut(Schema):
    """Phí, lệ phí của hồ sơ: what the dossier page, the e-mails and the payment page show, and
    what a payment charges (``amount_due_vnd``); ``explanation`` is the one sentence they all say.
    Once paid, the amounts as charged."""

    dossier: int
    lines: list[FeeLineOut]
    base_vnd: int
    exemption_vnd: int
    reduction_vnd: int
    reduction: FeePolicyOut | None
    exemption: FeePolicyOut | None
    override_vnd: int | None
    override_reason: str
    amount_due_vnd: int
    explanation: str
    payable: bool
    paid: bool


def _policy_out(policy: Any) -> FeePolicyOut | None:
    if not policy:
        return None
    return FeePolicyOut(
        title=str(policy.get("title", "")),
        legal_basis=str(policy.get("legal_basis", "")),
        percent=str(policy.get("percent", "")),
        channel=str(policy.get("channel", "")),
    )


@router.get(
    "/dossiers/{dossier_id}/fees",
    auth=ApiAccess(),
    url_name="dossier_fees",
    response=answers({200: DossierFeesOut}, 401, 404, 422),
    summary="Phí, lệ phí của hồ sơ",
)
def dossier_fees(
    request: HttpRequest, response: HttpResponse, dossier_id: int, lang: str | None = None
) -> DossierFeesOut:
    """The fees of one of the signed-in citizen's dossiers (by its id), explained: the lines, the
    reduction and the exemption with their legal basis, the amount due. The amount a payment of
    this dossier charges is ``amount_due_vnd``."""
    language = request_language(request, lang)
    response["Content-Language"] = language
    with translation.override(language):
        dossier = owned_or_404(
            Dossier.objects.select_related("procedure_version__procedure"),
            request.user,
            owner_field="applicant",
            pk=dossier_id,
        )
        paid = paid_payment(dossier)
        fee = paid.assessment if paid is not None and paid.assessment else dossier_assessment(dossier).as_dict()
        return DossierFeesOut(
            dossier=dossier.pk,
            lines=[
                FeeLineOut(
                    key=int(line.get("key") or 0),
                    description=str(line.get("description", "")),
                    unit=str(line.get("unit", "")),
                    quantity=int(line.get("quantity", 1)),
                    unit_vnd=int(line.get("unit_vnd", line["base_vnd"])),
                    base_vnd=int(line["base_vnd"]),
                    exemption_vnd=int(line.get("exemption_vnd", 0)),
                    reduction_vnd=int(line.get("reduction_vnd", 0)),
                    total_vnd=int(line["total_vnd"]),
                )
                for line in fee.get("lines", [])
            ],
            base_vnd=int(fee.get("base_vnd", 0)),
            exemption_vnd=int(fee.get("exemption_vnd", 0)),
            reduction_vnd=int(fee.get("reduction_vnd", 0)),
            reduction=_policy_out(fee.get("reduction")) if fee.get("reduction_vnd") else None,
            exemption=_policy_out(fee.get("exemption")) if fee.get("exemption_vnd") else None,
            override_vnd=fee.get("override_vnd"),
            override_reason=str(fee.get("override_reason") or ""),
            amount_due_vnd=paid.amount_vnd if paid is not None else int(fee["total_vnd"]),
            explanation=fee_sentence(fee, language),
            payable=paid is None and is_payable(dossier),
            paid=paid is not None,
        )


def _vnpay_answer(code: tuple[str, str]) -> VnpayAnswerOut:
    return VnpayAnswerOut(RspCode=code[0], Message=code[1])


@router.get(
    "/payments/vnpay/ipn",
    url_name="vnpay_ipn",
    response={200: VnpayAnswerOut},
    summary="VNPay IPN (thông báo kết quả thanh toán)",
)
def vnpay_ipn(request: HttpRequest, params: Query[VnpayIpnParams]) -> VnpayAnswerOut:
    """VNPay's Instant Payment Notification. Answers ``{"RspCode", "Message"}``: 00 confirmed,
    01 order not found, 02 already confirmed, 04 wrong amount, 97 bad checksum, 99 error. A repeat
    answers 02 and changes nothing."""
    address = client_ip(request) or ""
    if not callback_source_allowed(address):
        log.warning("vnpay ipn from an address outside the allowlist", extra={"source": address})
        return _vnpay_answer(rules.IPN_ERROR)
    # Every parameter sent, declared or not: the checksum covers them all.
    sent = {key: request.GET.get(key, "") for key in request.GET}
    callback = Vnpay.from_settings().read(sent)
    if callback is None:
        log.warning(
            "vnpay ipn with a bad checksum",
            extra={"reference": sent.get("vnp_TxnRef", "")[:40], "source": address},
        )
        return _vnpay_answer(rules.IPN_BAD_CHECKSUM)
    try:
        outcome = payment_apply_callback(method=Method.VNPAY, callback=callback, source=Source.IPN)
    except Exception:
        log.exception("vnpay ipn failed", extra={"reference": callback.reference[:40]})
        return _vnpay_answer(rules.IPN_ERROR)
    return _vnpay_answer(VNPAY_ANSWERS[outcome])


def _paygov_answer(code: str, reference: str = "") -> PaygovAnswerOut:
    message = {
        "MaLoi": code,
        "MoTaLoi": rules.PAYGOV_RESULT_CODES.get(code, ""),
        "MaDoiTac": settings.PAYMENT_PAYGOV_PARTNER_CODE,
        "MaThamChieu": reference,
    }
    return PaygovAnswerOut(
        **message, MaXacThuc=rules.paygov_checksum(message, "CALLBACK_ANSWER", settings.PAYMENT_PAYGOV_SECRET)
    )


@router.post(
    "/payments/paygov/callback",
    url_name="paygov_callback",
    response={200: PaygovAnswerOut},
    summary="Nền tảng thanh toán Cổng DVCQG: thông báo kết quả giao dịch",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": PaygovMessageIn.model_json_schema()}},
        }
    },
)
def paygov_callback(request: HttpRequest) -> PaygovAnswerOut:
    """The national platform's RESULT message (JSON, signed MaXacThuc). Answers a signed MaLoi:
    00 taken, 03 bad signature, 04 unknown transaction, 05 wrong amount, 06 already confirmed,
    99 error."""
    address = client_ip(request) or ""
    if not callback_source_allowed(address):
        log.warning("paygov callback from an address outside the allowlist", extra={"source": address})
        return _paygov_answer("99")
    try:
        message = json.loads(request.body)
        if not isinstance(message, dict):
            raise ValueError
    except ValueError:
        log.warning("paygov callback that is not a JSON object", extra={"source": address})
        return _paygov_answer("99")
    callback = Paygov.from_settings().read(message)
    reference = str(message.get("MaThamChieu", ""))[:40]
    if callback is None:
        log.warning("paygov callback with a bad signature", extra={"reference": reference, "source": address})
        return _paygov_answer("03", reference)
    try:
        outcome = payment_apply_callback(method=Method.PAYGOV, callback=callback, source=Source.IPN)
    except Exception:
        log.exception("paygov callback failed", extra={"reference": reference})
        return _paygov_answer("99", reference)
    return _paygov_answer(PAYGOV_ANSWERS[outcome], reference)


@router.get(
    "/payments/figures",
    auth=ApiAccess("reports.view"),
    url_name="payment_figures",
    response=answers({200: PaymentFiguresOut}, 400, 401, 403, 404),
    summary="Số liệu thanh toán trực tuyến theo kỳ và cơ quan",
)
def figures(
    request: HttpRequest,
    response: HttpResponse,
    start: datetime.date,
    end: datetime.date,
    agency: str | None = None,
    lang: str | None = None,
) -> PaymentFiguresOut:
    """For ``start``..``end`` (ISO dates, at most a year), in the caller's agencies (or one of
    them by its code): total paid online in đồng, share of dossiers paid online, share of
    fee-bearing procedures offering online payment, reductions and exemptions granted."""
    language = request_language(request, lang)
    response["Content-Language"] = language
    with translation.override(language):
        if end < start or (end - start).days > 366:
            raise Problem(
                400, "invalid_period", _("Yêu cầu không hợp lệ"), _("Khoảng thời gian không hợp lệ (tối đa một năm).")
            )
        user: Any = request.user
        agencies = agencies_overseen(user, "reports.view")
        if agency is not None:
            agencies = agencies.filter(code=agency)
            if not agencies.exists():
                raise Problem(
                    404, "not_found", _("Không tìm thấy"), _("Không có đối tượng này, hoặc bạn không được xem.")
                )
        scoped = None if user.is_superuser and agency is None else Agency.objects.filter(pk__in=agencies.values("pk"))
        f = payment_figures(start=start, end=end, agencies=scoped)
        return PaymentFiguresOut(
            start=f.start,
            end=f.end,
            paid_online_vnd=f.paid_online_vnd,
            paid_total_vnd=f.paid_total_vnd,
            paid_dossiers=f.paid_dossiers,
            paid_online_dossiers=f.paid_online_dossiers,
            online_dossier_share_percent=f.online_dossier_share,
            fee_procedures=f.fee_procedures,
            fee_procedures_online=f.fee_procedures_online,
            online_procedure_share_percent=f.online_procedure_share,
            reductions_vnd=f.reductions_vnd,
            exemptions_vnd=f.exemptions_vnd,
            generated_at=timezone.now(),
        )
