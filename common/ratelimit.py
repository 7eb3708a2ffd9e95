"""Per-client request limits (giới hạn tần suất truy cập) on sign-in and on public look-ups.

A fixed-window counter in the cache: one key per scope, client and window, added at zero and
incremented atomically (Redis, or the memory of each process). With the "dummy://" cache, which
stores nothing, counting falls back to this process's memory. If the cache fails, requests pass:
the limits protect the portal, they must not take it down.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .http import client_ip
from .i18n import request_language
from .problems import Problem, problem_response

log = logging.getLogger(__name__)

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


@functools.lru_cache(maxsize=32)
def parse_rate(text: str) -> Rate:
    """ "600/m" is 600 requests a minute; "100/10s" is 100 every ten seconds."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*", text)
    if match is None:
        raise ValueError(f"Not a rate: {text!r} (expected e.g. 600/m, 10/m, 100/10s, 5000/h).")
    count, multiple, unit = match.groups()
    return Rate(count=int(count), seconds=int(multiple or 1) * PERIODS[unit])


_fallback = LocMemCache("motcua-ratelimit", {"OPTIONS": {"MAX_ENTRIES": 10000}})


def _store() -> BaseCache:
    backend = caches["default"]
    return _fallback if isinstance(backend, DummyCache) else backend


def client_key(request: HttpRequest) -> str:
    """The client's address; an IPv6 client counts by its /64 network, since one household or
    phone commonly holds many addresses of it."""
    address = client_ip(request) or "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address) + "/64"
    return address


def hit(scope: str, key: str, rate: Rate, now: float | None = None) -> int | None:
    """Count one request of ``key`` in ``scope``. None while within ``rate``; once over it, the
    seconds until the window ends (for Retry-After)."""
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    store = _store()
    try:
        store.add(cache_key, 0, timeout=rate.seconds + 1)
        try:
            count = store.incr(cache_key)
        except ValueError:  # evicted between add and incr
            store.set(cache_key, 1, timeout=rate.seconds + 1)
            count = 1
    except Exception:  # an unreachable cache must not refuse every request
        log.warning("Rate limit cache unavailable; request allowed.", exc_info=True)
        return None
    if count <= rate.count:
        return None
    return max(1, math.ceil((window + 1) * rate.seconds - now))


@dataclass(frozen=True)
class Rule:
    scope: str
    path: re.Pattern[str]
    setting: str
    methods: frozenset[str] | None = None  # None: every method

    def matches(self, request: HttpRequest) -> bool:
        return (self.methods is None or request.method in self.methods) and bool(self.path.match(request.path_info))


def _language_prefix() -> str:
    others = [re.escape(code) for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    return rf"^/(?:(?:{'|'.join(others)})/)?"


def rules() -> list[Rule]:
    """What is limited. Sign-in: the officers' password, code and enrolment steps and the
    citizens' /dang-nhap/ endpoints, every method (the citizens' flow is made of GETs). Look-ups:
    the procedure list, search, suggestions and detail pages, the dossier tracking page, and every
    GET of the API."""
    lang = _language_prefix()
    reads = frozenset({"GET", "HEAD"})
    return [
        Rule(
            "signin",
            re.compile(lang + r"(?:can-bo/(?:dang-nhap|xac-thuc|dang-ky-xac-thuc)/|dang-nhap/)"),
            "RATE_LIMIT_SIGNIN",
        ),
        Rule("lookups", re.compile(lang + r"thu-tuc/"), "RATE_LIMIT_LOOKUPS", reads),
        # The dossier tracking page: every method, since its answer comes to a POST.
        Rule("lookups", re.compile(lang + r"tra-cuu-ho-so/"), "RATE_LIMIT_LOOKUPS"),
        Rule("lookups", re.compile(r"^/api/v1/"), "RATE_LIMIT_LOOKUPS", reads),
    ]


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    """429 with Retry-After: problem+json under /api/, else a short page."""
    if request.path_info.startswith("/api/"):
        with translation.override(request_language(request, request.GET.get("lang"))):
            response: HttpResponse = problem_response(
                request,
                Problem(
                    429,
                    "rate_limited",
                    _("Quá nhiều yêu cầu"),
                    _("Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau %(seconds)d giây.")
                    % {"seconds": retry_after},
                ),
            )
    else:
        body = render_to_string("common/rate_limited.html", {"retry_after": retry_after}, request=request)
        response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    """Answers 429 once a client exceeds the limit of a rule its request matches."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.rules = rules()
        for rule in self.rules:  # a mistyped limit stops the server at start, not every request later
            try:
                parse_rate(getattr(settings, rule.setting))
            except ValueError as error:
                raise ImproperlyConfigured(f"{rule.setting}: {error}") from error

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.RATE_LIMIT_ENABLED:
            for rule in self.rules:
                if rule.matches(request):
                    retry_after = hit(rule.scope, client_key(request), parse_rate(getattr(settings, rule.setting)))
                    if retry_after is not None:
                        return too_many_requests(request, retry_after)
                    break
        return self.get_response(request)
