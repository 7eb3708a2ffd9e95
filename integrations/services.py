"""Writes of the integrations: the national portal's outbox row for a transition, and its
delivery (the citizens' notifications are the notifications app's outbox; integrations gives it
the SMS channel, ``sms.SmsChannel``).

Delivery is at least once and, between workers, never twice at the same time: a worker first
claims the row (a conditional update that only one of two racing workers wins, held for
the lease), then sends, then records the attempt. A failure waits out an exponential backoff
(``notifications.rules.backoff``, the outbox's schedule) before the next try; the periodic sweep
(``tasks``) picks the row up again.
Sync messages of one dossier go strictly in order: only the oldest undelivered one may be sent."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from common.logging import redact
from dossiers.models import Dossier
from notifications.rules import backoff
from notifications.services import delivery_lease

from .models import DeliveryAttempt, SyncMessage
from .national_portal import NationalPortal, PortalError
from .rules import national_status, sync_record_at_delivery, sync_status
from .selectors import dossier_snapshot

logger = logging.getLogger(__name__)


def _error_text(error: BaseException) -> str:
    return redact(f"{type(error).__name__}: {error}")[:500]


# --- The national portal's outbox ----------------------------------------------------------------


_NEXT_SEQUENCE = "(SELECT COALESCE(MAX({sequence}), 0) + 1 FROM {table} WHERE {dossier} = %s)".format(
    sequence=connection.ops.quote_name("sequence"),
    table=connection.ops.quote_name(SyncMessage._meta.db_table),
    dossier=connection.ops.quote_name("dossier_id"),
)


def sync_message_write(*, dossier: Dossier, action: str) -> SyncMessage | None:
    """Queue what the portal must learn from this transition, in its transaction. A dossier is
    known to the portal by its code, given at submission (status 1): a draft, which has none, is
    not sent."""
    if not dossier.code:
        return None
    # Only what this transition decides is frozen here, from the dossier in hand: the lists
    # (files, fees, supplements, results) are read when the message is sent, outside the
    # transition's transaction.
    record = sync_status(
        code=dossier.code,
        channel=dossier.channel,
        state=dossier.state,
        received_at=dossier.received_at,
        submitted_at=dossier.submitted_at,
        due_on=dossier.due_on,
        finished_at=dossier.finished_at,
    )
    # The dossier's next number is taken in the INSERT itself (one statement, not a read then a
    # write); two transitions of one dossier never write at once (each claims the dossier by its
    # version first), and the unique (dossier, sequence) would refuse the second if they did. As
    # SQL of its own: the ORM's subquery costs the INSERT twice over.
    message = SyncMessage.objects.create(
        dossier_id=dossier.pk,
        sequence=RawSQL(_NEXT_SEQUENCE, (dossier.pk,)),
        action=str(action),
        national_status=national_status(dossier.state),
        payload=record,
    )
    del message.sequence  # read from the database if asked for (deferred), not the expression
    return message


def _claim(rows: type[SyncMessage], pk: int, now: datetime.datetime) -> bool:
    """Take the row for the lease if nobody holds it and its next try has come; of two workers
    that race, exactly one gets it."""
    free = Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return rows.objects.filter(free, due, pk=pk).update(locked_until=now + delivery_lease()) == 1


def sync_deliver_dossier(*, dossier_id: int, portal: NationalPortal | None = None) -> int:
    """Send the dossier's undelivered sync messages in order, stopping at the first failure or at
    a message still waiting out its backoff. Returns how many went through."""
    portal = portal or NationalPortal.from_settings()
    if portal is None:
        return 0
    delivered = 0
    current = None
    while True:
        now = timezone.now()
        head = SyncMessage.objects.filter(dossier_id=dossier_id, delivered_at__isnull=True).order_by("sequence").first()
        if head is None or not _claim(SyncMessage, head.pk, now):
            return delivered  # all sent, the head waits out its backoff, or another worker has it
        attempt = head.attempts + 1
        if current is None:
            current = dossier_snapshot(Dossier.objects.get(pk=dossier_id))
        record = sync_record_at_delivery(head.payload, current)
        try:
            portal.send([record], updating=head.sequence > 1)
        except PortalError as error:
            text = _error_text(error)
            wait = backoff(
                attempt, base_seconds=settings.SYNC_RETRY_BASE_SECONDS, cap_seconds=settings.SYNC_RETRY_CAP_SECONDS
            )
            with transaction.atomic():
                SyncMessage.objects.filter(pk=head.pk).update(
                    attempts=attempt, next_attempt_at=now + wait, locked_until=None, last_error=text
                )
                DeliveryAttempt.objects.create(sync_message=head, attempt=attempt, at=now, ok=False, error=text)
            logger.warning(
                "sync message %s of dossier %s not delivered (try %s): %s", head.pk, dossier_id, attempt, text
            )
            return delivered
        with transaction.atomic():
            # The message keeps the whole record as it was sent.
            SyncMessage.objects.filter(pk=head.pk, delivered_at__isnull=True).update(
                payload=record,
                delivered_at=timezone.now(),
                attempts=attempt,
                next_attempt_at=None,
                locked_until=None,
                last_error="",
            )
            DeliveryAttempt.objects.create(sync_message=head, attempt=attempt, at=now, ok=True)
        delivered += 1


def sync_retry(*, messages: Iterable[SyncMessage]) -> int:
    """An administrator's "try now": the messages' backoff is cut short."""
    pks = [m.pk for m in messages]
    return SyncMessage.objects.filter(pk__in=pks, delivered_at__isnull=True).update(next_attempt_at=None)
