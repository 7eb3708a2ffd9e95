"""Tasks of payments: the periodic sweep of expired payments (CELERY_BEAT_SCHEDULE["payments-expire"]),
moving a dossier on once its online payment has committed, and once a request for fees already
paid has. Both are idempotent: a dossier that no longer waits for payment is left alone."""

from celery import shared_task
from django.contrib.auth import get_user_model

from .services import payment_dossier_moves_on, payment_settle_request, payments_expire


@shared_task
def expire_payments() -> int:
    """Open payments past their expiry time become expired."""
    return payments_expire()


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def move_dossier_on(payment_id: int) -> str:
    """The dossier waiting for this payment continues (dossier_mark_paid with the receipt number)."""
    return payment_dossier_moves_on(payment_id=payment_id)


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def settle_payment_request(dossier_id: int, actor_id: int | None) -> bool:
    """A payment request for fees already paid: the dossier continues with the existing receipt."""
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id is not None else None
    return payment_settle_request(dossier_id=dossier_id, actor=actor)
