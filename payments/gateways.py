"""Adapters to the two payment gateways, speaking their real protocols; the signatures
themselves are pure functions in ``payments.rules``.

- VNPay 2.1.0: the citizen's browser is sent to the payment page with the signed ``vnp_*``
  parameters; VNPay calls our IPN (``GET /api/v1/payments/vnpay/ipn``) server to server and
  sends the browser back to the return URL, both signed.
- The national portal's payment platform: an INIT message (JSON, signed ``MaXacThuc``) answers
  with the payment page's address; the platform posts a signed RESULT to our callback and sends
  the browser back; QUERY asks for a transaction's status, RECEIPT for its receipt.

Both default to the local stand-in (``payments.standin``) in development and tests.
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import requests
from django.conf import settings

from . import rules

VN = ZoneInfo("Asia/Ho_Chi_Minh")
JSON_HEADERS = {"Content-Type": "application/json"}
Transport = Callable[[str, Mapping[str, object]], Mapping[str, Any]]


def gateway_time(moment: datetime.datetime) -> str:
    """yyyyMMddHHmmss in Vietnam's time, as both gateways write it."""
    return moment.astimezone(VN).strftime("%Y%m%d%H%M%S")


def ascii_text(value: str, limit: int = 255) -> str:
    """Vietnamese without diacritics (VNPay's order information must be plain ASCII)."""
    folded = unicodedata.normalize("NFKD", value.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9 .,:/_-]", "", plain)[:limit]


@dataclass(frozen=True)
class Callback:
    """What a gateway says about one transaction, once its signature has been checked."""

    reference: str
    amount_vnd: int | None  # None: not a whole number of đồng (malformed)
    success: bool
    cancelled: bool
    gateway_number: str
    bank_code: str
    code: str  # the gateway's own result code


# --- VNPay ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Vnpay:
    url: str
    tmn_code: str
    secret: str

    @classmethod
    def from_settings(cls, default_url: str = "") -> Vnpay:
        return cls(
            settings.PAYMENT_VNPAY_URL or default_url,
            settings.PAYMENT_VNPAY_TMN_CODE,
            settings.PAYMENT_VNPAY_HASH_SECRET,
        )

    def payment_url(
        self,
        *,
        reference: str,
        amount_vnd: int,
        order_info: str,
        return_url: str,
        ip: str,
        created: datetime.datetime,
        expires: datetime.datetime,
        locale: str = "vn",
    ) -> str:
        params = {
            "vnp_Version": rules.VNPAY_VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": rules.vnpay_amount(amount_vnd),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": reference,
            "vnp_OrderInfo": ascii_text(order_info),
            "vnp_OrderType": "other",
            "vnp_Locale": locale,
            "vnp_ReturnUrl": return_url,
            "vnp_IpAddr": ip,
            "vnp_CreateDate": gateway_time(created),
            "vnp_ExpireDate": gateway_time(expires),
        }
        return f"{self.url}?{rules.vnpay_query(params, self.secret)}"

    def read(self, params: Mapping[str, str]) -> Callback | None:
        """The callback in ``params`` (IPN or return URL); None if the signature is not ours or
        the merchant code is another's."""
        if not rules.vnpay_verify(params, self.secret) or params.get("vnp_TmnCode") != self.tmn_code:
            return None
        code = params.get("vnp_ResponseCode", "")
        status = params.get("vnp_TransactionStatus", code)
        return Callback(
            reference=params.get("vnp_TxnRef", ""),
            amount_vnd=rules.vnpay_amount_vnd(params.get("vnp_Amount", "")),
            success=code == "00" and status == "00",
            cancelled=code == "24",
            gateway_number=params.get("vnp_TransactionNo", "")[:60],
            bank_code=params.get("vnp_BankCode", "")[:20],
            code=code,
        )


# --- The national portal's payment platform -----------------------------------------------------------


def http_transport(url: str, message: Mapping[str, object]) -> Mapping[str, Any]:
    response = requests.post(url, data=json.dumps(dict(message)), headers=JSON_HEADERS, timeout=10)
    response.raise_for_status()
    answer = response.json()
    if not isinstance(answer, dict):
        raise ValueError("The payment platform answered with something else than a JSON object.")
    return answer


class PaygovError(Exception):
    """The payment platform refused a message or answered with a wrong signature."""


