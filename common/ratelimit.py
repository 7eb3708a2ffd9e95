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
    """Requests matching ``path`` (and ``methods``, and for ``uploads`` a multipart body) count in
    ``scope`` against the rate named by ``setting``, per ``per``: "address" (always the client's
    address), or "client" (a signed-in person's account, else the address). ``setting`` None:
    never limited. ``max_body``: the largest body (bytes) taken; None: ``REQUEST_MAX_BYTES``."""

    scope: str
    path: re.Pattern[str]
    setting: str | None
    methods: frozenset[str] | None = None  # None: every method
    per: str = "client"
    uploads: bool = False
    max_body: int | None = None

    def matches(self, request: HttpRequest) -> bool:
        if self.methods is not None and request.method not in self.methods:
            return False
        if self.uploads and not (request.content_type or "").startswith("multipart/"):
            return False
        return bool(self.path.match(request.path_info))


def _language_prefix() -> str:
    others = [re.escape(code) for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    return rf"^/(?:(?:{'|'.join(others)})/)?"


def rules() -> list[Rule]:
    """What is limited, first match wins.

    - Sign-in: the officers' password, code and enrolment steps and the citizens' /dang-nhap/
      endpoints, every method (the citizens' flow is made of GETs), per address (nobody is signed
      in yet); a username's own failures are counted by django-axes.
    - The gateways' callbacks (VNPay IPN, the national payment platform's RESULT): never limited;
      their allowlist and signatures guard them, and a refused one is a payment left unconfirmed.
    - Verification of results: the page and the API, every method, with a body no larger than one
      file may be.
    - Uploads: every multipart POST or PUT (dossier files, supplements, scans).
    - Look-ups: the procedure list, search, suggestions and detail pages, the dossier tracking page
      and every GET of the API.
    Except sign-in, a signed-in person counts by account (``RATE_LIMIT_ACCOUNT`` for look-ups),
    anyone else by address, so that colleagues behind one office's address share only what they
    do anonymously."""
    lang = _language_prefix()
    reads = frozenset({"GET", "HEAD"})
    return [
        Rule(
            "signin",
            re.compile(lang + r"(?:can-bo/(?:dang-nhap|xac-thuc|dang-ky-xac-thuc)/|dang-nhap/)"),
            "RATE_LIMIT_SIGNIN",
            per="address",
        ),
        Rule("callbacks", re.compile(r"^/api/v1/payments/(?:vnpay/ipn|paygov/callback)$"), None),
        Rule(
            "results_verify",
            re.compile(rf"(?:{lang}xac-thuc-ket-qua/|^/api/v1/results/verify$)"),
            "RATE_LIMIT_VERIFY",
            max_body=settings.UPLOAD_MAX_BYTES + 2**20,
        ),
        Rule("uploads", re.compile(r"^/"), "RATE_LIMIT_UPLOADS", frozenset({"POST", "PUT"}), uploads=True),
        Rule("lookups", re.compile(lang + r"thu-tuc/"), "RATE_LIMIT_LOOKUPS", reads),
        # The dossier tracking page: every method, since its answer comes to a POST.
        Rule("lookups", re.compile(lang + r"tra-cuu-ho-so/"), "RATE_LIMIT_LOOKUPS"),
        Rule("lookups", re.compile(r"^/api/v1/"), "RATE_LIMIT_LOOKUPS", reads),
    ]


def signed_in_account(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


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


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    """413: problem+json under /api/, else a short page. Said before a byte of the body is read."""
    megabytes = max(1, limit // 2**20)
    with translation.override(request_language(request, request.GET.get("lang"))):
        title = _("Dữ liệu gửi lên quá lớn")
        detail = _("Dữ liệu gửi lên vượt quá %(megabytes)d MB. Vui lòng gửi ít tệp hơn hoặc tệp nhỏ hơn.") % {
            "megabytes": megabytes
        }
        if request.path_info.startswith("/api/"):
            return problem_response(request, Problem(413, "request_too_large", title, detail))
        body = render_to_string("common/too_large.html", {"title": title, "detail": detail}, request=request)
    return HttpResponse(body, status=413)


def _content_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


class RateLimitMiddleware:
    """Answers 429 once a client exceeds the limit of a rule its request matches, and 413 to a
    body larger than the rule allows, before the view, the CSRF check or anything else reads the
    body (``process_view``: after authentication has named the person, before the CSRF middleware
    parses the form)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.rules = rules()
        for setting in {rule.setting for rule in self.rules if rule.setting} | {"RATE_LIMIT_ACCOUNT"}:
            try:  # a mistyped limit stops the server at start, not every request later
                parse_rate(getattr(settings, setting))
            except ValueError as error:
                raise ImproperlyConfigured(f"{setting}: {error}") from error

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, *args: object) -> HttpResponse | None:
        return self.check(request)

    def check(self, request: HttpRequest, now: float | None = None) -> HttpResponse | None:
        """The refusal this request gets (413 or 429), or None; ``now`` for a replay on a clock of
        its own (bench/ratelimit_office.py)."""
        rule = next((rule for rule in self.rules if rule.matches(request)), None)
        limit = settings.REQUEST_MAX_BYTES if rule is None or rule.max_body is None else rule.max_body
        if _content_length(request) > limit:
            return too_large(request, limit)
        if rule is None or rule.setting is None or not settings.RATE_LIMIT_ENABLED:
            return None
        account = None if rule.per == "address" else signed_in_account(request)
        if account is None:
            key, setting = f"address:{client_key(request)}", rule.setting
        else:
            key = f"account:{account}"
            setting = "RATE_LIMIT_ACCOUNT" if rule.scope == "lookups" else rule.setting
        retry_after = hit(rule.scope, key, parse_rate(getattr(settings, setting)), now=now)
        return None if retry_after is None else too_many_requests(request, retry_after)
