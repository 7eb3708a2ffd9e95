"""Writes of payments: start an online payment, apply what a gateway says (IPN, callback,
return), record a payment at the counter, expire, cancel and refund. Each is one atomic call that
writes a ``PaymentEvent`` for every change of state.

Money state changes by a conditional update (``… WHERE state IN ('created', 'pending')``) on a
locked row: of fifty identical notifications exactly one moves the payment and takes a receipt
number; the others find it paid and change nothing. Taking the receipt number in the same
transaction means a rolled-back payment leaves no gap in the unit's numbering.

When a payment is paid, the dossier waiting for it moves on through
``dossiers.services.dossier_mark_paid``, in a savepoint: if the dossier cannot move (withdrawn in
the meantime, say), the payment stays paid and the reason is recorded. The dossier's history
names who confirmed the payment: the officer at the counter, or the payment platform itself
(``dossiers.rules.PAYMENT_PLATFORM``, no person) for a payment through a gateway.
"""

from __future__ import annotations

import datetime
import enum
import logging
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.sequences import next_number
from common.tasks import enqueue_on_commit
from dossiers.errors import DossierError
from dossiers.models import Dossier
from dossiers.rules import PAYMENT_PLATFORM
from dossiers.rules import State as DossierState
from dossiers.services import SystemActor, dossier_mark_paid
from org.models import OneStopUnit

from . import rules
from .gateways import Callback
from .models import (
    ONLINE_METHODS,
    Method,
    MismatchKind,
    Payment,
    PaymentEvent,
    Receipt,
    ReceiptSequence,
    Reconciliation,
    Source,
    State,
)
from .selectors import Reconciled, dossier_assessment, is_payable, reconciling_agencies, statement_reconciliation

log = logging.getLogger("payments")

OPEN = (State.CREATED, State.PENDING)


