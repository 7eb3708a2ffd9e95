"""Workers of the integrations (Celery). A transition enqueues, once it commits, the delivery of
its dossier's sync messages (``receivers``); the periodic sweep (``CELERY_BEAT_SCHEDULE``)
delivers whatever is left: a task lost with its broker, a try that failed and has waited out its
backoff. (The citizens' notifications are delivered by the notifications app's workers.)"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .selectors import dossiers_with_due_sync
from .services import sync_deliver_dossier


@shared_task(name="integrations.sync_dossier")
def sync_dossier(dossier_id: int) -> int:
    """Deliver one dossier's sync messages to the national portal, in order."""
    return sync_deliver_dossier(dossier_id=dossier_id)


@shared_task(name="integrations.sweep_sync")
def sweep_sync() -> int:
    """One task per dossier with a message due, so that workers share them; the order inside a
    dossier is kept by ``sync_deliver_dossier`` whoever runs it."""
    dossiers = dossiers_with_due_sync(now=timezone.now(), limit=settings.SYNC_SWEEP_BATCH)
    for dossier_id in dossiers:
        sync_dossier.delay(dossier_id)
    return len(dossiers)
