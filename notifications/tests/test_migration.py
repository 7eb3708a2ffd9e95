"""The outbox moved from dossiers to notifications: a database migrated from before the move
keeps every notification, with its subject, payload, delivery state and tries, and what was
waiting is still delivered afterwards."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from dossiers import services
from dossiers.tests.factories import MONDAY, world
from notifications.models import DeliveryAttempt, Notification
from notifications.tasks import sweep

BEFORE = [
    ("dossiers", "0006_events_and_outbox_indexes"),
    ("integrations", "0002_no_index_twice"),
    ("notifications", "0001_initial"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_rows_of_the_old_outbox_are_copied_with_their_delivery_state():
    w = world()
    dossier, _created = services.dossier_submit(applicant=w.citizen, intake=w.intake(), now=MONDAY)
    Notification.objects.all().delete()
    latest = _migrate_targets_latest()
    try:
        old = _migrate(BEFORE)
        OldNotification = old.get_model("dossiers", "Notification")
        Delivery = old.get_model("integrations", "NotificationDelivery")
        OldAttempt = old.get_model("integrations", "DeliveryAttempt")
        now = timezone.now()
        payload = {"dossier_id": dossier.pk, "code": None, "procedure": "Đăng ký khai sinh", "state": "submitted"}
        sent = OldNotification.objects.create(
            dossier_id=dossier.pk, recipient_id=w.citizen.pk, channel="sms", address="0912345678",
            language="vi", template_key="dossier.submit", payload=payload, sent_at=now,
        )  # fmt: skip
        waiting = OldNotification.objects.create(
            dossier_id=dossier.pk, recipient_id=w.citizen.pk, channel="email", address=w.citizen.email,
            language="en", template_key="dossier.submit", payload=payload,
        )  # fmt: skip
        Delivery.objects.create(
            notification_id=waiting.pk, attempts=2, next_attempt_at=now - datetime.timedelta(minutes=1),
            last_error="SMTPServerDisconnected: gone",
        )  # fmt: skip
        for n in (1, 2):
            OldAttempt.objects.create(notification_id=waiting.pk, attempt=n, at=now, ok=False, error="gone")
        OldAttempt.objects.create(notification_id=sent.pk, attempt=1, at=now, ok=True)
    finally:
        _migrate(latest)

    rows = {n.channel: n for n in Notification.objects.about(dossier)}
    assert set(rows) == {"sms", "email"}
    assert rows["sms"].sent_at is not None and rows["sms"].address == "0912345678"
    email = rows["email"]
    assert (email.attempts, email.sent_at, email.failed_at, email.language) == (2, None, None, "en")
    assert email.last_error == "SMTPServerDisconnected: gone" and email.recipient == w.citizen
    assert email.payload["ref"] == "Đăng ký khai sinh"
    assert email.payload["link"] == "http://127.0.0.1:8000/en/tra-cuu-ho-so/"
    assert list(DeliveryAttempt.objects.filter(notification=email).values_list("attempt", "ok")) == [
        (1, False),
        (2, False),
    ]
    assert DeliveryAttempt.objects.filter(notification=rows["sms"], ok=True).count() == 1

    mail.outbox.clear()
    assert sweep() == 1  # the waiting one, whose backoff has passed
    [message] = mail.outbox
    assert message.to == [w.citizen.email] and "Đăng ký khai sinh" in message.subject


def _migrate_targets_latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
