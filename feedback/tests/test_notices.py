"""What the sender is told: a receipt at intake and a notice at each transition the table marks
``notifies``, only by the channel they chose, with the code, dates, agency and tracking link and
nothing of the sender or the text; and the tracking page the link leads to tells a refusal's reason."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.core import mail
from django.test import override_settings

from feedback import rules, services
from feedback.models import FeedbackItem
from feedback.rules import Action, ReplyBy, State, Topic
from feedback.selectors import feedback_track
from integrations.sms import LocmemSmsBackend
from notifications.messages import compose
from notifications.models import Notification
from notifications.services import notification_deliver

from .factories import MONDAY, SENDER, Desk, make_desk, submit

pytestmark = pytest.mark.django_db
LATER = MONDAY + datetime.timedelta(hours=1)
BY_EMAIL = dataclasses.replace(SENDER, reply_by=ReplyBy.EMAIL)


@pytest.fixture
def desk() -> Desk:
    return make_desk()


def _told(item: FeedbackItem) -> list[str]:
    return [n.template_key for n in Notification.objects.about(item).order_by("id")]


def test_the_receipt_goes_by_sms_by_default_with_code_dates_and_link_only(desk: Desk):
    item = submit()
    (receipt,) = Notification.objects.about(item)
    assert (receipt.template_key, receipt.channel) == ("feedback.receive", "sms")
    assert receipt.address == rules.normalize_phone(SENDER.phone) and receipt.reference == item.code
    assert receipt.payload["code"] == item.code
    assert receipt.payload["received_on"] == "2026-12-07"
    assert receipt.payload["answer_due_on"] == item.answer_by.isoformat()
    assert receipt.payload["agency"] == desk.desk.name
    assert receipt.payload["link"].endswith(f"?ma={item.code}")
    text = repr(receipt.payload)
    for personal in (SENDER.name, "0905", "123 456", SENDER.address, SENDER.email, "quá hạn", item.subject):
        assert personal not in text


def test_a_sender_who_chose_email_is_told_by_email_only(desk: Desk):
    item = submit(sender=BY_EMAIL)
    assert [(n.channel, n.address) for n in Notification.objects.about(item)] == [("email", SENDER.email)]


def test_email_is_required_to_be_answered_by_email():
    no_email = dataclasses.replace(BY_EMAIL, email="")
    assert "email" in rules.sender_problems(no_email)
    assert "email" not in rules.sender_problems(dataclasses.replace(no_email, reply_by=ReplyBy.SMS))
    assert "reply_by" in rules.sender_problems(dataclasses.replace(SENDER, reply_by="fax"))


def test_an_item_routed_at_intake_is_told_once_naming_the_competent_agency(desk: Desk):
    item = submit(topic=Topic.FEES)
    assert item.agency_id == desk.agency.pk and item.state == State.FORWARDED
    assert _told(item) == ["feedback.receive"]
    assert Notification.objects.about(item).get().payload["agency"] == desk.agency.name


def test_each_notifying_transition_tells_the_sender_and_the_others_do_not(desk: Desk):
    item = submit()
    item = services.feedback_classify(actor=desk.hotline, item=item, topic=Topic.DELAY, now=LATER)
    item = services.feedback_forward(actor=desk.hotline, item=item, agency=desk.agency, now=LATER)
    item = services.feedback_take(actor=desk.handler, item=item, now=LATER)
    item = services.feedback_answer(actor=desk.handler, item=item, text="Sở đã trả kết quả.", now=LATER)
    item = services.feedback_reopen(actor=desk.handler, item=item, reason="Chưa thỏa đáng", now=LATER)
    item = services.feedback_answer(actor=desk.handler, item=item, text="Trả lời lại.", now=LATER)
    item = services.feedback_publish(
        actor=desk.handler,
        item=item,
        subject=item.public_subject,
        question=item.public_question,
        answer=item.public_answer,
        now=LATER,
    )
    item = services.feedback_archive(actor=desk.handler, item=item, now=LATER)
    told = [key.removeprefix("feedback.") for key in _told(item)]
    assert told == ["receive", "forward", "answer", "reopen", "answer"]
    expected = [a.value for a in (Action.FORWARD, Action.ANSWER, Action.REOPEN, Action.ANSWER)]
    assert all(rules.TRANSITIONS[Action(a)].notifies for a in expected)
    silent = {Action.CLASSIFY, Action.HANDLE, Action.PUBLISH, Action.ARCHIVE}
    assert not any(rules.TRANSITIONS[a].notifies for a in silent)
    answered = Notification.objects.about(item).filter(template_key="feedback.answer").first()
    assert answered is not None and answered.payload["answered_on"] == "2026-12-07"


def test_a_refusal_is_told_and_its_reason_is_on_the_tracking_page_the_link_opens(desk: Desk):
    item = services.feedback_refuse(actor=desk.hotline, item=submit(), reason="Nội dung là khiếu nại", now=LATER)
    assert _told(item) == ["feedback.receive", "feedback.refuse"]
    seen = feedback_track(code=item.code, check="3456")
    assert seen is not None and seen.refusal_reason == "Nội dung là khiếu nại"
    assert feedback_track(code=submit(subject="Khác hẳn").code, check="3456").refusal_reason == ""  # type: ignore[union-attr]


@pytest.mark.parametrize("language", ["vi", "en", "zh-hans", "ko", "ja"])
def test_every_notice_reads_whole_in_the_senders_language(desk: Desk, language: str):
    item = submit(language=language)
    item = services.feedback_refuse(actor=desk.hotline, item=item, reason="Khiếu nại", now=LATER)
    for notice in Notification.objects.about(item):
        message = compose(notice.template_key, notice.payload, notice.language)
        assert notice.language == language
        assert item.code in message.subject and item.code in message.sms
        assert message.link == notice.payload["link"] and message.link_label
        assert "{" not in message.subject + " ".join(message.paragraphs) + message.sms


def test_the_receipt_and_the_answer_reach_the_sender(desk: Desk):
    LocmemSmsBackend.outbox.clear()
    by_sms = submit()
    by_email = submit(sender=BY_EMAIL, subject="Thái độ cán bộ")
    answered = services.feedback_answer(
        actor=desk.handler,
        item=services.feedback_take(
            actor=desk.handler,
            item=services.feedback_forward(
                actor=desk.hotline,
                item=services.feedback_classify(actor=desk.hotline, item=by_email, topic=Topic.CONDUCT),
                agency=desk.agency,
            ),
        ),
        text="Sở đã nhắc nhở cán bộ.",
    )
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for notice in Notification.objects.filter(subject_type="feedback.feedbackitem"):
            assert notification_deliver(notification=notice)
    assert [to for to, _sms in LocmemSmsBackend.outbox] == [rules.normalize_phone(SENDER.phone)]
    assert by_sms.code in LocmemSmsBackend.outbox[0][1].text
    subjects = [m.subject for m in mail.outbox]
    assert [m.to for m in mail.outbox] == [[SENDER.email]] * 3
    assert subjects[0].endswith(answered.code) and answered.code in subjects[-1]
    assert all("Sở đã nhắc nhở" not in m.body and SENDER.name not in m.body for m in mail.outbox)
