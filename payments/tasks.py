"""Tasks of payments: the periodic sweep of expired payments (CELERY_BEAT_SCHEDULE["payments-expire"])
and moving a dossier on once its online payment has committed."""

from celery import shared_task

from .services import payment_dossier_moves_on, payments_expire


@shared_task
def expire_payments() -> int:
    """Open payments past their expiry time become expired."""
    return payments_expire()


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def move_dossier_on(payment_id: int) -> str:
    """The dossier waiting for this payment continues (dossier_mark_paid with the receipt number)."""
    return payment_dossier_moves_on(payment_id=payment_id)
