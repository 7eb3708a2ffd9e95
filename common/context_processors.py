from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language


def portal(request: HttpRequest) -> dict[str, Any]:
    """Portal identity and the language switcher (links that keep the current page)."""
    path = request.get_full_path()
    current = get_language()
    return {
        "portal_province": settings.PORTAL_PROVINCE_NAME,
        "portal_hotline": settings.PORTAL_HOTLINE,
        "portal_contact_email": settings.PORTAL_CONTACT_EMAIL,
        "portal_contact_address": settings.PORTAL_CONTACT_ADDRESS,
        "language_links": [
            {"code": code, "name": name, "url": translate_url(path, code), "current": code == current}
            for code, name in settings.LANGUAGES
        ],
    }
