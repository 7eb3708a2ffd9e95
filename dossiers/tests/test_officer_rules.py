"""Pure rules of the officers' side: processing steps inside the agency and which actions an
officer may take now; and the slips issued once, from the history as it stood."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from dossiers import services
from dossiers.models import DossierSlip
from dossiers.routing import Step, officer_actions, proposed_step, step_position, steps_or_default
from dossiers.rules import LEADER, PROCESSOR, Action, State
from dossiers.slips.store import slip_content, slip_store
from org.models import Role
from org.tests.factories import admin_login, officer

from .factories import World, at, walk_to

A = Action
THREE = (Step(1, "Chuyên viên", PROCESSOR), Step(2, "Trưởng phòng", LEADER), Step(3, "Lãnh đạo cơ quan", LEADER))


def test_without_configured_steps_an_officer_then_a_leader():
    assert [step.role for step in steps_or_default([])] == [PROCESSOR, LEADER]
    assert steps_or_default(list(reversed(THREE))) == THREE


def test_forwarding_moves_on_a_step_returning_moves_back():
    assert step_position([A.ASSIGN], THREE) == 0
    assert step_position([A.ASSIGN, A.FORWARD], THREE) == 1
    assert step_position([A.ASSIGN, A.FORWARD, A.FORWARD, A.RETURN_STEP], THREE) == 1
    assert step_position([A.ASSIGN, A.FORWARD, A.FORWARD, A.FORWARD, A.FORWARD], THREE) == 2
    assert step_position([A.ASSIGN, A.FORWARD, A.ASSIGN], THREE) == 0


@given(st.lists(st.sampled_from([A.ASSIGN, A.FORWARD, A.RETURN_STEP])), st.integers(1, 5))
def test_the_position_is_always_a_step_of_the_procedure(hand_overs, count):
    steps = tuple(Step(n, f"Bước {n}", PROCESSOR) for n in range(1, count + 1))
    assert 0 <= step_position(hand_overs, steps) < count


def test_a_hand_over_proposes_the_next_step_s_people():
    assert proposed_step(A.ASSIGN, 2, THREE) == THREE[0]
    assert proposed_step(A.FORWARD, 0, THREE) == THREE[1]
    assert proposed_step(A.FORWARD, 2, THREE) == THREE[2]


def actions(**changes):
    facts = {
        "state": State.IN_PROGRESS,
        "roles": {PROCESSOR},
        "result_ready": False,
        "extended": False,
        "has_due_date": True,
        "has_previous_step": False,
        **changes,
    }
    return officer_actions(**facts)


def test_what_an_officer_may_do_follows_the_table_and_the_dossier():
    assert actions() == [A.REQUEST_SUPPLEMENT, A.FORWARD, A.REQUEST_PAYMENT, A.EXTEND]
    assert A.RETURN_STEP in actions(has_previous_step=True)
    assert A.EXTEND not in actions(extended=True) and A.EXTEND not in actions(has_due_date=False)
    assert actions(state=State.DONE, roles={"counter_officer"}) == [A.RESULT_READY, A.RETURN_RESULT]
    assert actions(state=State.DONE, roles={"counter_officer"}, result_ready=True) == [A.RETURN_RESULT]
    assert A.SUBMIT not in actions(state=State.DRAFT, roles={"counter_officer"})
    assert actions(roles=set()) == []


@pytest.mark.django_db
def test_a_slip_is_stored_once_from_the_history_as_it_stood(w: World):
    d = walk_to(w, State.IN_PROGRESS)
    asked = services.dossier_request_supplement(actor=w.processor, dossier=d, missing=["Tờ khai"], now=at(2025, 11, 4))
    first_event = asked.events.get(action=A.REQUEST_SUPPLEMENT)
    first = slip_store(event=first_event)
    assert slip_store(event=first_event) == first and DossierSlip.objects.count() == 1
    content = slip_content(first)
    assert hashlib.sha256(content).hexdigest() == first.sha256 and content.startswith(b"%PDF")
    # A second request later issues its own slip; the first one stays as it was.
    back = services.dossier_supplement(actor=w.citizen, dossier=asked, now=at(2025, 11, 5))
    again = services.dossier_request_supplement(
        actor=w.processor, dossier=back, missing=["Giấy khai sinh"], now=at(2025, 11, 6)
    )
    second = slip_store(event=again.events.filter(action=A.REQUEST_SUPPLEMENT).order_by("at", "id").reverse()[0])
    assert second.pk != first.pk and slip_content(first) == content
    assert list(DossierSlip.objects.filter(dossier=d).values_list("kind", flat=True)) == ["supplement", "supplement"]


@pytest.mark.django_db
def test_procedure_controllers_keep_the_processing_steps_in_the_admin(w: World):
    controller = officer("kiemsoat", {w.agency: [Role.PROCEDURE_CONTROLLER]}, is_staff=True)
    client = Client()
    admin_login(client, controller)
    url = "/admin/dossiers/processingstep/add/"
    response = client.post(
        url, {"procedure": w.version.procedure.pk, "order": 1, "name": "Chuyên viên thẩm định", "role": PROCESSOR}
    )
    assert response.status_code == 302
    assert [(s.order, s.role) for s in w.version.procedure.processing_steps.all()] == [(1, PROCESSOR)]
    counter = Client()
    admin_login(counter, officer("quay", {w.agency: [Role.COUNTER_OFFICER]}, is_staff=True))
    assert counter.get(url).status_code == 403
