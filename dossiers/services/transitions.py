"""One function per transition of the lifecycle after submission (DESIGN.md), each a call of
``machinery._apply``."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from org.permissions import memberships_held
from workdays.selectors import work_calendar

from .. import rules
from ..errors import DossierInvalid, TransitionNotAllowed
from ..fees import fee_desk
from ..models import Dossier, DossierEvent
from ..rules import Action, Outcome, ResultDelivery, State
from .intake import HandedDocument, _document_problems, _save_documents
from .machinery import SystemActor, _apply, _Step


def _required(text: str, field_name: str, message: str) -> str:
    text = text.strip()
    if not text:
        raise DossierInvalid({field_name: message})
    return text


def _required_list(items: Sequence[str], field_name: str, message: str) -> list[str]:
    cleaned = [item.strip() for item in items if item.strip()]
    if not cleaned:
        raise DossierInvalid({field_name: message})
    return cleaned


def dossier_receive(
    *,
    actor: Any,
    dossier: Dossier,
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
    note: str = "",
    due_on: datetime.date | None = None,
    due_reason: str = "",
) -> Dossier:
    """Tiếp nhận: the dossier gets its due date (Giấy tiếp nhận hồ sơ và hẹn trả kết quả). It
    has had its code since submission (``rules.gives_code``). When the procedure has no working
    days, the officer sets the due date (``due_on``, a working day after today) with the reason
    (``due_reason``), both written in the history (``rules.counter_due_problems``)."""
    due_reason = due_reason.strip()

    def prepare(step: _Step) -> dict[str, Any]:
        current = step.dossier
        calendar = work_calendar()
        problems = rules.counter_due_problems(
            procedure_days=current.procedure_version.working_days(current.channel),
            due_on=due_on,
            reason=due_reason,
            today=step.today,
            calendar=calendar,
        )
        if problems:
            raise DossierInvalid(problems)
        values: dict[str, Any] = {"received_at": step.now}
        if due_on is not None:
            values["counter_working_days"] = rules.counter_working_days(timezone.localtime(step.now), due_on, calendar)
        return values

    return _apply(
        Action.RECEIVE,
        actor=actor,
        dossier=dossier,
        expected_version=expected_version,
        now=now,
        prepare=prepare,
        note=note,
        details={"due_on": due_on.isoformat(), "due_reason": due_reason} if due_on is not None else None,
    )


def dossier_refuse_intake(
    *,
    actor: Any,
    dossier: Dossier,
    expected_version: int | None = None,
    reason: str,
    now: datetime.datetime | None = None,
) -> Dossier:
    """Từ chối tiếp nhận, with the reason written on the refusal slip."""
    reason = _required(reason, "reason", _("Cần ghi lý do từ chối tiếp nhận."))
    return _apply(
        Action.REFUSE_INTAKE,
        actor=actor,
        dossier=dossier,
        expected_version=expected_version,
        now=now,
        note=reason,
        notice={"reason": reason},
    )


def dossier_request_supplement(
    *,
    actor: Any,
    dossier: Dossier,
    expected_version: int | None = None,
    missing: Sequence[str],
    note: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """Yêu cầu bổ sung, hoàn thiện hồ sơ: ``missing`` lists exactly what is missing, so that the
    citizen is told everything at once. After reception it stops the clock and counts towards
    the index (more than one request: late)."""
    items = _required_list(missing, "missing", _("Cần liệt kê đầy đủ những giấy tờ, nội dung cần bổ sung."))

    def prepare(step: _Step) -> dict[str, Any]:
        if step.dossier.received_at is None:
            return {}
        return {"supplement_request_count": step.dossier.supplement_request_count + 1}

    return _apply(
        Action.REQUEST_SUPPLEMENT,
        actor=actor,
        dossier=dossier,
        expected_version=expected_version,
        now=now,
        prepare=prepare,
        note=note,
        details={"missing": items},
        notice={"missing": items},
    )


def dossier_supplement(
    *,
    actor: Any,
    dossier: Dossier,
    expected_version: int | None = None,
    documents: Sequence[HandedDocument] = (),
    note: str = "",
    attachments: Sequence[Mapping[str, Any]] = (),
    now: datetime.datetime | None = None,
) -> Dossier:
    """Bổ sung hồ sơ, online by the citizen or at the counter: the clock runs again."""
    errors = _document_problems(dossier.procedure_version, documents)
    if errors:
        raise DossierInvalid(errors)

    def prepare(step: _Step) -> dict[str, Any]:
        _save_documents(step.dossier, documents)
        return {}

    return _apply(
        Action.SUPPLEMENT,
        actor=actor,
        dossier=dossier,
        expected_version=expected_version,
        now=now,
        prepare=prepare,
        note=note,
        attachments=attachments,
        details={"documents": [d.required_document for d in documents]},
    )


def _check_handler(dossier: Dossier, user: Any, today: datetime.date) -> None:
    """``user`` may take the dossier over: a processing officer or leader of its agency."""
    holds = user is not None and any(
        held.agency_id == dossier.processing_agency_id and held.role in rules.AGENCY_ROLES
        for held in memberships_held(user, on=today)
    )
    if not holds:
        raise DossierInvalid({"to": _("Người nhận không phải chuyên viên hoặc lãnh đạo của cơ quan giải quyết.")})


def dossier_assign(
    *,
    actor: Any,
    dossier: Dossier,
    expected_version: int | None = None,
    to: Any = None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """Chuyển hồ sơ: the one-stop unit hands the received dossier to the processing agency, to
    one of its officers when ``to`` is given."""

    def prepare(step: _Step) -> dict[str, Any]:
        if to is not None:
            _check_handler(step.dossier, to, step.today)
        return {"assignee": to}

    return _apply(
        Action.ASSIGN,
        actor=actor,
        dossier=dossier,
        expected_version=expected_version,
        now=now,
        prepare=prepare,
        note=note,
    )


def dossier_forward(
    *,
    actor: Any,
    dossier: Dossier,
    expected_version: int | None = None,
    to: Any,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """Chuyển bước: inside the processing agency, from officer to officer or to the leader."""

    def prepare(step: _Step) -> dict[str, Any]:
        _check_handler(step.dossier, to, step.today)
        return {"assignee": to}

    return _apply(
        Action.FORWARD,
        actor=actor,
        dossier=dossier,
        expected_version=expected_version,
        now=now,
        prepare=prepare,
        note=note,
    )


def dossier_return_step(
    *,
    actor: Any,
    dossier: Dossier,
    expected_version: int | None = None,
    reason: str,
    now: datetime.datetime | None = None,
) -> Dossier:
    """Trả lại bước trước, with the reason: the dossier goes back to whoever forwarded it to its
    current handler."""
    reason = _required(reason, "reason", _("Cần ghi lý do trả lại."))

    def prepare(step: _Step) -> dict[str, Any]:
        last = (
            DossierEvent.objects.filter(dossier=step.dossier, action=Action.FORWARD, handed_to=step.dossier.assignee_id)
            .select_related("actor")
            .order_by("-at", "-id")
            .first()
        )
        if last is None or last.actor is None:
            raise TransitionNotAllowed(
                Action.RETURN_STEP,
                State(step.dossier.state),
                _("Hồ sơ đang ở bước xử lý đầu tiên, không có bước trước."),
            )
        return {"assignee": last.actor}

    return _apply(
        Action.RETURN_STEP,
        actor=actor,
        dossier=dossier,
        expected_version=expected_version,
        now=now,
        prepare=prepare,
        note=reason,
    )


def dossier_request_payment(
    *,
    actor: Any,
    dossier: Dossier,
    expected_version: int | None = None,
    fee_items: Mapping[int, int] | None = None,
    override_vnd: int | None = None,
    override_reason: str = "",
    note: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """Yêu cầu thực hiện nghĩa vụ tài chính: the clock stops until the fees are paid. The officer
    picks the catalog's fee lines (``fee_items``: FeeItem id → quantity; None: the lines of the
    dossier's channel, one each); the amount is the fee desk's assessment (``dossiers.fees``), the
    one the payment will charge. An amount set by hand (``override_vnd``) needs a reason; it is
    kept in the request's history with the lines it replaces, and audited."""
    reason = override_reason.strip()
    if override_vnd is not None and not reason:
        raise DossierInvalid({"override_reason": _("Ghi lý do khi nhập số tiền khác với biểu phí.")})
    if override_vnd is not None and override_vnd <= 0:
        raise DossierInvalid({"override_vnd": _("Số tiền phải lớn hơn 0 đồng.")})
    try:
        fee = fee_desk().assess(dossier, fee_items, override_vnd, reason)
    except ValueError:
        raise DossierInvalid({"fee_items": _("Chọn các khoản phí, lệ phí của thủ tục này.")}) from None
    amount_vnd = int(fee["total_vnd"])
    if amount_vnd <= 0:
        raise DossierInvalid({"fee_items": _("Các khoản đã chọn không phải nộp tiền: chọn khoản phí, lệ phí cần nộp.")})
    with transaction.atomic():
        done = _apply(
            Action.REQUEST_PAYMENT,
            actor=actor,
            dossier=dossier,
            expected_version=expected_version,
            now=now,
            note=note,
            details={"amount_vnd": amount_vnd, "fee": fee},
            notice={"amount_vnd": amount_vnd, "fee": fee},
        )
        if override_vnd is not None:
            audit_record(
                action=AuditAction.FEE_OVERRIDDEN,
                actor=actor,
                target=done,
                details={
                    "dossier": done.code or done.pk,
                    "amount_vnd": amount_vnd,
                    "computed_vnd": fee.get("computed_vnd"),
                    "reason": reason,
                },
            )
    return done


