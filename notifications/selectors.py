"""Reads of the outbox."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from .models import Notification


def due_notifications(*, now: datetime.datetime, ids: list[int] | None = None) -> QuerySet[Notification]:
    """Unsent notifications whose next try has come, oldest first; those given up wait for an
    administrator's retry."""
    rows = Notification.objects.due(now)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.order_by("next_attempt_at", "id")
