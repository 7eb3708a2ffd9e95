"""The lifecycle as data: the transition table, national status codes, dossier codes, the
extension rule, on-time classification and procedure form validation. No database."""

from __future__ import annotations

import datetime
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dossiers.rules import (
    APPLICANT,
    NATIONAL_STATUS,
    OPEN_STATES,
    PAYMENT_PLATFORM,
    SYSTEM_ROLES,
    TRANSITIONS,
    Action,
    Clock,
    State,
    allowed_actions,
    applicant_problems,
    can,
    dossier_code,
    dossier_timeliness,
    extension_problem,
    gives_code,
    last_day_to_extend,
    next_state,
    parse_dossier_code,
)
from org.models import Role
from workdays.calendar import WorkCalendar
from workdays.rules import Timeliness

D = datetime.date
S = State
COUNTER, PROCESSOR, LEADER = Role.COUNTER_OFFICER, Role.PROCESSING_OFFICER, Role.LEADER
ACTORS = [APPLICANT, *Role.values, *SYSTEM_ROLES]
calendar = WorkCalendar()

# The specification, written out independently of the table: action → (from, to, who).
SPEC: dict[Action, tuple[set[State], State | None, set[str]]] = {
    Action.SUBMIT: ({S.DRAFT}, S.SUBMITTED, {APPLICANT, COUNTER}),
    Action.RECEIVE: ({S.SUBMITTED}, S.RECEIVED, {COUNTER}),
    Action.REFUSE_INTAKE: ({S.SUBMITTED}, S.NOT_RECEIVED, {COUNTER}),
    Action.REQUEST_SUPPLEMENT: ({S.SUBMITTED, S.IN_PROGRESS}, S.SUPPLEMENT_REQUESTED, {COUNTER, PROCESSOR}),
    Action.SUPPLEMENT: ({S.SUPPLEMENT_REQUESTED}, None, {APPLICANT, COUNTER}),
    Action.ASSIGN: ({S.RECEIVED}, S.IN_PROGRESS, {COUNTER}),
    Action.FORWARD: ({S.IN_PROGRESS}, S.IN_PROGRESS, {PROCESSOR, LEADER}),
    Action.RETURN_STEP: ({S.IN_PROGRESS}, S.IN_PROGRESS, {PROCESSOR, LEADER}),
    Action.REQUEST_PAYMENT: ({S.IN_PROGRESS}, S.AWAITING_PAYMENT, {PROCESSOR, COUNTER}),
    Action.MARK_PAID: ({S.AWAITING_PAYMENT}, S.IN_PROGRESS, {COUNTER, PROCESSOR, PAYMENT_PLATFORM}),
    Action.WITHDRAW: (set(OPEN_STATES), S.WITHDRAWN, {APPLICANT, COUNTER}),
    Action.STOP: ({S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT}, S.STOPPED, {LEADER}),
    Action.APPROVE: ({S.IN_PROGRESS}, S.DONE, {LEADER}),
    Action.REFUSE: ({S.IN_PROGRESS}, S.DONE, {LEADER}),
    Action.EXTEND: ({S.RECEIVED, S.IN_PROGRESS}, None, {PROCESSOR, LEADER}),
    Action.RESULT_READY: ({S.DONE}, S.DONE, {PROCESSOR, LEADER, COUNTER}),
    Action.RETURN_RESULT: ({S.DONE}, S.RETURNED, {COUNTER, PROCESSOR}),
}


def test_the_table_has_every_action_and_only_known_states():
    assert set(TRANSITIONS) == set(Action) == set(SPEC)


@pytest.mark.parametrize("action", list(Action))
def test_who_may_do_what_from_where(action):
    sources, _target, actors = SPEC[action]
    allowed = {(state, actor) for state, actor in itertools.product(State, ACTORS) if can(action, state, actor)}
    assert allowed == set(itertools.product(sources, actors))


