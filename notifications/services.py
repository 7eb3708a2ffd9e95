"""Writes of the outbox: ``notify`` (one row per channel the recipient can be reached on,
written in the caller's transaction and delivered once it commits), the delivery of one row,
and an administrator's "try again".

Delivery is at least once and never twice at the same time: a worker first claims the row (a
conditional update that only one of two racing workers wins, held for the lease), then sends,
then marks it sent (again conditionally: the first mark stands). A failure waits out an
exponential backoff (``rules.backoff``) before the next try, up to
``NOTIFICATION_MAX_ATTEMPTS`` tries; the periodic sweep (``tasks.sweep``) picks due rows up
again. Each row goes on its own: a channel that fails holds back none of the others."""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from common.logging import redact
from common.tasks import enqueue_on_commit

from .channels import RECIPIENT_ADDRESS, Undeliverable, channel_backend, configured_channels
from .messages import compose
from .models import DeliveryAttempt, Notification, subject_label
from .rules import TemplateError, backoff

logger = logging.getLogger(__name__)
_PERSONAL_NUMBER = re.compile(r"(?<!\d)\d{12}(?!\d)")  # a 12-digit identification number


@dataclass(frozen=True)
class Recipient:
    """Người nhận: an account (or none: a counter applicant, a hotline caller) and the addresses
    they may be reached at, in their language."""

    user: Any = None
    email: str = ""
    phone: str = ""
    name: str = ""
    language: str = "vi"

    def address(self, channel: str) -> str:
        return str(getattr(self, RECIPIENT_ADDRESS[channel], "") or "").strip()


def _check_payload(context: Mapping[str, Any], recipient: Recipient) -> None:
    text = repr(dict(context))
    digits = "".join(ch for ch in recipient.phone if ch.isdigit())
    if (len(digits) >= 8 and digits in text) or _PERSONAL_NUMBER.search(text):
        raise ValueError("A notification's payload holds no phone or identification number.")


PayloadExtra = Callable[[models.Model, "Recipient"], Mapping[str, Any]]
_payload_extras: dict[str, list[PayloadExtra]] = {}


def register_payload_extra(template_key: str, extra: PayloadExtra) -> None:
    """Let a context above the one that notifies add fields to the payload of ``template_key``
    (a link of its own), without that one knowing it: surveys adds the rating link to a returned
    dossier's notice and to a feedback answer's. ``extra(subject, recipient)`` runs in ``notify``,
    in the notifying transaction; it must not write. Registered once, from ``AppConfig.ready``."""
    extras = _payload_extras.setdefault(template_key, [])
    if extra not in extras:
        extras.append(extra)


def _with_extras(
    template_key: str, subject: models.Model, recipient: Recipient, context: Mapping[str, Any]
) -> dict[str, Any]:
    payload = dict(context)
    for extra in _payload_extras.get(template_key, ()):
        payload.update(extra(subject, recipient))
    return payload


def notify(
    *,
    subject: models.Model,
    template_key: str,
    recipient: Recipient,
    context: Mapping[str, Any],
    channels: Sequence[str] | None = None,
    reference: str = "",
) -> list[Notification]:
    """Tell ``recipient`` about ``subject`` with the template ``template_key`` (``"<context>.<event>"``)
    filled from ``context`` (JSON: ids, codes, ISO dates; never an identification or phone number),
    by each of ``channels`` (default: every configured one) they have an address for. The rows
    are written in the caller's transaction (a rolled-back change tells nobody); their delivery
    is asked for once it commits (``common.tasks.enqueue_on_commit``: recorded, never lost)."""
    context = _with_extras(template_key, subject, recipient, context)
    _check_payload(context, recipient)
    wanted = configured_channels() if channels is None else [c for c in channels if c in configured_channels()]
    now = timezone.now()
    rows = [
        Notification(
            subject_type=subject_label(subject),
            subject_id=str(subject.pk),
            reference=reference[:80],
            recipient=recipient.user,
            channel=channel,
            address=recipient.address(channel),
            language=recipient.language or settings.LANGUAGE_CODE,
            template_key=template_key,
            payload=dict(context),
            created_at=now,
            next_attempt_at=now,
        )
        for channel in wanted
        if recipient.address(channel)
    ]
    if not rows:
        return []
    Notification.objects.bulk_create(rows)
    from . import tasks

    enqueue_on_commit(tasks.deliver, [row.pk for row in rows])
    return rows


