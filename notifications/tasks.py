"""Workers of the outbox (Celery). ``notify`` asks, once its transaction commits, for the
delivery of the rows it wrote (``deliver``); the periodic ``sweep``
(``CELERY_BEAT_SCHEDULE["notifications-sweep"]``) delivers whatever is left: a try that failed
and has waited out its backoff, a task lost with its broker."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .selectors import due_notifications
from .services import notification_deliver


@shared_task(name="notifications.deliver")
def deliver(ids: list[int]) -> int:
    """Send the due notifications among ``ids``; returns how many went out."""
    due = list(due_notifications(now=timezone.now(), ids=list(ids)))
    return sum(notification_deliver(notification=n) for n in due)


@shared_task(name="notifications.sweep")
def sweep() -> int:
    """Send the due notifications, oldest first, at most ``NOTIFICATION_SWEEP_BATCH``."""
    due = list(due_notifications(now=timezone.now())[: settings.NOTIFICATION_SWEEP_BATCH])
    return sum(notification_deliver(notification=n) for n in due)
