"""Phản ánh, kiến nghị (Nghị định 20/2008/NĐ-CP, amended by Nghị định 92/2017/NĐ-CP) as data and
pure functions: the states and the transition table, item codes and the tracking check, the
deadlines in working days, routing to the competent agency, duplicates, the redaction of personal
data before an answer is published, and the intake's checks.

Nothing here reads or writes the database; ``services`` applies these rules atomically.
"""

from __future__ import annotations

import datetime
import hmac
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.text import fold, strip_diacritics
from workdays.calendar import WorkCalendar
from workdays.rules import counting_day

# --- States and actions ------------------------------------------------------------------------


class State(models.TextChoices):
    """Trạng thái phản ánh, kiến nghị."""

    RECEIVED = "received", gettext_lazy("Đã tiếp nhận")
    CLASSIFIED = "classified", gettext_lazy("Đã phân loại")
    REFUSED = "refused", gettext_lazy("Không thụ lý")
    FORWARDED = "forwarded", gettext_lazy("Đã chuyển cơ quan có thẩm quyền")
    IN_PROGRESS = "in_progress", gettext_lazy("Đang xử lý")
    ANSWERED = "answered", gettext_lazy("Đã trả lời")
    PUBLISHED = "published", gettext_lazy("Đã công khai trả lời")
    ARCHIVED = "archived", gettext_lazy("Đã lưu trữ")


class Action(models.TextChoices):
    CLASSIFY = "classify", gettext_lazy("Phân loại")
    REFUSE = "refuse", gettext_lazy("Không thụ lý (nêu lý do)")
    FORWARD = "forward", gettext_lazy("Chuyển cơ quan có thẩm quyền")
    HANDLE = "handle", gettext_lazy("Nhận xử lý")
    ANSWER = "answer", gettext_lazy("Trả lời")
    PUBLISH = "publish", gettext_lazy("Công khai trả lời")
    ARCHIVE = "archive", gettext_lazy("Lưu trữ")
    REOPEN = "reopen", gettext_lazy("Mở lại (người gửi chưa hài lòng)")


class Channel(models.TextChoices):
    """Kênh tiếp nhận."""

    WEB = "web", gettext_lazy("Cổng dịch vụ công")
    HOTLINE = "hotline", gettext_lazy("Đường dây nóng")
    COUNTER = "counter", gettext_lazy("Văn bản tại Bộ phận Một cửa")


class ReplyBy(models.TextChoices):
    """Nhận thông báo và trả lời qua: the channel the sender chose (the decree's answer is "sent to
    the sender"); the values are the outbox's channels."""

    SMS = "sms", gettext_lazy("Tin nhắn SMS đến số điện thoại")
    EMAIL = "email", gettext_lazy("Thư điện tử")


class Topic(models.TextChoices):
    """Nội dung phản ánh, kiến nghị (Nghị định 20/2008, điều 4)."""

    REGULATION = "regulation", gettext_lazy("Quy định hành chính, thủ tục hành chính")
    CONDUCT = "conduct", gettext_lazy("Hành vi, thái độ của cán bộ, công chức")
    DELAY = "delay", gettext_lazy("Chậm giải quyết hồ sơ")
    FEES = "fees", gettext_lazy("Phí, lệ phí, chi phí")
    PORTAL = "portal", gettext_lazy("Cổng dịch vụ công, hệ thống một cửa điện tử")
    OTHER = "other", gettext_lazy("Khác")


SENDER = "sender"  # the person who sent the item, acting through the satisfaction survey
HANDLER = "handler"  # an officer holding feedback.handle in the item's current agency
ROUTER = "router"  # the routing rules, acting at intake with no person
SYSTEM_ROLES: Mapping[str, object] = {ROUTER: gettext_lazy("Quy tắc phân luồng tự động")}
STAY: Literal["stay"] = "stay"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[State]
    target: State | Literal["stay"]
    actors: frozenset[str]
    needs_reason: bool  # a note is required (a refusal, a reopening)
    notifies: bool  # the sender is told


def _t(sources: set[State], target: State, actors: set[str], *, reason: bool = False, notifies: bool) -> Transition:
    return Transition(frozenset(sources), target, frozenset(actors), reason, notifies)


