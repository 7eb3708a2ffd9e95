"""Reads: officers' queues scoped to their agencies with the remaining working time, a citizen's
own dossiers, and public tracking that tells nothing personal."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers import services
from dossiers.errors import ActionForbidden
from dossiers.officer_selectors import may_open, officer_dossiers
from dossiers.rules import State
from dossiers.selectors import Queue, citizen_dossiers, dossier_track, officer_queue, queue_counts
from org.models import Membership, Role
from org.tests.factories import officer, one_stop_unit

from .factories import MONDAY, World, at, submitted, walk_to, world

pytestmark = pytest.mark.django_db
D = datetime.date
S = State


def codes(page) -> list[str | None]:
    return [item.dossier.code for item in page.items]


def ids(page) -> list[int]:
    return [item.dossier.pk for item in page.items]


def test_each_role_sees_its_queue(w):
    by_state = {state: walk_to(w, state) for state in State}
    assert set(ids(officer_queue(user=w.counter, queue=Queue.TO_RECEIVE))) == {
        by_state[S.SUBMITTED].pk,
        by_state[S.RECEIVED].pk,
    }
    assert ids(officer_queue(user=w.counter, queue=Queue.TO_RETURN)) == [by_state[S.DONE].pk]
    assert ids(officer_queue(user=w.processor, queue=Queue.TO_PROCESS)) == [by_state[S.IN_PROGRESS].pk]
    waiting = {by_state[S.SUPPLEMENT_REQUESTED].pk, by_state[S.AWAITING_PAYMENT].pk}
    assert set(ids(officer_queue(user=w.counter, queue=Queue.WAITING))) == waiting
    assert set(ids(officer_queue(user=w.processor, queue=Queue.WAITING))) == waiting
    assert ids(officer_queue(user=w.leader, queue=Queue.TO_APPROVE)) == []
    services.dossier_forward(actor=w.processor, dossier=by_state[S.IN_PROGRESS], to=w.leader)
    assert ids(officer_queue(user=w.leader, queue=Queue.TO_APPROVE)) == [by_state[S.IN_PROGRESS].pk]
    assert ids(officer_queue(user=w.processor, queue=Queue.TO_PROCESS)) == []


def test_nobody_sees_another_agency_s_dossiers(w):
    for state in State:
        walk_to(w, state)
    other = world()
    for person in (other.counter, other.processor, other.leader, w.citizen):
        assert queue_counts(user=person) == dict.fromkeys(Queue.ALL, 0)
    expired = officer("cu", {w.agency: [Role.COUNTER_OFFICER]}, valid_to=D(2025, 10, 1))
    assert queue_counts(user=expired) == dict.fromkeys(Queue.ALL, 0)


def test_one_dossier_may_be_opened_by_whoever_the_officers_list_holds_it_for(w, django_user_model):
    dossiers = [walk_to(w, S.SUBMITTED), walk_to(world(), S.SUBMITTED)]
    other = world()
    people = [
        w.counter,
        w.processor,
        w.leader,
        w.citizen,
        other.counter,
        officer("cu", {w.agency: [Role.COUNTER_OFFICER]}, valid_to=D(2025, 10, 1)),
        officer("hai-noi", {w.agency: [Role.LEADER], other.agency: [Role.PROCESSING_OFFICER]}),
        django_user_model.objects.create_superuser("quantri", password="x" * 12),
    ]
    for person in people:
        for d in dossiers:
            listed = officer_dossiers(person).filter(pk=d.pk).exists()
            assert may_open(person, d) == listed, (person, d)
    assert may_open(w.counter, dossiers[0]) and not may_open(w.counter, dossiers[1])


def test_queues_follow_the_rule_for_acting(w, django_user_model):
    """A counter officer bound to another one-stop unit neither sees nor may receive; a superuser
    sees every queue but decides nothing."""
    d = walk_to(w, S.SUBMITTED)
    elsewhere = officer("tiepnhan.xa", {w.agency: [Role.COUNTER_OFFICER]})
    Membership.objects.filter(user=elsewhere).update(one_stop_unit=one_stop_unit("Một cửa khác", [w.agency]))
    assert officer_queue(user=elsewhere, queue=Queue.TO_RECEIVE).total == 0
    with pytest.raises(ActionForbidden):
        services.dossier_receive(actor=elsewhere, dossier=d)
    superuser = django_user_model.objects.create_superuser("quantri", "qt@example.vn", "mat-khau-dai-2026")
    assert ids(officer_queue(user=superuser, queue=Queue.TO_RECEIVE)) == [d.pk]
    with pytest.raises(ActionForbidden):
        services.dossier_receive(actor=superuser, dossier=d)


def test_a_processor_sees_unassigned_work_and_their_own_not_a_colleague_s(w):
    colleague = officer("dongnghiep", {w.agency: [Role.PROCESSING_OFFICER]})
    mine = walk_to(w, S.IN_PROGRESS)
    theirs = services.dossier_assign(actor=w.counter, dossier=walk_to(w, S.RECEIVED), to=colleague)
    unassigned = services.dossier_assign(actor=w.counter, dossier=walk_to(w, S.RECEIVED))
    assert set(ids(officer_queue(user=w.processor, queue=Queue.TO_PROCESS))) == {mine.pk, unassigned.pk}
    assert set(ids(officer_queue(user=colleague, queue=Queue.TO_PROCESS))) == {theirs.pk, unassigned.pk}


def received(w: World, day: int, hour: int = 9) -> object:
    d = submitted(w, now=at(2025, 11, day, hour))
    return services.dossier_receive(actor=w.counter, dossier=d, now=at(2025, 11, day, hour))


def test_the_least_time_left_first_with_due_soon_and_overdue_flagged(w):
    late = received(w, 3)  # due Thursday 6
    soon = received(w, 7)  # due Wednesday 12
    later = received(w, 10)  # due Thursday 13
    page = officer_queue(user=w.counter, queue=Queue.TO_RECEIVE, today=D(2025, 11, 11))
    assert ids(page) == [late.pk, soon.pk, later.pk]
    assert [(i.remaining_days, i.overdue, i.due_soon) for i in page.items] == [
        (-3, True, False),
        (1, False, True),
        (2, False, False),
    ]


def test_while_waiting_for_the_citizen_the_time_left_stands_still(w):
    d = walk_to(w, S.IN_PROGRESS)  # received Monday 3, due Thursday 6
    services.dossier_request_supplement(actor=w.processor, dossier=d, missing=["A"], now=at(2025, 11, 4))
    (item,) = officer_queue(user=w.processor, queue=Queue.WAITING, today=D(2025, 11, 20)).items
    assert item.waiting_since == D(2025, 11, 4)
    assert item.remaining_days == 3 and not item.overdue


def test_queues_page(w):
    made = [received(w, 3) for _ in range(5)]
    first = officer_queue(user=w.counter, queue=Queue.TO_RECEIVE, limit=2)
    rest = officer_queue(user=w.counter, queue=Queue.TO_RECEIVE, limit=2, offset=2)
    beyond = officer_queue(user=w.counter, queue=Queue.TO_RECEIVE, limit=2, offset=10)
    assert first.total == rest.total == beyond.total == 5
    assert ids(first) + ids(rest) == [d.pk for d in made][:4] and beyond.items == []


def test_dashboard_counts(w):
    for state in State:
        walk_to(w, state)
    assert queue_counts(user=w.counter) == {
        Queue.TO_RECEIVE: 2,
        Queue.TO_PROCESS: 0,
        Queue.TO_APPROVE: 0,
        Queue.TO_RETURN: 1,
        Queue.WAITING: 2,
    }


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def fill_queues(w: World, leader: object, rounds: int) -> None:
    """``rounds`` dossiers in each queue of ``w``'s counter, processor and ``leader``."""
    for _ in range(rounds):
        for state in (S.RECEIVED, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED, S.DONE):
            walk_to(w, state)
        services.dossier_forward(actor=w.processor, dossier=walk_to(w, S.IN_PROGRESS), to=leader)


