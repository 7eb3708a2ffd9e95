"""The official slips of a dossier, one function each: the dossier (and, optionally, its history
already read) in, the PDF bytes out. Their form numbers and titles follow the circular in force on
the slip's day (``editions``: Thông tư 01/2018/TT-VPCP, then 03/2025/TT-VPCP). They only read;
storing a slip with the dossier is the caller's business.

- ``receipt``: Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01)
- ``supplement_request``: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)
- ``refusal``: Phiếu từ chối tiếp nhận giải quyết hồ sơ (Mẫu 03)
- ``apology``: Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)
- ``stop_notice``: Thông báo dừng xử lý hồ sơ
- ``control_sheet``: Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 05)
- ``log_book``: Sổ theo dõi hồ sơ of a one-stop unit over a period (Mẫu 06), A4 landscape
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from common.formats import official_date, short_date
from org.models import Agency, OneStopUnit
from workdays.rules import due_date
from workdays.selectors import work_calendar

from ..models import Dossier, DossierEvent, Handed
from ..rules import COUNTER, Action, Outcome, ResultDelivery, State
from . import layout
from .editions import SlipForm, slip_form
from .layout import (
    BODY,
    BOOK_CELL,
    BOOK_CELL_CENTER,
    BOOK_HEAD,
    CELL,
    CELL_CENTER,
    CELL_HEAD,
    Header,
    field,
    para,
    text,
)

_PLACE_PREFIXES = ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu ", "Thị trấn ", "Quận ", "Huyện ", "Thị xã ")


class SlipUnavailable(ValueError):
    """The dossier has not reached the step the slip is about (no such event in its history)."""


def place_of(unit: OneStopUnit | Agency) -> str:
    """The place name of the date line: the administrative unit where the issuer sits, without
    its level ("Tỉnh Khánh Hòa" → "Khánh Hòa")."""
    name = unit.administrative_unit.name
    for prefix in _PLACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _events(dossier: Dossier, events: Sequence[DossierEvent] | None) -> list[DossierEvent]:
    if events is not None:
        return list(events)
    return list(dossier.events.select_related("handed_to").order_by("at", "id"))


def _last(events: Sequence[DossierEvent], *actions: Action) -> DossierEvent | None:
    found = [event for event in events if event.action in actions]
    return found[-1] if found else None


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment)


def _day(moment: datetime.datetime) -> datetime.date:
    return _local(moment).date()


def _clock(moment: datetime.datetime) -> str:
    """ "09 giờ 05 phút, ngày 03 tháng 11 năm 2025"."""
    local = _local(moment)
    return f"{local:%H} giờ {local:%M} phút, {official_date(local.date())}"


def _unit_header(dossier: Dossier, day: datetime.date, place: str | None) -> Header:
    unit = dossier.receiving_unit
    return Header(
        superior=dossier.processing_agency.name,
        issuer=unit.name,
        place=place or place_of(unit),
        day=day,
        number=dossier.code or "",
    )


def _agency_header(dossier: Dossier, day: datetime.date, place: str | None) -> Header:
    agency = dossier.processing_agency
    return Header(
        superior=agency.parent.name if agency.parent_id and agency.parent else "",
        issuer=agency.name,
        place=place or place_of(agency),
        day=day,
        number=dossier.code or "",
    )


def _header_for(event: DossierEvent, dossier: Dossier, place: str | None) -> Header:
    """The one-stop unit issues what its counter officers do; the agency the rest."""
    day = _day(event.at)
    if event.actor_role == COUNTER:
        return _unit_header(dossier, day, place)
    return _agency_header(dossier, day, place)


def _qr(dossier: Dossier, base_url: str | None) -> Flowable:
    caption = (
        f"Tra cứu tình trạng hồ sơ {dossier.code}"
        if dossier.code
        else "Hồ sơ chưa có mã hồ sơ; tra cứu trên Cổng dịch vụ công"
    )
    return layout.qr_code(layout.tracking_url(dossier.code, base_url), caption, layout.SLIP_PAGE.width)


def _form_number(form: SlipForm) -> list[Flowable]:
    return [para(text(form.number), layout.FORM_NUMBER)] if form.number else []


def _slip(dossier: Dossier, header: Header, body: list[Flowable], base_url: str | None, kind: str) -> bytes:
    """A slip: its form number and title as the edition in force on its day has them, the
    official header, the body, and the QR code to the tracking page."""
    form = slip_form(kind, header.day)
    story = [
        *_form_number(form),
        *layout.header(header, layout.SLIP_PAGE.width),
        *layout.title(*form.titles),
        *body,
        _qr(dossier, base_url),
    ]
    return layout.render(story, pdf_title=" ".join(form.titles), subject=dossier.code or "")


def _applicant(dossier: Dossier) -> list[Flowable]:
    rows: list[Flowable] = [field("Ông/Bà", dossier.applicant_name)]
    if dossier.organization_name:
        rows.append(field("Tổ chức", dossier.organization_name))
    rows.append(para(f"Địa chỉ: {text(dossier.applicant_address)}"))
    contact = [f"Số điện thoại: {text(dossier.applicant_phone)}"] if dossier.applicant_phone else []
    if dossier.applicant_email:
        contact.append(f"Thư điện tử: {text(dossier.applicant_email)}")
    if contact:
        rows.append(para("; ".join(contact)))
    return rows


def _procedure(dossier: Dossier) -> Paragraph:
    return para(f"Nội dung yêu cầu giải quyết: <b>{text(dossier.procedure_version.name)}</b>")


def _sentence(value: str) -> str:
    value = value.strip()
    return value if value.endswith((".", "!", "?", ";", ":")) else value + "."


def _officer(event: DossierEvent | None) -> str:
    return event.actor_label if event is not None else ""


# --- 1. Receipt and appointment ---------------------------------------------------------------


@dataclass(frozen=True)
class _DocumentRow:
    name: str
    originals: int
    copies: int
    electronic: int


def _document_rows(dossier: Dossier) -> list[_DocumentRow]:
    rows: dict[int, _DocumentRow] = {}
    names: dict[int, str] = {}
    for document in dossier.documents.select_related("required_document").order_by(
        "required_document__position", "required_document_id", "id"
    ):
        key = document.required_document_id
        names[key] = document.required_document.name
        row = rows.get(key, _DocumentRow(names[key], 0, 0, 0))
        quantity = document.quantity
        if document.handed_in == Handed.ORIGINAL:
            row = _DocumentRow(row.name, row.originals + quantity, row.copies, row.electronic)
        elif document.handed_in == Handed.ELECTRONIC:
            row = _DocumentRow(row.name, row.originals, row.copies, row.electronic + quantity)
        else:
            row = _DocumentRow(row.name, row.originals, row.copies + quantity, row.electronic)
        rows[key] = row
    return list(rows.values())


def _count(value: int) -> str:
    return f"{value:02d}" if value else "—"


def _where_to_collect(dossier: Dossier) -> str:
    """Item 6 of the receipt: where the result is received."""
    unit = dossier.receiving_unit
    if dossier.result_delivery == ResultDelivery.POST:
        recipient = ", ".join(
            part
            for part in (
                dossier.postal_recipient_name,
                f"điện thoại {dossier.postal_recipient_phone}" if dossier.postal_recipient_phone else "",
            )
            if part
        )
        where = dossier.postal_destination + (f" (người nhận: {recipient})" if recipient else "")
        return f"Nhận kết quả qua dịch vụ bưu chính tại: {where}"
    if dossier.result_delivery == ResultDelivery.COUNTER:
        where = f"{unit.name}, {unit.address}" if unit.address else unit.name
    else:
        where = "Trực tuyến, trên Cổng dịch vụ công và kho dữ liệu của Ông/Bà"
    return f"Nhận kết quả tại: {where}"


def appointment_date(dossier: Dossier) -> datetime.date | None:
    """The due date written on the receipt: counted in working days from the reception, as it
    was when the dossier was received (later clock stops and extensions have their own slips);
    for a procedure without working days, the date the counter officer set."""
    days = dossier.processing_days()
    if dossier.received_at is None or days is None:
        return None
    return due_date(_local(dossier.received_at), days, work_calendar())


def receipt(
    dossier: Dossier,
    events: Sequence[DossierEvent] | None = None,
    *,
    base_url: str | None = None,
    place: str | None = None,
) -> bytes:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""
    history = _events(dossier, events)
    received = _last(history, Action.RECEIVE)
    if received is None or dossier.received_at is None or not dossier.code:
        raise SlipUnavailable("Hồ sơ chưa được tiếp nhận.")
    width = layout.SLIP_PAGE.width
    due = appointment_date(dossier)
    documents = _document_rows(dossier)
    table_rows: list[list[Any]] = [
        [
            para("TT", CELL_HEAD),
            para("Tên giấy tờ", CELL_HEAD),
            para("Bản chính", CELL_HEAD),
            para("Bản sao", CELL_HEAD),
        ]
    ]
    for number, row in enumerate(documents, start=1):
        name = row.name + (f" (bản điện tử: {row.electronic:02d})" if row.electronic else "")
        table_rows.append(
            [
                para(str(number), CELL_CENTER),
                para(text(name), CELL),
                para(_count(row.originals), CELL_CENTER),
                para(_count(row.copies), CELL_CENTER),
            ]
        )
    days = dossier.procedure_version.working_days(dossier.channel)
    if days is not None:
        processing = f"3. Thời gian giải quyết hồ sơ theo quy định là: <b>{days:02d} ngày làm việc</b>"
    elif dossier.counter_working_days is not None:
        # The procedure has no working days: the date the officer set, and why.
        reason = str(received.details.get("due_reason", "")).strip()
        processing = (
            "3. Thời gian giải quyết hồ sơ: thủ tục chưa quy định bằng ngày làm việc; Bộ phận Một cửa hẹn "
            f"<b>{dossier.counter_working_days:02d} ngày làm việc</b>" + (f" ({text(reason)})" if reason else "")
        )
    else:
        # Never the published text alone ("1"): without working days there is no date.
        processing = "3. Thời gian giải quyết hồ sơ theo quy định: chưa xác định được bằng ngày làm việc"
    story: list[Flowable] = [
        field("Mã hồ sơ", dossier.code),
        para(f"{text(dossier.receiving_unit.name)} tiếp nhận hồ sơ của:"),
        *_applicant(dossier),
        _procedure(dossier),
        para("1. Thành phần hồ sơ nộp gồm:"),
        layout.grid(table_rows, [8 * mm, width - 8 * mm - 2 * 16 * mm, 16 * mm, 16 * mm]),
        Spacer(1, 1.5 * mm),
        para(f"2. Số lượng hồ sơ: {1:02d} bộ"),
        para(processing),
        para(f"4. Thời gian nhận hồ sơ: {text(_clock(dossier.received_at))}"),
        para(
            f"5. Thời gian trả kết quả giải quyết hồ sơ: <b>{text(official_date(due))}</b>"
            if due is not None
            else "5. Thời gian trả kết quả giải quyết hồ sơ: cơ quan giải quyết sẽ thông báo ngày hẹn bằng văn bản"
        ),
        para(f"6. {text(_where_to_collect(dossier))}"),
        layout.signatures(
            [
                ("Người nộp hồ sơ", "(Ký và ghi rõ họ tên)", dossier.applicant_name),
                ("Người tiếp nhận hồ sơ", "(Ký và ghi rõ họ tên)", _officer(received)),
            ],
            width,
        ),
    ]
    return _slip(
        dossier,
        _unit_header(dossier, _day(dossier.received_at), place),
        story,
        base_url,
        "receipt",
    )


# --- 2. Supplement request --------------------------------------------------------------------


def _attachment_name(item: Any) -> str:
    if isinstance(item, dict):
        return str(item.get("name") or item.get("filename") or item.get("title") or "")
    return str(item)


def supplement_request(
    dossier: Dossier,
    events: Sequence[DossierEvent] | None = None,
    *,
    base_url: str | None = None,
    place: str | None = None,
) -> bytes:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: exactly what the last request asked for."""
    history = _events(dossier, events)
    request = _last(history, Action.REQUEST_SUPPLEMENT)
    if request is None:
        raise SlipUnavailable("Hồ sơ chưa có yêu cầu bổ sung.")
    width = layout.SLIP_PAGE.width
    h = _header_for(request, dossier, place)
    missing = [str(item) for item in request.details.get("missing", [])]
    attached = [name for name in map(_attachment_name, request.attachments) if name]
    intake_day = dossier.received_at or dossier.submitted_at or request.at
    story: list[Flowable] = []
    if dossier.code:
        story.append(field("Mã hồ sơ", dossier.code))
    story += [
        para(
            f"{text(official_date(_day(intake_day)).capitalize())}, "
            f"{text(dossier.receiving_unit.name)} tiếp nhận hồ sơ của:"
        ),
        *_applicant(dossier),
        _procedure(dossier),
        para(
            f"Sau khi xem xét, đối chiếu thành phần hồ sơ, {text(h.issuer)} đề nghị Ông/Bà bổ sung, "
            "hoàn thiện hồ sơ gồm những nội dung sau:"
        ),
        *[para(f"{number}. <b>{text(item)}</b>") for number, item in enumerate(missing, start=1)],
    ]
    if request.note:
        story.append(para(f"Lý do: {text(request.note)}"))
    if attached:
        story.append(para("Tài liệu hướng dẫn kèm theo: " + text("; ".join(attached))))
    contact = dossier.receiving_unit.phone
    story += [
        para(
            "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ "
            f"{text(dossier.receiving_unit.name)}"
            + (f", số điện thoại {text(contact)}" if contact else "")
            + " để được hướng dẫn."
        ),
        layout.signatures([("Người hướng dẫn", "(Ký và ghi rõ họ tên)", _officer(request))], width),
    ]
    return _slip(dossier, h, story, base_url, "supplement_request")


