"""Workers of the integrations (Celery). A transition enqueues, once it commits, the delivery of
its dossier's notifications and sync messages (``receivers``); the periodic sweeps
(``CELERY_BEAT_SCHEDULE``) deliver whatever is left: a task lost with its broker, a try that
failed and has waited out its backoff."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .selectors import dossiers_with_due_sync, due_notifications
from .services import notification_deliver, sync_deliver_dossier


@shared_task(name="integrations.deliver_dossier_notifications")
def deliver_dossier_notifications(dossier_id: int) -> int:
    """Send the due notifications of one dossier; returns how many went out."""
    due = list(due_notifications(now=timezone.now(), dossier_id=dossier_id)[: settings.NOTIFICATION_SWEEP_BATCH])
    return sum(notification_deliver(notification=n) for n in due)


@shared_task(name="integrations.sweep_notifications")
def sweep_notifications() -> int:
    due = list(due_notifications(now=timezone.now())[: settings.NOTIFICATION_SWEEP_BATCH])
    return sum(notification_deliver(notification=n) for n in due)


@shared_task(name="integrations.sync_dossier")
def sync_dossier(dossier_id: int) -> int:
    """Deliver one dossier's sync messages to the national portal, in order."""
    return sync_deliver_dossier(dossier_id=dossier_id)


@shared_task(name="integrations.deliver_dossier")
def deliver_dossier(dossier_id: int) -> int:
    """What a transition left for the citizen and for the national portal: the dossier's due
    notifications, then its sync messages in order. Returns how many went out in all."""
    return deliver_dossier_notifications(dossier_id) + sync_dossier(dossier_id)


@shared_task(name="integrations.sweep_sync")
def sweep_sync() -> int:
    """One task per dossier with a message due, so that workers share them; the order inside a
    dossier is kept by ``sync_deliver_dossier`` whoever runs it."""
    dossiers = dossiers_with_due_sync(now=timezone.now(), limit=settings.SYNC_SWEEP_BATCH)
    for dossier_id in dossiers:
        sync_dossier.delay(dossier_id)
    return len(dossiers)