S = State
TRANSITIONS: Mapping[Action, Transition] = {
    Action.CLASSIFY: _t({S.RECEIVED}, S.CLASSIFIED, {HANDLER, ROUTER}, notifies=False),
    # Nghị định 20/2008, điều 13: an item outside its scope (a complaint, an anonymous letter…)
    # is not taken up, and the sender is told why.
    Action.REFUSE: _t({S.RECEIVED, S.CLASSIFIED}, S.REFUSED, {HANDLER}, reason=True, notifies=True),
    # Forwarding also from an agency that finds, on handling, that the item is not its own.
    Action.FORWARD: _t({S.CLASSIFIED, S.IN_PROGRESS}, S.FORWARDED, {HANDLER, ROUTER}, notifies=True),
    Action.HANDLE: _t({S.CLASSIFIED, S.FORWARDED}, S.IN_PROGRESS, {HANDLER}, notifies=False),
    Action.ANSWER: _t({S.IN_PROGRESS}, S.ANSWERED, {HANDLER}, notifies=True),
    Action.PUBLISH: _t({S.ANSWERED}, S.PUBLISHED, {HANDLER}, notifies=False),
    # An answer that holds nothing of public interest is archived without being published.
    Action.ARCHIVE: _t({S.REFUSED, S.ANSWERED, S.PUBLISHED}, S.ARCHIVED, {HANDLER}, notifies=False),
    Action.REOPEN: _t({S.ANSWERED, S.PUBLISHED}, S.IN_PROGRESS, {SENDER, HANDLER}, reason=True, notifies=True),
}
del S

OPEN_STATES = frozenset({State.RECEIVED, State.CLASSIFIED, State.FORWARDED, State.IN_PROGRESS})
# States in which the item waits for a person at the competent agency rather than at the desk.
AT_AGENCY_STATES = frozenset({State.FORWARDED, State.IN_PROGRESS})


def can(action: Action | str, state: State | str, role: str) -> bool:
    """Whether ``role`` (``HANDLER``, ``SENDER`` or ``ROUTER``) may take ``action`` from ``state``."""
    transition = TRANSITIONS[Action(action)]
    return role in transition.actors and State(state) in transition.sources


def next_state(action: Action | str, state: State | str) -> State:
    target = TRANSITIONS[Action(action)].target
    return State(state) if target == STAY else State(target)


def allowed_actions(state: State | str, roles: Sequence[str]) -> list[Action]:
    """The actions someone holding ``roles`` may take from ``state``, in table order."""
    return [action for action in TRANSITIONS if any(can(action, state, role) for role in roles)]


# --- Codes and tracking ------------------------------------------------------------------------

CODE_PREFIX = "PA"
_CODE = re.compile(r"^PA-(?P<day>\d{6})-(?P<number>\d{4,})$")


def feedback_code(day: datetime.date, number: int) -> str:
    """Mã phản ánh ``PA-YYMMDD-NNNN``: NNNN is the province's sequence of that day (five digits
    from the 10,000th item of a day rather than ever reusing a code)."""
    if number < 1:
        raise ValueError("sequence numbers start at 1")
    return f"{CODE_PREFIX}-{day:%y%m%d}-{number:04d}"


def parse_feedback_code(code: str) -> tuple[datetime.date, int] | None:
    match = _CODE.match(code.strip().upper())
    if match is None:
        return None
    digits = match["day"]
    try:
        day = datetime.date(2000 + int(digits[:2]), int(digits[2:4]), int(digits[4:]))
    except ValueError:
        return None
    return day, int(match["number"])


_PHONE_CHARS = re.compile(r"[\s.()\-]")
PHONE = re.compile(r"(?:0|\+84)\d{9,10}")


def normalize_phone(value: str) -> str:
    """The phone number as digits (``+84`` kept as written); the form checks its shape."""
    return _PHONE_CHARS.sub("", value)


def check_matches(phone: str, given: str) -> bool:
    """Whether ``given`` is the last four digits of the sender's phone number, compared in
    constant time; an empty or short phone matches nothing."""
    expected = normalize_phone(phone)[-4:]
    valid = len(expected) == 4 and re.fullmatch(r"\d{4}", given or "") is not None
    return hmac.compare_digest((given or "").encode()[:8], expected.encode() if valid else b"\x00\x00\x00\x00") & valid


# --- Deadlines (dated data, in working days) ---------------------------------------------------


@dataclass(frozen=True)
class DeadlinePolicy:
    """Thời hạn xử lý in working days, in force from ``effective_from``: classify or refuse,
    forward to the competent agency, answer (each counted from reception), and publish the answer
    (counted from answering). Controllers keep these as dated rows; the defaults are the
    province's."""

    effective_from: datetime.date
    classify_days: int = 2
    forward_days: int = 5
    answer_days: int = 15
    publish_days: int = 2


DEFAULT_POLICY = DeadlinePolicy(effective_from=datetime.date(2000, 1, 1))