# --- 3. Refusal -------------------------------------------------------------------------------


def refusal(
    dossier: Dossier,
    events: Sequence[DossierEvent] | None = None,
    *,
    base_url: str | None = None,
    place: str | None = None,
) -> bytes:
    """Phiếu từ chối tiếp nhận giải quyết hồ sơ, with the reasons: of the refusal at intake, or
    of the refusal to settle after processing."""
    history = _events(dossier, events)
    refused = _last(history, Action.REFUSE_INTAKE, Action.REFUSE)
    if refused is None:
        raise SlipUnavailable("Hồ sơ không bị từ chối.")
    if refused.action == Action.REFUSE:
        reasons = [str(item) for item in refused.details.get("reasons", [])]
    else:
        reasons = [refused.note]
    width = layout.SLIP_PAGE.width
    h = _header_for(refused, dossier, place)
    story: list[Flowable] = []
    if dossier.code:
        story.append(field("Mã hồ sơ", dossier.code))
    story += [
        para(f"{text(h.issuer)} tiếp nhận hồ sơ của:"),
        *_applicant(dossier),
        _procedure(dossier),
        para(
            "Qua xem xét, đối chiếu với quy định, hồ sơ của Ông/Bà không đủ điều kiện giải quyết theo quy định. Lý do:"
        ),
        *[para(f"{number}. <b>{text(item)}</b>") for number, item in enumerate(reasons, start=1)],
        para("Xin thông báo cho Ông/Bà được biết và thực hiện."),
        layout.signatures([("Người tiếp nhận hồ sơ", "(Ký và ghi rõ họ tên)", _officer(refused))], width),
    ]
    return _slip(dossier, h, story, base_url, "refusal")


