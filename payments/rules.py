"""Pure rules of fees and payments (phí, lệ phí; thanh toán trực tuyến), without I/O:

- assessment: the catalog's fee items of the dossier's channel, the exemption of a beneficiary
  group (miễn), the reduction for the channel (giảm, e.g. 50% for online submission by a
  resolution of the provincial People's Council), each policy chosen by the date the dossier was
  submitted, rounded to whole đồng;
- the payment state machine;
- the signatures of both gateways: VNPay 2.1.0 (HMAC-SHA512 over the sorted, URL-encoded
  ``vnp_*`` parameters) and the national portal's payment platform (SHA-256 over the
  pipe-joined fields followed by the secret, ``MaXacThuc``);
- reading a gateway statement (CSV) and comparing it with our payments.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import hmac
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any
from urllib.parse import quote_plus

# --- Assessment ---------------------------------------------------------------------------------

REDUCTION = "reduction"
EXEMPTION = "exemption"


def round_vnd(value: Decimal) -> int:
    """Whole đồng, halves up (the State Treasury does not handle fractions of a đồng)."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def share_of(amount: int, percent: Decimal | int) -> int:
    """``percent`` % of ``amount``, rounded to whole đồng, never more than ``amount`` nor below 0."""
    part = round_vnd(Decimal(amount) * Decimal(percent) / Decimal(100))
    return max(0, min(amount, part))


@dataclass(frozen=True)
class FeeLine:
    """One fee item of the catalog (khoản phí, lệ phí) as it applies to a dossier: its amount per
    ``unit`` (mỗi bản sao, mỗi di chúc…) times ``quantity``."""

    key: int  # catalog.FeeItem id
    description: str
    amount_vnd: int
    unit: str = ""
    quantity: int = 1


