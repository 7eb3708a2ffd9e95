"""Pure rules for reading published procedure data (dữ liệu TTHC như công bố) into structured
values. No I/O and no database: the importer calls these and stores what they return.

The national portal's text is irregular. Each parser returns what it can read with certainty and
says, in Vietnamese, what a procedure controller (cán bộ kiểm soát TTHC) has to review; it never
guesses a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from django.utils.text import slugify

from common.text import fold, normalize

# --- Channels and levels -------------------------------------------------------------------------

ChannelCode = Literal["online", "in_person", "postal"]
FeeChannel = Literal["online", "in_person", "postal", ""]

# Canonical order, so that the same set of channels or levels is always stored the same way
# (the portal lists them in any order; comparing re-imports needs one spelling).
CHANNEL_ORDER: tuple[ChannelCode, ...] = ("online", "in_person", "postal")
LEVEL_ORDER: tuple[str, ...] = ("ministry", "province", "commune", "other")

# Cách thức nộp hồ sơ as the portal writes them.
_CHANNEL_WORDS: dict[str, ChannelCode] = {
    "truc tuyen": "online",
    "truc tiep": "in_person",
    "dich vu buu chinh": "postal",
    "buu chinh": "postal",
}


def channel_from_label(label: str) -> ChannelCode | None:
    """The channel for a Vietnamese label ("Trực tuyến", "trực tiếp", "Dịch vụ bưu chính") or an
    already-coded value ("online"); None when it is neither."""
    text = normalize(label)
    if text in CHANNEL_ORDER:
        return text  # type: ignore[return-value]
    return _CHANNEL_WORDS.get(fold(text))


def parse_channels(values: list[str] | tuple[str, ...] | None) -> list[ChannelCode]:
    """Cách thức nộp: ``["Trực tuyến", "Trực tiếp"]`` → ``["online", "in_person"]`` in canonical
    order, without duplicates. Raises ``ValueError`` (Vietnamese message) on an unknown value."""
    found: set[ChannelCode] = set()
    for value in values or ():
        code = channel_from_label(value)
        if code is None:
            raise ValueError(f"cách thức nộp không hợp lệ: “{normalize(value)}”")
        found.add(code)
    return [c for c in CHANNEL_ORDER if c in found]


def parse_levels(level: str | None) -> list[str]:
    """Cấp thực hiện: ``"ministry,province"`` → ``["ministry", "province"]`` in canonical order,
    without duplicates. Raises ``ValueError`` (Vietnamese message) on an unknown level."""
    found: set[str] = set()
    for part in (level or "").split(","):
        code = part.strip().lower()
        if not code:
            continue
        if code not in LEVEL_ORDER:
            raise ValueError(f"cấp thực hiện không hợp lệ: “{part.strip()}”")
        found.add(code)
    return [c for c in LEVEL_ORDER if c in found]


# --- Slugs and agencies --------------------------------------------------------------------------


def slugify_vi(text: str, max_length: int | None = None) -> str:
    """An ASCII slug for Vietnamese text: diacritics folded, đ read as d ("Đất đai" → "dat-dai").
    Cut at a hyphen when longer than ``max_length``."""
    slug = slugify(fold(text))
    if max_length is not None and len(slug) > max_length:
        cut = slug[:max_length]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug


# Words an agency name starts with. A part of "A; B" that starts with none of them is a piece of
# the previous name that the source split on its comma ("Sở Văn hóa; Thể thao và Du lịch").
_AGENCY_HEADS = (
    "uy ban",
    "ubnd",
    "so ",
    "cong an",
    "cuc ",
    "phong ",
    "chi cuc",
    "chi nhanh",
    "ban ",
    "bo ",
    "van phong",
    "trung tam",
    "co quan",
    "co so",
    "to chuc",
    "bao hiem",
    "chu tich",
    "giam doc",
    "hoi dong",
    "khu ",
    "luu tru",
    "nguoi",
    "thue",
    "thu tuong",
    "truong",
    "don vi",
    "cong doan",
    "tong cuc",
    "vien ",
    "benh vien",
    "toa an",
    "vien kiem sat",
    "kho bac",
    "ngan hang",
)


def split_agencies(text: str | None) -> list[str]:
    """Cơ quan thực hiện: ``"Sở Tư pháp; Công an tỉnh"`` → the separate names, trimmed, without
    repeats (case-insensitive). A fragment that is not an agency name on its own is joined back
    to the one before it with a comma."""
    names: list[str] = []
    for raw in normalize(text or "").split(";"):
        part = raw.strip().strip("-–.,").strip()
        if not part:
            continue
        if names and not fold(part + " ").startswith(_AGENCY_HEADS):
            names[-1] = f"{names[-1]}, {part}"
        else:
            names.append(part)
    unique: list[str] = []
    seen: set[str] = set()
    for name in names:
        key = fold(name)
        if key not in seen:
            seen.add(key)
            unique.append(name)
    return unique


# --- Splitting "Trực tuyến: …; Trực tiếp: …" -------------------------------------------------------

_LABEL_RE = re.compile(r"^\s*(Trực tuyến|Trực tiếp|Dịch vụ bưu chính)\s*:\s*", re.IGNORECASE)


def _split_top_level(text: str) -> list[str] | None:
    """Split on semicolons outside parentheses; None when the parentheses do not balance."""
    parts: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return None
        elif ch == ";" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    if depth != 0:
        return None
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


@dataclass(frozen=True)
class _Segment:
    channel: FeeChannel
    body: str


def _channel_segments(text: str) -> list[_Segment] | None:
    """``"Trực tuyến: A; Trực tiếp: B"`` → [(online, A), (in_person, B)]; text without labels →
    one segment for every channel. None when the text mixes labelled and unlabelled parts or its
    parentheses do not balance."""
    parts = _split_top_level(text)
    if parts is None:
        return None
    if not any(_LABEL_RE.match(p) for p in parts):
        return [_Segment("", text.strip())]
    segments: list[_Segment] = []
    for part in parts:
        match = _LABEL_RE.match(part)
        if match is None:
            return None
        channel = channel_from_label(match.group(1))
        assert channel is not None
        segments.append(_Segment(channel, part[match.end() :].strip()))
    return segments


# --- Processing time (thời hạn giải quyết) ---------------------------------------------------------


@dataclass(frozen=True)
class ProcessingTime:
    """Thời hạn giải quyết. ``days`` is a number of working days, set only when every value in
    the text is in "ngày làm việc" (the largest when channels differ); ``needs_review`` with a
    Vietnamese ``reason`` when a controller must look at the text."""

    days: int | None
    needs_review: bool
    reason: str = ""
    # Working days per channel where the text gives them ("Trực tuyến: 8 Ngày làm việc; Trực
    # tiếp: 18 Ngày làm việc" → online 8, in_person 18; unlabelled days hold for every channel).
    # Left out of comparisons: ``days`` and the review say whether the text was read.
    by_channel: dict[str, int] = field(default_factory=dict, compare=False)


_WORKING_DAYS_RE = re.compile(r"^(\d+)\s*ngày\s+làm\s+việc\.?$", re.IGNORECASE)
_BARE_NUMBER_RE = re.compile(r"^\d+\.?$")
_UNIT_RE = re.compile(r"^\d+\s*(ngày|giờ|tháng|năm|tuần)\.?$", re.IGNORECASE)
_RANGE_RE = re.compile(r"\d+\s*(?:-|–|đến|tới)\s*\d+", re.IGNORECASE)
_UNIT_REASONS = {
    "ngày": "thời hạn tính bằng “ngày”, không rõ là ngày làm việc hay ngày lịch",
    "giờ": "thời hạn tính bằng giờ",
    "tháng": "thời hạn tính bằng tháng",
    "năm": "thời hạn tính bằng năm",
    "tuần": "thời hạn tính bằng tuần",
}
# processing_days is a PositiveSmallIntegerField.
_MAX_DAYS = 32767


def _segment_days(body: str) -> tuple[int | None, str]:
    """Working days in one value, or None and why not."""
    value = body.strip()
    if match := _WORKING_DAYS_RE.match(value):
        days = int(match.group(1))
        if days == 0 or days > _MAX_DAYS:
            return None, f"thời hạn “{value}” không hợp lý"
        return days, ""
    if _BARE_NUMBER_RE.match(value):
        return None, "thời hạn không ghi đơn vị (ngày làm việc, ngày hay giờ)"
    if match := _UNIT_RE.match(value):
        return None, _UNIT_REASONS[match.group(1).lower()]
    if _RANGE_RE.search(value):
        return None, f"thời hạn là một khoảng (“{value}”)"
    return None, f"không đọc được thời hạn “{value}”"


def parse_processing_time(text: str | None) -> ProcessingTime:
    """Read "5 Ngày làm việc" or "Trực tuyến: 3 Ngày làm việc; Trực tiếp: 5 Ngày làm việc" into
    working days. A bare number, hours, plain "ngày" (calendar days), months, ranges or free text
    give no days and a reason. Several values for the same channel (different cases) give the
    largest, flagged for review."""
    value = normalize(text or "")
    if not value:
        return ProcessingTime(None, True, "chưa có dữ liệu thời hạn giải quyết")
    segments = _channel_segments(value)
    if segments is None:
        return ProcessingTime(None, True, f"không tách được thời hạn theo cách thức nộp (“{value}”)")
    days_by_channel: dict[str, list[int]] = {}
    reasons: list[str] = []
    for segment in segments:
        days, reason = _segment_days(segment.body)
        if days is None:
            if reason not in reasons:
                reasons.append(reason)
        else:
            days_by_channel.setdefault(segment.channel, []).append(days)
    if reasons:
        return ProcessingTime(None, True, "; ".join(reasons))
    all_days = [d for values in days_by_channel.values() for d in values]
    longest = max(all_days)
    by_channel: dict[str, int] = {
        channel: max(days_by_channel.get(channel) or days_by_channel.get("") or [])
        for channel in CHANNEL_ORDER
        if days_by_channel.get(channel) or days_by_channel.get("")
    }
    if any(len(set(values)) > 1 for values in days_by_channel.values()):
        return ProcessingTime(
            longest, True, "thời hạn khác nhau theo từng trường hợp; tạm ghi thời hạn dài nhất", by_channel
        )
    return ProcessingTime(longest, False, "", by_channel)


def working_days_for(channel: str, by_channel: dict[str, int], days: int | None) -> int | None:
    """The working days a dossier that came by ``channel`` (online, in_person or postal; the
    dossiers' "counter" is in_person) is given: the channel's own published time, else the
    procedure's single time, else None (no due date can be counted)."""
    key = "in_person" if channel == "counter" else channel
    own = by_channel.get(key)
    return own if isinstance(own, int) and own > 0 else days


def offered_online(*, online_level: str, channels: list[str], online_days: int | None) -> bool:
    """A procedure takes dossiers online only when it is published as online (fully or in part),
    lists the online channel, and has working days for it: a dossier without a due date would
    have no appointment and could never be late."""
    return online_level in ("full", "partial") and "online" in channels and online_days is not None


# --- Fees (phí, lệ phí) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FeeItemData:
    """One structured fee: ``channel`` "" means every channel."""

    channel: FeeChannel
    amount_vnd: int
    unit: str = ""
    description: str = ""


@dataclass(frozen=True)
class FeeParse:
    items: list[FeeItemData]
    needs_review: bool
    reasons: list[str] = field(default_factory=list)


REASON_NO_FEE_DATA = "chưa có dữ liệu phí"
REASON_DISPLAY_CAVEAT = "cổng hiển thị “Miễn phí” nhưng ghi chú cho biết mức thu do văn bản khác quy định"
REASON_COUNCIL = "“Miễn phí” nhưng ghi chú nói mức thu do Hội đồng nhân dân (hoặc Ủy ban nhân dân) cấp tỉnh quy định"
REASON_COUNCIL_AMOUNT = "ghi chú nói mức thu cụ thể do Hội đồng nhân dân cấp tỉnh quyết định"
REASON_FREE_WITH_NOTE = "“Miễn phí” kèm ghi chú cần đối chiếu"
REASON_BELOW_THOUSAND = "số tiền dưới 1.000 đồng (cổng có thể đã nhập theo nghìn đồng)"
REASON_FOREIGN_CURRENCY = "mức thu bằng ngoại tệ (USD)"
REASON_OTHER_AMOUNT = "ghi chú nêu mức thu khác với số tiền đã ghi"
REASON_PERCENT = "ghi chú nêu mức thu theo tỷ lệ phần trăm"
REASON_TIME_LIMITED = "ghi chú nêu mức thu áp dụng có thời hạn"
REASON_UNREADABLE = "không đọc được mức phí"
REASON_UNSPLITTABLE = "không tách được phí theo cách thức nộp"

_FREE_RE = re.compile(r"^miễn phí$", re.IGNORECASE)
_AMOUNT_RE = re.compile(
    r"^(?P<num>\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?P<cur>việt nam đồng|vnđ|vnd|đồng|đ|usd)\.?$", re.IGNORECASE
)
# Notes under "Miễn phí" that add nothing: the fee really is nil.
_EMPTY_FREE_NOTES = {
    "khong",
    "khong co",
    "khong quy dinh",
    "khong thu",
    "khong thu phi",
    "khong thu le phi",
    "mien le phi",
    "mien phi",
    "mien",
    "khong phai nop",
    "khong mat phi",
}
_COUNCIL_RE = re.compile(r"hội đồng nhân dân|hđnd|ủy ban nhân dân cấp tỉnh quy định|ubnd cấp tỉnh quy định", re.I)
# An amount mentioned inside a note: a number with thousands separators, or any number followed by
# a currency word.
_NOTE_AMOUNT_RE = re.compile(
    r"(?<![\d/.,])(\d{1,3}(?:[.,]\d{3})+)(?![\d/]|[.,]\d)|(?<![\d/.,])(\d+)\s*(?:đồng|đ\b|vnđ|vnd)", re.IGNORECASE
)
_NOTE_UNIT_TEMPLATE = r"(?<![\d.,]){amount}\s*(?:đồng|đ|vnđ)?\s*/\s*(?P<unit>[^.;()]+)"
_TIME_LIMITED_RE = re.compile(r"đến hết ngày|kể từ ngày|từ ngày \d", re.IGNORECASE)
# FeeItem.unit holds 200 characters; a longer "unit" is a sentence, better left in the description.
_UNIT_MAX = 80


def _to_int(number: str) -> int:
    return int(re.sub(r"[.,]", "", number))


def _split_trailing_note(body: str) -> tuple[str, str] | None:
    """``"50,000 VNĐ (/di chúc)"`` → ("50,000 VNĐ", "/di chúc"). Parentheses that wrap the whole
    note twice are removed. None when there are parentheses anywhere but at the end."""
    text = body.strip().rstrip(".;, ")
    if not text.endswith(")"):
        return (text, "") if "(" not in text and ")" not in text else None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                head, note = text[:i].strip(), text[i + 1 : -1].strip()
                break
    else:
        return None
    if "(" in head or ")" in head:
        return None
    while note.startswith("(") and note.endswith(")") and _split_top_level(note[1:-1]) is not None:
        note = note[1:-1].strip()
    return head, note


def _note_amounts(note: str) -> set[int]:
    amounts: set[int] = set()
    for grouped, plain in _NOTE_AMOUNT_RE.findall(note):
        amounts.add(_to_int(grouped or plain))
    return amounts


def _note_unit(note: str, amount: int) -> str:
    """The unit a note gives for this amount ("50.000 đồng/lần" → "lần"), or ""."""
    if note.startswith("/"):
        unit = note[1:].strip()
        return unit if len(unit) <= _UNIT_MAX else ""
    for grouped in {f"{amount:,}", f"{amount:,}".replace(",", "."), str(amount)}:
        pattern = _NOTE_UNIT_TEMPLATE.format(amount=re.escape(grouped))
        if match := re.search(pattern, note, re.IGNORECASE):
            unit = match.group("unit").strip()
            if unit and len(unit) <= _UNIT_MAX:
                return unit
    return ""


@dataclass(frozen=True)
class _SegmentFee:
    item: FeeItemData | None
    reasons: tuple[str, ...]


def _parse_fee_segment(segment: _Segment) -> _SegmentFee:
    split = _split_trailing_note(segment.body)
    if split is None:
        return _SegmentFee(None, (f"{REASON_UNREADABLE}: “{segment.body}”",))
    head, note = split
    if _FREE_RE.match(head):
        if not note or fold(note) in _EMPTY_FREE_NOTES:
            return _SegmentFee(FeeItemData(segment.channel, 0, "", ""), ())
        reason = REASON_COUNCIL if _COUNCIL_RE.search(note) else REASON_FREE_WITH_NOTE
        return _SegmentFee(None, (reason,))
    match = _AMOUNT_RE.match(head)
    if match is None:
        return _SegmentFee(None, (f"{REASON_UNREADABLE}: “{segment.body[:120]}”",))
    amount = _to_int(match.group("num"))
    if match.group("cur").lower() == "usd":
        return _SegmentFee(None, (REASON_FOREIGN_CURRENCY,))
    reasons: list[str] = []
    if 0 < amount < 1000:
        reasons.append(REASON_BELOW_THOUSAND)
    if note and not note.startswith("/"):
        if _COUNCIL_RE.search(note):
            reasons.append(REASON_COUNCIL_AMOUNT)
        if _note_amounts(note) - {amount}:
            reasons.append(REASON_OTHER_AMOUNT)
        if "%" in note:
            reasons.append(REASON_PERCENT)
        if _TIME_LIMITED_RE.search(note):
            reasons.append(REASON_TIME_LIMITED)
    if reasons:
        return _SegmentFee(None, tuple(reasons))
    unit = _note_unit(note, amount)
    description = "" if note.startswith("/") else note
    return _SegmentFee(FeeItemData(segment.channel, amount, unit, description), ())


_CHANNEL_NAMES = {"online": "trực tuyến", "in_person": "trực tiếp", "postal": "dịch vụ bưu chính", "": ""}


def parse_fees(text: str | None, display_caveat: bool = False) -> FeeParse:
    """Read the published fee text into structured items.

    Per-channel text ("Trực tuyến: …; Dịch vụ bưu chính: …; Trực tiếp: …") gives items for each
    channel; other text gives items for every channel (channel ""). "Miễn phí" is a 0-VND item.
    A channel with anything uncertain (an amount below 1,000 VND, a note that names another amount,
    a percentage or a time limit, "Miễn phí" with a note that the province sets the fee, foreign
    currency, unreadable text) gets no items and a reason. ``display_caveat`` (the portal shows
    "Miễn phí" while its note says a fee is set elsewhere), unknown fees and text that cannot be
    split by channel give no items at all."""
    value = normalize(text or "")
    if not value:
        return FeeParse([], True, [REASON_NO_FEE_DATA])
    segments = _channel_segments(value)
    if segments is None:
        return FeeParse([], True, [REASON_UNSPLITTABLE])
    parsed = [(segment, _parse_fee_segment(segment)) for segment in segments]
    reasons: list[str] = []
    if display_caveat:
        reasons.append(REASON_DISPLAY_CAVEAT)
    flagged_channels: set[str] = set()
    for segment, result in parsed:
        if result.reasons:
            flagged_channels.add(segment.channel)
            for reason in result.reasons:
                labelled = f"{_CHANNEL_NAMES[segment.channel]}: {reason}" if segment.channel else reason
                if labelled not in reasons:
                    reasons.append(labelled)
    if display_caveat:
        return FeeParse([], True, reasons)
    items = [r.item for s, r in parsed if r.item is not None and s.channel not in flagged_channels]
    return FeeParse(items, bool(reasons), reasons)


# --- Required documents (thành phần hồ sơ) ---------------------------------------------------------

_FORM_ID = r"(?:Mẫu|mẫu|MẪU)(?:\s+số)?\s*[A-Za-zĐđ0-9][\w./-]*"
_FORM_OR_ANNEX_ID = r"(?:Mẫu|mẫu|MẪU|Phụ lục)(?:\s+số)?\s*[A-Za-zĐđ0-9][\w./-]*(?:\s+\d[\w./-]*)?"
# "…NĐ-CP;Mẫu số 14", "…, Mẫu số 02/2025/LLTP;": a form reference after a separator at the end.
_SEPARATED_TEMPLATE_RE = re.compile(rf"^(?P<name>.*?[^\s(;,])\s*[;,]\s*(?P<tpl>{_FORM_ID})\s*[.;,]?$")
# "…NĐ-CPPhụ lục IV-NĐ 112.": a form or annex glued on with no space at all.
_GLUED_TEMPLATE_RE = re.compile(rf"^(?P<name>.*?[^\s(;,])(?P<tpl>{_FORM_OR_ANNEX_ID})\s*[.;,]?$")
_PAREN_TEMPLATE_RE = re.compile(
    r"^(?P<name>.*\S)\s*\((?:theo\s+)?(?P<tpl>(?:Mẫu|mẫu|MẪU)(?:\s+số)?\s+[A-Za-zĐđ0-9][\w./-]*)\)\s*[.;,]?$"
)
_TEMPLATE_MAX = 60


def split_template_name(document_name: str) -> tuple[str, str]:
    """Split a template reference glued onto the end of a document name:
    ``"Tờ khai …NĐ-CP;Mẫu số 14"`` → ("Tờ khai …NĐ-CP", "Mẫu số 14"),
    ``"Tờ khai (Mẫu TK01)"`` → ("Tờ khai", "Mẫu TK01"). Names that merely mention a template
    ("Đơn … theo Mẫu số 18") are left whole: ("…", "")."""
    name = normalize(document_name)
    for pattern in (_PAREN_TEMPLATE_RE, _SEPARATED_TEMPLATE_RE, _GLUED_TEMPLATE_RE):
        match = pattern.match(name)
        if match is None:
            continue
        head = match.group("name").rstrip(" ;,")
        template = match.group("tpl").strip().rstrip(".;,")
        if head and len(template) <= _TEMPLATE_MAX and len(fold(head).split()) >= 2:
            return head, template[0].upper() + template[1:]
    return name, ""


# --- Required documents (thành phần hồ sơ) -------------------------------------------------------


@dataclass(frozen=True)
class DocumentRequirement:
    """How a required document is asked for. ``case`` is the situation (trường hợp) it applies
    to, "" when it applies to everybody; ``presented_only`` when it is only shown in person
    (giấy tờ phải xuất trình), never handed in nor uploaded; ``required`` when every applicant
    must give it."""

    case: str
    presented_only: bool
    required: bool


# The published "case" column often holds a heading rather than a case: "* Giấy tờ phải nộp:",
# "* Giấy tờ phải xuất trình:", "Hồ sơ gồm …". A real case names a situation.
_CASE_WORDS = ("truong hop", "doi voi", "neu ")
# A document whose own name starts with a situation, or adds one, is only for that situation
# ("Văn bản ủy quyền … trong trường hợp ủy quyền"); "Giấy chứng sinh; trường hợp không có Giấy
# chứng sinh thì …" names an alternative and stays required.
_CONDITIONAL_START = ("truong hop", "doi voi truong hop", "neu ", "trong truong hop")
_CONDITIONAL_WORDS = ("trong truong hop", "neu co", "doi voi truong hop")


def document_requirement(case: str, name: str) -> DocumentRequirement:
    """Read the published case and name of a required document."""
    heading = fold(case)
    real_case = normalize(case) if any(word in heading + " " for word in _CASE_WORDS) else ""
    presented_only = "xuat trinh" in heading and not real_case
    folded_name = fold(name) + " "
    conditional = folded_name.startswith(_CONDITIONAL_START) or any(w in folded_name for w in _CONDITIONAL_WORDS)
    return DocumentRequirement(
        case=real_case.lstrip("*-– ").strip(),
        presented_only=presented_only,
        required=not real_case and not conditional,
    )


# Thành phần hồ sơ that is the procedure's own declaration form (tờ khai, đơn, giấy đề nghị theo
# mẫu): where the portal has that form as an e-form, the citizen fills it online instead of
# uploading a paper copy.
_DECLARATION_STARTS = tuple(
    fold(s) for s in ("Tờ khai", "Đơn đề nghị", "Đơn đăng ký", "Giấy đề nghị", "Đề nghị", "Phiếu yêu cầu")
)
_FORM_WORDS = frozenset(fold("tờ khai đơn đề nghị giấy theo mẫu phiếu yêu cầu").split())


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", fold(text))) - _FORM_WORDS


def is_the_declaration_form(document_name: str, form_title: str) -> bool:
    """Whether a required document is the e-form titled ``form_title`` itself: it names a form
    ("Tờ khai thay đổi thông tin cư trú (Mẫu CT01 …)", "Đề nghị đổi giấy phép lái xe theo mẫu …")
    and carries at least three quarters of the title's own words. A document that only mentions
    a form ("Văn bản ủy quyền …"), or another form of the procedure ("Đơn đề nghị cấp giấy phép
    sửa chữa, cải tạo …" beside the construction permit's), is still asked for."""
    folded = fold(document_name).strip(" -*+:;.")
    if not folded.startswith(_DECLARATION_STARTS):
        return False
    title = _words(form_title)
    return bool(title) and len(title & _words(document_name)) / len(title) >= 0.75