# --- 4. Apology and new date ------------------------------------------------------------------


def apology(
    dossier: Dossier,
    events: Sequence[DossierEvent] | None = None,
    *,
    base_url: str | None = None,
    place: str | None = None,
) -> bytes:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả."""
    history = _events(dossier, events)
    extended = _last(history, Action.EXTEND)
    if extended is None or dossier.received_at is None:
        raise SlipUnavailable("Hồ sơ chưa được hẹn lại ngày trả kết quả.")
    previous = extended.details.get("previous_due_on")
    new = datetime.date.fromisoformat(extended.details["new_due_on"])
    width = layout.SLIP_PAGE.width
    h = _agency_header(dossier, _day(extended.at), place)
    agency = dossier.processing_agency.name
    story: list[Flowable] = [
        para(
            f"{text(official_date(_day(dossier.received_at)).capitalize())}, "
            f"{text(dossier.receiving_unit.name)} tiếp nhận hồ sơ của:"
        ),
        *_applicant(dossier),
        _procedure(dossier),
        field("Mã hồ sơ", dossier.code),
    ]
    if previous:
        story.append(
            para(
                "Thời gian hẹn trả kết quả giải quyết hồ sơ: "
                f"{text(official_date(datetime.date.fromisoformat(previous)))}."
            )
        )
    story += [
        para(
            f"Tuy nhiên đến nay, {text(agency)} chưa trả kết quả giải quyết hồ sơ của Ông/Bà. "
            f"Lý do: {text(_sentence(extended.note))}"
        ),
        para(
            f"Sự chậm trễ này đã gây phiền hà cho Ông/Bà. {text(agency)} xin lỗi Ông/Bà và hẹn lại "
            f"thời gian trả kết quả là <b>{text(official_date(new))}</b>."
        ),
        para("Kính mong Ông/Bà thông cảm."),
        layout.signatures([("Thủ trưởng cơ quan", "(Ký, ghi rõ họ tên và đóng dấu)", _officer(extended))], width),
    ]
    return _slip(dossier, h, story, base_url, "apology")


# --- 5. Stop notice ---------------------------------------------------------------------------


def stop_notice(
    dossier: Dossier,
    events: Sequence[DossierEvent] | None = None,
    *,
    base_url: str | None = None,
    place: str | None = None,
) -> bytes:
    """Thông báo dừng xử lý hồ sơ, with the reason."""
    history = _events(dossier, events)
    stopped = _last(history, Action.STOP)
    if stopped is None:
        raise SlipUnavailable("Hồ sơ không bị dừng xử lý.")
    width = layout.SLIP_PAGE.width
    h = _agency_header(dossier, _day(stopped.at), place)
    story: list[Flowable] = [
        field("Mã hồ sơ", dossier.code or "chưa cấp"),
        para(f"{text(h.issuer)} thông báo tới:"),
        *_applicant(dossier),
        _procedure(dossier),
    ]
    if dossier.received_at is not None:
        story.append(para(f"Thời gian tiếp nhận hồ sơ: {text(_clock(dossier.received_at))}."))
    story += [
        para(
            f"Hồ sơ của Ông/Bà được dừng xử lý từ {text(_clock(stopped.at))}. "
            f"Lý do: <b>{text(_sentence(stopped.note))}</b>"
        ),
        para("Xin thông báo cho Ông/Bà được biết."),
        layout.signatures([("Thủ trưởng cơ quan", "(Ký, ghi rõ họ tên và đóng dấu)", _officer(stopped))], width),
    ]
    return _slip(dossier, h, story, base_url, "stop_notice")


# --- 6. Processing control sheet --------------------------------------------------------------

# Who receives the dossier at a step that hands it to nobody in particular.
_TO_APPLICANT = frozenset(
    {
        Action.REFUSE_INTAKE,
        Action.REQUEST_SUPPLEMENT,
        Action.REQUEST_PAYMENT,
        Action.STOP,
        Action.EXTEND,
        Action.RETURN_RESULT,
    }
)


def _receiver(event: DossierEvent, dossier: Dossier) -> str:
    if event.handed_to is not None:
        return str(event.handed_to)
    if event.action in _TO_APPLICANT:
        return dossier.applicant_name
    if event.action in (Action.ASSIGN,):
        return dossier.processing_agency.name
    return dossier.receiving_unit.name


def step_timeliness(at: datetime.datetime, due: datetime.date | None) -> str:
    """Trước hạn / Đúng hạn / Quá hạn of a step against the due date ("" without one)."""
    if due is None:
        return ""
    day = _day(at)
    if day < due:
        return "Trước hạn"
    if day == due:
        return "Đúng hạn"
    return "Quá hạn"


def control_sheet(
    dossier: Dossier,
    events: Sequence[DossierEvent] | None = None,
    *,
    base_url: str | None = None,
    place: str | None = None,
) -> bytes:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ: every step of the history, who handed the
    dossier to whom and when, before, on or after the due date."""
    history = _events(dossier, events)
    if dossier.received_at is None or not dossier.code:
        raise SlipUnavailable("Hồ sơ chưa được tiếp nhận.")
    width = layout.SLIP_PAGE.width
    widths = [7 * mm, 46 * mm, 23 * mm, 17 * mm]
    widths.append(width - sum(widths))
    rows: list[list[Any]] = [
        [
            para("TT", CELL_HEAD),
            para("Giao, nhận hồ sơ", CELL_HEAD),
            para("Thời gian", CELL_HEAD),
            para("Kết quả", CELL_HEAD),
            para("Ghi chú", CELL_HEAD),
        ]
    ]
    received_day = _day(dossier.received_at)
    for number, event in enumerate(history, start=1):
        late = step_timeliness(event.at, dossier.due_on) if _day(event.at) >= received_day else ""
        note = event.get_action_display() + (f": {event.note}" if event.note else "")
        local = _local(event.at)
        rows.append(
            [
                para(str(number), CELL_CENTER),
                para(
                    f"Giao: <b>{text(event.actor_label or dossier.applicant_name)}</b><br/>"
                    f"Nhận: <b>{text(_receiver(event, dossier))}</b>",
                    CELL,
                ),
                para(f"{local:%H} giờ {local:%M}<br/>{short_date(local.date())}", CELL_CENTER),
                para(text(late), CELL_CENTER),
                para(text(note), CELL),
            ]
        )
    due = dossier.due_on
    story: list[Flowable] = [
        field("Mã hồ sơ", dossier.code),
        para(f"(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả mã số {text(dossier.code)})"),
        field("Người nộp", dossier.applicant_name),
        _procedure(dossier),
        para(f"Cơ quan giải quyết hồ sơ: {text(dossier.processing_agency.name)}"),
        para(
            f"Ngày hẹn trả kết quả: <b>{text(official_date(due))}</b>"
            + (
                f" (hẹn ban đầu {text(official_date(dossier.original_due_on))})"
                if dossier.extended and dossier.original_due_on
                else ""
            )
            if due is not None
            else "Ngày hẹn trả kết quả: chưa xác định được bằng ngày làm việc"
        ),
        Spacer(1, 1.5 * mm),
        layout.grid(rows, widths),
    ]
    return _slip(
        dossier,
        _unit_header(dossier, received_day, place),
        story,
        base_url,
        "control_sheet",
    )


