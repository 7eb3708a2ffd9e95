"""``{{ value|figure:kind }}``: a figure of the reports written as the dashboard writes it
(37.448; 95,4 %; 18.427.000.000 đồng; "—" for no data)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from reports import dashboard

register = template.Library()


@register.filter
def figure(value: int | float | None, kind: str) -> str:
    return dashboard.written(value, dashboard.Kind(kind), get_language() or "vi")