def _error_text(error: BaseException) -> str:
    return redact(f"{type(error).__name__}: {error}")[:500]


def _claim(pk: int, now: datetime.datetime) -> bool:
    """Take the row for the lease if it is due and nobody holds it; of two workers that race,
    exactly one gets it."""
    free = Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    return Notification.objects.due(now).filter(free, pk=pk).update(locked_until=now + delivery_lease()) == 1


def notification_mark_sent(*, notification: Notification, at: datetime.datetime | None = None) -> bool:
    """Record that ``notification`` has been delivered. Only the first of two workers that race
    on one row marks it (a conditional update); returns whether this call did."""
    at = at or timezone.now()
    marked = Notification.objects.filter(pk=notification.pk, sent_at__isnull=True).update(
        sent_at=at, locked_until=None, last_error=""
    )
    if marked:
        notification.sent_at = at
    return marked == 1


def notification_deliver(*, notification: Notification) -> bool:
    """Send one notification unless it is sent, given up, claimed by another worker or waiting
    out its backoff. Returns whether it went out now."""
    now = timezone.now()
    if not _claim(notification.pk, now):
        return False
    row = Notification.objects.get(pk=notification.pk)
    attempt = row.attempts + 1
    try:
        message = compose(row.template_key, row.payload, row.language)
        channel_backend(row.channel).send(address=row.address, message=message)
    except (TemplateError, Undeliverable, KeyError) as error:  # trying again changes nothing
        _failed(row, attempt, now, _error_text(error), permanent=True)
        return False
    except Exception as error:  # noqa: BLE001 — any failure of a mail server or gateway is retried later
        _failed(row, attempt, now, _error_text(error), permanent=False)
        return False
    with transaction.atomic():
        notification_mark_sent(notification=row, at=timezone.now())
        Notification.objects.filter(pk=row.pk).update(attempts=attempt)
        DeliveryAttempt.objects.create(notification=row, attempt=attempt, at=now, ok=True)
    notification.sent_at, notification.attempts = row.sent_at, attempt
    logger.info("notification %s (%s, %s) delivered", row.pk, row.template_key, row.channel)
    return True


def _failed(row: Notification, attempt: int, now: datetime.datetime, text: str, *, permanent: bool) -> None:
    gave_up = permanent or attempt >= settings.NOTIFICATION_MAX_ATTEMPTS
    wait = backoff(
        attempt,
        base_seconds=settings.NOTIFICATION_RETRY_BASE_SECONDS,
        cap_seconds=settings.NOTIFICATION_RETRY_CAP_SECONDS,
    )
    with transaction.atomic():
        Notification.objects.filter(pk=row.pk).update(
            attempts=attempt,
            next_attempt_at=now + wait,
            locked_until=None,
            last_error=text,
            failed_at=now if gave_up else None,
        )
        DeliveryAttempt.objects.create(notification=row, attempt=attempt, at=now, ok=False, error=text)
    logger.warning(
        "notification %s (%s) not delivered (try %s%s): %s",
        row.pk,
        row.channel,
        attempt,
        ", given up" if gave_up else "",
        text,
    )


def notification_retry(*, notifications: Iterable[Notification], now: datetime.datetime | None = None) -> int:
    """An administrator's "try again": unsent notifications (given up or waiting) are due now,
    with a new allowance of tries."""
    pks = [n.pk for n in notifications]
    return Notification.objects.filter(pk__in=pks, sent_at__isnull=True).update(
        failed_at=None, attempts=0, next_attempt_at=now or timezone.now(), locked_until=None
    )


def delivery_lease() -> datetime.timedelta:
    """How long a worker holds a row it sends (``MOTCUA_DELIVERY_LEASE_SECONDS``): the outbox's and
    the national portal's messages alike."""
    return datetime.timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
