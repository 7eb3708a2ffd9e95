"""The dossier (hồ sơ) lifecycle as data and pure functions: states with the national portal's
status codes, the transition table, dossier codes, the extension rule, on-time classification,
and the validation of procedure-specific form fields.

Nothing here reads or writes the database; ``services`` applies these rules atomically.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from org.models import Role
from workdays.calendar import WorkCalendar
from workdays.rules import Timeliness, counting_day, timeliness

# --- States -----------------------------------------------------------------------------------


class State(models.TextChoices):
    """Trạng thái hồ sơ. The labels are the national portal's (TrangThaiHoSo)."""

    DRAFT = "draft", gettext_lazy("Bản nháp")
    SUBMITTED = "submitted", gettext_lazy("Mới đăng ký")
    RECEIVED = "received", gettext_lazy("Được tiếp nhận")
    NOT_RECEIVED = "not_received", gettext_lazy("Không được tiếp nhận")
    IN_PROGRESS = "in_progress", gettext_lazy("Đang xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", gettext_lazy("Yêu cầu bổ sung giấy tờ")
    AWAITING_PAYMENT = "awaiting_payment", gettext_lazy("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = "withdrawn", gettext_lazy("Công dân yêu cầu rút hồ sơ")
    STOPPED = "stopped", gettext_lazy("Dừng xử lý")
    DONE = "done", gettext_lazy("Đã xử lý xong")
    RETURNED = "returned", gettext_lazy("Đã trả kết quả")


# Mã trạng thái on the national portal (used for sync and reports). A draft is not sent.
NATIONAL_STATUS: Mapping[State, int | None] = {
    State.DRAFT: None,
    State.SUBMITTED: 1,
    State.RECEIVED: 2,
    State.NOT_RECEIVED: 3,
    State.IN_PROGRESS: 4,
    State.SUPPLEMENT_REQUESTED: 5,
    State.AWAITING_PAYMENT: 6,
    State.WITHDRAWN: 7,
    State.STOPPED: 8,
    State.DONE: 9,
    State.RETURNED: 10,
}

OPEN_STATES = frozenset(
    {State.SUBMITTED, State.RECEIVED, State.IN_PROGRESS, State.SUPPLEMENT_REQUESTED, State.AWAITING_PAYMENT}
)
# Waiting for the citizen: the clock stands still.
WAITING_STATES = frozenset({State.SUPPLEMENT_REQUESTED, State.AWAITING_PAYMENT})
FINAL_STATES = frozenset({State.NOT_RECEIVED, State.WITHDRAWN, State.STOPPED, State.RETURNED})


class Outcome(models.TextChoices):
    APPROVED = "approved", gettext_lazy("Giải quyết")
    REFUSED = "refused", gettext_lazy("Từ chối giải quyết")


class Channel(models.TextChoices):
    """Cách thức nộp hồ sơ."""

    ONLINE = "online", gettext_lazy("Trực tuyến")
    COUNTER = "counter", gettext_lazy("Trực tiếp tại Bộ phận Một cửa")
    POSTAL = "postal", gettext_lazy("Qua dịch vụ bưu chính")


class ResultDelivery(models.TextChoices):
    """Hình thức nhận kết quả."""

    COUNTER = "counter", gettext_lazy("Tại Bộ phận Một cửa")
    POST = "post", gettext_lazy("Qua dịch vụ bưu chính")
    ONLINE = "online", gettext_lazy("Trực tuyến")


# --- Transitions ------------------------------------------------------------------------------


class Action(models.TextChoices):
    SUBMIT = "submit", gettext_lazy("Nộp hồ sơ")
    RECEIVE = "receive", gettext_lazy("Tiếp nhận hồ sơ")
    REFUSE_INTAKE = "refuse_intake", gettext_lazy("Từ chối tiếp nhận")
    REQUEST_SUPPLEMENT = "request_supplement", gettext_lazy("Yêu cầu bổ sung, hoàn thiện hồ sơ")
    SUPPLEMENT = "supplement", gettext_lazy("Bổ sung hồ sơ")
    ASSIGN = "assign", gettext_lazy("Chuyển cơ quan xử lý")
    FORWARD = "forward", gettext_lazy("Chuyển bước xử lý")
    RETURN_STEP = "return_step", gettext_lazy("Trả lại bước trước")
    REQUEST_PAYMENT = "request_payment", gettext_lazy("Yêu cầu thực hiện nghĩa vụ tài chính")
    MARK_PAID = "mark_paid", gettext_lazy("Xác nhận đã thực hiện nghĩa vụ tài chính")
    WITHDRAW = "withdraw", gettext_lazy("Rút hồ sơ")
    STOP = "stop", gettext_lazy("Dừng xử lý")
    APPROVE = "approve", gettext_lazy("Phê duyệt")
    REFUSE = "refuse", gettext_lazy("Từ chối giải quyết")
    EXTEND = "extend", gettext_lazy("Xin lỗi, hẹn lại ngày trả kết quả")
    RESULT_READY = "result_ready", gettext_lazy("Kết quả sẵn sàng")
    RETURN_RESULT = "return_result", gettext_lazy("Trả kết quả")


class Clock(StrEnum):
    """What a transition does to the processing clock."""

    START = "start"  # reception: the due date is set
    STOP_SUPPLEMENT = "stop_supplement"  # waiting for the citizen's documents
    STOP_PAYMENT = "stop_payment"  # waiting for the citizen's fees
    RESUME = "resume"  # the citizen answered
    FINISH = "finish"  # processing ends (result, refusal, stop, withdrawal)
    NONE = "none"


APPLICANT = "applicant"
STAY: Literal["stay"] = "stay"  # the state does not change (hand-overs, extension, result ready)
BACK: Literal["back"] = "back"  # back to where the dossier was before the citizen was asked

COUNTER = Role.COUNTER_OFFICER.value
PROCESSOR = Role.PROCESSING_OFFICER.value
LEADER = Role.LEADER.value
# Every role acts in the processing agency; counter officers also at their one-stop unit, when
# their membership names one (Membership.one_stop_unit).
UNIT_ROLES = frozenset({COUNTER})
AGENCY_ROLES = frozenset({PROCESSOR, LEADER})
# When an officer holds several roles that allow an action, the history records the first.
STAFF_ROLES_IN_ORDER = (COUNTER, PROCESSOR, LEADER)
# Systems that act by themselves, never a person: the payment platform (VNPay, the national
# portal's payment platform) confirms an online payment. Nobody holds these roles; a service
# call names one explicitly (``services.SystemActor``) and the history records it with no actor.
PAYMENT_PLATFORM = "payment_platform"
SYSTEM_ROLES: Mapping[str, Any] = {PAYMENT_PLATFORM: gettext_lazy("Nền tảng thanh toán")}


@dataclass(frozen=True)
class Transition:
    sources: frozenset[State]
    target: State | Literal["stay", "back"]
    actors: frozenset[str]  # roles (org.models.Role), APPLICANT or a system role (SYSTEM_ROLES)
    clock: Clock
    notifies: bool  # the citizen is told (one of the citizen-facing steps)


def _t(
    sources: set[State], target: State | Literal["stay", "back"], actors: set[str], clock: Clock, *, notifies: bool
) -> Transition:
    return Transition(frozenset(sources), target, frozenset(actors), clock, notifies)


S = State
TRANSITIONS: Mapping[Action, Transition] = {
    # A counter officer registering a paper or postal dossier submits it for the applicant.
    Action.SUBMIT: _t({S.DRAFT}, S.SUBMITTED, {APPLICANT, COUNTER}, Clock.NONE, notifies=True),
    Action.RECEIVE: _t({S.SUBMITTED}, S.RECEIVED, {COUNTER}, Clock.START, notifies=True),
    Action.REFUSE_INTAKE: _t({S.SUBMITTED}, S.NOT_RECEIVED, {COUNTER}, Clock.NONE, notifies=True),
    # At intake (not received yet, so no clock) by the counter, or during processing.
    Action.REQUEST_SUPPLEMENT: _t(
        {S.SUBMITTED, S.IN_PROGRESS}, S.SUPPLEMENT_REQUESTED, {COUNTER, PROCESSOR}, Clock.STOP_SUPPLEMENT, notifies=True
    ),
    # Online by the citizen, or at the counter.
    Action.SUPPLEMENT: _t({S.SUPPLEMENT_REQUESTED}, BACK, {APPLICANT, COUNTER}, Clock.RESUME, notifies=True),
    # The one-stop unit hands the received dossier to the processing agency.
    Action.ASSIGN: _t({S.RECEIVED}, S.IN_PROGRESS, {COUNTER}, Clock.NONE, notifies=False),
    # Inside the agency: officer to officer, officer to leader, and back a step.
    Action.FORWARD: _t({S.IN_PROGRESS}, STAY, {PROCESSOR, LEADER}, Clock.NONE, notifies=False),
    Action.RETURN_STEP: _t({S.IN_PROGRESS}, STAY, {PROCESSOR, LEADER}, Clock.NONE, notifies=False),
    Action.REQUEST_PAYMENT: _t(
        {S.IN_PROGRESS}, S.AWAITING_PAYMENT, {PROCESSOR, COUNTER}, Clock.STOP_PAYMENT, notifies=True
    ),
    # By an officer (paid at the counter), or by the payment platform once it confirms an online
    # payment.
    Action.MARK_PAID: _t(
        {S.AWAITING_PAYMENT}, S.IN_PROGRESS, {COUNTER, PROCESSOR, PAYMENT_PLATFORM}, Clock.RESUME, notifies=True
    ),
    # At the counter the officer records a withdrawal the citizen asked for in writing.
    Action.WITHDRAW: _t(set(OPEN_STATES), S.WITHDRAWN, {APPLICANT, COUNTER}, Clock.FINISH, notifies=True),
    # Also while waiting for the citizen: a dossier never supplemented must be able to end.
    Action.STOP: _t(
        {S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT}, S.STOPPED, {LEADER}, Clock.FINISH, notifies=True
    ),
    Action.APPROVE: _t({S.IN_PROGRESS}, S.DONE, {LEADER}, Clock.FINISH, notifies=True),
    Action.REFUSE: _t({S.IN_PROGRESS}, S.DONE, {LEADER}, Clock.FINISH, notifies=True),
    Action.EXTEND: _t({S.RECEIVED, S.IN_PROGRESS}, STAY, {PROCESSOR, LEADER}, Clock.NONE, notifies=True),
    Action.RESULT_READY: _t({S.DONE}, STAY, {PROCESSOR, LEADER, COUNTER}, Clock.NONE, notifies=True),
    Action.RETURN_RESULT: _t({S.DONE}, S.RETURNED, {COUNTER, PROCESSOR}, Clock.NONE, notifies=True),
}
del S


def can(action: Action | str, state: State | str, role: str) -> bool:
    """Whether ``role`` (a staff role, ``APPLICANT`` or a system role) may take ``action`` from
    ``state``."""
    transition = TRANSITIONS[Action(action)]
    return role in transition.actors and State(state) in transition.sources


def allowed_actions(state: State | str, roles: Sequence[str]) -> list[Action]:
    """The actions someone holding ``roles`` may take from ``state``, in table order."""
    return [action for action in TRANSITIONS if any(can(action, state, role) for role in roles)]


def next_state(action: Action | str, state: State | str, *, received: bool) -> State:
    """The state after ``action``. A supplement returns the dossier to processing when it had
    been received, else to the queue of dossiers to receive."""
    target = TRANSITIONS[Action(action)].target
    if target == STAY:
        return State(state)
    if target == BACK:
        return State.IN_PROGRESS if received else State.SUBMITTED
    return State(target)


def system_role_label(role: str) -> str:
    """The name of a system role (``SYSTEM_ROLES``) in the current language; "" for any other."""
    label = SYSTEM_ROLES.get(role)
    return str(label) if label is not None else ""


def national_status(state: State | str) -> int | None:
    return NATIONAL_STATUS[State(state)]


# --- Codes ------------------------------------------------------------------------------------

_CODE = re.compile(r"^(?P<agency>.+)-(?P<day>\d{6})-(?P<number>\d{4,})$")


def dossier_code(agency_code: str, day: datetime.date, number: int) -> str:
    """Mã hồ sơ ``<agency code>-YYMMDD-NNNN``: NNNN is the receiving unit's sequence of that day
    (five digits from the 10,000th dossier of a day, rather than ever reusing a code)."""
    if not agency_code or agency_code != agency_code.strip():
        raise ValueError("agency code must be non-empty, without surrounding spaces")
    if number < 1:
        raise ValueError("sequence numbers start at 1")
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"


def gives_code(action: Action | str, *, has_code: bool) -> bool:
    """Whether ``action`` gives the dossier its code. A dossier gets its code when it is submitted
    (online by the citizen, or registered at the counter), so that the citizen can track it and
    the national portal hears of it from status 1, and keeps it whatever happens next (refused at
    intake included). Reception never gives a second code; it gives one only to a dossier
    submitted before codes were given at submission."""
    action = Action(action)
    if action == Action.SUBMIT:
        return True
    return action == Action.RECEIVE and not has_code


def parse_dossier_code(code: str) -> tuple[str, datetime.date, int] | None:
    """The parts of a dossier code, or None when ``code`` cannot be one."""
    match = _CODE.match(code)
    if match is None:
        return None
    digits = match["day"]
    try:
        day = datetime.date(2000 + int(digits[:2]), int(digits[2:4]), int(digits[4:]))
    except ValueError:
        return None
    return match["agency"], day, int(match["number"])


# --- Deadlines --------------------------------------------------------------------------------


def last_day_to_extend(due: datetime.date, calendar: WorkCalendar) -> datetime.date:
    """The last day an apology with a new date may be issued: the working day before the due
    date (Nghị định 61/2018, art. 19: at least one working day before it passes)."""
    day = due - datetime.timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def extension_problem(
    *,
    already_extended: bool,
    due: datetime.date | None,
    new_due: datetime.date,
    today: datetime.date,
    calendar: WorkCalendar,
) -> str | None:
    """Why the due date cannot be moved to ``new_due`` today, or None when it can. Once only,
    issued at least one working day before the due date, to a later working day."""
    if already_extended:
        return _("Ngày hẹn trả kết quả chỉ được điều chỉnh một lần.")
    if due is None:
        return _("Hồ sơ chưa có ngày hẹn trả kết quả.")
    latest = last_day_to_extend(due, calendar)
    if today > latest:
        return _("Phiếu xin lỗi và hẹn lại ngày trả phải gửi chậm nhất ngày %(latest)s, trước ngày hẹn %(due)s.") % {
            "latest": f"{latest:%d/%m/%Y}",
            "due": f"{due:%d/%m/%Y}",
        }
    if new_due <= due:
        return _("Ngày hẹn mới phải sau ngày hẹn trả hiện tại (%(due)s).") % {"due": f"{due:%d/%m/%Y}"}
    if not calendar.is_working_day(new_due):
        return _("Ngày hẹn mới phải là ngày làm việc.")
    return None


def counter_due_problems(
    *,
    procedure_days: int | None,
    due_on: datetime.date | None,
    reason: str,
    today: datetime.date,
    calendar: WorkCalendar,
) -> dict[str, str]:
    """What is wrong, by field, with the due date an officer sets at reception (empty: nothing).
    A procedure without working days (its processing time not published as a number of working
    days) has no due date unless the officer sets one, with the reason: a working day after
    today. A procedure with working days has its due date counted, never typed."""
    if procedure_days is not None:
        if due_on is None:
            return {}
        return {
            "due_on": _(
                "Thủ tục đã có thời hạn giải quyết %(days)d ngày làm việc; ngày hẹn trả được tính theo thời hạn đó."
            )
            % {"days": procedure_days}
        }
    problems: dict[str, str] = {}
    if due_on is None:
        problems["due_on"] = _("Thủ tục chưa có thời hạn giải quyết bằng ngày làm việc: cần đặt ngày hẹn trả kết quả.")
    elif due_on <= today:
        problems["due_on"] = _("Ngày hẹn trả kết quả phải sau ngày hôm nay.")
    elif not calendar.is_working_day(due_on):
        problems["due_on"] = _("Ngày hẹn trả kết quả phải là ngày làm việc (không phải thứ Bảy, Chủ nhật, ngày nghỉ).")
    if not reason.strip():
        problems["due_reason"] = _("Cần ghi lý do, căn cứ xác định ngày hẹn trả kết quả.")
    return problems


def counter_working_days(received_at: datetime.datetime, due_on: datetime.date, calendar: WorkCalendar) -> int:
    """The working days from reception to the due date an officer set: kept on the dossier so
    that clock stops (supplement, payment) move that date as they move any other
    (``workdays.rules.due_date(received_at, n) == due_on``)."""
    return max(0, calendar.working_days_between(counting_day(received_at, calendar), due_on))


class TimeLeftKind(StrEnum):
    """What the remaining-time label says, for its styling: the clock runs (``running``, ``soon``,
    ``due_today``, ``overdue``), stands still (``paused``), has not started (``not_started``,
    ``no_due_date``), or the dossier is finished (``on_time``, ``late``, ``closed``)."""

    NOT_STARTED = "not_started"
    NO_DUE_DATE = "no_due_date"
    RUNNING = "running"
    SOON = "soon"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    PAUSED = "paused"
    ON_TIME = "on_time"
    LATE = "late"
    CLOSED = "closed"


@dataclass(frozen=True)
class TimeLeft:
    kind: TimeLeftKind
    text: str
    days: int | None = None  # working days left (negative: overdue) or late by


# A dossier with at most this many working days left is "due soon".
DUE_SOON_WORKING_DAYS = 1


def _days(count: int, singular: str, plural: str) -> str:
    return ngettext(singular, plural, count) % {"days": count}


def time_left(
    *,
    state: State | str,
    received: bool,
    due_on: datetime.date | None,
    finished_on: datetime.date | None,
    waiting_since: datetime.date | None,
    today: datetime.date,
    calendar: WorkCalendar,
) -> TimeLeft:
    """Thời hạn còn lại as the officer's queue and dossier page say it, following the state:
    "Còn 3 ngày làm việc", "Quá hạn 2 ngày làm việc", "Tạm dừng chờ bổ sung", "Đã giải quyết đúng
    hạn", … While the clock stands still the days left are those it had when it stopped."""
    state = State(state)
    if state == State.DRAFT or (state == State.SUBMITTED and not received):
        return TimeLeft(TimeLeftKind.NOT_STARTED, _("Chưa tính (hồ sơ chưa được tiếp nhận)"))
    if state == State.NOT_RECEIVED:
        return TimeLeft(TimeLeftKind.CLOSED, _("Không tính (hồ sơ không được tiếp nhận)"))
    if state == State.WITHDRAWN:
        return TimeLeft(TimeLeftKind.CLOSED, _("Không tính (người nộp đã rút hồ sơ)"))
    if state == State.STOPPED:
        return TimeLeft(TimeLeftKind.CLOSED, _("Không tính (đã dừng xử lý)"))
    if state in (State.DONE, State.RETURNED):
        if due_on is None or finished_on is None:
            return TimeLeft(TimeLeftKind.CLOSED, _("Đã giải quyết xong"))
        late = calendar.working_days_between(due_on, finished_on)
        if late <= 0:
            return TimeLeft(TimeLeftKind.ON_TIME, _("Đã giải quyết đúng hạn"))
        return TimeLeft(
            TimeLeftKind.LATE,
            _days(
                late, "Đã giải quyết, quá hạn %(days)d ngày làm việc", "Đã giải quyết, quá hạn %(days)d ngày làm việc"
            ),
            late,
        )
    if state in WAITING_STATES:
        if state == State.SUPPLEMENT_REQUESTED:
            paused = _("Tạm dừng chờ bổ sung") if received else _("Chờ người nộp bổ sung (chưa tiếp nhận)")
        else:
            paused = _("Tạm dừng chờ nộp phí, lệ phí")
        if not received or due_on is None:
            return TimeLeft(TimeLeftKind.PAUSED if received else TimeLeftKind.NOT_STARTED, paused)
        left = calendar.working_days_between(waiting_since or today, due_on)
        if left < 0:
            return TimeLeft(TimeLeftKind.PAUSED, paused, left)
        tail = _days(left, "còn %(days)d ngày làm việc khi tiếp tục", "còn %(days)d ngày làm việc khi tiếp tục")
        return TimeLeft(TimeLeftKind.PAUSED, f"{paused}; {tail}", left)
    # Received, being processed: the clock runs.
    if due_on is None:
        return TimeLeft(TimeLeftKind.NO_DUE_DATE, _("Chưa có ngày hẹn trả"))
    left = calendar.working_days_between(today, due_on)
    if left < 0:
        return TimeLeft(
            TimeLeftKind.OVERDUE,
            _days(-left, "Quá hạn %(days)d ngày làm việc", "Quá hạn %(days)d ngày làm việc"),
            left,
        )
    if left == 0:
        return TimeLeft(TimeLeftKind.DUE_TODAY, _("Đến hạn hôm nay"), 0)
    if left <= DUE_SOON_WORKING_DAYS:
        return TimeLeft(
            TimeLeftKind.SOON,
            _days(left, "Còn %(days)d ngày làm việc, sắp đến hạn", "Còn %(days)d ngày làm việc, sắp đến hạn"),
            left,
        )
    return TimeLeft(TimeLeftKind.RUNNING, _days(left, "Còn %(days)d ngày làm việc", "Còn %(days)d ngày làm việc"), left)


def dossier_timeliness(
    *, finished_on: datetime.date, original_due_on: datetime.date, supplement_requests: int
) -> Timeliness:
    """Đúng hạn / quá hạn for statistics: judged against the original due date, so that an
    apology with a new date does not turn a late dossier into an on-time one."""
    return timeliness(finished_on, original_due_on, supplement_requests=supplement_requests)


# --- Applicant details ------------------------------------------------------------------------

_PERSONAL_ID = re.compile(r"\d{12}")
_PHONE = re.compile(r"(?:0|\+84)\d{9,10}")
_TAX_CODE = re.compile(r"\d{10}(?:-?\d{3})?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def normalize_phone(value: str) -> str:
    return re.sub(r"[\s.()-]", "", value)


def applicant_problems(
    *, name: str, personal_id: str, phone: str, address: str, email: str = "", tax_code: str = ""
) -> dict[str, str]:
    """What is wrong with an applicant's details, by field (empty: nothing). Only the shape of
    the numbers is checked here; the identity itself comes from the e-ID or the officer."""
    problems: dict[str, str] = {}
    if not name.strip():
        problems["name"] = _("Cần ghi họ và tên người nộp.")
    if not _PERSONAL_ID.fullmatch(personal_id):
        problems["personal_id"] = _("Số định danh cá nhân phải gồm đúng 12 chữ số.")
    if phone and not _PHONE.fullmatch(normalize_phone(phone)):
        problems["phone"] = _("Số điện thoại không hợp lệ.")
    if not address.strip():
        problems["address"] = _("Cần ghi địa chỉ liên hệ.")
    if email and not _EMAIL.fullmatch(email):
        problems["email"] = _("Địa chỉ thư điện tử không hợp lệ.")
    if tax_code and not _TAX_CODE.fullmatch(tax_code):
        problems["tax_code"] = _("Mã số thuế gồm 10 chữ số, hoặc 13 chữ số với mã đơn vị phụ thuộc.")
    return problems
