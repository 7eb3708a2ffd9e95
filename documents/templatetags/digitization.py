"""``{% load digitization %}``: whether a dossier is digitized, for the dossier pages of other
apps (``{% if dossier|is_digitized %}…``)."""

from __future__ import annotations

from django import template

from dossiers.models import Dossier

from ..selectors import dossier_is_digitized

register = template.Library()


@register.filter
def is_digitized(dossier: Dossier) -> bool:
    """Hồ sơ đã số hóa: every document it was handed in with has its file and confirmed metadata."""
    return dossier_is_digitized(dossier)
