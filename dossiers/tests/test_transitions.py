"""Every transition through its service: allowed from its states and refused from every other,
allowed to its roles (in the right place) and refused to everybody else; the history it writes
and the notifications it enqueues on commit."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from dossiers import services
from dossiers.errors import ActionForbidden, DossierChanged, DossierInvalid, TransitionNotAllowed
from dossiers.models import ClockStop, DailySequence, Dossier, DossierEvent
from dossiers.rules import (
    APPLICANT,
    OPEN_STATES,
    PAYMENT_PLATFORM,
    TRANSITIONS,
    Action,
    Channel,
    Outcome,
    ResultDelivery,
    State,
)
from notifications.models import Notification
from org.models import Membership, Role
from org.tests.factories import agency, citizen, officer, one_stop_unit

from .factories import MONDAY, World, at, walk_to

pytestmark = pytest.mark.django_db
S = State
LATER = MONDAY + datetime.timedelta(hours=1)

# A state from which each action is allowed, to test who may take it.
FROM: dict[Action, State] = {
    Action.SUBMIT: S.DRAFT,
    Action.RECEIVE: S.SUBMITTED,
    Action.REFUSE_INTAKE: S.SUBMITTED,
    Action.REQUEST_SUPPLEMENT: S.IN_PROGRESS,
    Action.SUPPLEMENT: S.SUPPLEMENT_REQUESTED,
    Action.ASSIGN: S.RECEIVED,
    Action.FORWARD: S.IN_PROGRESS,
    Action.RETURN_STEP: S.IN_PROGRESS,
    Action.REQUEST_PAYMENT: S.IN_PROGRESS,
    Action.MARK_PAID: S.AWAITING_PAYMENT,
    Action.WITHDRAW: S.IN_PROGRESS,
    Action.STOP: S.IN_PROGRESS,
    Action.APPROVE: S.IN_PROGRESS,
    Action.REFUSE: S.IN_PROGRESS,
    Action.EXTEND: S.IN_PROGRESS,
    Action.RESULT_READY: S.DONE,
    Action.RETURN_RESULT: S.DONE,
}


def perform(action: Action, actor: Any, d: Dossier, w: World) -> Dossier:
    """Take ``action`` with ordinary arguments."""
    calls: dict[Action, Callable[[], Dossier]] = {
        Action.SUBMIT: lambda: services.dossier_draft_submit(applicant=actor, draft=d, now=LATER),
        Action.RECEIVE: lambda: services.dossier_receive(actor=actor, dossier=d, now=LATER),
        Action.REFUSE_INTAKE: lambda: services.dossier_refuse_intake(actor=actor, dossier=d, reason="Sai thẩm quyền"),
        Action.REQUEST_SUPPLEMENT: lambda: services.dossier_request_supplement(
            actor=actor, dossier=d, missing=["Bản sao giấy khai sinh"], now=LATER
        ),
        Action.SUPPLEMENT: lambda: services.dossier_supplement(actor=actor, dossier=d, now=LATER),
        Action.ASSIGN: lambda: services.dossier_assign(actor=actor, dossier=d, now=LATER),
        Action.FORWARD: lambda: services.dossier_forward(actor=actor, dossier=d, to=w.leader, now=LATER),
        Action.RETURN_STEP: lambda: services.dossier_return_step(actor=actor, dossier=d, reason="Thiếu ý kiến"),
        Action.REQUEST_PAYMENT: lambda: services.dossier_request_payment(
            actor=actor, dossier=d, override_vnd=50_000, override_reason="Mức thu theo biểu phí của tỉnh", now=LATER
        ),
        Action.MARK_PAID: lambda: services.dossier_mark_paid(actor=actor, dossier=d, now=LATER),
        Action.WITHDRAW: lambda: services.dossier_withdraw(actor=actor, dossier=d, now=LATER),
        Action.STOP: lambda: services.dossier_stop(actor=actor, dossier=d, reason="Hồ sơ giả mạo", now=LATER),
        Action.APPROVE: lambda: services.dossier_approve(actor=actor, dossier=d, now=LATER),
        Action.REFUSE: lambda: services.dossier_refuse(actor=actor, dossier=d, reasons=["Không đủ điều kiện"]),
        Action.EXTEND: lambda: services.dossier_extend(
            actor=actor, dossier=d, new_due_on=datetime.date(2025, 11, 12), apology="Cần xác minh thêm", now=LATER
        ),
        Action.RESULT_READY: lambda: services.dossier_result_ready(actor=actor, dossier=d, now=LATER),
        Action.RETURN_RESULT: lambda: services.dossier_return_result(
            actor=actor, dossier=d, method=ResultDelivery.COUNTER, now=LATER
        ),
    }
    return calls[action]()


def ready_for(action: Action, state: State, w: World) -> Dossier:
    """A dossier in ``state``; for a return a step, one that has been forwarded once."""
    d = walk_to(w, state)
    if action == Action.RETURN_STEP and state == S.IN_PROGRESS:
        d = services.dossier_forward(actor=w.processor, dossier=d, to=w.leader, now=MONDAY)
    return d


# --- By state ---------------------------------------------------------------------------------


@pytest.mark.parametrize("action", list(Action))
def test_each_action_only_from_its_states(w, action):
    """Someone who holds every role in the right place, and is the applicant, is refused exactly
    when the table does not allow the action from the state; a refusal changes nothing."""
    for role in (Role.COUNTER_OFFICER, Role.PROCESSING_OFFICER, Role.LEADER):
        Membership.objects.create(user=w.citizen, agency=w.agency, role=role, valid_from=datetime.date(2025, 1, 1))
    wrong = []
    for state in State:
        d = ready_for(action, state, w)
        allowed = state in TRANSITIONS[action].sources
        try:
            after = perform(action, w.citizen, d, w)
        except TransitionNotAllowed:
            if allowed or Dossier.objects.get(pk=d.pk).version != d.version:
                wrong.append(state)
        else:
            if not allowed or DossierEvent.objects.filter(dossier=d).last().action != action:
                wrong.append(state)
            assert after.version == d.version + 1
    assert wrong == []


# --- By person --------------------------------------------------------------------------------

PEOPLE = ["counter", "processor", "leader", "applicant", "other_citizen", "other_agency", "former_leader"]
ROLE_OF = {
    "counter": Role.COUNTER_OFFICER,
    "processor": Role.PROCESSING_OFFICER,
    "leader": Role.LEADER,
    "applicant": APPLICANT,
}


def person(who: str, w: World) -> Any:
    if who in ("counter", "processor", "leader"):
        return getattr(w, who)
    if who == "applicant":
        return w.citizen
    if who == "other_citizen":
        return citizen("nguoikhac", personal_id="056090777777")
    if who == "former_leader":
        return officer(
            "lanhdao.cu",
            {w.agency: [Role.LEADER, Role.PROCESSING_OFFICER, Role.COUNTER_OFFICER]},
            valid_to=datetime.date(2025, 10, 1),
        )
    elsewhere = agency("Ủy ban nhân dân phường khác")
    one_stop_unit("Bộ phận Một cửa phường khác", [elsewhere])
    return officer("canbo.khac", {elsewhere: [Role.COUNTER_OFFICER, Role.PROCESSING_OFFICER, Role.LEADER]})


@pytest.mark.parametrize("action", list(Action))
def test_each_action_only_by_its_roles_in_the_right_place(w, action):
    """The roles of the table, held today where it counts, may; nobody else may: not another
    citizen, not an officer of another agency, not a leader whose membership has ended."""
    wrong = []
    people = {who: person(who, w) for who in PEOPLE}
    for who in PEOPLE:
        d = ready_for(action, FROM[action], w)
        # A draft is its author's alone: a counter officer submits by registering a paper dossier.
        drafts_author_only = action == Action.SUBMIT and who == "counter"
        allowed = ROLE_OF.get(who) in TRANSITIONS[action].actors and not drafts_author_only
        try:
            perform(action, people[who], d, w)
        except ActionForbidden:
            if allowed:
                wrong.append(who)
        else:
            if not allowed:
                wrong.append(who)
    assert wrong == []


def test_a_counter_officer_acts_for_their_agencies_at_their_unit(w):
    """Counter officers hold a membership in each agency they receive for (the provincial
    centre's, in every agency it serves); one that names a one-stop unit holds there only."""
    other = agency("Sở Tư pháp thử")
    for_another_agency = officer("tiepnhan.so", {other: [Role.COUNTER_OFFICER]})
    at_another_unit = officer("tiepnhan.xa", {w.agency: [Role.COUNTER_OFFICER]})
    Membership.objects.filter(user=at_another_unit).update(one_stop_unit=one_stop_unit("Một cửa khác", [w.agency]))
    at_this_unit = officer("tiepnhan.day", {w.agency: [Role.COUNTER_OFFICER]})
    Membership.objects.filter(user=at_this_unit).update(one_stop_unit=w.unit)
    d = walk_to(w, S.SUBMITTED)
    for stranger in (for_another_agency, at_another_unit):
        with pytest.raises(ActionForbidden):
            services.dossier_receive(actor=stranger, dossier=d)
    assert services.dossier_receive(actor=at_this_unit, dossier=d).state == S.RECEIVED


def test_an_inactive_account_can_do_nothing(w):
    d = walk_to(w, S.SUBMITTED)
    w.counter.is_active = False
    with pytest.raises(ActionForbidden):
        services.dossier_receive(actor=w.counter, dossier=d)


# --- What each transition does ----------------------------------------------------------------


def test_submission_gives_the_code_and_reception_keeps_it_with_the_due_date(w):
    submitted = walk_to(w, S.SUBMITTED)
    assert submitted.code == f"{w.unit.code}-251103-0001"
    assert Dossier.objects.get(pk=submitted.pk).code == submitted.code
    d = services.dossier_receive(actor=w.counter, dossier=submitted, now=MONDAY.replace(day=4))
    assert d.code == submitted.code  # no second code, though received on another day
    assert DailySequence.objects.get(unit=w.unit, day=datetime.date(2025, 11, 3)).last_number == 1
    assert not DailySequence.objects.filter(unit=w.unit, day=datetime.date(2025, 11, 4)).exists()
    assert d.received_at == MONDAY.replace(day=4)
    assert d.due_on == d.original_due_on == datetime.date(2025, 11, 7)
    stored = Dossier.objects.get(pk=d.pk)
    assert (stored.code, stored.due_on, stored.state, stored.version) == (d.code, d.due_on, S.RECEIVED, d.version)


def test_a_dossier_submitted_before_codes_at_submission_gets_its_code_at_reception(w):
    d = walk_to(w, S.SUBMITTED)
    Dossier.objects.filter(pk=d.pk).update(code=None)  # as stored before codes were given at submission
    d.refresh_from_db()
    d = services.dossier_receive(actor=w.counter, dossier=d, now=MONDAY)
    assert d.code == f"{w.unit.code}-251103-0002"


def test_a_dossier_registered_at_the_counter_has_its_code_at_once(w):
    d = services.dossier_register(actor=w.counter, intake=w.intake(channel="counter"), now=MONDAY)
    assert (d.state, d.code) == (S.SUBMITTED, f"{w.unit.code}-251103-0001")
    d = services.dossier_receive(actor=w.counter, dossier=d, now=MONDAY)
    assert d.code == f"{w.unit.code}-251103-0001"


def test_refusing_intake_needs_a_reason_and_keeps_the_code_of_submission(w):
    d = walk_to(w, S.SUBMITTED)
    given = d.code
    assert given == f"{w.unit.code}-251103-0001"
    with pytest.raises(DossierInvalid) as refused:
        services.dossier_refuse_intake(actor=w.counter, dossier=d, reason="  ")
    assert set(refused.value.errors) == {"reason"}
    d = services.dossier_refuse_intake(actor=w.counter, dossier=d, reason="Không thuộc thẩm quyền")
    assert (d.state, d.code, d.received_at) == (S.NOT_RECEIVED, given, None)
    assert Dossier.objects.get(pk=d.pk).code == given


def test_a_supplement_request_lists_exactly_what_is_missing(w):
    d = walk_to(w, S.IN_PROGRESS)
    with pytest.raises(DossierInvalid):
        services.dossier_request_supplement(actor=w.processor, dossier=d, missing=["", " "])
    d = services.dossier_request_supplement(
        actor=w.processor, dossier=d, missing=["Bản sao giấy khai sinh", " Tờ khai có chữ ký "], note="Bổ sung 1 lần"
    )
    event = DossierEvent.objects.filter(dossier=d).last()
    assert event.details == {"missing": ["Bản sao giấy khai sinh", "Tờ khai có chữ ký"]}
    assert event.note == "Bổ sung 1 lần"


def test_a_supplement_at_intake_stops_no_clock_and_returns_to_the_counter(w):
    d = walk_to(w, S.SUBMITTED)
    d = services.dossier_request_supplement(actor=w.counter, dossier=d, missing=["Tờ khai"], now=MONDAY)
    assert (d.state, d.supplement_request_count) == (S.SUPPLEMENT_REQUESTED, 0)
    assert not ClockStop.objects.filter(dossier=d).exists()
    d = services.dossier_supplement(actor=w.citizen, dossier=d, now=LATER)
    assert d.state == S.SUBMITTED and d.code == f"{w.unit.code}-251103-0001"


def test_a_supplement_during_processing_stops_the_clock_and_returns_to_processing(w):
    d = walk_to(w, S.IN_PROGRESS)
    d = services.dossier_request_supplement(actor=w.processor, dossier=d, missing=["Tờ khai"], now=MONDAY)
    assert d.supplement_request_count == 1
    assert ClockStop.objects.get(dossier=d).ended_on is None
    document = w.version.documents.first()
    d = services.dossier_supplement(
        actor=w.counter, dossier=d, documents=[services.HandedDocument(document.pk, "copy", 2)], now=LATER
    )
    assert d.state == S.IN_PROGRESS
    assert ClockStop.objects.get(dossier=d).ended_on == LATER.date()
    assert d.documents.filter(required_document=document, handed_in="copy", quantity=2).exists()


def test_a_supplement_must_be_of_the_procedure_s_documents(w):
    d = walk_to(w, S.SUPPLEMENT_REQUESTED)
    with pytest.raises(DossierInvalid):
        services.dossier_supplement(actor=w.citizen, dossier=d, documents=[services.HandedDocument(999_999)])


def test_assignment_and_hand_overs_inside_the_agency(w):
    d = walk_to(w, S.RECEIVED)
    d = services.dossier_assign(actor=w.counter, dossier=d, to=w.processor, note="Chuyển phòng Tư pháp")
    assert (d.state, d.assignee) == (S.IN_PROGRESS, w.processor)
    d = services.dossier_forward(actor=w.processor, dossier=d, to=w.leader, note="Trình ký")
    assert d.assignee == w.leader
    d = services.dossier_return_step(actor=w.leader, dossier=d, reason="Bổ sung ý kiến thẩm định")
    assert d.assignee == w.processor
    hand_overs = DossierEvent.objects.filter(dossier=d, action__in=["assign", "forward", "return_step"])
    assert [(e.action, e.handed_to, e.note) for e in hand_overs] == [
        ("assign", w.processor, "Chuyển phòng Tư pháp"),
        ("forward", w.leader, "Trình ký"),
        ("return_step", w.processor, "Bổ sung ý kiến thẩm định"),
    ]


def test_the_first_step_cannot_be_returned_and_a_return_needs_a_reason(w):
    d = walk_to(w, S.IN_PROGRESS)
    with pytest.raises(TransitionNotAllowed, match="bước xử lý đầu tiên"):
        services.dossier_return_step(actor=w.processor, dossier=d, reason="Sai")
    with pytest.raises(DossierInvalid):
        services.dossier_return_step(actor=w.processor, dossier=d, reason="")


def test_a_dossier_goes_only_to_officers_of_its_agency(w):
    d = walk_to(w, S.IN_PROGRESS)
    stranger = officer("chuyenvien.khac", {agency("Sở khác"): [Role.PROCESSING_OFFICER]})
    for target in (stranger, w.counter, w.citizen):
        with pytest.raises(DossierInvalid):
            services.dossier_forward(actor=w.processor, dossier=d, to=target)
    assert Dossier.objects.get(pk=d.pk).version == d.version


def test_payment_stops_the_clock_until_paid(w):
    d = walk_to(w, S.IN_PROGRESS)
    with pytest.raises(DossierInvalid):
        services.dossier_request_payment(
            actor=w.processor, dossier=d, override_vnd=0, override_reason="Mức thu theo biểu phí của tỉnh"
        )
    d = services.dossier_request_payment(
        actor=w.processor, dossier=d, override_vnd=50_000, override_reason="Mức thu theo biểu phí của tỉnh", now=MONDAY
    )
    assert ClockStop.objects.get(dossier=d).reason == "payment"
    d = services.dossier_mark_paid(actor=w.counter, dossier=d, receipt_number="BL-0001", now=LATER)
    assert d.state == S.IN_PROGRESS
    assert DossierEvent.objects.filter(dossier=d).last().details == {"receipt_number": "BL-0001"}


def test_the_payment_platform_confirms_an_online_payment_in_its_own_name(w):
    d = walk_to(w, S.AWAITING_PAYMENT)
    platform = services.SystemActor(PAYMENT_PLATFORM, "VNPay")
    d = services.dossier_mark_paid(actor=None, system=platform, dossier=d, receipt_number="BL-0002", now=LATER)
    assert d.state == S.IN_PROGRESS
    assert not ClockStop.objects.filter(dossier=d, ended_on__isnull=True).exists()
    event = DossierEvent.objects.filter(dossier=d).last()
    assert (event.action, event.actor, event.actor_label, event.actor_role) == (
        Action.MARK_PAID,
        None,
        "Nền tảng thanh toán (VNPay)",
        PAYMENT_PLATFORM,
    )
    assert event.by_system and event.details == {"receipt_number": "BL-0002"}
    assert not DossierEvent.objects.filter(dossier=d).exclude(pk=event.pk).filter(actor_role=PAYMENT_PLATFORM).exists()


def test_the_payment_platform_may_do_nothing_else_and_never_with_a_person(w):
    platform = services.SystemActor(PAYMENT_PLATFORM)
    d = walk_to(w, S.AWAITING_PAYMENT)
    with pytest.raises(ActionForbidden):  # a person and a system at once: who acted?
        services.dossier_mark_paid(actor=w.counter, system=platform, dossier=d, now=LATER)
    with pytest.raises(ActionForbidden):  # neither
        services.dossier_mark_paid(actor=None, dossier=d, now=LATER)
    with pytest.raises(ActionForbidden):  # the table lists it for MARK_PAID only
        services._apply(Action.STOP, actor=None, system=platform, dossier=d, now=LATER, note="Tự động")
    with pytest.raises(TransitionNotAllowed):  # and only while the dossier waits for the fees
        services.dossier_mark_paid(actor=None, system=platform, dossier=walk_to(w, S.IN_PROGRESS), now=LATER)
    with pytest.raises(ValueError):
        services.SystemActor("robot")
    assert Dossier.objects.get(pk=d.pk).version == d.version
    assert services.SystemActor(PAYMENT_PLATFORM).label == "Nền tảng thanh toán"


@pytest.mark.parametrize("state", sorted(OPEN_STATES))
def test_the_citizen_may_withdraw_from_any_open_state(w, state):
    d = services.dossier_withdraw(actor=w.citizen, dossier=walk_to(w, state), reason="Không còn nhu cầu")
    assert d.state == S.WITHDRAWN and d.finished_at is not None
    assert not ClockStop.objects.filter(dossier=d, ended_on__isnull=True).exists()


def test_stopping_while_waiting_for_the_citizen_closes_the_clock_stop(w):
    d = walk_to(w, S.SUPPLEMENT_REQUESTED)
    with pytest.raises(DossierInvalid):
        services.dossier_stop(actor=w.leader, dossier=d, reason="")
    d = services.dossier_stop(actor=w.leader, dossier=d, reason="Quá hạn bổ sung", now=LATER)
    assert d.state == S.STOPPED and d.finished_at == LATER
    assert ClockStop.objects.get(dossier=d).ended_on == LATER.date()


def test_approval_and_refusal_finish_processing(w):
    approved = services.dossier_approve(actor=w.leader, dossier=walk_to(w, S.IN_PROGRESS), now=LATER)
    assert (approved.state, approved.outcome, approved.finished_at) == (S.DONE, Outcome.APPROVED, LATER)
    d = walk_to(w, S.IN_PROGRESS)
    with pytest.raises(DossierInvalid):
        services.dossier_refuse(actor=w.leader, dossier=d, reasons=[])
    refused = services.dossier_refuse(actor=w.leader, dossier=d, reasons=["Không đủ điều kiện", "Sai đối tượng"])
    assert (refused.state, refused.outcome) == (S.DONE, Outcome.REFUSED)
    assert DossierEvent.objects.filter(dossier=d).last().details == {"reasons": ["Không đủ điều kiện", "Sai đối tượng"]}


def test_the_result_is_announced_once_then_returned(w):
    d = walk_to(w, S.DONE)
    d = services.dossier_result_ready(actor=w.processor, dossier=d, now=LATER)
    assert d.result_ready_at == LATER
    with pytest.raises(TransitionNotAllowed):
        services.dossier_result_ready(actor=w.processor, dossier=d)
    d = services.dossier_return_result(actor=w.counter, dossier=d, method=ResultDelivery.COUNTER, now=LATER)
    assert (d.state, d.returned_at, d.result_returned_by) == (S.RETURNED, LATER, "counter")


def test_a_result_by_post_needs_its_tracking_number(w):
    d = walk_to(w, S.DONE)
    with pytest.raises(DossierInvalid) as refused:
        services.dossier_return_result(actor=w.counter, dossier=d, method=ResultDelivery.POST)
    assert set(refused.value.errors) == {"tracking_number"}
    with pytest.raises(DossierInvalid):
        services.dossier_return_result(actor=w.counter, dossier=d, method="pigeon")
    d = services.dossier_return_result(actor=w.counter, dossier=d, method=ResultDelivery.POST, tracking_number="EB1VN")
    assert (d.result_returned_by, d.postal_tracking_number) == ("post", "EB1VN")


def test_a_counter_officer_registers_a_paper_dossier_without_an_account(w):
    intake = w.intake(channel=Channel.COUNTER, applicant=services.Applicant("Lê Văn B", "056090111111", "Cam Lâm"))
    d = services.dossier_register(actor=w.counter, intake=intake, now=MONDAY)
    assert (d.state, d.applicant, d.channel) == (S.SUBMITTED, None, "counter")
    assert DossierEvent.objects.get(dossier=d).actor_role == Role.COUNTER_OFFICER
    with pytest.raises(DossierInvalid):
        services.dossier_register(actor=w.counter, intake=w.intake(channel=Channel.ONLINE))
    with pytest.raises(ActionForbidden):
        services.dossier_register(actor=w.processor, intake=intake)
    assert Dossier.objects.filter(applicant_name="Lê Văn B").count() == 1


def test_a_stale_copy_cannot_act(w):
    d = walk_to(w, S.SUBMITTED)
    services.dossier_receive(actor=w.counter, dossier=d)
    with pytest.raises(DossierChanged) as refused:
        services.dossier_refuse_intake(actor=w.counter, dossier=d, reason="Sai")
    assert refused.value.message == "Hồ sơ đã thay đổi, vui lòng tải lại."


def test_a_refusal_halfway_leaves_nothing_behind(w):
    """``prepare`` fails after the dossier was claimed: the claim is rolled back too."""
    d = walk_to(w, S.IN_PROGRESS)
    with pytest.raises(DossierInvalid):
        services.dossier_assign(actor=w.counter, dossier=walk_to(w, S.RECEIVED), to=w.citizen)
    with pytest.raises(TransitionNotAllowed):
        services.dossier_return_step(actor=w.processor, dossier=d, reason="Sai")
    assert Dossier.objects.get(pk=d.pk).version == d.version
    assert DossierEvent.objects.filter(dossier=d).count() == 3


# --- History ----------------------------------------------------------------------------------


def test_history_records_every_step_with_who_from_and_to(w):
    d = walk_to(w, S.RETURNED)
    rows = list(DossierEvent.objects.filter(dossier=d).values_list("action", "from_state", "to_state", "actor_role"))
    assert rows == [
        ("submit", "draft", "submitted", APPLICANT),
        ("receive", "submitted", "received", Role.COUNTER_OFFICER),
        ("assign", "received", "in_progress", Role.COUNTER_OFFICER),
        ("approve", "in_progress", "done", Role.LEADER),
        ("return_result", "done", "returned", Role.COUNTER_OFFICER),
    ]
    first = DossierEvent.objects.filter(dossier=d).first()
    assert (first.actor, first.actor_label, first.at) == (w.citizen, str(w.citizen), MONDAY)


def test_history_is_append_only(w):
    event = DossierEvent.objects.get(dossier=walk_to(w, S.SUBMITTED))
    event.note = "sửa"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        DossierEvent.objects.filter(pk=event.pk).update(note="sửa")
    with pytest.raises(PermissionError):
        DossierEvent.objects.filter(pk=event.pk).delete()


def test_attachments_are_kept_with_the_step(w):
    d = walk_to(w, S.SUPPLEMENT_REQUESTED)
    files = [{"name": "giay-khai-sinh.pdf", "sha256": "ab" * 32}]
    services.dossier_supplement(actor=w.citizen, dossier=d, attachments=files)
    assert DossierEvent.objects.filter(dossier=d).last().attachments == files


# --- Notifications ----------------------------------------------------------------------------


def test_notifications_are_written_in_the_transition_s_transaction(w):
    d = walk_to(w, S.SUBMITTED)
    Notification.objects.all().delete()
    services.dossier_receive(actor=w.counter, dossier=d, now=MONDAY)
    sent = {n.channel: n for n in Notification.objects.all()}
    assert set(sent) == {"email", "sms"}
    assert sent["email"].address == w.citizen.email and sent["sms"].address == w.citizen.phone
    email = sent["email"]
    assert (email.template_key, email.recipient, email.sent_at) == ("dossier.receive", w.citizen, None)
    assert email.payload["code"] == f"{w.unit.code}-251103-0001"
    assert email.payload["due_on"] == "2025-11-06"
    assert w.citizen.personal_id not in str(email.payload) and w.citizen.phone not in str(email.payload)


def test_a_rolled_back_transition_leaves_no_notification(w):
    d = walk_to(w, S.SUBMITTED)
    before = Notification.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.dossier_receive(actor=w.counter, dossier=d, now=MONDAY)
        raise RuntimeError("the caller's transaction fails after the transition")
    assert Notification.objects.count() == before


def test_a_refused_transition_notifies_nobody(w):
    d = walk_to(w, S.SUBMITTED)
    with pytest.raises(DossierChanged):
        services.dossier_receive(actor=w.counter, dossier=Dossier.objects.get(pk=d.pk))
        services.dossier_receive(actor=w.counter, dossier=d)
    # The e-mail and the SMS of the first reception only.
    assert Notification.objects.filter(template_key="dossier.receive").count() == 2


def test_internal_hand_overs_tell_the_citizen_nothing(w):
    d = walk_to(w, S.RECEIVED)
    before = Notification.objects.count()
    services.dossier_assign(actor=w.counter, dossier=d, to=w.processor)
    assert Notification.objects.count() == before


def test_what_the_citizen_is_told(w, django_capture_on_commit_callbacks):
    d = walk_to(w, S.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_request_supplement(actor=w.processor, dossier=d, missing=["Tờ khai"])
    notice = Notification.objects.filter(template_key="dossier.request_supplement").first()
    assert notice.payload["missing"] == ["Tờ khai"]
    assert notice.payload["national_status"] == 5


def test_a_counter_dossier_without_account_is_told_by_sms(w, django_capture_on_commit_callbacks):
    intake = w.intake(
        channel=Channel.COUNTER, applicant=services.Applicant("Lê Văn B", "056090111111", "Cam Lâm", phone="0912345678")
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_register(actor=w.counter, intake=intake)
    assert list(Notification.objects.values_list("channel", "address", "recipient")) == [("sms", "0912345678", None)]


def test_notices_go_in_the_citizen_s_language(w, django_capture_on_commit_callbacks):
    w.citizen.preferred_language = "en"
    w.citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        walk_to(w, S.SUBMITTED, now=at(2025, 11, 4))
    assert set(Notification.objects.values_list("language", flat=True)) == {"en"}