class PaymentRefused(Exception):
    """A payment cannot be started or recorded; ``message`` says why, for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def new_reference(dossier: Dossier) -> str:
    """Mã tham chiếu (vnp_TxnRef, MaThamChieu): unique, names the dossier by its row number
    only (no personal data), unguessable."""
    return f"HS{dossier.pk}T{secrets.token_hex(6).upper()}"


def _event(
    payment: Payment,
    *,
    at: datetime.datetime,
    source: str,
    to_state: str,
    from_state: str = "",
    actor: Any = None,
    note: str = "",
    details: dict[str, Any] | None = None,
) -> None:
    PaymentEvent.objects.create(
        payment=payment,
        at=at,
        source=source,
        actor=actor if actor is not None and actor.is_authenticated else None,
        from_state=from_state,
        to_state=to_state,
        note=note,
        details=details or {},
    )


def _cancel_open(dossier: Dossier, *, now: datetime.datetime, source: str, note: str, actor: Any = None) -> int:
    cancelled = 0
    for payment in Payment.objects.select_for_update().filter(dossier=dossier, state__in=OPEN):
        if Payment.objects.filter(pk=payment.pk, state__in=OPEN).update(state=State.CANCELLED, updated_at=now):
            _event(
                payment,
                at=now,
                source=source,
                from_state=payment.state,
                to_state=State.CANCELLED,
                note=note,
                actor=actor,
            )
            cancelled += 1
    return cancelled


def payment_start(
    *, actor: Any, dossier: Dossier, method: str, now: datetime.datetime | None = None, expiry_minutes: int = 15
) -> Payment:
    """Thanh toán trực tuyến: the citizen who owns ``dossier`` starts paying through a gateway.
    Payments still open for the dossier are cancelled (a new attempt replaces them)."""
    now = now or timezone.now()
    if method not in (Method.VNPAY, Method.PAYGOV):
        raise PaymentRefused(_("Hình thức thanh toán trực tuyến không hợp lệ."))
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().select_related("procedure_version__procedure").get(pk=dossier.pk)
        if dossier.applicant_id is None or actor is None or dossier.applicant_id != actor.pk:
            raise PaymentRefused(_("Chỉ người nộp hồ sơ được thanh toán trực tuyến cho hồ sơ này."))
        if not is_payable(dossier):
            raise PaymentRefused(_("Hồ sơ này hiện không cần thanh toán, hoặc đã được thanh toán."))
        assessment = dossier_assessment(dossier)
        if assessment.total_vnd <= 0:
            raise PaymentRefused(_("Hồ sơ này không phải nộp phí, lệ phí."))
        _cancel_open(dossier, now=now, source=Source.CITIZEN, note=_("Thay bằng lần thanh toán mới."), actor=actor)
        payment = Payment.objects.create(
            dossier=dossier,
            reference=new_reference(dossier),
            method=method,
            state=State.CREATED,
            amount_vnd=assessment.total_vnd,
            base_vnd=assessment.base_vnd,
            reduction_vnd=assessment.reduction_vnd,
            exemption_vnd=assessment.exemption_vnd,
            assessment=assessment.as_dict(),
            expires_at=now + datetime.timedelta(minutes=expiry_minutes),
            created_by=actor,
        )
        _event(payment, at=now, source=Source.CITIZEN, to_state=State.CREATED, actor=actor)
    log.info(
        "payment created", extra={"reference": payment.reference, "method": method, "amount_vnd": payment.amount_vnd}
    )
    return payment


def payment_mark_pending(*, payment: Payment, now: datetime.datetime | None = None) -> bool:
    """The citizen has been sent to the gateway (created → pending)."""
    now = now or timezone.now()
    with transaction.atomic():
        moved = Payment.objects.filter(pk=payment.pk, state=State.CREATED).update(state=State.PENDING, updated_at=now)
        if moved:
            _event(payment, at=now, source=Source.SYSTEM, from_state=State.CREATED, to_state=State.PENDING)
            payment.state = State.PENDING
    return bool(moved)


def payment_fail_to_send(*, payment: Payment, reason: str, now: datetime.datetime | None = None) -> None:
    """The gateway refused the INIT message: the payment fails before the citizen pays anything."""
    now = now or timezone.now()
    with transaction.atomic():
        if Payment.objects.filter(pk=payment.pk, state=State.CREATED).update(state=State.FAILED, updated_at=now):
            _event(payment, at=now, source=Source.SYSTEM, from_state=State.CREATED, to_state=State.FAILED, note=reason)
    log.warning("payment gateway refused", extra={"reference": payment.reference, "reason": reason})


# --- Receipts ----------------------------------------------------------------------------------------


def _next_receipt_number(unit: OneStopUnit, year: int) -> int:
    """Inside the caller's transaction (``common.sequences``: one statement; the unit's row for
    the year stays locked until the caller commits), so concurrent payments get consecutive
    numbers and a rolled-back one gives its number back."""
    return next_number(ReceiptSequence, unit=unit.pk, year=year)


def _issue_receipt(payment: Payment, now: datetime.datetime) -> Receipt:
    unit = payment.dossier.receiving_unit
    year = timezone.localdate(now).year
    number = _next_receipt_number(unit, year)
    return Receipt.objects.create(
        payment=payment,
        unit=unit,
        year=year,
        number=number,
        code=rules.receipt_code(unit.code, year, number),
        issued_at=now,
    )


# --- The dossier moves on ---------------------------------------------------------------------------


# The gateways' names as the dossier's history shows them ("Nền tảng thanh toán (VNPay)").
GATEWAY_NAMES: dict[str, str] = {Method.VNPAY: "VNPay", Method.PAYGOV: "Cổng Dịch vụ công quốc gia"}


def _dossier_moves_on(payment: Payment, receipt: Receipt, *, actor: Any, now: datetime.datetime) -> str:
    """Call ``dossier_mark_paid`` when the dossier waits for this payment; the outcome as a word
    for the payment's history. An officer (``actor``) confirms what they took at the counter; a
    payment made through a gateway is confirmed by the payment platform itself (no person)."""
    dossier = Dossier.objects.get(pk=payment.dossier_id)
    if dossier.state != DossierState.AWAITING_PAYMENT:
        return "dossier_not_waiting"
    online = payment.method in ONLINE_METHODS
    system = SystemActor(PAYMENT_PLATFORM, GATEWAY_NAMES.get(payment.method, "")) if online else None
    try:
        with transaction.atomic():
            dossier_mark_paid(
                actor=None if online else actor,
                system=system,
                dossier=dossier,
                receipt_number=receipt.code,
                now=now,
            )
    except DossierError as error:
        log.warning(
            "paid dossier could not move on",
            extra={"reference": payment.reference, "dossier": dossier.pk, "reason": error.code},
        )
        return f"dossier_not_moved:{error.code}"
    return "dossier_moved"


def _pay(
    payment: Payment,
    *,
    now: datetime.datetime,
    source: str,
    actor: Any = None,
    gateway_number: str = "",
    bank_code: str = "",
    note: str = "",
) -> Receipt | None:
    """created/pending → paid, with its receipt, inside the caller's transaction. None if another
    call got there first. Paid at the counter, the dossier moves on at once (the officer sees
    it); paid through a gateway, it moves on in a task once this commits, so that the gateway's
    notification is answered without waiting for the dossier's machinery."""
    source_state = payment.state
    # From the state the caller read (and checked open): a payment moved on since (created →
    # pending, or closed) matches no row, and the caller reads it again.
    moved = Payment.objects.filter(pk=payment.pk, state=source_state).update(
        state=State.PAID, paid_at=now, gateway_number=gateway_number, bank_code=bank_code, updated_at=now
    )
    if not moved:
        return None
    payment.state, payment.paid_at, payment.gateway_number = State.PAID, now, gateway_number
    receipt = _issue_receipt(payment, now)
    details: dict[str, Any] = {"receipt": receipt.code, "gateway_number": gateway_number}
    if actor is not None:
        details["dossier"] = _dossier_moves_on(payment, receipt, actor=actor, now=now)
    else:
        from .tasks import move_dossier_on

        payment_id = payment.pk
        enqueue_on_commit(move_dossier_on, payment_id)
    _event(
        payment,
        at=now,
        source=source,
        actor=actor,
        from_state=source_state,
        to_state=State.PAID,
        note=note,
        details=details,
    )
    return receipt


