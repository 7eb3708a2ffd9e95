"""Reading the audit trail: search by who, what, when and on what."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEvent


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_event_search(
    *,
    actor: str = "",
    action: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    target: str = "",
) -> QuerySet[AuditEvent]:
    """Events, newest first. ``actor``: part of the name shown or the exact username.
    ``date_from``/``date_to``: whole days in the portal's time zone, both included. ``target``:
    "accounts.User:42", a type ("accounts.User") or an object id ("42")."""
    events = AuditEvent.objects.select_related("actor")
    if actor:
        events = events.filter(Q(actor_label__icontains=actor) | Q(actor__username__iexact=actor))
    if action:
        events = events.filter(action=action)
    if date_from:
        events = events.filter(at__gte=_start_of(date_from))
    if date_to:
        events = events.filter(at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    if target:
        kind, _colon, identifier = target.strip().rpartition(":")
        if kind:
            events = events.filter(target_type__iexact=kind, target_id=identifier)
        else:
            events = events.filter(Q(target_type__iexact=identifier) | Q(target_id=identifier))
    return events.order_by("-at", "-id")
