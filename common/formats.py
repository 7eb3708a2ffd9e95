"""Vietnamese number, money and date formats (37.448; 50.000 đồng; ngày 07 tháng 11 năm 2022)."""

from __future__ import annotations

import datetime


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


def short_date(day: datetime.date, language: str = "vi") -> str:
    """07/11/2022 in Vietnamese; ISO 8601 elsewhere, which every reader understands."""
    return day.strftime("%d/%m/%Y") if language == "vi" else day.isoformat()
