"""Vietnamese number, money and date formats (37.448; 50.000 đồng; ngày 07 tháng 11 năm 2022)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any


def group_thousands(value: int, separator: str = ".") -> str:
    """37448 → "37.448" (Vietnamese groups thousands with a dot)."""
    sign = "-" if value < 0 else ""
    digits = str(abs(int(value)))
    groups = []
    while digits:
        groups.append(digits[-3:])
        digits = digits[:-3]
    return sign + separator.join(reversed(groups))


def format_vnd(amount: int, language: str = "vi") -> str:
    if language == "vi":
        return f"{group_thousands(amount)} đồng"
    return f"{group_thousands(amount, ',')} VND"


def official_date(day: datetime.date) -> str:
    """A date as Nghị định 30/2020/NĐ-CP writes it: days below 10 and the months 1 and 2 take a
    leading zero — "ngày 07 tháng 11 năm 2022", "ngày 15 tháng 02 năm 2025"."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def _hundreds_in_words(n: int, full: bool) -> list[str]:
    """0 < n < 1000; ``full``: a group after a higher one says its hundreds and "linh" ("một nghìn
    không trăm linh năm")."""
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if ones and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if ones:
        if ones == 1 and tens >= 2:
            words.append("mốt")
        elif ones == 5 and tens >= 1:
            words.append("lăm")
        elif ones == 4 and tens >= 2:
            words.append("tư")
        else:
            words.append(_DIGITS[ones])
    return words


def number_in_words(value: int) -> str:
    """A whole number as Vietnamese says it, the way official documents write a date or an amount
    "bằng chữ": 2024 → "hai nghìn không trăm hai mươi tư", 15 → "mười lăm", 21 → "hai mươi mốt",
    105 → "một trăm linh năm", 1_000_000 → "một triệu". Up to 999.999.999.999."""
    if not 0 <= value < 10**12:
        raise ValueError("number_in_words: 0 ≤ value < 10^12")
    if value == 0:
        return _DIGITS[0]
    scales = ("", "nghìn", "triệu", "tỷ")
    groups: list[int] = []
    while value:
        value, group = divmod(value, 1000)
        groups.append(group)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        words += _hundreds_in_words(group, full=bool(words))
        if scales[index]:
            words.append(scales[index])
    return " ".join(words)


def date_in_words(day: datetime.date) -> str:
    """07/11/2024 → "Ngày bảy, tháng mười một, năm hai nghìn không trăm hai mươi tư", as a birth
    certificate writes the date of birth "bằng chữ"."""
    return f"Ngày {number_in_words(day.day)}, tháng {number_in_words(day.month)}, năm {number_in_words(day.year)}"


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(day: datetime.date, language: str = "vi") -> str:
    """A day as each language writes it: 07/11/2022 in Vietnamese, 7 Nov 2022 in English (no
    order of day and month to guess), 2022年11月7日 in Chinese and Japanese, 2022년 11월 7일 in
    Korean."""
    if language in ("zh-hans", "ja"):
        return f"{day.year}年{day.month}月{day.day}日"
    if language == "ko":
        return f"{day.year}년 {day.month}월 {day.day}일"
    if language == "en":
        return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    return day.strftime("%d/%m/%Y")


def percent(share: float, decimals: int = 1) -> str:
    """0.5 → "50%", 0.4567 → "45,7%": a whole number without decimals, a decimal comma otherwise."""
    value = round(share * 100, decimals)
    if value == int(value):
        return f"{int(value)}%"
    return f"{value:.{decimals}f}".rstrip("0").replace(".", ",") + "%"


_SCALES = ((1_000_000_000, "tỷ"), (1_000_000, "triệu"))


def approximately(value: int, unit: str = "") -> str:
    """A large figure the way a report rounds it: 18.427.000.000 đồng → "hơn 18 tỷ đồng",
    11.950 → "gần 12.000", 37.448 → "hơn 37.000"; exact when it is round (2.000 → "2.000").
    Money (``unit`` "đồng") is said in tỷ or triệu; counts keep two significant digits."""
    suffix = f" {unit}" if unit else ""
    if unit == "đồng":
        for size, word in _SCALES:
            if value >= size:
                whole, rest = divmod(value, size)
                if not rest:
                    return f"{group_thousands(whole)} {word}{suffix}"
                if rest * 10 >= size * 9:  # above x,9: close to the next one
                    return f"gần {group_thousands(whole + 1)} {word}{suffix}"
                return f"hơn {group_thousands(whole)} {word}{suffix}"
        return f"{group_thousands(value)}{suffix}"
    if value < 1000:
        return f"{group_thousands(value)}{suffix}"
    size = 10 ** (len(str(value)) - 2)
    whole, rest = divmod(value, size)
    if not rest:
        return f"{group_thousands(value)}{suffix}"
    if rest * 2 >= size:
        return f"gần {group_thousands((whole + 1) * size)}{suffix}"
    return f"hơn {group_thousands(whole * size)}{suffix}"