def payment_dossier_moves_on(*, payment_id: int, now: datetime.datetime | None = None) -> str:
    """After an online payment: the dossier waiting for it moves on (``dossier_mark_paid`` with
    the receipt number), and the payment's history says whether it did."""
    now = now or timezone.now()
    payment = Payment.objects.select_related("receipt").get(pk=payment_id)
    if payment.state != State.PAID or not hasattr(payment, "receipt"):
        return "not_paid"
    with transaction.atomic():
        outcome = _dossier_moves_on(payment, payment.receipt, actor=None, now=now)
        if outcome != "dossier_not_waiting":
            _event(
                payment,
                at=now,
                source=Source.SYSTEM,
                from_state=State.PAID,
                to_state=State.PAID,
                details={"dossier": outcome},
            )
    return outcome


def payment_settle_request(*, dossier_id: int, actor: Any, now: datetime.datetime | None = None) -> bool:
    """An officer (``actor``) asked for payment of fees the citizen had already paid: the dossier
    moves on with the existing receipt. Whether it did. Who confirms follows how it was paid: a
    payment through a gateway is the payment platform's confirmation (the history names the
    platform, as when the payment comes after the request); a payment taken at the counter is
    confirmed by the officer who asked, the person who now states that it covers the request."""
    now = now or timezone.now()
    payment = Payment.objects.filter(dossier_id=dossier_id, state=State.PAID).select_related("receipt").first()
    if payment is None or not hasattr(payment, "receipt"):
        return False
    with transaction.atomic():
        outcome = _dossier_moves_on(payment, payment.receipt, actor=actor, now=now)
    log.info(
        "payment request settled by an earlier payment", extra={"reference": payment.reference, "dossier": outcome}
    )
    return outcome == "dossier_moved"