def dossier_mark_paid(
    *,
    actor: Any,
    dossier: Dossier,
    expected_version: int | None = None,
    receipt_number: str = "",
    now: datetime.datetime | None = None,
    system: SystemActor | None = None,
) -> Dossier:
    """Đã thực hiện nghĩa vụ tài chính: the clock runs again. Confirmed by an officer (paid at
    the counter), or by the payment platform for an online payment: ``actor=None,
    system=SystemActor(rules.PAYMENT_PLATFORM, "VNPay")``; the history then names the platform
    and no person."""
    return _apply(
        Action.MARK_PAID,
        actor=actor,
        dossier=dossier,
        expected_version=expected_version,
        now=now,
        details={"receipt_number": receipt_number.strip()},
        system=system,
    )


def dossier_withdraw(
    *,
    actor: Any,
    dossier: Dossier,
    expected_version: int | None = None,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """Rút hồ sơ at the citizen's request, from any open state."""
    return _apply(
        Action.WITHDRAW, actor=actor, dossier=dossier, expected_version=expected_version, now=now, note=reason.strip()
    )


def dossier_stop(
    *,
    actor: Any,
    dossier: Dossier,
    expected_version: int | None = None,
    reason: str,
    now: datetime.datetime | None = None,
) -> Dossier:
    """Dừng xử lý, with the reason written on the stop notice."""
    reason = _required(reason, "reason", _("Cần ghi lý do dừng xử lý."))
    return _apply(
        Action.STOP,
        actor=actor,
        dossier=dossier,
        expected_version=expected_version,
        now=now,
        note=reason,
        notice={"reason": reason},
    )


def dossier_approve(
    *,
    actor: Any,
    dossier: Dossier,
    expected_version: int | None = None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """Phê duyệt: the result is decided."""
    return _apply(
        Action.APPROVE,
        actor=actor,
        dossier=dossier,
        expected_version=expected_version,
        now=now,
        prepare=lambda step: {"outcome": Outcome.APPROVED},
        note=note,
    )


def dossier_refuse(
    *,
    actor: Any,
    dossier: Dossier,
    expected_version: int | None = None,
    reasons: Sequence[str],
    now: datetime.datetime | None = None,
) -> Dossier:
    """Từ chối giải quyết, with the reasons (Văn bản trả lời nêu rõ lý do)."""
    items = _required_list(reasons, "reasons", _("Cần nêu rõ lý do từ chối giải quyết."))
    return _apply(
        Action.REFUSE,
        actor=actor,
        dossier=dossier,
        expected_version=expected_version,
        now=now,
        prepare=lambda step: {"outcome": Outcome.REFUSED},
        details={"reasons": items},
        notice={"reasons": items},
    )


def dossier_extend(
    *,
    actor: Any,
    dossier: Dossier,
    expected_version: int | None = None,
    new_due_on: datetime.date,
    apology: str,
    now: datetime.datetime | None = None,
) -> Dossier:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả: once, at least one working day before the due
    date, to a later working day. ``original_due_on`` keeps the first date for statistics."""
    apology = _required(apology, "apology", _("Cần ghi lý do chậm trễ và lời xin lỗi."))

    def prepare(step: _Step) -> dict[str, Any]:
        current = step.dossier
        calendar = work_calendar()
        problem = rules.extension_problem(
            already_extended=current.extended,
            due=current.due_on,
            new_due=new_due_on,
            today=step.today,
            calendar=calendar,
        )
        if problem is not None:
            raise TransitionNotAllowed(Action.EXTEND, State(current.state), problem)
        assert current.due_on is not None
        return {"extended": True, "extension_days": calendar.working_days_between(current.due_on, new_due_on)}

    return _apply(
        Action.EXTEND,
        actor=actor,
        dossier=dossier,
        expected_version=expected_version,
        now=now,
        prepare=prepare,
        note=apology,
        details={
            "previous_due_on": dossier.due_on.isoformat() if dossier.due_on else None,
            "new_due_on": new_due_on.isoformat(),
        },
        notice={"new_due_on": new_due_on.isoformat(), "apology": apology},
    )


def dossier_result_ready(
    *,
    actor: Any,
    dossier: Dossier,
    expected_version: int | None = None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """Kết quả đã có tại Bộ phận Một cửa (or in the citizen's data store): the citizen is told."""

    def prepare(step: _Step) -> dict[str, Any]:
        if step.dossier.result_ready_at is not None:
            raise TransitionNotAllowed(
                Action.RESULT_READY, State(step.dossier.state), _("Đã thông báo có kết quả cho hồ sơ này.")
            )
        return {"result_ready_at": step.now}

    return _apply(
        Action.RESULT_READY,
        actor=actor,
        dossier=dossier,
        expected_version=expected_version,
        now=now,
        prepare=prepare,
        note=note,
    )


def dossier_return_result(
    *,
    actor: Any,
    dossier: Dossier,
    expected_version: int | None = None,
    method: str,
    tracking_number: str = "",
    note: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """Trả kết quả: at the counter, by post (with the postal tracking number) or online."""
    if method not in ResultDelivery.values:
        raise DossierInvalid({"method": _("Hình thức trả kết quả không hợp lệ.")})
    tracking_number = tracking_number.strip()
    if method == ResultDelivery.POST and not tracking_number:
        raise DossierInvalid({"tracking_number": _("Cần ghi số hiệu bưu gửi khi trả kết quả qua bưu chính.")})
    return _apply(
        Action.RETURN_RESULT,
        actor=actor,
        dossier=dossier,
        expected_version=expected_version,
        now=now,
        prepare=lambda step: {
            "returned_at": step.now,
            "result_returned_by": method,
            "postal_tracking_number": tracking_number,
        },
        note=note,
        details={"method": method, "tracking_number": tracking_number},
        notice={"method": method, "tracking_number": tracking_number},
    )
