"""What the citizen is told at each citizen-facing step (``dossier.<action>`` outbox rows): the
e-mail's subject, paragraphs and list, and the SMS text, in the notification's language.
Vietnamese is the msgid; the other four languages come from the catalogs."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from common.formats import format_vnd, short_date
from dossiers.rules import ResultDelivery


@dataclass(frozen=True)
class Composed:
    subject: str
    paragraphs: list[str]
    items: list[str] = field(default_factory=list)  # what is missing, the reasons
    sms: str = ""
    link: str = ""
    language: str = "vi"


def _day(value: Any, language: str) -> str:
    if not value:
        return ""
    return short_date(datetime.date.fromisoformat(str(value)), language)


def _text_list(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(item) for item in value if str(item).strip()]
    return [str(value)] if value else []


@dataclass(frozen=True)
class _Ctx:
    code: str
    procedure: str
    due: str
    language: str
    payload: Mapping[str, Any]

    @property
    def ref(self) -> str:
        """The dossier as the citizen knows it: its code once received, else its procedure."""
        return self.code or self.procedure[:120]


def _submit(c: _Ctx) -> Composed:
    return Composed(
        _("Hồ sơ %(ref)s đã được nộp") % {"ref": c.ref},
        [
            _("Hồ sơ thủ tục “%(procedure)s” đã được nộp.") % {"procedure": c.procedure},
            _("Bộ phận Một cửa sẽ kiểm tra và tiếp nhận hồ sơ; ông/bà sẽ nhận được mã hồ sơ và ngày hẹn trả kết quả."),
        ],
        sms=_("Hồ sơ %(ref)s đã được nộp, đang chờ tiếp nhận.") % {"ref": c.ref},
    )


def _receive(c: _Ctx) -> Composed:
    return Composed(
        _("Hồ sơ %(code)s đã được tiếp nhận") % {"code": c.code},
        [
            _("Hồ sơ thủ tục “%(procedure)s” đã được tiếp nhận với mã hồ sơ %(code)s.")
            % {"procedure": c.procedure, "code": c.code},
            _("Ngày hẹn trả kết quả: %(due)s.") % {"due": c.due}
            if c.due
            else _("Cơ quan giải quyết sẽ thông báo ngày hẹn trả kết quả."),
        ],
        sms=(
            _("Hồ sơ %(code)s đã được tiếp nhận. Hẹn trả kết quả ngày %(due)s.") % {"code": c.code, "due": c.due}
            if c.due
            else _("Hồ sơ %(code)s đã được tiếp nhận.") % {"code": c.code}
        ),
    )


def _refuse_intake(c: _Ctx) -> Composed:
    reason = str(c.payload.get("reason", ""))
    return Composed(
        _("Hồ sơ %(ref)s không được tiếp nhận") % {"ref": c.ref},
        [
            _("Hồ sơ thủ tục “%(procedure)s” không được tiếp nhận.") % {"procedure": c.procedure},
            _("Lý do: %(reason)s") % {"reason": reason},
        ],
        sms=_("Hồ sơ %(ref)s không được tiếp nhận. Lý do: %(reason)s") % {"ref": c.ref, "reason": reason},
    )


def _request_supplement(c: _Ctx) -> Composed:
    missing = _text_list(c.payload.get("missing"))
    return Composed(
        _("Hồ sơ %(ref)s cần bổ sung, hoàn thiện") % {"ref": c.ref},
        [
            _("Hồ sơ thủ tục “%(procedure)s” cần được bổ sung, hoàn thiện những nội dung sau:")
            % {"procedure": c.procedure},
        ],
        items=missing,
        sms=_("Hồ sơ %(ref)s cần bổ sung: %(missing)s.") % {"ref": c.ref, "missing": "; ".join(missing)},
    )


def _supplement(c: _Ctx) -> Composed:
    return Composed(
        _("Đã nhận hồ sơ bổ sung %(ref)s") % {"ref": c.ref},
        [_("Hồ sơ bổ sung của ông/bà đã được nhận; hồ sơ tiếp tục được giải quyết.")],
        sms=_("Đã nhận hồ sơ bổ sung %(ref)s, hồ sơ tiếp tục được giải quyết.") % {"ref": c.ref},
    )


def _request_payment(c: _Ctx) -> Composed:
    amount = format_vnd(int(c.payload.get("amount_vnd") or 0), c.language)
    return Composed(
        _("Hồ sơ %(ref)s: đề nghị nộp phí, lệ phí") % {"ref": c.ref},
        [
            _("Để tiếp tục giải quyết hồ sơ, ông/bà vui lòng nộp phí, lệ phí: %(amount)s.") % {"amount": amount},
            _("Thời gian chờ nộp phí, lệ phí không tính vào thời hạn giải quyết."),
        ],
        sms=_("Hồ sơ %(ref)s: đề nghị nộp phí, lệ phí %(amount)s.") % {"ref": c.ref, "amount": amount},
    )


def _mark_paid(c: _Ctx) -> Composed:
    return Composed(
        _("Hồ sơ %(ref)s: đã xác nhận nộp phí, lệ phí") % {"ref": c.ref},
        [_("Phí, lệ phí đã được xác nhận; hồ sơ tiếp tục được giải quyết.")],
        sms=_("Hồ sơ %(ref)s: đã xác nhận nộp phí, lệ phí.") % {"ref": c.ref},
    )


def _withdraw(c: _Ctx) -> Composed:
    return Composed(
        _("Hồ sơ %(ref)s đã được rút") % {"ref": c.ref},
        [_("Theo đề nghị của ông/bà, hồ sơ thủ tục “%(procedure)s” đã được rút.") % {"procedure": c.procedure}],
        sms=_("Hồ sơ %(ref)s đã được rút theo đề nghị của ông/bà.") % {"ref": c.ref},
    )


def _stop(c: _Ctx) -> Composed:
    reason = str(c.payload.get("reason", ""))
    return Composed(
        _("Hồ sơ %(ref)s bị dừng xử lý") % {"ref": c.ref},
        [
            _("Hồ sơ thủ tục “%(procedure)s” bị dừng xử lý.") % {"procedure": c.procedure},
            _("Lý do: %(reason)s") % {"reason": reason},
        ],
        sms=_("Hồ sơ %(ref)s bị dừng xử lý. Lý do: %(reason)s") % {"ref": c.ref, "reason": reason},
    )


def _approve(c: _Ctx) -> Composed:
    return Composed(
        _("Hồ sơ %(ref)s đã được giải quyết") % {"ref": c.ref},
        [
            _("Hồ sơ thủ tục “%(procedure)s” đã được phê duyệt.") % {"procedure": c.procedure},
            _("Ông/bà sẽ được thông báo khi có kết quả để nhận."),
        ],
        sms=_("Hồ sơ %(ref)s đã được phê duyệt.") % {"ref": c.ref},
    )


def _refuse(c: _Ctx) -> Composed:
    reasons = _text_list(c.payload.get("reasons"))
    return Composed(
        _("Hồ sơ %(ref)s không được giải quyết") % {"ref": c.ref},
        [_("Hồ sơ thủ tục “%(procedure)s” không được giải quyết vì:") % {"procedure": c.procedure}],
        items=reasons,
        sms=_("Hồ sơ %(ref)s không được giải quyết. Lý do: %(reasons)s")
        % {"ref": c.ref, "reasons": "; ".join(reasons)},
    )


def _extend(c: _Ctx) -> Composed:
    new_due = _day(c.payload.get("new_due_on"), c.language)
    apology = str(c.payload.get("apology", ""))
    return Composed(
        _("Xin lỗi ông/bà: hồ sơ %(ref)s được hẹn lại ngày trả kết quả") % {"ref": c.ref},
        [
            _("Chúng tôi xin lỗi vì hồ sơ thủ tục “%(procedure)s” chưa thể giải quyết đúng hẹn.")
            % {"procedure": c.procedure},
            apology,
            _("Ngày hẹn trả kết quả mới: %(due)s.") % {"due": new_due},
        ],
        sms=_("Xin lỗi ông/bà, hồ sơ %(ref)s được hẹn lại ngày trả kết quả: %(due)s.") % {"ref": c.ref, "due": new_due},
    )


def _result_ready(c: _Ctx) -> Composed:
    return Composed(
        _("Đã có kết quả hồ sơ %(ref)s") % {"ref": c.ref},
        [
            _("Kết quả giải quyết hồ sơ thủ tục “%(procedure)s” đã có.") % {"procedure": c.procedure},
            _("Mời ông/bà nhận kết quả theo hình thức đã đăng ký."),
        ],
        sms=_("Đã có kết quả hồ sơ %(ref)s. Mời ông/bà nhận kết quả.") % {"ref": c.ref},
    )


def _return_result(c: _Ctx) -> Composed:
    method = str(c.payload.get("method", ""))
    tracking = str(c.payload.get("tracking_number", ""))
    paragraphs = [_("Kết quả hồ sơ %(ref)s đã được trả.") % {"ref": c.ref}]
    if method == ResultDelivery.POST and tracking:
        paragraphs.append(_("Kết quả được gửi qua bưu chính, số hiệu bưu gửi: %(number)s.") % {"number": tracking})
    elif method == ResultDelivery.ONLINE:
        paragraphs.append(_("Kết quả điện tử được lưu trong kho dữ liệu của ông/bà trên Cổng Dịch vụ công."))
    return Composed(
        _("Đã trả kết quả hồ sơ %(ref)s") % {"ref": c.ref},
        paragraphs,
        sms=" ".join(paragraphs),
    )


COMPOSERS: dict[str, Callable[[_Ctx], Composed]] = {
    "dossier.submit": _submit,
    "dossier.receive": _receive,
    "dossier.refuse_intake": _refuse_intake,
    "dossier.request_supplement": _request_supplement,
    "dossier.supplement": _supplement,
    "dossier.request_payment": _request_payment,
    "dossier.mark_paid": _mark_paid,
    "dossier.withdraw": _withdraw,
    "dossier.stop": _stop,
    "dossier.approve": _approve,
    "dossier.refuse": _refuse,
    "dossier.extend": _extend,
    "dossier.result_ready": _result_ready,
    "dossier.return_result": _return_result,
}


def supported_language(language: str) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def compose(template_key: str, payload: Mapping[str, Any], language: str) -> Composed:
    """The notification ``template_key`` with ``payload`` in ``language`` (Vietnamese when the
    language is not one of the portal's). Raises ``KeyError`` for an unknown template."""
    composer = COMPOSERS[template_key]
    language = supported_language(language)
    with translation.override(language):
        context = _Ctx(
            code=str(payload.get("code") or ""),
            procedure=str(payload.get("procedure") or ""),
            due=_day(payload.get("due_on"), language),
            language=language,
            payload=payload,
        )
        composed = composer(context)
        link = settings.PORTAL_PUBLIC_URL.rstrip("/") + reverse("dossiers:track")
        if context.code:
            link += "?" + urlencode({"ma": context.code})
        return Composed(
            subject=composed.subject,
            paragraphs=[p for p in composed.paragraphs if p],
            items=composed.items,
            sms=composed.sms,
            link=link,
            language=language,
        )
