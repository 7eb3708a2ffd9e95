"""Choosing the language of an answer: ``?lang=`` first, then ``Accept-Language``, else
Vietnamese."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_supported_language_variant

SUPPORTED = [code for code, _name in settings.LANGUAGES]
_ALIASES = {"zh": "zh-hans", "zh-cn": "zh-hans", "zh_hans": "zh-hans", "zh-hans-cn": "zh-hans"}


def match_language(value: str | None) -> str | None:
    """The supported language ``value`` names, or None."""
    if not value:
        return None
    code = value.strip().lower().replace("_", "-")
    code = _ALIASES.get(code, code)
    if code in SUPPORTED:
        return code
    try:
        return get_supported_language_variant(code)
    except LookupError:
        return None


def request_language(request: HttpRequest, lang: str | None) -> str:
    if lang is not None:
        return match_language(lang) or settings.LANGUAGE_CODE
    for part in request.headers.get("Accept-Language", "").split(","):
        found = match_language(part.split(";")[0])
        if found:
            return found
    return settings.LANGUAGE_CODE
