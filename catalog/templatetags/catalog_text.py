"""The catalog's texts on other contexts' pages (a dossier, a payment), in the page's language:
the procedure's and its documents' names from the reviewed translation; without one, the
Vietnamese name, marked ``lang="vi"`` (screen readers read it in Vietnamese, and the pages'
language checks know it for a published name, not interface text)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from catalog.selectors import document_name_in, procedure_name_in

register = template.Library()


def _shown(text: str | None, fallback: str) -> str:
    return text if text else format_html('<span lang="vi">{}</span>', fallback)


@register.filter
def procedure_name(version: Any) -> str:
    """``{{ dossier.procedure_version|procedure_name }}``."""
    if version is None:
        return ""
    language = get_language() or "vi"
    if language == "vi":
        return str(version.name)
    return _shown(procedure_name_in(version, language), version.name)


@register.filter
def document_name(document: Any) -> str:
    """``{{ slot.document|document_name }}``: a required document's name."""
    if document is None:
        return ""
    language = get_language() or "vi"
    if language == "vi":
        return str(document.name)
    return _shown(document_name_in(document, language), document.name)
