"""Background work of dossiers (Celery ``shared_task``s, enqueued on commit)."""

from __future__ import annotations

from celery import shared_task

from .models import DossierEvent
from .slips.store import slip_store


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def store_slip(event_id: int) -> None:
    """Issue the slip of a transition once it has committed (see ``slips.store``)."""
    event = DossierEvent.objects.filter(pk=event_id).first()
    if event is not None:
        slip_store(event=event)
