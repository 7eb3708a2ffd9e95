"""The outbox: ``notify`` writes one row per channel the recipient can be reached on, in the
caller's transaction; the worker delivers each row by its channel, tries again with backoff,
gives up after the last try, never sends one row twice (two workers racing, a message and its
redrive), and a failing channel holds back none of the others."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from common.models import PendingTask
from common.tasks import redrive_tasks
from notifications import services
from notifications.models import DeliveryAttempt, Notification
from notifications.services import Recipient, notify
from notifications.tasks import sweep

from .channels import Slow, Taking

pytestmark = pytest.mark.django_db
EMAIL = "notifications.channels.EmailChannel"
TAKING = "notifications.tests.channels.Taking"
REFUSING = "notifications.tests.channels.Refusing"
SLOW = "notifications.tests.channels.Slow"
KEY = "dossier.receive"  # a template of the dossiers (data, dossiers/message_templates)
CONTEXT = {
    "code": "H41-251103-0001",
    "ref": "H41-251103-0001",
    "procedure": "Đăng ký khai sinh",
    "due_on": "2025-11-06",
}


@pytest.fixture(autouse=True)
def channels(settings):
    settings.NOTIFICATION_CHANNELS = {"email": EMAIL, "sms": TAKING}
    Taking.sent.clear()
    yield settings
    Taking.sent.clear()


@pytest.fixture
def person():
    return get_user_model().objects.create_user("lan", email="lan@example.vn", preferred_language="vi")


def recipient(person, **changes):
    values = {"user": person, "email": "lan@example.vn", "phone": "0912345678", "name": "Trần Thị Lan"}
    return Recipient(**{**values, **changes})


def told(person, **changes):
    return notify(subject=person, template_key=KEY, recipient=recipient(person, **changes), context=CONTEXT)


def test_one_row_per_channel_the_recipient_can_be_reached_on(person):
    rows = told(person)
    assert [(r.channel, r.address) for r in rows] == [("email", "lan@example.vn"), ("sms", "0912345678")]
    row = rows[0]
    assert (row.subject_type, row.subject_id, row.recipient, row.template_key) == (
        "accounts.user",
        str(person.pk),
        person,
        KEY,
    )
    assert row.payload == CONTEXT and row.sent_at is None and row.attempts == 0
    assert list(Notification.objects.about(person)) == rows
    assert [r.channel for r in told(person, email="")] == ["sms"]
    assert told(person, email="", phone="") == []


def test_the_caller_may_name_the_channels_and_an_unconfigured_channel_is_not_written(person, channels):
    rows = notify(subject=person, template_key=KEY, recipient=recipient(person), context=CONTEXT, channels=["sms"])
    assert [r.channel for r in rows] == ["sms"]
    channels.NOTIFICATION_CHANNELS = {"email": EMAIL}
    assert [r.channel for r in told(person)] == ["email"]


def test_a_payload_never_holds_a_phone_or_an_identification_number(person):
    with pytest.raises(ValueError):
        notify(subject=person, template_key=KEY, recipient=recipient(person), context={**CONTEXT, "tel": "0912345678"})
    with pytest.raises(ValueError):
        notify(subject=person, template_key=KEY, recipient=recipient(person), context={"id": "056090123456"})
    assert not Notification.objects.exists()


def test_rows_are_rolled_back_with_the_caller_s_transaction(person, tasks_asked):
    with pytest.raises(RuntimeError), transaction.atomic():
        told(person)
        raise RuntimeError("the change that would have been told about fails")
    assert not Notification.objects.exists()
    assert not PendingTask.objects.exists() and tasks_asked == []


def test_delivery_is_asked_for_once_the_transaction_commits(person, django_capture_on_commit_callbacks, tasks_asked):
    with django_capture_on_commit_callbacks(execute=True):
        rows = told(person)
        assert tasks_asked == []
    assert tasks_asked == ["notifications.deliver"]
    assert all(row.sent_at for row in Notification.objects.filter(pk__in=[r.pk for r in rows]))


def test_every_channel_delivers_its_row(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        told(person)
    [email] = mail.outbox
    assert email.to == ["lan@example.vn"] and email.subject == "Hồ sơ H41-251103-0001 đã được tiếp nhận"
    assert "Ngày hẹn trả kết quả: 06/11/2025." in email.body
    assert email.alternatives[0][1] == "text/html"
    [(address, message)] = Taking.sent
    assert address == "0912345678"
    assert message.sms == "Hồ sơ H41-251103-0001 đã được tiếp nhận. Hẹn trả kết quả ngày 06/11/2025."
    assert set(DeliveryAttempt.objects.values_list("attempt", "ok")) == {(1, True)}


def test_a_failing_channel_holds_back_none_of_the_others(person, channels, django_capture_on_commit_callbacks):
    channels.NOTIFICATION_CHANNELS = {"email": REFUSING, "sms": TAKING}
    with django_capture_on_commit_callbacks(execute=True):
        email, sms = told(person)
    email.refresh_from_db()
    sms.refresh_from_db()
    assert sms.sent_at is not None and len(Taking.sent) == 1
    assert email.sent_at is None and email.attempts == 1 and "ConnectionError" in email.last_error


def test_a_failed_try_waits_out_a_growing_backoff_then_goes(person, channels, caplog):
    channels.NOTIFICATION_CHANNELS = {"sms": REFUSING}
    channels.NOTIFICATION_RETRY_BASE_SECONDS = 60
    [sms] = told(person)
    waits = []
    for _ in range(3):
        before = timezone.now()
        assert services.notification_deliver(notification=sms) is False
        sms.refresh_from_db()
        waits.append(round((sms.next_attempt_at - before).total_seconds() / 60))
        # Within the backoff nothing is tried, by the task or by the sweep.
        assert services.notification_deliver(notification=sms) is False
        assert sweep() == 0
        Notification.objects.filter(pk=sms.pk).update(next_attempt_at=timezone.now())  # the wait is over
    assert waits == [1, 2, 4]
    assert "0912345678" not in sms.last_error + caplog.text and "not delivered" in caplog.text

    channels.NOTIFICATION_CHANNELS = {"sms": TAKING}
    assert sweep() == 1
    sms.refresh_from_db()
    assert sms.sent_at is not None and sms.attempts == 4 and sms.last_error == ""
    assert list(DeliveryAttempt.objects.filter(notification=sms).values_list("attempt", "ok")) == [
        (1, False),
        (2, False),
        (3, False),
        (4, True),
    ]


def test_after_the_last_try_only_an_administrator_s_retry_sends_it(person, channels):
    channels.NOTIFICATION_CHANNELS = {"sms": REFUSING}
    channels.NOTIFICATION_MAX_ATTEMPTS = 3
    [sms] = told(person)
    for _ in range(5):
        services.notification_deliver(notification=sms)
        Notification.objects.filter(pk=sms.pk).update(next_attempt_at=timezone.now())
    sms.refresh_from_db()
    assert sms.attempts == 3 and sms.failed_at is not None
    channels.NOTIFICATION_CHANNELS = {"sms": TAKING}
    assert sweep() == 0
    assert services.notification_retry(notifications=[sms]) == 1
    assert sweep() == 1
    sms.refresh_from_db()
    assert sms.sent_at is not None and sms.failed_at is None


def test_an_unknown_template_is_given_up_at_once(person):
    [row] = notify(subject=person, template_key="dossier.nothing", recipient=recipient(person), context=CONTEXT,
                   channels=["email"])  # fmt: skip
    assert services.notification_deliver(notification=row) is False
    row.refresh_from_db()
    assert row.failed_at is not None and row.attempts == 1 and "dossier.nothing" in row.last_error


def test_marking_sent_twice_keeps_the_first_time(person):
    row = told(person)[0]
    first = timezone.now()
    assert services.notification_mark_sent(notification=row, at=first) is True
    other = Notification.objects.get(pk=row.pk)
    other.sent_at = None  # a second worker that read the row before the first marked it
    assert services.notification_mark_sent(notification=other, at=first + datetime.timedelta(seconds=5)) is False
    assert Notification.objects.get(pk=row.pk).sent_at == first


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_send_one_message(channels):
    channels.NOTIFICATION_CHANNELS = {"sms": SLOW}
    person = get_user_model().objects.create_user("lan")
    [sms] = told(person)  # no transaction around it here: its own task has sent it already
    Notification.objects.filter(pk=sms.pk).update(sent_at=None, attempts=0)
    DeliveryAttempt.objects.all().delete()
    Slow.sent.clear()
    start = threading.Barrier(2)
    results: list[bool] = []

    def worker() -> None:
        start.wait()
        try:
            results.append(services.notification_deliver(notification=Notification.objects.get(pk=sms.pk)))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    assert len(Slow.sent) == 1
    assert DeliveryAttempt.objects.filter(notification=sms).count() == 1


def test_with_the_broker_down_at_commit_the_rows_are_delivered_once_it_is_back(
    person, broker_down, django_capture_on_commit_callbacks, settings
):
    settings.TASK_REDRIVE_SECONDS = 0  # due at once: as if the redrive delay had passed
    with django_capture_on_commit_callbacks(execute=True):
        rows = told(person)
    assert not Notification.objects.filter(sent_at__isnull=False).exists()
    assert list(PendingTask.objects.values_list("name", "args")) == [("notifications.deliver", [[r.pk for r in rows]])]

    broker_down()  # the broker is back
    redrive_tasks()
    redrive_tasks()
    sweep()

    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    assert len(mail.outbox) == 1 and len(Taking.sent) == 1
    assert DeliveryAttempt.objects.count() == 2
    assert not PendingTask.objects.exists()
