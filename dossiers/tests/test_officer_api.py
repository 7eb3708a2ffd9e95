"""The officer API: queues and actions on a dossier, for verified officers of its agencies."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from dossiers.models import Dossier, DossierSlip
from dossiers.rules import State
from org.models import Membership, Role
from org.tests.factories import admin_login

from .factories import World, submitted, walk_to, world

pytestmark = pytest.mark.django_db


def officer_client(user: Any, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    admin_login(client, user)
    return client


def act(client: Client, ref: Any, action: str, key: str | None = None, **body: Any) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(
        f"/api/v1/officer/dossiers/{ref}/{action}", body, content_type="application/json", headers=headers
    )


def test_a_queue_page_with_remaining_time_and_filters(w: World) -> None:
    made = [walk_to(w, State.RECEIVED) for _ in range(3)]
    walk_to(w, State.SUBMITTED)
    client = officer_client(w.counter)
    response = client.get("/api/v1/officer/queues/to_receive", {"limit": 2})
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    body = response.json()
    assert (body["total"], body["limit"], body["offset"], len(body["items"])) == (4, 2, 0, 2)
    first = body["items"][0]
    assert first["code"] == made[0].code and first["due_date"] == "2025-11-06"
    assert first["overdue"] is True and first["remaining_working_days"] < 0
    assert first["procedure"]["code"] == w.version.procedure.code
    by_state = client.get("/api/v1/officer/queues/to_receive", {"state": "submitted"}).json()
    assert by_state["total"] == 1 and by_state["items"][0]["code"] == f"{w.unit.code}-251103-0004"
    assert client.get("/api/v1/officer/queues/to_receive", {"q": str(made[1].code)}).json()["total"] == 1
    unknown = client.get("/api/v1/officer/queues/tat-ca")
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_queue"


def test_officers_without_the_second_step_and_citizens_are_refused(w: World) -> None:
    half = Client()
    half.force_login(w.counter)
    response = half.get("/api/v1/officer/queues/to_receive")
    assert response.status_code == 403 and response.json()["code"] == "second_factor_required"
    citizen = Client()
    citizen.force_login(w.citizen)
    assert citizen.get("/api/v1/officer/queues/to_receive").status_code == 403
    assert Client().get("/api/v1/officer/queues/to_receive").status_code == 401


def test_receiving_through_the_api_by_id_then_acting_by_code(w: World, django_capture_on_commit_callbacks) -> None:
    d = submitted(w)
    client = officer_client(w.counter)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, d.pk, "receive", note="Đủ giấy tờ")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "received" and body["code"] and body["national_status"] == 2
    assert body["slip_url"] == f"/ho-so/{d.pk}/phieu/receipt/"
    assert DossierSlip.objects.filter(dossier=d, kind="receipt").count() == 1
    assigned = act(client, body["code"], "assign", to=w.processor.pk)
    assert assigned.status_code == 200 and assigned.json()["assignee"] == w.processor.pk
    missing = act(officer_client(w.processor), body["code"], "request_supplement", missing=["Bản sao sổ hộ khẩu"])
    assert missing.status_code == 200 and missing.json()["status"] == "supplement_requested"
    last = Dossier.objects.get(pk=d.pk).events.last()
    assert last is not None and last.details == {"missing": ["Bản sao sổ hộ khẩu"]}


def test_the_same_idempotency_key_replays_the_first_answer(w: World) -> None:
    d = submitted(w)
    client = officer_client(w.counter)
    first = act(client, d.pk, "receive", key="nhan-1")
    again = act(client, d.pk, "receive", key="nhan-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Dossier.objects.get(pk=d.pk).events.filter(action="receive").count() == 1
    other = act(client, d.pk, "assign", key="nhan-1")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"


def test_a_repeated_key_replays_even_when_the_action_could_be_taken_again(w: World) -> None:
    d = submitted(w)
    code = act(officer_client(w.counter), d.pk, "receive").json()["code"]
    act(officer_client(w.counter), code, "assign", to=w.processor.pk)
    client = officer_client(w.processor)
    # No version: forwarding again is allowed, so the repeat goes through until the key's record
    # stops it, and the whole repeat rolls back.
    first = act(client, code, "forward", key="chuyen-1", to=w.leader.pk)
    again = act(client, code, "forward", key="chuyen-1", to=w.leader.pk)
    assert first.status_code == again.status_code == 200, again.content
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Dossier.objects.get(pk=d.pk).events.filter(action="forward").count() == 1
    assert Dossier.objects.get(pk=d.pk).version == first.json()["version"]


def test_a_stale_version_is_a_409_and_bad_input_a_422_with_fields(w: World) -> None:
    d = submitted(w)
    client = officer_client(w.counter)
    stale = act(client, d.pk, "receive", version=d.version + 5)
    assert stale.status_code == 409 and stale.json()["code"] == "dossier_changed"
    assert stale.json()["detail"] == "Hồ sơ đã thay đổi, vui lòng tải lại."
    assert stale["Content-Type"] == "application/problem+json"
    empty = act(client, d.pk, "refuse_intake", reason="")
    assert empty.status_code == 422 and "reason" in empty.json()["errors"]
    not_now = act(client, d.pk, "assign")
    assert not_now.status_code == 409 and not_now.json()["code"] == "transition_not_allowed"
    assert act(client, d.pk, "bay-len").json()["code"] == "unknown_action"
    not_json = client.post(f"/api/v1/officer/dossiers/{d.pk}/receive", "[1, 2", content_type="application/json")
    assert not_json.status_code == 400 and not_json.json()["code"] == "invalid_request"
    assert Dossier.objects.get(pk=d.pk).state == State.SUBMITTED


def test_another_agency_s_dossier_is_not_found_and_the_role_is_checked(w: World) -> None:
    d = submitted(w)
    other = world()
    response = act(officer_client(other.counter), d.pk, "receive")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    forbidden = act(officer_client(w.processor), d.pk, "receive")
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "action_forbidden"
    assert Dossier.objects.get(pk=d.pk).state == State.SUBMITTED


def test_an_unknown_dossier_and_an_ended_membership_are_not_found(w: World) -> None:
    d = submitted(w)
    client = officer_client(w.counter)
    for ref in (d.pk + 1000, "99999999999999999999999", "000.00.99.H41-261130-0001"):
        response = act(client, ref, "receive")
        assert response.status_code == 404 and response.json()["code"] == "not_found", ref
    # Still an officer (of another agency), no longer of this one.
    Membership.objects.create(user=w.counter, agency=world().agency, role=Role.COUNTER_OFFICER)
    Membership.objects.filter(user=w.counter, agency=w.agency).update(
        valid_from=datetime.date(2020, 1, 1), valid_to=datetime.date(2021, 1, 1)
    )
    response = act(client, d.pk, "receive")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert Dossier.objects.get(pk=d.pk).state == State.SUBMITTED


def test_writes_are_checked_against_csrf(w: World) -> None:
    d = submitted(w)
    client = officer_client(w.counter, enforce_csrf_checks=True)
    response = act(client, d.pk, "receive")
    assert response.status_code == 403
    assert Dossier.objects.get(pk=d.pk).state == State.SUBMITTED


def test_the_queue_costs_the_same_queries_for_any_length(w: World, django_assert_num_queries) -> None:
    client = officer_client(w.counter)
    client.get("/api/v1/officer/queues/to_receive")
    for _ in range(5):
        walk_to(w, State.RECEIVED)
    # session, user, second factor, the officer's memberships (the capability and the roles); the
    # count, the page, the calendar
    with django_assert_num_queries(7):
        assert client.get("/api/v1/officer/queues/to_receive").json()["total"] == 5
    for _ in range(45):
        walk_to(w, State.RECEIVED)
    with django_assert_num_queries(7):
        assert len(client.get("/api/v1/officer/queues/to_receive").json()["items"]) == 20
