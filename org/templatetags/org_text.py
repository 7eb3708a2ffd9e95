"""``{{ unit|localized:"name" }}``: a one-stop unit's name, address or opening hours in the
language of the page (Vietnamese where not translated)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from org.models import OneStopUnit

register = template.Library()


@register.filter
def localized(unit: OneStopUnit | None, attribute: str) -> str:
    """In another language, what has no translation is shown in Vietnamese marked ``lang="vi"``."""
    if unit is None:
        return ""
    language = get_language() or "vi"
    text = str(getattr(unit.text_in(language), attribute))
    if language != "vi" and text and not (unit.translations.get(language) or {}).get(attribute):
        return format_html('<span lang="vi">{}</span>', text)
    return text


@register.filter
def official_name(agency: Any) -> str:
    """An agency's official name: not translated, marked ``lang="vi"`` on other languages' pages."""
    if agency is None:
        return ""
    if (get_language() or "vi") == "vi":
        return str(agency.name)
    return format_html('<span lang="vi">{}</span>', agency.name)