def mask_identifier(value: str) -> str:
    """An identification or phone number as lists show it, only the first and last three
    characters seen: 051******123, 090****567 (never the whole number in a page or a log)."""
    if len(value) <= 6:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 6) + value[-3:]


def unit_text(unit: str) -> str:
    """The catalog's unit of a fee ("di chúc", "/bản sao", "đồng/hồ sơ", "1 bản") as the words
    after the slash of "50.000 đồng/di chúc": no leading slash, currency or count of one."""
    text = " ".join(unit.split())
    for prefix in ("đồng/", "đ/", "VNĐ/", "VND/", "/", "mỗi ", "1 ", "một "):
        if text.casefold().startswith(prefix.casefold()):
            text = text[len(prefix) :].strip()
    return text


def format_vnd_per_unit(amount: int, unit: str, language: str = "vi") -> str:
    """An amount per unit the way it reads: 50.000 đồng/di chúc (50,000 VND/di chúc)."""
    words = unit_text(unit)
    return f"{format_vnd(amount, language)}/{words}" if words else format_vnd(amount, language)


def _percent_text(value: Any, language: str) -> str:
    number = Decimal(str(value or 0)).normalize()
    text = f"{number:f}"
    return text.replace(".", ",") if language == "vi" else text


def fee_sentence(fee: Mapping[str, Any], language: str = "vi") -> str:
    """Phí, lệ phí explained in one sentence, from an assessment as ``payments.rules.Assessment.
    as_dict`` keeps it (a payment request, a payment): the same words on every page, e-mail and
    receipt. "Phí, lệ phí 50.000 đồng, giảm 50% khi nộp trực tuyến theo Nghị quyết …: còn
    25.000 đồng." """
    from django.utils import translation

    def money(value: Any) -> str:
        return format_vnd(int(value or 0), language)

    with translation.override(language):
        _ = translation.gettext
        due = int(fee.get("total_vnd") or 0)
        base = int(fee.get("base_vnd") or 0)
        override = fee.get("override_vnd")
        if override is not None:
            reason = str(fee.get("override_reason", "")).strip()
            if base:
                return _(
                    "Phí, lệ phí theo biểu phí %(computed)s; cán bộ xác định số tiền phải nộp là %(due)s "
                    "(lý do: %(reason)s)."
                ) % {"computed": money(fee.get("computed_vnd")), "due": money(due), "reason": reason}
            return _("Cán bộ xác định số tiền phải nộp là %(due)s (lý do: %(reason)s).") % {
                "due": money(due),
                "reason": reason,
            }
        if not base:
            return _("Không phải nộp phí, lệ phí.")
        clauses = []
        exemption = fee.get("exemption") or {}
        if int(fee.get("exemption_vnd") or 0) and exemption:
            clauses.append(
                _("miễn %(percent)s%% (%(title)s) theo %(basis)s")
                % {
                    "percent": _percent_text(exemption.get("percent"), language),
                    "title": exemption.get("title", ""),
                    "basis": exemption.get("legal_basis", ""),
                }
            )
        reduction = fee.get("reduction") or {}
        if int(fee.get("reduction_vnd") or 0) and reduction:
            values = {
                "percent": _percent_text(reduction.get("percent"), language),
                "basis": reduction.get("legal_basis", ""),
            }
            if reduction.get("channel") == "online":
                clauses.append(_("giảm %(percent)s%% khi nộp trực tuyến theo %(basis)s") % values)
            else:
                clauses.append(_("giảm %(percent)s%% theo %(basis)s") % values)
        if not clauses:
            return _("Phí, lệ phí phải nộp: %(due)s.") % {"due": money(due)}
        return _("Phí, lệ phí %(base)s, %(clauses)s: còn %(due)s.") % {
            "base": money(base),
            "clauses": ", ".join(clauses),
            "due": money(due),
        }
