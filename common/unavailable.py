"""The database is down (or refuses connections): every page and API call answers 503 with
``Retry-After`` (a short page in the visitor's language, Vietnamese first; problem+json under
``/api/v1/``) instead of a bare "Server Error (500)".

Django turns an exception anywhere in the middleware chain or a view into a 500 answer before an
outer middleware sees it; ``got_request_exception`` is sent first, with the exception being
handled. So the receiver notes the requests whose exception was the database's, and the outermost
middleware answers those with 503. The page is rendered without the request's context processors
(they may read the database too)."""

from __future__ import annotations

import sys
import weakref
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext

from .problems import Problem, problem_response

# An OperationalError is a connection refused, lost, timed out, or SQLite's "database is locked";
# the other DatabaseErrors (integrity, programming) are the code's and stay 500.
UNAVAILABLE: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30

_unavailable: weakref.WeakSet[HttpRequest] = weakref.WeakSet()


def _note(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    if request is not None and isinstance(sys.exc_info()[1], UNAVAILABLE):
        _unavailable.add(request)


got_request_exception.connect(_note, dispatch_uid="common.unavailable")


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with ``Retry-After``: problem+json for the API, else the page."""
    if request.path.startswith("/api/"):
        response: HttpResponse = problem_response(
            request,
            Problem(
                503,
                "service_unavailable",
                gettext("Hệ thống tạm thời gián đoạn"),
                gettext("Cơ sở dữ liệu tạm thời không phản hồi. Vui lòng thử lại sau ít phút."),
            ),
        )
    else:
        body = render_to_string(
            "503.html",
            {
                "portal_province": settings.PORTAL_PROVINCE_NAME,
                "portal_hotline": settings.PORTAL_HOTLINE,
                "language": get_language() or settings.LANGUAGE_CODE,
            },
        )
        response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Outermost: a request that failed because the database is unavailable gets a 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request in _unavailable:
            _unavailable.discard(request)
            return service_unavailable(request)
        return response
