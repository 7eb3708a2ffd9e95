"""``{{ unit|localized:"name" }}``: a one-stop unit's name, address or opening hours in the
language of the page (Vietnamese where not translated)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from org.models import OneStopUnit

register = template.Library()


@register.filter
def localized(unit: OneStopUnit | None, attribute: str) -> str:
    if unit is None:
        return ""
    return str(getattr(unit.text_in(get_language() or "vi"), attribute))
