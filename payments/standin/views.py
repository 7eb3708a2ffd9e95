"""The stand-in gateway's pages and API.

VNPay: ``GET vnpay/`` is the payment page the merchant sends the browser to (signed ``vnp_*``
parameters); the person pays, cancels or makes it fail; the stand-in then calls the merchant's IPN
(``api:vnpay_ipn`` on the host that sent the browser) and sends the browser to ``vnp_ReturnUrl``,
both signed with the merchant's hash secret.

National payment platform: ``POST dvcqg/api`` takes INIT and QUERY messages; ``dvcqg/<token>/``
is its payment page; the RESULT goes to ``api:paygov_callback`` and back with the browser.

Settings ``PAYMENT_STANDIN_DELAY`` (seconds before the callback), ``PAYMENT_STANDIN_DUPLICATES``
(copies of it) and ``PAYMENT_STANDIN_ORDER`` (``ipn_first``, ``return_first``) make the
gateway's real misbehaviours happen on demand.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from payments import rules
from payments.gateways import gateway_time

from .models import GatewayTransaction

log = logging.getLogger("payments.standin")

OUTCOMES = {
    # decision → (VNPay vnp_ResponseCode, platform MaKetQua, status)
    "pay": ("00", "00", "paid"),
    "cancel": ("24", "02", "cancelled"),
    "fail": ("51", "01", "failed"),
}


def _deliver(send: Callable[[], None], redirect: HttpResponse) -> HttpResponse:
    """Send the server-to-server callback(s) and answer the browser, in the configured order."""
    delay = float(settings.PAYMENT_STANDIN_DELAY)
    copies = max(1, int(settings.PAYMENT_STANDIN_DUPLICATES))

    def deliver() -> None:
        if delay:
            time.sleep(delay)
        for _copy in range(copies):
            try:
                send()
            except requests.RequestException as error:
                log.warning("stand-in callback failed", extra={"error": str(error)})

    if settings.PAYMENT_STANDIN_ORDER == "return_first" or delay:
        threading.Thread(target=deliver, daemon=True).start()
    else:
        deliver()
    return redirect


def _remember(tx: GatewayTransaction, answer: Any) -> None:
    GatewayTransaction.objects.filter(pk=tx.pk).update(answers=[*tx.answers, answer])
    tx.answers = [*tx.answers, answer]


# --- VNPay 2.1.0 ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def vnpay_pay(request: HttpRequest) -> HttpResponse:
    """VNPay's payment page: checks the merchant's signature, shows the order, takes the decision."""
    secret = settings.PAYMENT_VNPAY_HASH_SECRET
    if request.method == "POST":
        tx = get_object_or_404(GatewayTransaction, protocol="vnpay", token=request.POST.get("token", ""))
        decision = request.POST.get("decision", "")
        if decision not in OUTCOMES or tx.status != "pending":
            return render(request, "standin/error.html", {"message": "Giao dịch đã kết thúc."}, status=400)
        response_code, _platform, status = OUTCOMES[decision]
        number = f"{secrets.randbelow(10**8):08d}"
        GatewayTransaction.objects.filter(pk=tx.pk).update(status=status, number=number)
        result = {
            "vnp_Amount": rules.vnpay_amount(tx.amount_vnd),
            "vnp_BankCode": "NCB",
            "vnp_BankTranNo": f"VNP{number}",
            "vnp_CardType": "ATM",
            "vnp_OrderInfo": tx.description,
            "vnp_PayDate": gateway_time(timezone.now()),
            "vnp_ResponseCode": response_code,
            "vnp_TmnCode": settings.PAYMENT_VNPAY_TMN_CODE,
            "vnp_TransactionNo": number,
            "vnp_TransactionStatus": "00" if response_code == "00" else "02",
            "vnp_TxnRef": tx.reference,
        }
        signed = {**result, "vnp_SecureHash": rules.vnpay_sign(result, secret)}
        ipn_url = request.build_absolute_uri(reverse("api:vnpay_ipn"))

        def send() -> None:
            answer = requests.get(ipn_url, params=signed, timeout=10)
            _remember(tx, answer.json())

        return _deliver(send, HttpResponseRedirect(f"{tx.return_url}?{rules.vnpay_query(result, secret)}"))
    params = {key: request.GET.get(key, "") for key in request.GET}
    if not rules.vnpay_verify(params, secret) or params.get("vnp_TmnCode") != settings.PAYMENT_VNPAY_TMN_CODE:
        return render(request, "standin/error.html", {"message": "Sai chữ ký (mã lỗi 70)."}, status=400)
    amount = rules.vnpay_amount_vnd(params.get("vnp_Amount", ""))
    if amount is None:
        return render(request, "standin/error.html", {"message": "Số tiền không hợp lệ (mã lỗi 03)."}, status=400)
    found = GatewayTransaction.objects.filter(protocol="vnpay", reference=params.get("vnp_TxnRef", "")).first()
    if found is not None:
        tx = found
    else:
        try:
            tx = GatewayTransaction.objects.create(
                protocol="vnpay",
                token=secrets.token_urlsafe(16),
                reference=params.get("vnp_TxnRef", "")[:40],
                amount_vnd=amount,
                description=params.get("vnp_OrderInfo", "")[:255],
                return_url=params.get("vnp_ReturnUrl", "")[:1000],
            )
        except IntegrityError:
            tx = GatewayTransaction.objects.get(protocol="vnpay", reference=params.get("vnp_TxnRef", ""))
    return render(request, "standin/pay.html", {"tx": tx, "brand": "VNPAY", "action": reverse("paystandin:vnpay")})


# --- The national payment platform ---------------------------------------------------------------------


def _signed(message: dict[str, object], kind: str) -> JsonResponse:
    return JsonResponse(rules.paygov_sign(message, kind, settings.PAYMENT_PAYGOV_SECRET))


@csrf_exempt
@require_POST
def paygov_api(request: HttpRequest) -> HttpResponse:
    """INIT and QUERY, JSON in and out, signed both ways."""
    secret = settings.PAYMENT_PAYGOV_SECRET
    try:
        message = json.loads(request.body)
        if not isinstance(message, dict):
            raise ValueError
    except ValueError:
        return JsonResponse({"MaLoi": "99", "MoTaLoi": "Bản tin không hợp lệ"}, status=400)
    kind = str(message.get("LoaiBanTin", ""))
    now = gateway_time(timezone.now())
    base = {"MaDoiTac": message.get("MaDoiTac", ""), "MaThamChieu": message.get("MaThamChieu", ""), "ThoiGianGD": now}
    if kind not in ("INIT", "QUERY", "RECEIPT") or not rules.paygov_verify(message, kind, secret):
        return _signed({**base, "MaLoi": "03", "MoTaLoi": "Sai chữ ký", "UrlThanhToan": ""}, "INIT_RESPONSE")
    if message.get("MaDoiTac") != settings.PAYMENT_PAYGOV_PARTNER_CODE:
        return _signed({**base, "MaLoi": "99", "MoTaLoi": "Sai mã đối tác", "UrlThanhToan": ""}, "INIT_RESPONSE")
    if kind == "RECEIPT":
        tx = GatewayTransaction.objects.filter(
            protocol="paygov", reference=str(message.get("MaThamChieu")), status="paid"
        ).first()
        if tx is None or tx.number != message.get("MaGiaoDich"):
            reply = {**base, "MaLoi": "04", "MaGiaoDich": "", "SoBienLai": "", "NgayBienLai": ""}
        else:
            receipt_day = timezone.localdate(tx.created_at).strftime("%Y%m%d")
            reply = {
                **base,
                "MaLoi": "00",
                "MaGiaoDich": tx.number,
                "SoBienLai": f"BL{tx.pk:08d}",
                "NgayBienLai": receipt_day,
            }
        return _signed(reply, "RECEIPT_RESPONSE")
    if kind == "QUERY":
        tx = GatewayTransaction.objects.filter(protocol="paygov", reference=str(message.get("MaThamChieu"))).first()
        if tx is None:
            reply = {**base, "MaLoi": "04", "MaGiaoDich": "", "SoTien": 0, "TrangThai": ""}
        elif tx.status == "cancelled":
            reply = {**base, "MaLoi": "00", "MaGiaoDich": tx.number, "SoTien": tx.amount_vnd, "TrangThai": "02"}
        else:
            state = {"paid": "00", "pending": "09"}.get(tx.status, "01")
            reply = {**base, "MaLoi": "00", "MaGiaoDich": tx.number, "SoTien": tx.amount_vnd, "TrangThai": state}
        return _signed(reply, "QUERY_RESPONSE")
    amount = str(message.get("SoTien", ""))
    if not amount.isdigit():
        return _signed({**base, "MaLoi": "05", "MoTaLoi": "Sai số tiền", "UrlThanhToan": ""}, "INIT_RESPONSE")
    try:
        tx = GatewayTransaction.objects.create(
            protocol="paygov",
            token=secrets.token_urlsafe(16),
            reference=str(message.get("MaThamChieu", ""))[:40],
            amount_vnd=int(amount),
            description=str(message.get("ThongTinGiaoDich", ""))[:255],
            return_url=str(message.get("UrlTraVe", ""))[:1000],
        )
    except IntegrityError:
        return _signed({**base, "MaLoi": "06", "MoTaLoi": "Trùng mã tham chiếu", "UrlThanhToan": ""}, "INIT_RESPONSE")
    url = request.build_absolute_uri(reverse("paystandin:paygov_pay", args=[tx.token]))
    return _signed({**base, "MaLoi": "00", "MoTaLoi": "Thành công", "UrlThanhToan": url}, "INIT_RESPONSE")


@require_http_methods(["GET", "POST"])
def paygov_pay(request: HttpRequest, token: str) -> HttpResponse:
    """The platform's payment page."""
    tx = get_object_or_404(GatewayTransaction, protocol="paygov", token=token)
    if request.method == "GET":
        return render(
            request,
            "standin/pay.html",
            {"tx": tx, "brand": "Cổng Dịch vụ công quốc gia", "action": reverse("paystandin:paygov_pay", args=[token])},
        )
    decision = request.POST.get("decision", "")
    if decision not in OUTCOMES or tx.status != "pending":
        return render(request, "standin/error.html", {"message": "Giao dịch đã kết thúc."}, status=400)
    _vnpay, code, status = OUTCOMES[decision]
    number = f"{secrets.randbelow(10**10):010d}"
    GatewayTransaction.objects.filter(pk=tx.pk).update(status=status, number=number)
    result: dict[str, object] = {
        "LoaiBanTin": "RESULT",
        "PhienBan": rules.PAYGOV_VERSION,
        "MaDoiTac": settings.PAYMENT_PAYGOV_PARTNER_CODE,
        "MaThamChieu": tx.reference,
        "MaGiaoDich": number,
        "SoTien": tx.amount_vnd,
        "MaKetQua": code,
        "ThoiGianGD": gateway_time(timezone.now()),
    }
    signed = rules.paygov_sign(result, "RESULT", settings.PAYMENT_PAYGOV_SECRET)
    callback_url = request.build_absolute_uri(reverse("api:paygov_callback"))

    def send() -> None:
        answer = requests.post(
            callback_url, data=json.dumps(signed), headers={"Content-Type": "application/json"}, timeout=10
        )
        _remember(tx, answer.json())

    return _deliver(send, HttpResponseRedirect(f"{tx.return_url}?{urlencode(signed)}"))