@dataclass(frozen=True)
class Policy:
    """A dated fee policy (chính sách phí, lệ phí). ``kind`` is ``REDUCTION`` (for a channel) or
    ``EXEMPTION`` (for a beneficiary group, proven by ``proof``). ``procedures`` empty: every
    procedure; a policy naming procedures overrides the general ones for them (a per-procedure
    override, which may well be 0%)."""

    id: int
    kind: str
    title: str
    legal_basis: str
    valid_from: datetime.date
    valid_to: datetime.date | None = None  # last day in force, included
    percent: Decimal = Decimal(0)
    channel: str = ""  # empty: any channel
    group: str = ""  # beneficiary group of an exemption
    proof: str = ""  # the document that proves the group
    procedures: frozenset[str] = frozenset()

    def in_force(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def covers(self, procedure: str) -> bool:
        return not self.procedures or procedure in self.procedures


def policy_in_force(
    policies: Iterable[Policy],
    *,
    kind: str,
    procedure: str,
    channel: str,
    day: datetime.date,
    group: str = "",
) -> Policy | None:
    """The one policy of ``kind`` that governs ``procedure`` on ``day``: among those in force,
    one naming the procedure beats a general one; then the latest to take effect; then the one
    entered last."""
    candidates = [
        p
        for p in policies
        if p.kind == kind
        and p.in_force(day)
        and p.covers(procedure)
        and (p.channel in ("", channel))
        and (kind != EXEMPTION or (group != "" and p.group == group))
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda p: (bool(p.procedures), p.valid_from, p.id))


@dataclass(frozen=True)
class AssessedLine:
    """One line of the explanation: base amount, exemption and reduction with their legal basis,
    and what is left to pay."""

    key: int
    description: str
    unit: str
    base_vnd: int
    exemption_vnd: int
    reduction_vnd: int
    total_vnd: int
    quantity: int = 1
    unit_vnd: int = 0  # the amount per unit (base_vnd = unit_vnd × quantity)


@dataclass(frozen=True)
class Assessment:
    """Số tiền phải nộp, explained. ``total_vnd`` is the sum of the lines' totals, unless an
    officer set the amount (``override_vnd``, with its ``override_reason``)."""

    lines: tuple[AssessedLine, ...]
    reduction: Policy | None
    exemption: Policy | None
    day: datetime.date
    channel: str
    override_vnd: int | None = None
    override_reason: str = ""

    @property
    def base_vnd(self) -> int:
        return sum(line.base_vnd for line in self.lines)

    @property
    def exemption_vnd(self) -> int:
        return sum(line.exemption_vnd for line in self.lines)

    @property
    def reduction_vnd(self) -> int:
        return sum(line.reduction_vnd for line in self.lines)

    @property
    def computed_vnd(self) -> int:
        """What the fee schedule and the policies give, before any officer's override."""
        return sum(line.total_vnd for line in self.lines)

    @property
    def total_vnd(self) -> int:
        """Số tiền phải nộp: the one amount shown everywhere and charged."""
        return self.computed_vnd if self.override_vnd is None else self.override_vnd

    def as_dict(self) -> dict[str, Any]:
        """A snapshot kept with the payment and printed on the receipt, so a later change of
        policy never changes what was charged."""

        def policy(p: Policy | None) -> dict[str, object] | None:
            if p is None:
                return None
            return {
                "id": p.id,
                "title": p.title,
                "legal_basis": p.legal_basis,
                "percent": str(p.percent),
                "channel": p.channel,
                "group": p.group,
                "proof": p.proof,
                "valid_from": p.valid_from.isoformat(),
            }

        return {
            "day": self.day.isoformat(),
            "channel": self.channel,
            "lines": [
                {
                    "key": line.key,
                    "description": line.description,
                    "unit": line.unit,
                    "quantity": line.quantity,
                    "unit_vnd": line.unit_vnd,
                    "base_vnd": line.base_vnd,
                    "exemption_vnd": line.exemption_vnd,
                    "reduction_vnd": line.reduction_vnd,
                    "total_vnd": line.total_vnd,
                }
                for line in self.lines
            ],
            "reduction": policy(self.reduction),
            "exemption": policy(self.exemption),
            "base_vnd": self.base_vnd,
            "exemption_vnd": self.exemption_vnd,
            "reduction_vnd": self.reduction_vnd,
            "computed_vnd": self.computed_vnd,
            "override_vnd": self.override_vnd,
            "override_reason": self.override_reason,
            "total_vnd": self.total_vnd,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Assessment:
        """The assessment ``as_dict`` kept (with a payment request, with a payment), as it was."""

        def policy(kind: str, value: Any) -> Policy | None:
            if not value:
                return None
            return Policy(
                id=int(value.get("id") or 0),
                kind=kind,
                title=str(value.get("title", "")),
                legal_basis=str(value.get("legal_basis", "")),
                valid_from=datetime.date.fromisoformat(str(value.get("valid_from") or data["day"])),
                percent=Decimal(str(value.get("percent", "0"))),
                channel=str(value.get("channel", "")),
                group=str(value.get("group", "")),
                proof=str(value.get("proof", "")),
            )

        lines = tuple(
            AssessedLine(
                key=int(line.get("key") or 0),
                description=str(line.get("description", "")),
                unit=str(line.get("unit", "")),
                base_vnd=int(line["base_vnd"]),
                exemption_vnd=int(line.get("exemption_vnd", 0)),
                reduction_vnd=int(line.get("reduction_vnd", 0)),
                total_vnd=int(line["total_vnd"]),
                quantity=int(line.get("quantity", 1)),
                unit_vnd=int(line.get("unit_vnd", line["base_vnd"])),
            )
            for line in data.get("lines", [])
        )
        override = data.get("override_vnd")
        return cls(
            lines=lines,
            reduction=policy(REDUCTION, data.get("reduction")),
            exemption=policy(EXEMPTION, data.get("exemption")),
            day=datetime.date.fromisoformat(str(data["day"])),
            channel=str(data.get("channel", "")),
            override_vnd=None if override is None else int(override),
            override_reason=str(data.get("override_reason", "")),
        )


def assess(
    lines: Sequence[FeeLine],
    policies: Iterable[Policy],
    *,
    procedure: str,
    channel: str,
    day: datetime.date,
    group: str = "",
    override_vnd: int | None = None,
    override_reason: str = "",
) -> Assessment:
    """Assess the fees of a dossier submitted on ``day`` through ``channel``: the one function
    behind every amount a citizen is shown and charged. Each line is its amount per unit times its
    quantity. The exemption comes first (miễn: the group pays nothing, or its share); the
    reduction applies to what is left. Each line is rounded on its own, so what the receipt prints
    adds up. An officer may set the amount instead (``override_vnd``), never without a reason."""
    if override_vnd is not None and (override_vnd < 0 or not override_reason.strip()):
        raise ValueError("an override is a non-negative amount with a reason")
    policies = list(policies)
    exemption = (
        policy_in_force(policies, kind=EXEMPTION, procedure=procedure, channel=channel, day=day, group=group)
        if group
        else None
    )
    reduction = policy_in_force(policies, kind=REDUCTION, procedure=procedure, channel=channel, day=day)
    assessed = []
    for line in lines:
        unit_vnd = max(0, int(line.amount_vnd))
        quantity = max(0, int(line.quantity))
        base = unit_vnd * quantity
        exempt = share_of(base, exemption.percent) if exemption else 0
        reduced = share_of(base - exempt, reduction.percent) if reduction else 0
        assessed.append(
            AssessedLine(
                line.key,
                line.description,
                line.unit,
                base,
                exempt,
                reduced,
                base - exempt - reduced,
                quantity=quantity,
                unit_vnd=unit_vnd,
            )
        )
    return Assessment(
        tuple(assessed),
        reduction,
        exemption,
        day,
        channel,
        override_vnd=None if override_vnd is None else int(override_vnd),
        override_reason=override_reason.strip() if override_vnd is not None else "",
    )


# --- Payment states -----------------------------------------------------------------------------


class PaymentState(StrEnum):
    CREATED = "created"
    PENDING = "pending"
    PAID = "paid"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    REFUNDED = "refunded"


S = PaymentState
PAYMENT_TRANSITIONS: Mapping[PaymentState, frozenset[PaymentState]] = {
    S.CREATED: frozenset({S.PENDING, S.PAID, S.CANCELLED, S.EXPIRED, S.FAILED}),
    S.PENDING: frozenset({S.PAID, S.FAILED, S.CANCELLED, S.EXPIRED}),
    S.PAID: frozenset({S.REFUNDED}),
    # A payment that was given up may still be paid at the gateway (a late "paid"): it is not
    # revived but flagged for refund, and refunded from these states.
    S.FAILED: frozenset({S.REFUNDED}),
    S.CANCELLED: frozenset({S.REFUNDED}),
    S.EXPIRED: frozenset({S.REFUNDED}),
    S.REFUNDED: frozenset(),
}
OPEN_PAYMENT_STATES = frozenset({S.CREATED, S.PENDING})


def can_move(source: str, target: str) -> bool:
    return PaymentState(target) in PAYMENT_TRANSITIONS[PaymentState(source)]


# --- VNPay 2.1.0 ----------------------------------------------------------------------------------

VNPAY_VERSION = "2.1.0"
VNPAY_SIGNATURE_KEYS = frozenset({"vnp_SecureHash", "vnp_SecureHashType"})


def vnpay_hash_data(params: Mapping[str, str]) -> str:
    """The string VNPay signs: every ``vnp_*`` parameter but the hash itself, keys sorted,
    keys and values URL-encoded (spaces as +), joined by &."""
    items = sorted((k, str(v)) for k, v in params.items() if k.startswith("vnp_") and k not in VNPAY_SIGNATURE_KEYS)
    return "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in items)


def vnpay_sign(params: Mapping[str, str], secret: str) -> str:
    """``vnp_SecureHash``: HMAC-SHA512 of ``vnpay_hash_data`` with the merchant's hash secret."""
    return hmac.new(secret.encode(), vnpay_hash_data(params).encode(), hashlib.sha512).hexdigest()


def vnpay_verify(params: Mapping[str, str], secret: str) -> bool:
    """Whether ``vnp_SecureHash`` is the hash of the other parameters (rebuilt, compared in
    constant time, hex case ignored)."""
    given = str(params.get("vnp_SecureHash", "")).lower()
    return bool(given) and hmac.compare_digest(given, vnpay_sign(params, secret))


def vnpay_query(params: Mapping[str, str], secret: str) -> str:
    """The query string of the payment URL: the signed data and its hash."""
    return vnpay_hash_data(params) + "&vnp_SecureHash=" + vnpay_sign(params, secret)


def vnpay_amount(amount_vnd: int) -> str:
    """VNPay counts in hundredths of a đồng: 10.000 đồng is ``1000000``."""
    return str(int(amount_vnd) * 100)


def vnpay_amount_vnd(value: str) -> int | None:
    """The amount in đồng of a ``vnp_Amount``; None if it is not a whole number of đồng."""
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    hundredths = int(value)
    return hundredths // 100 if hundredths % 100 == 0 else None


# IPN answers (VNPay's own codes, in its own words).
IPN_OK = ("00", "Confirm Success")
IPN_NOT_FOUND = ("01", "Order not found")
IPN_ALREADY_CONFIRMED = ("02", "Order already confirmed")
IPN_WRONG_AMOUNT = ("04", "invalid amount")
IPN_BAD_CHECKSUM = ("97", "Invalid signature")
IPN_ERROR = ("99", "Unknown error")


# --- The national portal's payment platform (Nền tảng thanh toán của Cổng DVCQG) --------------------

PAYGOV_VERSION = "1.0.0"
# Message types and, for each, the fields hashed into MaXacThuc in this order.
PAYGOV_FIELDS: Mapping[str, tuple[str, ...]] = {
    "INIT": (
        "LoaiBanTin",
        "PhienBan",
        "MaDoiTac",
        "MaThamChieu",
        "SoTien",
        "LoaiHinhThanhToan",
        "MaKenhThanhToan",
        "MaThietBi",
        "NgonNgu",
        "MaTienTe",
        "MaNganHang",
        "ThongTinGiaoDich",
        "ThoiGianGD",
        "Ip",
    ),
    "INIT_RESPONSE": ("MaLoi", "MaDoiTac", "MaThamChieu", "UrlThanhToan", "ThoiGianGD"),
    "RESULT": (
        "LoaiBanTin",
        "PhienBan",
        "MaDoiTac",
        "MaThamChieu",
        "MaGiaoDich",
        "SoTien",
        "MaKetQua",
        "ThoiGianGD",
    ),
    "QUERY": ("LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "ThoiGianGD"),
    "QUERY_RESPONSE": ("MaLoi", "MaDoiTac", "MaThamChieu", "MaGiaoDich", "SoTien", "TrangThai", "ThoiGianGD"),
    "CALLBACK_ANSWER": ("MaLoi", "MaDoiTac", "MaThamChieu"),
    "RECEIPT": ("LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "MaGiaoDich", "ThoiGianGD"),
    "RECEIPT_RESPONSE": ("MaLoi", "MaDoiTac", "MaThamChieu", "MaGiaoDich", "SoBienLai", "NgayBienLai", "ThoiGianGD"),
}
PAYGOV_SUCCESS = "00"
PAYGOV_RESULT_CODES = {
    "00": "Giao dịch thành công",
    "01": "Giao dịch không thành công",
    "02": "Người dùng hủy giao dịch",
    "03": "Sai chữ ký",
    "04": "Không tìm thấy giao dịch",
    "05": "Sai số tiền",
    "06": "Giao dịch đã được xác nhận",
    "99": "Lỗi không xác định",
}


def paygov_checksum(message: Mapping[str, object], kind: str, secret: str) -> str:
    """``MaXacThuc``: SHA-256 (hex) of the fields of ``kind`` joined with | and the secret last."""
    values = [str(message.get(name, "")) for name in PAYGOV_FIELDS[kind]]
    return hashlib.sha256("|".join([*values, secret]).encode()).hexdigest()


def paygov_sign(message: Mapping[str, object], kind: str, secret: str) -> dict[str, object]:
    return {**message, "MaXacThuc": paygov_checksum(message, kind, secret)}


def paygov_verify(message: Mapping[str, object], kind: str, secret: str) -> bool:
    given = str(message.get("MaXacThuc", "")).lower()
    return bool(given) and hmac.compare_digest(given, paygov_checksum(message, kind, secret))


# --- References and receipts ------------------------------------------------------------------------


def receipt_code(unit_code: str, year: int, number: int) -> str:
    """Số biên lai: the unit's code, the year and the unit's number in that year (no gaps)."""
    return f"{unit_code}-BL{year}-{number:06d}"


# --- Reconciliation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementRow:
    """One line of a gateway statement (sao kê): our reference, the gateway's number, the amount
    in đồng, and whether the gateway counts it paid."""

    reference: str
    gateway_number: str
    amount_vnd: int
    paid: bool


@dataclass(frozen=True)
class Mismatch:
    reference: str
    kind: str  # missing_here, missing_there, amount, state
    ours: str = ""
    theirs: str = ""


@dataclass(frozen=True)
class StatementProblem:
    line: int
    message: str
    missing: tuple[str, ...] = ()  # the header's missing columns (line 1)


STATEMENT_COLUMNS = ("reference", "gateway_number", "amount_vnd", "status")
PAID_WORDS = frozenset({"paid", "success", "00", "thanh_cong", "thành công"})


@dataclass
class Statement:
    rows: list[StatementRow] = field(default_factory=list)
    problems: list[StatementProblem] = field(default_factory=list)


def read_statement(text: str) -> Statement:
    """Parse a statement: a header line with at least ``reference,gateway_number,amount_vnd,status``
    (separated by commas, or semicolons) then one line per transaction. Bad lines are reported,
    not guessed."""
    statement = Statement()
    text = text.lstrip("\ufeff")
    first = text.partition("\n")[0]
    # Spreadsheets set to Vietnamese save CSV with semicolons (the comma is the decimal mark).
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [name.strip() for name in reader.fieldnames or []]
    except csv.Error:
        header = []
    reader.fieldnames = header
    missing = tuple(c for c in STATEMENT_COLUMNS if c not in header)
    if missing:
        statement.problems.append(StatementProblem(1, "missing columns: " + ", ".join(missing), missing))
        return statement
    number = 1
    try:
        for number, raw in enumerate(reader, start=2):
            reference = (raw.get("reference") or "").strip()
            amount = (raw.get("amount_vnd") or "").strip().replace(".", "").replace(",", "")
            if not reference or not amount.isascii() or not amount.isdigit():
                statement.problems.append(StatementProblem(number, "reference or amount missing or not a number"))
                continue
            status = (raw.get("status") or "").strip().lower()
            statement.rows.append(
                StatementRow(reference, (raw.get("gateway_number") or "").strip(), int(amount), status in PAID_WORDS)
            )
    except csv.Error:
        statement.problems.append(StatementProblem(number + 1, "not CSV"))
    return statement


def reconcile(ours: Mapping[str, tuple[int, bool]], theirs: Sequence[StatementRow]) -> list[Mismatch]:
    """Every difference between our payments (reference → (amount, paid)) and the statement:
    missing on either side, a different amount, a different state."""
    mismatches: list[Mismatch] = []
    seen: set[str] = set()
    for row in theirs:
        seen.add(row.reference)
        mine = ours.get(row.reference)
        if mine is None:
            if row.paid:
                mismatches.append(Mismatch(row.reference, "missing_here", "", str(row.amount_vnd)))
            continue
        amount, paid = mine
        if amount != row.amount_vnd:
            mismatches.append(Mismatch(row.reference, "amount", str(amount), str(row.amount_vnd)))
        if paid != row.paid:
            mismatches.append(
                Mismatch(row.reference, "state", "paid" if paid else "unpaid", "paid" if row.paid else "unpaid")
            )
    for reference, (amount, paid) in sorted(ours.items()):
        if reference not in seen and paid:
            mismatches.append(Mismatch(reference, "missing_there", str(amount), ""))
    return mismatches
