"""Template filters for Vietnamese formats; they follow the active language."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language

from common import formats

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    if amount is None:
        return ""
    return formats.format_vnd(amount, get_language() or "vi")


@register.filter
def vndate(day: datetime.date | datetime.datetime | str | None) -> str:
    """A day as the page's language writes it (``ngày 07 tháng 11 năm 2022`` in Vietnamese); also
    an ISO day as kept in JSON (a history's details)."""
    if day is None or day == "":
        return ""
    if isinstance(day, datetime.datetime):
        # A moment: its day where the portal is (an aware moment's .date would be UTC's day).
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    elif isinstance(day, str):
        try:
            day = datetime.date.fromisoformat(day)
        except ValueError:
            return str(day)
    language = get_language() or "vi"
    return formats.official_date(day) if language == "vi" else formats.short_date(day, language)


@register.filter
def number(value: int | None) -> str:
    if value is None:
        return ""
    return formats.group_thousands(value, "." if (get_language() or "vi") == "vi" else ",")


@register.filter
def mask(value: str | None) -> str:
    """An identification or phone number as lists show it: 051******123, 090****567."""
    if not value:
        return ""
    return formats.mask_identifier(str(value).replace(" ", ""))


@register.filter
def per_unit(amount: int | None, unit: str = "") -> str:
    """50.000 đồng/di chúc: an amount per the catalog's unit of a fee. On other languages'
    pages the unit is the published fee schedule's Vietnamese word, marked ``lang="vi"``."""
    if amount is None:
        return ""
    language = get_language() or "vi"
    words = formats.unit_text(unit or "")
    if language == "vi" or not words:
        return formats.format_vnd_per_unit(amount, unit or "", language)
    return format_html('{}/<span lang="vi">{}</span>', formats.format_vnd(amount, language), words)


@register.filter
def fee_sentence(fee: Any) -> str:
    """Phí, lệ phí explained in one sentence (``common.formats.fee_sentence``)."""
    if not fee:
        return ""
    return formats.fee_sentence(fee, get_language() or "vi")


@register.filter
def vi_name(value: Any) -> str:
    """An official Vietnamese name or address kept as it is in every language (an agency, the
    service centre's address, a decision's number), marked ``lang="vi"`` so that screen readers
    read it in Vietnamese and the pages' language checks know it is not interface text."""
    if value is None or value == "":
        return ""
    if (get_language() or "vi") == "vi":
        return str(value)
    return format_html('<span lang="vi">{}</span>', value)
