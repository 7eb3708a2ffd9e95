"""Rendered pages of the news section kept in the cache (settings.CACHES), under the section's
revision token (``selectors.revision_token``): publishing, unpublishing, moving or deleting a
page, or saving a document of the library, changes the token, so no visitor gets a page from
before it. Only what is the same for everyone is kept: a GET of a public page (no view
restriction), not a preview, answered 200. The pages show nothing of who is signed in (the
header's account area comes after the page, htmx).

``NewsPageCache`` (middleware) answers a kept page before Wagtail finds the page in its tree;
``CachedPage.serve`` keeps what Wagtail rendered. What depends on the clock (the list of
upcoming events on the section's home page, the related procedures public today) is kept at most
``PAGE_CACHE_SECONDS``.

A page that counts its views (``view_kind``: articles and infographics) counts one per GET
answered 200, whether rendered or taken from the cache (``page_views.record_view``, a counter in
the cache, no database write)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

PAGE_CACHE_SECONDS = 600
# The address of the section under every language's prefix ("/tin-tuc/", "/en/tin-tuc/").
SECTION = "tin-tuc/"


def _key(token: str, request: HttpRequest) -> str:
    path = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
    return f"news:page:{token}:{get_language() or settings.LANGUAGE_CODE}:{path}"


def _cacheable(request: HttpRequest) -> bool:
    return request.method == "GET" and not getattr(request, "is_preview", False)


def _in_section(path: str) -> bool:
    parts = path.lstrip("/").split("/", 1)
    first = parts[0] + "/"
    if first == SECTION:
        return True
    return len(parts) == 2 and parts[1].startswith(SECTION) and first[:-1] in {c for c, _n in settings.LANGUAGES}


def _count(view: tuple[str, int] | None) -> None:
    if view is not None:
        from .page_views import record_view

        record_view(*view)


class CachedPage:
    """Mixed into the section's page types whose rendering is the same for every visitor."""

    # The kind counted in the figures' views (rules.KIND_ARTICLE…); "" for pages not counted.
    view_kind = ""

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = super().serve(request, *args, **kwargs)  # type: ignore[misc]
        view = (self.view_kind, self.pk) if self.view_kind else None  # type: ignore[attr-defined]
        if _cacheable(request) and response.status_code == 200:
            _count(view)
        if not _cacheable(request) or response.status_code != 200 or self.get_view_restrictions():  # type: ignore[attr-defined]
            return response
        if hasattr(response, "render"):
            response.render()
        token = getattr(request, "_news_token", None)
        if token is None:
            from .selectors import revision_token

            token = revision_token()
        cache.set(_key(token, request), (response.content, view), PAGE_CACHE_SECONDS)
        return response


class NewsPageCache:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _cacheable(request) and _in_section(request.path_info):
            from .selectors import revision_token

            token = revision_token()
            # The token read before rendering: a page published while it renders is kept under
            # the old token, never a page from before under the new one.
            request._news_token = token  # type: ignore[attr-defined]
            kept = cache.get(_key(token, request))
            if isinstance(kept, tuple):
                content, view = kept
                _count(view)
                return HttpResponse(content)
        return self.get_response(request)