# --- What a gateway says -----------------------------------------------------------------------------


CLOSED = (State.EXPIRED, State.CANCELLED, State.FAILED)


def _may_change(payment: Payment, callback: Callback) -> bool:
    """Whether ``callback`` can change ``payment``: it is still open, or a first "paid" arrives
    for a payment given up (a late paid, to flag for refund)."""
    return payment.state in OPEN or (callback.success and payment.state in CLOSED and payment.late_paid_at is None)


class Outcome(enum.Enum):
    """How a gateway's message was taken, in words the protocols translate into their codes."""

    PAID = "paid"  # the payment is now paid
    CLOSED = "closed"  # the payment failed or was cancelled at the gateway
    ALREADY = "already"  # nothing to change: a repeat, or the payment was already settled
    LATE_PAID = "late_paid"  # paid at the gateway after we gave the payment up: flagged for refund
    NOT_FOUND = "not_found"
    WRONG_AMOUNT = "wrong_amount"


# What applying a callback reads of a payment (and the unit that numbers its receipt).
_CALLBACK_FIELDS = (
    "pk",
    "dossier_id",
    "reference",
    "method",
    "state",
    "amount_vnd",
    "late_paid_at",
    "dossier__receiving_unit__code",
)


def payment_apply_callback(
    *, method: str, callback: Callback, source: str, now: datetime.datetime | None = None
) -> Outcome:
    """Apply a verified gateway message (IPN, callback or return) to the payment it names.
    Idempotent: the same message again changes nothing and answers ``ALREADY``."""
    now = now or timezone.now()
    fields = {"reference": callback.reference[:40], "method": method, "source": source, "code": callback.code}
    # The reference is unique: no ORDER BY to build.
    seen = next(
        iter(
            Payment.objects.filter(reference=callback.reference[:40], method=method)
            .order_by()
            .select_related("dossier__receiving_unit")
            .only(*_CALLBACK_FIELDS)[:1]
        ),
        None,
    )
    if seen is None:
        log.warning("payment callback for an unknown reference", extra=fields)
        return Outcome.NOT_FOUND
    if callback.amount_vnd != seen.amount_vnd:
        log.warning(
            "payment callback with a wrong amount",
            extra={**fields, "amount_vnd": callback.amount_vnd, "expected_vnd": seen.amount_vnd},
        )
        return Outcome.WRONG_AMOUNT
    if not _may_change(seen, callback):
        # A repeat, answered without taking the write lock (most notifications are repeats).
        log.info("payment callback repeated", extra={**fields, "state": seen.state})
        return Outcome.ALREADY
    with transaction.atomic():
        if callback.success and seen.state in OPEN:
            # The usual case, a first "paid": the conditional update in ``_pay`` claims the
            # payment from the state just read, without a locked read first.
            receipt = _pay(
                seen, now=now, source=source, gateway_number=callback.gateway_number, bank_code=callback.bank_code
            )
            if receipt is not None:
                log.info("payment paid", extra={**fields, "receipt": receipt.code})
                return Outcome.PAID
        # Anything else, or the payment moved on since it was read: decide on the locked row.
        payment = (
            Payment.objects.select_for_update(of=("self",))
            .select_related("dossier__receiving_unit")
            .only(*_CALLBACK_FIELDS)
            .get(pk=seen.pk)
        )
        if payment.state in OPEN:
            if callback.success:
                receipt = _pay(
                    payment,
                    now=now,
                    source=source,
                    gateway_number=callback.gateway_number,
                    bank_code=callback.bank_code,
                )
                if receipt is not None:
                    log.info("payment paid", extra={**fields, "receipt": receipt.code})
                    return Outcome.PAID
                return Outcome.ALREADY
            target = State.CANCELLED if callback.cancelled else State.FAILED
            if Payment.objects.filter(pk=payment.pk, state__in=OPEN).update(state=target, updated_at=now):
                _event(
                    payment,
                    at=now,
                    source=source,
                    from_state=payment.state,
                    to_state=target,
                    details={"code": callback.code, "gateway_number": callback.gateway_number},
                )
                log.info("payment closed by the gateway", extra={**fields, "state": target})
                return Outcome.CLOSED
            return Outcome.ALREADY
        if callback.success and payment.state in CLOSED:
            if payment.late_paid_at is None:
                Payment.objects.filter(pk=payment.pk).update(
                    late_paid_at=now, needs_refund=True, gateway_number=callback.gateway_number, updated_at=now
                )
                _event(
                    payment,
                    at=now,
                    source=source,
                    from_state=payment.state,
                    to_state=payment.state,
                    note=_("Cổng thanh toán báo đã thanh toán sau khi giao dịch đã kết thúc: cần hoàn tiền."),
                    details={"code": callback.code, "gateway_number": callback.gateway_number, "late_paid": True},
                )
                log.warning("late paid callback: flagged for refund", extra={**fields, "state": payment.state})
                return Outcome.LATE_PAID
        log.info("payment callback repeated", extra={**fields, "state": payment.state})
        return Outcome.ALREADY