# --- 7. Log book ------------------------------------------------------------------------------


def _book_note(dossier: Dossier) -> str:
    """What the log book notes beside a dossier that did not run its normal course."""
    if dossier.state in (State.WITHDRAWN, State.STOPPED, State.NOT_RECEIVED):
        return dossier.get_state_display()
    if dossier.outcome == Outcome.REFUSED:
        return str(Outcome.REFUSED.label)
    if dossier.extended:
        return "Đã hẹn lại ngày trả"
    return ""


def log_book(
    unit: OneStopUnit,
    start: datetime.date,
    end: datetime.date,
    *,
    place: str | None = None,
    today: datetime.date | None = None,
) -> bytes:
    """Sổ theo dõi hồ sơ of ``unit``: the dossiers it received from ``start`` to ``end``
    (inclusive, local days), in the order of their codes. A4 landscape, as many pages as needed."""
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    handovers = DossierEvent.objects.filter(action=Action.ASSIGN).order_by("at", "id")
    dossiers = (
        Dossier.objects.filter(receiving_unit=unit, received_at__gte=since, received_at__lt=until)
        .select_related("procedure_version", "processing_agency")
        .prefetch_related(Prefetch("events", queryset=handovers, to_attr="handovers"))
        .order_by("received_at", "code")
    )
    page = layout.BOOK_PAGE
    widths = [7, 39, 36, 11, 28, 24, 26, 17.5, 17.5, 17.5, 17.5, 17.5, 16]
    scale = page.width / (sum(widths) * mm)
    widths_pt = [w * mm * scale for w in widths]
    heads = [
        "TT",
        "Mã hồ sơ",
        "Tên thủ tục hành chính",
        "Số lượng hồ sơ (bộ)",
        "Tên cá nhân, tổ chức",
        "Địa chỉ",
        "Cơ quan chủ trì giải quyết",
        "Ngày nhận hồ sơ",
        "Ngày hẹn trả kết quả",
        "Ngày chuyển hồ sơ",
        "Ngày có kết quả",
        "Ngày trả kết quả",
        "Ghi chú",
    ]
    rows: list[list[Any]] = [[para(head, BOOK_HEAD) for head in heads]]

    def day(moment: datetime.datetime | None) -> str:
        return short_date(_day(moment)) if moment is not None else ""

    for number, dossier in enumerate(dossiers, start=1):
        handed = getattr(dossier, "handovers", [])
        applicant = dossier.applicant_name + (f" ({dossier.organization_name})" if dossier.organization_name else "")
        rows.append(
            [
                para(str(number), BOOK_CELL_CENTER),
                para(text(dossier.code or ""), BOOK_CELL),
                para(text(dossier.procedure_version.name), BOOK_CELL),
                para("01", BOOK_CELL_CENTER),
                para(text(applicant), BOOK_CELL),
                para(text(dossier.applicant_address), BOOK_CELL),
                para(text(dossier.processing_agency.name), BOOK_CELL),
                para(day(dossier.received_at), BOOK_CELL_CENTER),
                para(short_date(dossier.due_on) if dossier.due_on else "", BOOK_CELL_CENTER),
                para(day(handed[0].at) if handed else "", BOOK_CELL_CENTER),
                para(
                    day(dossier.result_ready_at or (dossier.finished_at if dossier.outcome else None)), BOOK_CELL_CENTER
                ),
                para(day(dossier.returned_at), BOOK_CELL_CENTER),
                para(text(_book_note(dossier)), BOOK_CELL),
            ]
        )
    issued = today or timezone.localdate()
    h = Header(superior="", issuer=unit.name, place=place or place_of(unit), day=issued)
    form = slip_form("log_book", end)
    story: list[Flowable] = [
        *_form_number(form),
        *layout.header(h, page.width, left_share=0.4),
        *layout.title(*form.titles, f"Từ ngày {short_date(start)} đến ngày {short_date(end)}"),
        layout.grid(rows, widths_pt),
        Spacer(1, 2 * mm),
        para(f"Tổng số hồ sơ: <b>{len(rows) - 1}</b>", BODY),
    ]
    return layout.render(
        story,
        page=page,
        pdf_title="Sổ theo dõi hồ sơ",
        subject=f"{unit.code} {start.isoformat()}/{end.isoformat()}",
    )