def test_the_payment_platform_may_only_confirm_a_payment():
    assert allowed_actions(S.AWAITING_PAYMENT, [PAYMENT_PLATFORM]) == [Action.MARK_PAID]
    assert all(allowed_actions(state, [PAYMENT_PLATFORM]) == [] for state in State if state != S.AWAITING_PAYMENT)
    # A system role is nobody's role: no officer can hold it.
    assert not set(SYSTEM_ROLES) & set(Role.values)
    assert str(SYSTEM_ROLES[PAYMENT_PLATFORM]) == "Nền tảng thanh toán"


@pytest.mark.parametrize("action", list(Action))
def test_where_each_action_leads(action):
    sources, target, _actors = SPEC[action]
    for state in sources:
        if action == Action.SUPPLEMENT:
            assert next_state(action, state, received=True) == S.IN_PROGRESS
            assert next_state(action, state, received=False) == S.SUBMITTED
        elif target is None:
            assert next_state(action, state, received=True) == state
        else:
            assert next_state(action, state, received=True) == target


def test_national_status_codes_are_those_of_the_portal():
    assert {s: NATIONAL_STATUS[s] for s in State} == {
        S.DRAFT: None,
        S.SUBMITTED: 1,
        S.RECEIVED: 2,
        S.NOT_RECEIVED: 3,
        S.IN_PROGRESS: 4,
        S.SUPPLEMENT_REQUESTED: 5,
        S.AWAITING_PAYMENT: 6,
        S.WITHDRAWN: 7,
        S.STOPPED: 8,
        S.DONE: 9,
        S.RETURNED: 10,
    }


def test_final_states_allow_nothing_and_every_other_state_allows_something():
    for state in State:
        actions = allowed_actions(state, ACTORS)
        assert (actions == []) == (state in {S.NOT_RECEIVED, S.WITHDRAWN, S.STOPPED, S.RETURNED})


def test_waiting_for_the_citizen_stops_the_clock_and_the_answer_restarts_it():
    assert TRANSITIONS[Action.RECEIVE].clock is Clock.START
    assert TRANSITIONS[Action.REQUEST_SUPPLEMENT].clock is Clock.STOP_SUPPLEMENT
    assert TRANSITIONS[Action.REQUEST_PAYMENT].clock is Clock.STOP_PAYMENT
    assert TRANSITIONS[Action.SUPPLEMENT].clock is Clock.RESUME
    assert TRANSITIONS[Action.MARK_PAID].clock is Clock.RESUME
    for action in (Action.APPROVE, Action.REFUSE, Action.STOP, Action.WITHDRAW):
        assert TRANSITIONS[action].clock is Clock.FINISH


def test_internal_hand_overs_do_not_notify_the_citizen():
    quiet = {a for a, t in TRANSITIONS.items() if not t.notifies}
    assert quiet == {Action.ASSIGN, Action.FORWARD, Action.RETURN_STEP}


# --- Codes ------------------------------------------------------------------------------------


def test_code_is_agency_code_date_and_four_digit_number():
    assert dossier_code("000.00.31.H41", D(2025, 11, 3), 7) == "000.00.31.H41-251103-0007"
    assert dossier_code("000.00.31.H41", D(2025, 11, 3), 12345) == "000.00.31.H41-251103-12345"


@pytest.mark.parametrize(("agency", "number"), [("", 1), (" X", 1), ("X", 0), ("X", -3)])
def test_code_refuses_an_empty_agency_or_a_number_below_one(agency, number):
    with pytest.raises(ValueError):
        dossier_code(agency, D(2025, 1, 1), number)


@given(
    st.from_regex(r"[0-9A-Z][0-9A-Z.\-]{0,30}[0-9A-Z]", fullmatch=True),
    st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31)),
    st.integers(1, 99_999),
)
def test_codes_parse_back_and_sort_by_number_within_a_day(agency, day, number):
    code = dossier_code(agency, day, number)
    assert parse_dossier_code(code) == (agency, day, number)
    if number < 9999:
        assert code < dossier_code(agency, day, number + 1)


@pytest.mark.parametrize("code", ["", "abc", "X-251340-0001", "X-251103-001", "X-251103-0001-"])
def test_garbage_is_not_a_code(code):
    assert parse_dossier_code(code) is None


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("has_code", [False, True])
def test_submission_gives_the_code_and_nothing_else_gives_a_second(action, has_code):
    expected = action == Action.SUBMIT or (action == Action.RECEIVE and not has_code)
    assert gives_code(action, has_code=has_code) is expected