def payment_check_with_gateway(*, payment: Payment, gateway: Any, now: datetime.datetime | None = None) -> Outcome:
    """Ask the national platform what became of an open payment (QUERY) and apply its answer,
    as a callback would: for a citizen who closed the browser and a callback that never came.
    A transaction the platform still has open changes nothing."""
    now = now or timezone.now()
    callback = gateway.status(reference=payment.reference, now=now)
    if not callback.success and not callback.cancelled and callback.code != "01":
        return Outcome.ALREADY
    return payment_apply_callback(method=payment.method, callback=callback, source=Source.QUERY, now=now)


# --- At the counter -----------------------------------------------------------------------------------


def payment_record_counter(
    *,
    actor: Any,
    dossier: Dossier,
    method: str,
    group: str = "",
    note: str = "",
    now: datetime.datetime | None = None,
) -> Payment:
    """Thu phí tại Bộ phận Một cửa: the counter officer records cash or a bank transfer (with the
    exemption of a beneficiary group once its proof has been seen). The caller has checked that
    ``actor`` may receive dossiers of the dossier's agency."""
    now = now or timezone.now()
    if method not in (Method.CASH, Method.BANK_TRANSFER):
        raise PaymentRefused(_("Chọn tiền mặt hoặc chuyển khoản."))
    if method == Method.BANK_TRANSFER and not note.strip():
        raise PaymentRefused(_("Ghi số hiệu giao dịch chuyển khoản."))
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().select_related("procedure_version__procedure").get(pk=dossier.pk)
        if not is_payable(dossier):
            raise PaymentRefused(_("Hồ sơ này hiện không cần thanh toán, hoặc đã được thanh toán."))
        assessment = dossier_assessment(dossier, group=group)
        if group and assessment.exemption is None:
            raise PaymentRefused(_("Không có chính sách miễn phí cho đối tượng này vào ngày nộp hồ sơ."))
        _cancel_open(dossier, now=now, source=Source.OFFICER, note=_("Đã thu tại Bộ phận Một cửa."), actor=actor)
        payment = Payment.objects.create(
            dossier=dossier,
            reference=new_reference(dossier),
            method=method,
            state=State.CREATED,
            amount_vnd=assessment.total_vnd,
            base_vnd=assessment.base_vnd,
            reduction_vnd=assessment.reduction_vnd,
            exemption_vnd=assessment.exemption_vnd,
            assessment=assessment.as_dict(),
            beneficiary_group=group,
            created_by=actor,
        )
        _event(payment, at=now, source=Source.OFFICER, actor=actor, to_state=State.CREATED)
        _pay(payment, now=now, source=Source.OFFICER, actor=actor, gateway_number=note.strip()[:60], note=note.strip())
    payment.refresh_from_db()
    log.info("payment recorded at the counter", extra={"reference": payment.reference, "method": method})
    return payment


# --- Expiry, cancellation, refund ----------------------------------------------------------------------