@pytest.mark.parametrize("queue", Queue.ALL)
def test_a_queue_page_costs_the_same_few_queries_for_any_length(w, queue, django_assert_num_queries):
    leader = officer("lanhdao2", {w.agency: [Role.LEADER]})
    user = {Queue.TO_APPROVE: leader, Queue.TO_PROCESS: w.processor}.get(queue, w.counter)
    fill_queues(w, leader, 2)
    # As in a request, the officer as just signed in: the officer's memberships, the count, the page
    # (the open clock stop as a subquery) and the working-day calendar
    fresh = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(4):
        small = officer_queue(user=fresh, queue=queue)
    fill_queues(w, leader, 8)
    again = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(4):
        large = officer_queue(user=again, queue=queue)
        # What a list row shows comes with the page.
        for item in large.items:
            d = item.dossier
            assert d.procedure_version.procedure.code and d.procedure_version.name
            assert d.receiving_unit.code and d.processing_agency.name and (d.assignee is None or d.assignee.pk)
    assert large.total == 5 * small.total > 0
    assert len(large.items) == min(large.total, 20)


def test_a_citizen_sees_only_their_own_dossiers(w):
    mine = [walk_to(w, S.SUBMITTED), walk_to(w, S.DRAFT)]
    other = world()
    walk_to(other, S.SUBMITTED)
    page = citizen_dossiers(user=w.citizen)
    assert page.total == 2 and set(ids(page)) == {d.pk for d in mine}
    assert citizen_dossiers(user=w.counter).total == 0


