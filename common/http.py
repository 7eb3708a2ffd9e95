"""Who is asking: the client's address, the same for rate limits, lockouts and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address. Behind ``TRUSTED_PROXIES`` reverse proxies, each of which appends
    the address it received from to X-Forwarded-For, the client is that many entries from the
    right; anything further left was written by the client and proves nothing."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