def policy_on(policies: Iterable[DeadlinePolicy], day: datetime.date) -> DeadlinePolicy:
    """The policy in force on ``day``: the latest that took effect on or before it (the default
    when none had)."""
    in_force = [p for p in policies if p.effective_from <= day]
    return max(in_force, key=lambda p: p.effective_from) if in_force else DEFAULT_POLICY


@dataclass(frozen=True)
class Deadlines:
    classify_by: datetime.date
    forward_by: datetime.date
    answer_by: datetime.date


def deadlines(received_at: datetime.datetime, policy: DeadlinePolicy, calendar: WorkCalendar) -> Deadlines:
    """The item's due dates from its reception: counted, like a dossier's, from the day of
    reception when it came on a working day before 15:00, else from the next working day."""
    start = counting_day(received_at, calendar)
    return Deadlines(
        classify_by=calendar.add_working_days(start, policy.classify_days),
        forward_by=calendar.add_working_days(start, policy.forward_days),
        answer_by=calendar.add_working_days(start, policy.answer_days),
    )


def answer_due_after_reopening(
    reopened_at: datetime.datetime, policy: DeadlinePolicy, calendar: WorkCalendar
) -> datetime.date:
    """A reopened item is answered again within the same number of working days, from reopening."""
    return calendar.add_working_days(counting_day(reopened_at, calendar), policy.answer_days)


def publish_by(answered_at: datetime.datetime, policy: DeadlinePolicy, calendar: WorkCalendar) -> datetime.date:
    return calendar.add_working_days(counting_day(answered_at, calendar), policy.publish_days)


def on_time(done_on: datetime.date, due: datetime.date) -> bool:
    return done_on <= due


def queue_bucket(due: datetime.date | None, today: datetime.date) -> Literal["overdue", "today", "later", "none"]:
    """Where an open item sits in an agency's queue."""
    if due is None:
        return "none"
    if due < today:
        return "overdue"
    if due == today:
        return "today"
    return "later"


# --- Routing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What intake knows that routing may use."""

    topic: str = ""
    procedure_code: str = ""
    named_agency: int | None = None  # the agency the sender named
    dossier_agency: int | None = None  # the processing agency of the sender's own dossier


@dataclass(frozen=True)
class Route:
    """Quy tắc phân luồng: an item matching every field given goes to ``agency``."""

    agency: int
    topic: str = ""
    procedure_code: str = ""
    named_agency: int | None = None
    order: int = 0

    def matches(self, facts: Facts) -> bool:
        return (
            (not self.topic or self.topic == facts.topic)
            and (not self.procedure_code or self.procedure_code == facts.procedure_code)
            and (self.named_agency is None or self.named_agency == facts.named_agency)
        )

    @property
    def specificity(self) -> int:
        return bool(self.topic) + bool(self.procedure_code) + (self.named_agency is not None)


def route(facts: Facts, routes: Iterable[Route]) -> int | None:
    """The competent agency, or None when the item is unclear and waits for a person. An item
    about the sender's own (checked) dossier goes to that dossier's processing agency; otherwise
    the most specific matching rule wins (ties: the lower ``order``). A rule with no condition at
    all never routes: that would send every unclear item somewhere unread."""
    if facts.dossier_agency is not None:
        return facts.dossier_agency
    candidates = [r for r in routes if r.specificity and r.matches(facts)]
    if not candidates:
        return None
    return min(candidates, key=lambda r: (-r.specificity, r.order)).agency


# --- Duplicates ----------------------------------------------------------------------------------

DUPLICATE_WINDOW_DAYS = 30
SIMILAR_SUBJECT = 0.8


def subject_similarity(a: str, b: str) -> float:
    """Jaccard similarity of the folded words of two subjects (diacritics, case and tone
    placement ignored)."""
    left, right = set(fold(a).split()), set(fold(b).split())
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def is_duplicate(
    *,
    earlier_phone: str,
    earlier_subject: str,
    earlier_at: datetime.datetime,
    phone: str,
    subject: str,
    at: datetime.datetime,
    window_days: int = DUPLICATE_WINDOW_DAYS,
) -> bool:
    """The same sender (by phone) on the same subject within the window: linked to the earlier
    item, not counted twice."""
    if not phone or normalize_phone(earlier_phone) != normalize_phone(phone):
        return False
    if not datetime.timedelta(0) <= at - earlier_at <= datetime.timedelta(days=window_days):
        return False
    return subject_similarity(earlier_subject, subject) >= SIMILAR_SUBJECT


# --- Redaction of personal data -------------------------------------------------------------------

REDACTED = "[…]"

