"""Periodic sweep of payments (CELERY_BEAT_SCHEDULE["payments-expire"])."""

from celery import shared_task

from .services import payments_expire


@shared_task
def expire_payments() -> int:
    """Open payments past their expiry time become expired."""
    return payments_expire()