def test_a_dossier_refused_at_intake_was_given_its_code_on_the_way():
    # Every path to "not received" passes through a submission, which gives the code.
    assert TRANSITIONS[Action.REFUSE_INTAKE].sources == {S.SUBMITTED}
    assert TRANSITIONS[Action.SUBMIT].target == S.SUBMITTED and gives_code(Action.SUBMIT, has_code=False)


# --- Extension --------------------------------------------------------------------------------


def test_extension_once_at_least_one_working_day_before_the_due_date():
    due = D(2025, 11, 7)  # a Friday
    ok = {"already_extended": False, "due": due, "new_due": D(2025, 11, 12), "calendar": calendar}
    assert extension_problem(today=D(2025, 11, 6), **ok) is None
    assert extension_problem(today=D(2025, 11, 7), **ok) is not None  # on the due date: too late
    assert extension_problem(today=D(2025, 11, 10), **ok) is not None  # overdue
    assert extension_problem(today=D(2025, 11, 3), **(ok | {"already_extended": True})) is not None
    assert extension_problem(today=D(2025, 11, 3), **(ok | {"new_due": due})) is not None
    assert extension_problem(today=D(2025, 11, 3), **(ok | {"new_due": D(2025, 11, 8)})) is not None  # Saturday
    assert extension_problem(today=D(2025, 11, 3), **(ok | {"due": None})) is not None


def test_a_monday_due_date_can_be_moved_on_friday_not_over_the_weekend():
    due = D(2025, 11, 10)
    assert last_day_to_extend(due, calendar) == D(2025, 11, 7)
    base = {"already_extended": False, "due": due, "new_due": D(2025, 11, 12), "calendar": calendar}
    assert extension_problem(today=D(2025, 11, 7), **base) is None
    assert extension_problem(today=D(2025, 11, 8), **base) is not None


@given(
    st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 12, 31)),
    st.integers(-10, 30),
    st.integers(1, 30),
)
def test_extension_is_allowed_exactly_until_the_working_day_before_the_due_date(today, ahead, later):
    due = calendar.add_working_days(today, ahead) if ahead >= 0 else today - datetime.timedelta(days=-ahead)
    new_due = calendar.add_working_days(due, later)
    problem = extension_problem(already_extended=False, due=due, new_due=new_due, today=today, calendar=calendar)
    if calendar.is_working_day(today):
        assert (problem is None) == (calendar.working_days_between(today, due) >= 1)
    if problem is None:
        assert today < due and calendar.working_days_between(today, due) >= 1


# --- On time ----------------------------------------------------------------------------------


def test_statistics_judge_against_the_original_due_date_and_count_supplements():
    kept = {"finished_on": D(2025, 11, 7), "original_due_on": D(2025, 11, 7)}
    assert dossier_timeliness(**kept, supplement_requests=0) is Timeliness.ON_TIME
    assert dossier_timeliness(**kept, supplement_requests=1) is Timeliness.ON_TIME
    assert dossier_timeliness(**kept, supplement_requests=2) is Timeliness.LATE
    late = {"finished_on": D(2025, 11, 10), "original_due_on": D(2025, 11, 7)}
    assert dossier_timeliness(**late, supplement_requests=0) is Timeliness.LATE


# --- Applicant --------------------------------------------------------------------------------


def test_applicant_details():
    good = {"name": "Nguyễn Văn A", "personal_id": "056090000001", "phone": "0905 123 456", "address": "Nha Trang"}
    assert applicant_problems(**good) == {}
    assert applicant_problems(**good, tax_code="0312345678-001", email="a@b.vn") == {}
    assert set(applicant_problems(name=" ", personal_id="12345", phone="12", address="")) == {
        "name",
        "personal_id",
        "phone",
        "address",
    }
    assert set(applicant_problems(**good, tax_code="12", email="nope")) == {"tax_code", "email"}