# --- Tracking ---------------------------------------------------------------------------------


@pytest.fixture
def tracked(w):
    d = walk_to(w, S.SUPPLEMENT_REQUESTED)
    return services.dossier_supplement(actor=w.citizen, dossier=d, now=at(2025, 11, 4))


def test_tracking_with_the_code_and_the_last_digits_of_the_id_or_phone(w, tracked):
    for check in (w.citizen.personal_id[-4:], w.citizen.phone[-4:]):
        view = dossier_track(code=tracked.code, check=check)
        assert view is not None
        assert (view.code, view.procedure, view.status, view.national_status) == (
            tracked.code,
            w.version.name,
            S.IN_PROGRESS,
            4,
        )
        # Due Thursday 6; the clock stood still Monday 3 and Tuesday 4.
        assert (view.received_at, view.due_date, view.finished_at) == (MONDAY, D(2025, 11, 10), None)
        assert [state for state, _at in view.history] == [
            S.SUBMITTED,
            S.RECEIVED,
            S.IN_PROGRESS,
            S.SUPPLEMENT_REQUESTED,
            S.IN_PROGRESS,
        ]


@pytest.mark.parametrize("check", ["", "123", "12345", "abcd", "\x00\x00\x00\x00", "0000"])
def test_a_wrong_check_value_finds_nothing(tracked, check):
    assert dossier_track(code=tracked.code, check=check) is None


def test_an_unknown_code_and_a_wrong_check_cost_the_same(w, tracked):
    right = w.citizen.personal_id[-4:]
    assert dossier_track(code="000.00.99.H41-251103-0001", check=right) is None
    unknown = count_queries(lambda: dossier_track(code="000.00.99.H41-251103-0001", check=right))
    wrong = count_queries(lambda: dossier_track(code=tracked.code, check="0000"))
    found = count_queries(lambda: dossier_track(code=tracked.code, check=right))
    assert unknown == wrong == found == 2


def test_a_counter_dossier_without_phone_tracks_by_id_only(w):
    from dossiers.rules import Channel

    intake = w.intake(channel=Channel.COUNTER, applicant=services.Applicant("Lê Văn B", "056090123456", "Cam Lâm"))
    d = services.dossier_receive(actor=w.counter, dossier=services.dossier_register(actor=w.counter, intake=intake))
    assert dossier_track(code=d.code, check="3456") is not None
    assert dossier_track(code=d.code, check="\x00\x00\x00\x00") is None
