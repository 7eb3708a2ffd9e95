"""Intake and every transition through its service: codes without gaps, deadlines, routing,
duplicates, who may act where, the history each step writes, and two officers at once."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from feedback import rules, services
from feedback.errors import ActionForbidden, FeedbackChanged, FeedbackInvalid, TransitionNotAllowed
from feedback.models import DailySequence, DeadlineRule, FeedbackEvent, FeedbackItem
from feedback.rules import Action, Channel, State, Topic
from org.models import Role
from org.tests.factories import agency, citizen, officer

from .factories import MONDAY, SENDER, Desk, make_desk, submit

pytestmark = pytest.mark.django_db
LATER = MONDAY + datetime.timedelta(hours=1)


@pytest.fixture
def desk() -> Desk:
    return make_desk()


# --- Intake ---------------------------------------------------------------------------------------


def test_an_unclear_item_gets_its_code_and_deadlines_and_waits_at_the_desk(desk: Desk):
    item = submit()
    assert item.code == "PA-261207-0001"
    assert item.state == State.RECEIVED
    assert item.agency == desk.desk
    assert item.reached_agency_at is None
    assert (item.classify_by, item.forward_by, item.answer_by) == (
        datetime.date(2026, 12, 9),
        datetime.date(2026, 12, 14),
        datetime.date(2026, 12, 28),
    )
    assert item.sender_phone == "0905123456"
    event = item.events.get()
    assert (event.action, event.to_state, event.to_agency) == ("receive", State.RECEIVED, desk.desk)


def test_a_clear_item_reaches_its_agency_at_once_by_the_rules(desk: Desk):
    item = submit(topic=Topic.FEES)
    assert item.state == State.FORWARDED
    assert item.agency == desk.agency
    assert item.reached_agency_at == MONDAY
    actions = list(item.events.values_list("action", "actor_role", "actor"))
    assert actions == [("receive", "sender", None), ("classify", "router", None), ("forward", "router", None)]


def test_codes_follow_each_other_per_day_and_a_rolled_back_intake_leaves_no_gap(desk: Desk):
    first = submit()
    with pytest.raises(RuntimeError), transaction.atomic():
        submit(sender=rules.Sender(name="B", address="B", phone="0912000111"))
        raise RuntimeError("the request failed after intake")
    second = submit(sender=rules.Sender(name="C", address="C", phone="0912000222"))
    next_day = MONDAY + datetime.timedelta(days=1)
    tomorrow = submit(sender=rules.Sender(name="D", address="D", phone="0912000333"), now=next_day)
    assert [first.code, second.code, tomorrow.code] == ["PA-261207-0001", "PA-261207-0002", "PA-261208-0001"]
    assert DailySequence.objects.get(day=datetime.date(2026, 12, 7)).last_number == 2


def test_the_same_sender_on_the_same_subject_is_linked_not_counted_twice(desk: Desk):
    first = submit()
    again = submit(subject="chậm trả kết quả cấp giấy chứng nhận", now=MONDAY + datetime.timedelta(days=3))
    other = submit(subject="Thái độ cán bộ tiếp dân", now=MONDAY + datetime.timedelta(days=3))
    assert again.duplicate_of == first
    assert other.duplicate_of is None


def test_bad_input_is_refused_by_field_and_nothing_is_kept(desk: Desk):
    with pytest.raises(FeedbackInvalid) as refused:
        submit(sender=rules.Sender(name="", address="", phone="123"), content="x" * 5001)
    assert set(refused.value.errors) == {"sender.name", "sender.address", "sender.phone", "content"}
    assert not FeedbackItem.objects.exists()


def test_deadline_rules_are_dated_data(desk: Desk):
    DeadlineRule.objects.create(effective_from=datetime.date(2026, 12, 1), answer_days=10)
    assert submit().answer_by == datetime.date(2026, 12, 21)


def test_a_hotline_call_is_logged_by_the_officer_with_its_time_and_duration(desk: Desk):
    item = services.feedback_submit(
        submission=services.Submission(
            channel=Channel.HOTLINE,
            sender=SENDER,
            subject="Hỏi thủ tục",
            content="Người gọi hỏi về lệ phí.",
            call_started_at=MONDAY,
            call_seconds=185,
        ),
        actor=desk.hotline,
        now=MONDAY + datetime.timedelta(minutes=4),
    )
    assert (item.channel, item.received_by, item.call_seconds) == (Channel.HOTLINE, desk.hotline, 185)
    assert item.events.get().actor == desk.hotline


# --- Transitions --------------------------------------------------------------------------------------


def _answer(d: Desk, item: FeedbackItem) -> FeedbackItem:
    return services.feedback_answer(actor=d.handler, item=item, text="Sở đã trả kết quả ngày 10/12.", now=LATER)


def walk_to(state: State, d: Desk) -> FeedbackItem:
    """An item brought to ``state`` through the services."""
    item = submit()
    if state == State.RECEIVED:
        return item
    item = services.feedback_classify(actor=d.hotline, item=item, topic=Topic.DELAY, now=LATER)
    if state == State.CLASSIFIED:
        return item
    if state == State.REFUSED:
        return services.feedback_refuse(actor=d.hotline, item=item, reason="Nội dung là khiếu nại", now=LATER)
    item = services.feedback_forward(actor=d.hotline, item=item, agency=d.agency, now=LATER)
    if state == State.FORWARDED:
        return item
    item = services.feedback_take(actor=d.handler, item=item, now=LATER)
    if state == State.IN_PROGRESS:
        return item
    item = _answer(d, item)
    if state == State.ANSWERED:
        return item
    if state == State.ARCHIVED:
        return services.feedback_archive(actor=d.handler, item=item, now=LATER)
    return services.feedback_publish(
        actor=d.handler,
        item=item,
        subject=item.public_subject,
        question=item.public_question,
        answer=item.public_answer,
        now=LATER,
    )


def _perform(action: Action, actor: Any, item: FeedbackItem, d: Desk) -> FeedbackItem:
    calls: dict[Action, Callable[[], FeedbackItem]] = {
        Action.CLASSIFY: lambda: services.feedback_classify(actor=actor, item=item, topic=Topic.DELAY),
        Action.REFUSE: lambda: services.feedback_refuse(actor=actor, item=item, reason="Không thuộc phạm vi"),
        Action.FORWARD: lambda: services.feedback_forward(
            actor=actor, item=item, agency=d.agency if item.agency_id != d.agency.pk else d.desk
        ),
        Action.HANDLE: lambda: services.feedback_take(actor=actor, item=item),
        Action.ANSWER: lambda: services.feedback_answer(actor=actor, item=item, text="Trả lời."),
        Action.PUBLISH: lambda: services.feedback_publish(
            actor=actor, item=item, subject="Tiêu đề", question="Câu hỏi", answer="Trả lời"
        ),
        Action.ARCHIVE: lambda: services.feedback_archive(actor=actor, item=item),
        Action.REOPEN: lambda: services.feedback_reopen(actor=actor, item=item, reason="Chưa thỏa đáng"),
    }
    return calls[action]()


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("action", list(Action))
def test_each_action_from_each_state_through_its_service(state: State, action: Action, desk: Desk):
    item = walk_to(state, desk)
    holder = desk.hotline if item.agency_id == desk.desk.pk else desk.handler
    before = item.events.count()
    if rules.can(action, state, rules.HANDLER):
        after = _perform(action, holder, item, desk)
        assert after.state == rules.next_state(action, state)
        assert after.version == item.version + 1
        event = after.events.last()
        assert event is not None
        assert (event.action, event.from_state, event.to_state, event.actor) == (action, state, after.state, holder)
    else:
        with pytest.raises(TransitionNotAllowed):
            _perform(action, holder, item, desk)
        assert item.events.count() == before


@pytest.mark.parametrize("action", list(Action))
def test_an_officer_of_another_agency_a_citizen_and_a_superuser_cannot_act(action: Action, desk: Desk):
    from_state = next(s for s in State if rules.can(action, s, rules.HANDLER))
    item = walk_to(from_state, desk)
    elsewhere = officer("elsewhere", {agency("Sở khác"): [Role.LEADER]})
    no_feedback_role = officer("controller", {item.agency: [Role.PROCEDURE_CONTROLLER]})
    root = officer("root", is_superuser=True)
    for stranger in (elsewhere, no_feedback_role, citizen("someone"), root):
        with pytest.raises(ActionForbidden):
            _perform(action, stranger, item, desk)
    assert FeedbackItem.objects.get(pk=item.pk).state == from_state


def test_the_desk_cannot_act_once_the_item_left_for_its_agency(desk: Desk):
    item = walk_to(State.FORWARDED, desk)
    with pytest.raises(ActionForbidden):
        services.feedback_take(actor=desk.hotline, item=item)


def test_the_sender_reopens_an_answer_they_are_not_satisfied_with(desk: Desk):
    person = citizen("hoa")
    item = submit(sender_user=person)
    item = services.feedback_classify(actor=desk.hotline, item=item, topic=Topic.DELAY)
    item = services.feedback_take(actor=desk.hotline, item=item)
    item = services.feedback_answer(actor=desk.hotline, item=item, text="Đã xử lý.")
    with pytest.raises(FeedbackInvalid):
        services.feedback_reopen(actor=person, item=item, reason=" ")
    reopened = services.feedback_reopen(actor=person, item=item, reason="Vẫn chưa nhận được kết quả", now=LATER)
    assert reopened.state == State.IN_PROGRESS
    event = reopened.events.order_by("id").last()
    assert event is not None and (event.actor_role, event.note) == ("sender", "Vẫn chưa nhận được kết quả")
    with pytest.raises(ActionForbidden):
        services.feedback_take(actor=person, item=reopened)


def test_a_stale_copy_cannot_act(desk: Desk):
    item = walk_to(State.CLASSIFIED, desk)
    services.feedback_take(actor=desk.hotline, item=item)
    with pytest.raises(FeedbackChanged):
        services.feedback_refuse(actor=desk.hotline, item=item, reason="Trùng")
    assert FeedbackItem.objects.get(pk=item.pk).state == State.IN_PROGRESS


def test_the_answer_drafts_a_public_text_without_personal_data(desk: Desk):
    item = walk_to(State.ANSWERED, desk)
    assert "0905" not in item.public_question and "Hoà" not in item.public_question
    assert item.publish_by == datetime.date(2026, 12, 9)
    assert item.answered_by_agency == desk.agency


def test_publishing_refuses_a_text_that_still_holds_personal_data(desk: Desk):
    item = walk_to(State.ANSWERED, desk)
    with pytest.raises(FeedbackInvalid) as refused:
        services.feedback_publish(
            actor=desk.handler, item=item, subject="Hỏi", question="Bà Hoà gọi 0905123456", answer="Đã trả lời."
        )
    assert set(refused.value.errors) == {"question"}
    published = services.feedback_publish(
        actor=desk.handler, item=item, subject="Hỏi về hạn trả", question="Hồ sơ quá hạn?", answer="Đã trả."
    )
    assert published.state == State.PUBLISHED and published.public_folded == "hoi ve han tra ho so qua han da tra"


def test_history_rows_cannot_be_changed_or_deleted(desk: Desk):
    event = walk_to(State.CLASSIFIED, desk).events.first()
    assert event is not None
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        FeedbackEvent.objects.all().delete()


def test_queue_buckets_by_the_deadline_that_matters_now(desk: Desk):
    from feedback import selectors

    received = walk_to(State.RECEIVED, desk)  # classify by 9 December
    answering = walk_to(State.IN_PROGRESS, desk)  # answer by 28 December
    on_9th = selectors.queue(desk.hotline, "today", today=datetime.date(2026, 12, 9))
    assert list(on_9th) == [received]
    on_10th = selectors.queue(desk.hotline, "overdue", today=datetime.date(2026, 12, 10))
    assert list(on_10th) == [received]
    assert list(selectors.queue(desk.handler, "today", today=datetime.date(2026, 12, 28))) == [answering]
    counts = selectors.queue_counts(desk.handler, today=datetime.date(2026, 12, 29))
    assert counts == {"overdue": 1, "today": 0, "open": 1, "answered": 0, "closed": None}
