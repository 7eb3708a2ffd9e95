"""What the catalog puts on the portal's home page (common.shell panels, registered in
``CatalogConfig.ready``): the search box, life events, the most searched procedures and the
fields. The same for every visitor."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest

from common.search import Found, Result

from .models import LifeEvent
from .presenters import present_many
from .search import browse, search
from .views import _categories, _language, _tr


def search_panel(request: HttpRequest) -> Mapping[str, Any]:
    return {}


def life_events_panel(request: HttpRequest) -> Mapping[str, Any]:
    events = LifeEvent.objects.all()
    return {"life_events": [{"slug": e.slug, "name": _tr(e.name_translations, e.name)} for e in events]}


def popular_panel(request: HttpRequest) -> Mapping[str, Any]:
    return {"popular": present_many(browse()[:8], _language())}


def fields_panel(request: HttpRequest) -> Mapping[str, Any]:
    return {"categories": _categories()}


def find_procedures(query: str, language: str, limit: int) -> Found:
    """The catalog in the portal's one search box (common.search): the procedure search itself,
    as the list page ranks (no completion of the last word)."""
    from django.conf import settings
    from django.urls import reverse

    if len(query) > settings.SEARCH_MAX_QUERY_LENGTH:
        return Found([], 0)
    hits = search(query, language=language, prefix=False)
    return Found(
        [Result(h.name, reverse("catalog:detail", args=(h.code,)), kind="", meta=h.code) for h in hits[:limit]],
        len(hits),
    )
