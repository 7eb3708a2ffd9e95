"""The citizen's notifications of a transition, written to the outbox in its transaction."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from ..models import (
    Dossier,
    Notification,
    NotificationChannel,
)
from ..rules import Action


def _write_notifications(dossier: Dossier, action: Action, extra: Mapping[str, Any]) -> None:
    """Tell the citizen, by e-mail and SMS where there is an address: the outbox rows are written
    in the transition's transaction, so they commit with it (a rolled-back transition tells
    nobody) and a process that dies after the commit loses none; a worker delivers them. The
    payload names the dossier, never the applicant's identification number."""
    payload = {
        "dossier_id": dossier.pk,
        "code": dossier.code,
        "procedure": dossier.procedure_version.name,
        "state": dossier.state,
        "national_status": dossier.national_status,
        "due_on": dossier.due_on.isoformat() if dossier.due_on else None,
        **extra,
    }
    user = dossier.applicant
    language = getattr(user, "preferred_language", "") or "vi"
    email = dossier.applicant_email or getattr(user, "email", "")
    rows = []
    if email:
        rows.append((NotificationChannel.EMAIL, email))
    if dossier.applicant_phone:
        rows.append((NotificationChannel.SMS, dossier.applicant_phone))
    notifications = [
        Notification(
            dossier_id=dossier.pk,
            recipient=user,
            channel=channel,
            address=address,
            language=language,
            template_key=f"dossier.{action.value}",
            payload=payload,
        )
        for channel, address in rows
    ]
    if notifications:
        Notification.objects.bulk_create(notifications)


def notification_mark_sent(*, notification: Notification, at: datetime.datetime | None = None) -> bool:
    """Record that ``notification`` has been delivered. Only the first of two workers that race
    on one row marks it (a conditional update); returns whether this call did."""
    at = at or timezone.now()
    marked = Notification.objects.filter(pk=notification.pk, sent_at__isnull=True).update(sent_at=at)
    if marked:
        notification.sent_at = at
    return marked == 1