# Numbers: runs of digits, possibly grouped by dots, dashes or brackets, joined over spaces into
# one number ("0905 123 456", "+84 905 123 456", "(0258) 3822 123"). Nine digits or more is a phone,
# identification (CCCD 12, CMND 9) or tax number and goes. An amount written with thousands dots
# ("1.500.000.000 đồng") is kept when a currency follows it, and is never joined to its neighbours:
# "50.000 50.000" is two amounts, not a phone.
_NUMBER_TOKEN = re.compile(r"(?<![\w])\+?\d(?:[\d.\-()]*\d)?")
_JOINING_GAP = re.compile(r"[ \t()]{1,3}")
_AMOUNT = re.compile(r"[1-9]\d{0,2}(?:[.,]\d{3})+")
_CURRENCY_AFTER = re.compile(r"\s*(?:đồng|đ|vnđ|vnd)\b", re.IGNORECASE)
# …unless a label says what it is: after one of these, a number is personal whatever follows it.
_NUMBER_LABEL = re.compile(
    r"(?:cccd|cmnd|cmt|định danh|căn cước|chứng minh|hộ chiếu|điện thoại|đt|sđt|sdt|zalo|số máy|mst|mã số thuế)"
    r"[\s:.,\-]*(?:số|là)?[\s:.,\-]*$",
    re.IGNORECASE,
)
LONG_NUMBER_DIGITS = 9
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
# Dossier codes (``<agency>-YYMMDD-NNNN``), result codes and feedback codes.
_DOSSIER_CODE = re.compile(r"\b[\w.]+(?:-[\w.]+)*-\d{6}-\d{4,}(?:-KQ\d+)?\b", re.UNICODE)
# A person addressed by a title followed by a capitalised name: "ông Nguyễn Văn An", "chị Hoà".
_TITLES = r"(?:ông|bà|anh|chị|em|cô|chú|bác|cháu|cụ|Ông|Bà|Anh|Chị|Em|Cô|Chú|Bác|Cháu|Cụ)"
_CAPITALISED = r"[A-ZÀ-ỸĐ][\wÀ-ỹđĐ]*"
_TITLED_NAME = re.compile(rf"\b{_TITLES}\s+((?:{_CAPITALISED})(?:\s+{_CAPITALISED}){{0,4}})", re.UNICODE)


def _fold_char(ch: str) -> str:
    base = strip_diacritics(ch).casefold()
    return base if len(base) == 1 else ch.casefold()[:1] or " "


def _folded_chars(text: str) -> str:
    """``text`` folded character by character (same length), so that a match in it is a span of
    the original text."""
    return "".join(_fold_char(ch) for ch in text)


def _given_spans(text: str, given: str) -> list[tuple[int, int]]:
    words = [w for w in re.split(r"\s+", _folded_chars(unicodedata.normalize("NFC", given.strip()))) if w]
    if not words or sum(len(w) for w in words) < 2:
        return []
    pattern = re.compile(r"(?<!\w)" + r"[\s,]+".join(re.escape(w) for w in words) + r"(?!\w)")
    return [m.span() for m in pattern.finditer(_folded_chars(text))]


def _long_numbers(text: str) -> list[tuple[int, int]]:
    groups: list[list[re.Match[str]]] = []
    for token in _NUMBER_TOKEN.finditer(text):
        amount = _AMOUNT.fullmatch(token.group()) is not None
        if groups and not amount:
            last = groups[-1][-1]
            gap = text[last.end() : token.start()]
            if _AMOUNT.fullmatch(last.group()) is None and _JOINING_GAP.fullmatch(gap):
                groups[-1].append(token)
                continue
        groups.append([token])
    spans = []
    for group in groups:
        digits = sum(ch.isdigit() for token in group for ch in token.group())
        if digits < LONG_NUMBER_DIGITS:
            continue
        first, last = group[0], group[-1]
        labelled = _NUMBER_LABEL.search(text, max(0, first.start() - 40), first.start()) is not None
        if (
            len(group) == 1
            and not labelled
            and _AMOUNT.fullmatch(first.group())
            and _CURRENCY_AFTER.match(text, last.end())
        ):
            continue
        spans.append((first.start(), last.end()))
    return spans


