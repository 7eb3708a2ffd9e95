"""The one way to write the audit trail."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from common import http
from common.logging import redact

from .models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    return http.client_ip(request) if request is not None else None


def audit_record(
    *,
    action: str,
    request: HttpRequest | None = None,
    actor: Any = None,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. ``actor`` defaults to the request's signed-in user. Details must not
    carry identification or phone numbers in clear: they are masked here as a last guard."""
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    clean = {key: redact(value) if isinstance(value, str) else value for key, value in (details or {}).items()}
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_label=str(actor) if actor is not None else "",
        ip_address=client_ip(request),
        user_agent=(request.headers.get("User-Agent", "")[:300] if request is not None else ""),
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        details=clean,
    )