def payments_expire(*, now: datetime.datetime | None = None) -> int:
    """Open payments past their expiry time become expired (a periodic sweep)."""
    now = now or timezone.now()
    expired = 0
    for payment in Payment.objects.filter(state__in=OPEN, expires_at__lt=now).only("pk", "state"):
        with transaction.atomic():
            if Payment.objects.filter(pk=payment.pk, state__in=OPEN, expires_at__lt=now).update(
                state=State.EXPIRED, updated_at=now
            ):
                _event(payment, at=now, source=Source.SYSTEM, from_state=payment.state, to_state=State.EXPIRED)
                expired += 1
    return expired


def payments_cancel_for_dossier(*, dossier: Dossier, reason: str, now: datetime.datetime | None = None) -> int:
    """The dossier no longer waits for money (withdrawn, stopped): its open payments are cancelled;
    a "paid" for them arriving later is flagged for refund."""
    now = now or timezone.now()
    with transaction.atomic():
        return _cancel_open(dossier, now=now, source=Source.SYSTEM, note=reason)


def payment_refund(*, actor: Any, payment: Payment, note: str, now: datetime.datetime | None = None) -> Payment:
    """Hoàn tiền: recorded by an officer once the money is back with the citizen."""
    now = now or timezone.now()
    if not note.strip():
        raise PaymentRefused(_("Ghi lý do và chứng từ hoàn tiền."))
    with transaction.atomic():
        current = Payment.objects.select_for_update().get(pk=payment.pk)
        refundable = current.state == State.PAID or current.needs_refund
        if not refundable or not rules.can_move(current.state, State.REFUNDED):
            raise PaymentRefused(_("Khoản thanh toán này không thể hoàn tiền."))
        Payment.objects.filter(pk=current.pk).update(state=State.REFUNDED, needs_refund=False, updated_at=now)
        _event(
            current,
            at=now,
            source=Source.OFFICER,
            actor=actor,
            from_state=current.state,
            to_state=State.REFUNDED,
            note=note,
        )
    current.refresh_from_db()
    return current


# --- Reconciliation -------------------------------------------------------------------------------------


def payment_reconcile(
    *,
    actor: Any,
    method: str,
    day: datetime.date,
    statement: rules.Statement,
    file_name: str,
    file_sha256: str,
    now: datetime.datetime | None = None,
) -> tuple[Reconciliation, Reconciled]:
    """Đối soát: compare a gateway's statement (already read, every line readable) for ``day``
    with the payments of the agencies where ``actor`` may reconcile, and record who did it,
    when, and what was found. The mismatches are answered, not stored."""
    now = now or timezone.now()
    if method not in ONLINE_METHODS:
        raise PaymentRefused(_("Chọn cổng thanh toán trực tuyến cần đối soát."))
    if statement.problems:
        raise PaymentRefused(_("Tệp sao kê còn dòng không đọc được."))
    agencies = reconciling_agencies(actor)
    agency_ids = list(agencies.values_list("pk", flat=True))
    if not agency_ids:
        raise PaymentRefused(_("Bạn không có vai trò đối soát thanh toán ở cơ quan nào."))
    result = statement_reconciliation(method=method, day=day, statement=statement, agencies=agencies)
    with transaction.atomic():
        row = Reconciliation.objects.create(
            ran_at=now,
            ran_by=actor,
            method=method,
            day=day,
            file_name=file_name[:200],
            file_sha256=file_sha256,
            statement_rows=result.statement_rows,
            our_payments=result.our_payments,
            missing_here=result.count(MismatchKind.MISSING_HERE),
            missing_there=result.count(MismatchKind.MISSING_THERE),
            amount_mismatches=result.count(MismatchKind.AMOUNT),
            state_mismatches=result.count(MismatchKind.STATE),
        )
        row.agencies.set(agency_ids)
    log.info(
        "payments reconciled",
        extra={"method": method, "day": day.isoformat(), "reconciliation": row.pk, "mismatches": row.mismatches},
    )
    return row, result