def redact(text: str, *, names: Sequence[str] = (), addresses: Sequence[str] = ()) -> str:
    """The text with personal data replaced by ``REDACTED``: phone, identification and tax
    numbers, e-mail addresses, dossier and result codes, the names and addresses given (however
    their diacritics and case are typed), and any capitalised name after a form of address (ông,
    bà, anh, chị…). An officer reads the result before it is published: these rules remove what
    a pattern can find, the officer what it cannot."""
    text = unicodedata.normalize("NFC", text)
    spans: list[tuple[int, int]] = []
    for given in (*names, *addresses):
        spans.extend(_given_spans(text, given))
        # A name also appears by its given name alone ("Hoà" for "Trần Thị Hoà").
        parts = given.split()
        if given in names and len(parts) > 1:
            spans.extend(_given_spans(text, parts[-1]) if len(parts[-1]) > 1 else [])
    for pattern in (_EMAIL, _DOSSIER_CODE):
        spans.extend(m.span() for m in pattern.finditer(text))
    spans.extend(_long_numbers(text))
    spans.extend(m.span(1) for m in _TITLED_NAME.finditer(text))
    if not spans:
        return text
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, position = [], 0
    for start, end in merged:
        out.append(text[position:start])
        out.append(REDACTED)
        position = end
    out.append(text[position:])
    return "".join(out)


# --- Intake checks ---------------------------------------------------------------------------------

CONTENT_MAX = 5000
SUBJECT_MAX = 200
MIN_SECONDS_TO_FILL = 3
_EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class Sender:
    """Người phản ánh, kiến nghị: the decree asks for a name, an address and a phone number."""

    name: str
    address: str
    phone: str
    email: str = ""
    reply_by: str = ReplyBy.SMS


def sender_problems(sender: Sender) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not sender.name.strip():
        problems["name"] = _("Cần ghi họ và tên người phản ánh, kiến nghị.")
    elif len(sender.name) > 200:
        problems["name"] = _("Họ và tên dài tối đa 200 ký tự.")
    if not sender.address.strip():
        problems["address"] = _("Cần ghi địa chỉ liên hệ.")
    elif len(sender.address) > 500:
        problems["address"] = _("Địa chỉ dài tối đa 500 ký tự.")
    if not PHONE.fullmatch(normalize_phone(sender.phone)):
        problems["phone"] = _("Cần ghi số điện thoại liên hệ (10 hoặc 11 chữ số, bắt đầu bằng 0 hoặc +84).")
    if sender.email and not _EMAIL_SHAPE.fullmatch(sender.email.strip()):
        problems["email"] = _("Địa chỉ thư điện tử không hợp lệ.")
    if sender.reply_by not in ReplyBy.values:
        problems["reply_by"] = _("Chọn cách nhận thông báo và trả lời.")
    elif sender.reply_by == ReplyBy.EMAIL and not sender.email.strip():
        problems.setdefault("email", _("Cần ghi thư điện tử để nhận trả lời qua thư điện tử."))
    return problems


def content_problems(*, subject: str, content: str) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not subject.strip():
        problems["subject"] = _("Cần ghi tiêu đề.")
    elif len(subject) > SUBJECT_MAX:
        problems["subject"] = _("Tiêu đề dài tối đa %(max)d ký tự.") % {"max": SUBJECT_MAX}
    if not content.strip():
        problems["content"] = _("Cần ghi nội dung phản ánh, kiến nghị.")
    elif len(content) > CONTENT_MAX:
        problems["content"] = _(
            "Nội dung dài tối đa %(max)s ký tự (bạn đã viết %(length)s). Hãy rút gọn, hoặc gửi phần còn lại "
            "trong tệp đính kèm."
        ) % {"max": f"{CONTENT_MAX:,}".replace(",", "."), "length": f"{len(content):,}".replace(",", ".")}
    return problems


def looks_automated(*, honeypot: str, seconds_to_fill: float | None) -> bool:
    """A form whose hidden field was filled, or sent faster than a person can type (or with no
    proof of when it was shown), came from a program."""
    return bool(honeypot) or seconds_to_fill is None or seconds_to_fill < MIN_SECONDS_TO_FILL


# --- The public answers' search ---------------------------------------------------------------------

SEARCH_WORDS = 8  # the words of a query that are looked up; the rest are ignored
WORD_LENGTH = 40  # a word is indexed and looked up by its first 40 characters
FEW_ANSWERS = 2000  # a word found in fewer answers leads the search (see selectors.public_search)
COUNT_AT_MOST = 1000  # the search counts its answers up to here ("more than 1.000 answers")


def search_words(text: str) -> list[str]:
    """The distinct folded words (``common.text.fold``: diacritics, case, tone placement and đ
    ignored) of a published text or of a query, in order, each cut to ``WORD_LENGTH``. A query
    matches an answer that has, for each of its words, a word starting with it."""
    seen: dict[str, None] = {}
    for word in fold(text).split():
        seen.setdefault(word[:WORD_LENGTH], None)
    return list(seen)
