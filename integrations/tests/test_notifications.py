"""Citizens' notifications of their dossiers, through the outbox (notifications) and the SMS
adapter of integrations: written with the transition, delivered by the worker once it commits,
tried again with backoff when the mail server or the SMS gateway fails, sent once even when two
workers race, and never with a phone or identification number in a log."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.core import mail
from django.utils import timezone

from dossiers import services
from dossiers.rules import State
from dossiers.tests.factories import MONDAY, world
from integrations.sms import LocmemSmsBackend, SmsBackend, SmsError
from notifications import services as outbox
from notifications.models import DeliveryAttempt, Notification
from notifications.tasks import sweep as sweep_notifications


class RefusingSms(SmsBackend):
    """A gateway that refuses everything and quotes the number, as some do."""

    def send(self, *, to, sms):
        raise SmsError(f"subscriber {to} unreachable")


class SlowSms(LocmemSmsBackend):
    def send(self, *, to, sms):
        time.sleep(0.3)
        return super().send(to=to, sms=sms)


@pytest.fixture(autouse=True)
def empty_sms_outbox():
    LocmemSmsBackend.outbox.clear()
    yield
    LocmemSmsBackend.outbox.clear()


@pytest.fixture
def w(db):
    return world()


def received(w, capture):
    dossier, _created = services.dossier_submit(applicant=w.citizen, intake=w.intake(), now=MONDAY)
    with capture(execute=True):
        return services.dossier_receive(actor=w.counter, dossier=dossier, now=MONDAY)


def test_a_reception_reaches_the_citizen_by_email_and_sms(w, django_capture_on_commit_callbacks):
    dossier = received(w, django_capture_on_commit_callbacks)
    [email] = [m for m in mail.outbox if "tiếp nhận" in m.subject and "nộp" not in m.subject]
    assert email.to == [w.citizen.email]
    assert email.subject == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    assert "Ngày hẹn trả kết quả: 06/11/2025." in email.body
    assert f"/tra-cuu-ho-so/?ma={dossier.code}" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html" and f"Hồ sơ {dossier.code} đã được tiếp nhận" in html and "<ul>" not in html
    assert w.citizen.personal_id not in email.body + html
    texts = [sms.text for to, sms in LocmemSmsBackend.outbox if to == w.citizen.phone]
    assert f"Ho so {dossier.code} da duoc tiep nhan. Hen tra ket qua ngay 06/11/2025." in texts
    assert all(sms.encoding == "gsm" and len(sms.segments) <= 2 for _to, sms in LocmemSmsBackend.outbox)
    rows = Notification.objects.about(dossier).filter(template_key="dossier.receive")
    assert rows.count() == 2 and not rows.filter(sent_at__isnull=True).exists()
    assert set(DeliveryAttempt.objects.filter(notification__in=rows).values_list("attempt", "ok")) == {(1, True)}


def test_a_reception_asks_the_workers_once_for_the_citizen_and_the_portal(
    w, django_capture_on_commit_callbacks, tasks_asked
):
    dossier, _created = services.dossier_submit(applicant=w.citizen, intake=w.intake(), now=MONDAY)
    asked = tasks_asked
    asked.clear()  # what the submission asked for
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_receive(actor=w.counter, dossier=dossier, now=MONDAY)
    # One task for the citizen (notifications.deliver, which sent both notifications) and one for
    # the portal's message (no portal is configured here: it waits, undelivered).
    assert [name for name in asked if name.startswith(("integrations.", "notifications."))] == [
        "notifications.deliver",
        "integrations.sync_dossier",
    ]
    assert not Notification.objects.about(dossier).filter(template_key="dossier.receive", sent_at=None).exists()
    assert dossier.sync_messages.filter(national_status=2).exists()


def test_a_citizen_reading_english_gets_the_whole_email_in_english(w, django_capture_on_commit_callbacks):
    w.citizen.preferred_language = "en"
    w.citizen.save(update_fields=["preferred_language"])
    received(w, django_capture_on_commit_callbacks)
    english = [m for m in mail.outbox if m.extra_headers.get("Content-Language") == "en"]
    assert english
    for email in english:
        html = email.alternatives[0][0]
        assert "Kính gửi" not in email.body + html and "Tra cứu hồ sơ" not in email.body + html


def test_a_supplement_request_mails_the_list_of_what_is_missing(w, django_capture_on_commit_callbacks):
    dossier = received(w, django_capture_on_commit_callbacks)
    dossier = services.dossier_assign(actor=w.counter, dossier=dossier, to=w.processor, now=MONDAY)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_request_supplement(
            actor=w.processor, dossier=dossier, missing=["Bản sao giấy chứng sinh", "Tờ khai có chữ ký"], now=MONDAY
        )
    [email] = mail.outbox
    assert "- Bản sao giấy chứng sinh\n- Tờ khai có chữ ký" in email.body
    assert "<li>Bản sao giấy chứng sinh</li>" in email.alternatives[0][0]


def test_the_sweep_delivers_what_no_task_was_enqueued_for(w):
    # A plain test transaction never commits: the on-commit task never runs, as when a worker
    # or its broker is lost. The rows are there; the periodic sweep sends them.
    dossier, _created = services.dossier_submit(applicant=w.citizen, intake=w.intake(), now=MONDAY)
    assert Notification.objects.about(dossier).filter(sent_at__isnull=True).count() == 2
    assert sweep_notifications() == 2
    assert not Notification.objects.about(dossier).filter(sent_at__isnull=True).exists()
    assert sweep_notifications() == 0


def test_a_failed_sms_waits_out_its_backoff_then_goes(w, settings, caplog):
    settings.SMS_BACKEND = "integrations.tests.test_notifications.RefusingSms"
    dossier, _created = services.dossier_submit(applicant=w.citizen, intake=w.intake(), now=MONDAY)
    sms = Notification.objects.about(dossier).get(channel="sms")
    before = timezone.now()
    assert outbox.notification_deliver(notification=sms) is False
    sms.refresh_from_db()
    assert sms.attempts == 1 and sms.failed_at is None
    assert (
        before + datetime.timedelta(seconds=60)
        <= sms.next_attempt_at
        <= timezone.now() + datetime.timedelta(seconds=60)
    )
    [attempt] = DeliveryAttempt.objects.filter(notification=sms)
    assert (attempt.attempt, attempt.ok) == (1, False) and "unreachable" in attempt.error
    assert w.citizen.phone not in attempt.error + sms.last_error
    assert w.citizen.phone not in caplog.text and "not delivered" in caplog.text

    # Within the backoff nothing is tried, by the task or by the sweep.
    assert outbox.notification_deliver(notification=sms) is False
    assert DeliveryAttempt.objects.filter(notification=sms).count() == 1

    settings.SMS_BACKEND = "integrations.sms.LocmemSmsBackend"
    Notification.objects.filter(pk=sms.pk).update(next_attempt_at=timezone.now())  # the minute passed
    assert sweep_notifications() >= 1
    sms.refresh_from_db()
    assert sms.sent_at is not None
    assert list(DeliveryAttempt.objects.filter(notification=sms).values_list("attempt", "ok")) == [
        (1, False),
        (2, True),
    ]


def test_after_the_last_attempt_only_an_administrator_s_retry_sends_it(w, settings):
    settings.SMS_BACKEND = "integrations.tests.test_notifications.RefusingSms"
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    dossier, _created = services.dossier_submit(applicant=w.citizen, intake=w.intake(), now=MONDAY)
    sms = Notification.objects.about(dossier).get(channel="sms")
    for _ in range(5):
        outbox.notification_deliver(notification=sms)
        Notification.objects.filter(pk=sms.pk).update(next_attempt_at=timezone.now())
    sms.refresh_from_db()
    assert (sms.attempts, sms.failed_at is not None) == (3, True)
    settings.SMS_BACKEND = "integrations.sms.LocmemSmsBackend"
    sweep_notifications()
    sms.refresh_from_db()
    assert sms.sent_at is None

    assert outbox.notification_retry(notifications=[sms]) == 1
    sweep_notifications()
    sms.refresh_from_db()
    assert sms.sent_at is not None


def test_marking_sent_twice_keeps_the_first_time(w):
    dossier, _created = services.dossier_submit(applicant=w.citizen, intake=w.intake(), now=MONDAY)
    row = Notification.objects.about(dossier).first()
    first = timezone.now()
    assert outbox.notification_mark_sent(notification=row, at=first) is True
    other = Notification.objects.get(pk=row.pk)
    other.sent_at = None  # a second worker that read the row before the first marked it
    assert outbox.notification_mark_sent(notification=other, at=first + datetime.timedelta(seconds=5)) is False
    assert Notification.objects.get(pk=row.pk).sent_at == first


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_send_one_sms(settings):
    settings.SMS_BACKEND = "integrations.tests.test_notifications.SlowSms"
    w = world()
    dossier, _created = services.dossier_submit(applicant=w.citizen, intake=w.intake(), now=MONDAY)
    sms = Notification.objects.about(dossier).get(channel="sms")
    # Outside a test transaction the submission's own task has already sent it: start over.
    Notification.objects.filter(pk=sms.pk).update(sent_at=None, attempts=0)
    DeliveryAttempt.objects.filter(notification=sms).delete()
    LocmemSmsBackend.outbox.clear()
    start = threading.Barrier(2)
    results: list[bool] = []

    def worker():
        start.wait()
        try:
            results.append(outbox.notification_deliver(notification=Notification.objects.get(pk=sms.pk)))
        finally:
            from django.db import connection

            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    assert len([to for to, _sms in LocmemSmsBackend.outbox if to == w.citizen.phone]) == 1
    assert DeliveryAttempt.objects.filter(notification=sms).count() == 1


def test_an_unknown_template_is_given_up_at_once(w):
    dossier = services.dossier_draft_save(applicant=w.citizen, intake=w.intake())
    [row] = outbox.notify(
        subject=dossier,
        template_key="dossier.unknown",
        recipient=outbox.Recipient(email="a@example.vn"),
        context={},
        channels=["email"],
    )
    assert outbox.notification_deliver(notification=row) is False
    row.refresh_from_db()
    assert row.failed_at is not None and "TemplateError" in row.last_error


def test_in_progress_steps_that_tell_nobody_send_nothing(w, django_capture_on_commit_callbacks):
    dossier = received(w, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_assign(actor=w.counter, dossier=dossier, to=w.processor, now=MONDAY)
    assert mail.outbox == []
    assert dossier.state == State.RECEIVED