@dataclass(frozen=True)
class Paygov:
    url: str
    partner: str
    secret: str
    transport: Transport = http_transport

    @classmethod
    def from_settings(cls, default_url: str = "", transport: Transport | None = None) -> Paygov:
        return cls(
            settings.PAYMENT_PAYGOV_URL or default_url,
            settings.PAYMENT_PAYGOV_PARTNER_CODE,
            settings.PAYMENT_PAYGOV_SECRET,
            transport or http_transport,
        )

    def _send(self, kind: str, message: Mapping[str, object], answer_kind: str) -> Mapping[str, Any]:
        answer = self.transport(self.url, rules.paygov_sign(message, kind, self.secret))
        if not rules.paygov_verify(answer, answer_kind, self.secret):
            raise PaygovError("answer with a wrong MaXacThuc")
        if answer.get("MaLoi") != rules.PAYGOV_SUCCESS:
            raise PaygovError(f"MaLoi {answer.get('MaLoi')}: {answer.get('MoTaLoi', '')}")
        return answer

    def init(
        self,
        *,
        reference: str,
        amount_vnd: int,
        description: str,
        return_url: str,
        ip: str,
        now: datetime.datetime,
        language: str = "vi",
    ) -> str:
        """INIT: register the transaction; the platform's payment page address."""
        message = {
            "LoaiBanTin": "INIT",
            "PhienBan": rules.PAYGOV_VERSION,
            "MaDoiTac": self.partner,
            "MaThamChieu": reference,
            "SoTien": int(amount_vnd),
            "LoaiHinhThanhToan": "PAY",
            "MaKenhThanhToan": "1",  # web
            "MaThietBi": "1",
            "NgonNgu": "vi" if language == "vi" else "en",
            "MaTienTe": "VND",
            "MaNganHang": "",
            "ThongTinGiaoDich": description[:255],
            "ThoiGianGD": gateway_time(now),
            "Ip": ip,
            "UrlTraVe": return_url,
        }
        answer = self._send("INIT", message, "INIT_RESPONSE")
        return str(answer["UrlThanhToan"])

    def query(self, *, reference: str, now: datetime.datetime) -> Mapping[str, Any]:
        """QUERY: the platform's view of a transaction (TrangThai "00" paid)."""
        message = {
            "LoaiBanTin": "QUERY",
            "PhienBan": rules.PAYGOV_VERSION,
            "MaDoiTac": self.partner,
            "MaThamChieu": reference,
            "ThoiGianGD": gateway_time(now),
        }
        return self._send("QUERY", message, "QUERY_RESPONSE")

    def receipt(self, *, reference: str, gateway_number: str, now: datetime.datetime) -> Mapping[str, Any]:
        """RECEIPT: the platform's electronic receipt of a paid transaction (SoBienLai, NgayBienLai)."""
        message = {
            "LoaiBanTin": "RECEIPT",
            "PhienBan": rules.PAYGOV_VERSION,
            "MaDoiTac": self.partner,
            "MaThamChieu": reference,
            "MaGiaoDich": gateway_number,
            "ThoiGianGD": gateway_time(now),
        }
        return self._send("RECEIPT", message, "RECEIPT_RESPONSE")

    def status(self, *, reference: str, now: datetime.datetime) -> Callback:
        """QUERY, read as a callback: what the platform knows of the transaction."""
        answer = self.query(reference=reference, now=now)
        raw_amount = str(answer.get("SoTien", ""))
        state = str(answer.get("TrangThai", ""))
        return Callback(
            reference=str(answer.get("MaThamChieu", reference)),
            amount_vnd=int(raw_amount) if raw_amount.isascii() and raw_amount.isdigit() else None,
            success=state == rules.PAYGOV_SUCCESS,
            cancelled=state == "02",
            gateway_number=str(answer.get("MaGiaoDich", ""))[:60],
            bank_code="",
            code=state,
        )

    def read(self, message: Mapping[str, Any]) -> Callback | None:
        """A RESULT message (callback or return), if signed with our secret for our partner code."""
        if not rules.paygov_verify(message, "RESULT", self.secret) or message.get("MaDoiTac") != self.partner:
            return None
        raw_amount = str(message.get("SoTien", ""))
        code = str(message.get("MaKetQua", ""))
        return Callback(
            reference=str(message.get("MaThamChieu", "")),
            amount_vnd=int(raw_amount) if raw_amount.isascii() and raw_amount.isdigit() else None,
            success=code == rules.PAYGOV_SUCCESS,
            cancelled=code == "02",
            gateway_number=str(message.get("MaGiaoDich", ""))[:60],
            bank_code="",
            code=code,
        )
