"""The dossier API: online submission (idempotent) and public tracking."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from catalog.testing import published_form
from dossiers.models import Dossier
from dossiers.rules import State
from dossiers.services import dossier_receive

from .factories import World, walk_to

pytestmark = pytest.mark.django_db
URL = "/api/v1/dossiers"


def body(w: World, **changes) -> dict:
    return {
        "procedure": w.version.procedure.code,
        "result_delivery": "online",
        "applicant": {"address": "12 Trần Phú, phường Nha Trang"},
        "documents": [{"required_document": w.version.documents.get().pk}],
        **changes,
    }


def post(client: Client, data: dict, key: str | None = None, **extra):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(URL, data, content_type="application/json", headers=headers, **extra)


@pytest.fixture
def signed_in(client, w):
    client.force_login(w.citizen)
    return client


def test_a_citizen_submits_online(signed_in, w):
    response = post(signed_in, body(w))
    assert response.status_code == 201
    answer = response.json()
    assert answer | {"id": 0, "submitted_at": ""} == {
        "id": 0,
        "code": f"{w.unit.code}-{timezone.localdate():%y%m%d}-0001",  # given at submission
        "procedure": {"code": w.version.procedure.code, "name": w.version.name},
        "status": "submitted",
        "status_label": "Mới đăng ký",
        "national_status": 1,
        "channel": "online",
        "result_delivery": "online",
        "processing_agency": w.agency.code,
        "receiving_unit": w.unit.code,
        "submitted_at": "",
        "received_at": None,
        "due_date": None,
    }
    d = Dossier.objects.get(pk=answer["id"])
    assert (d.applicant, d.applicant_personal_id, d.applicant_phone, d.applicant_email) == (
        w.citizen,
        w.citizen.personal_id,
        w.citizen.phone,
        w.citizen.email,
    )
    assert d.documents.get().handed_in == "electronic"
    assert answer["submitted_at"].endswith("+07:00")


def test_the_same_idempotency_key_replays_the_first_answer(signed_in, w):
    first = post(signed_in, body(w), key="3f0e6c1a-retry")
    again = post(signed_in, body(w), key="3f0e6c1a-retry")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Dossier.objects.count() == 1
    reused = post(signed_in, body(w, result_delivery="counter"), key="3f0e6c1a-retry")
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"
    assert post(signed_in, body(w), key="x" * 101).status_code == 400


def test_signing_in_is_required(client, w):
    response = post(client, body(w))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_the_session_is_checked_against_csrf(w):
    client = Client(enforce_csrf_checks=True)
    client.force_login(w.citizen)
    response = post(client, body(w))
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"
    assert not Dossier.objects.exists()


def test_an_account_without_electronic_identity_cannot_submit(signed_in, w):
    w.citizen.personal_id = None
    w.citizen.save()
    response = post(signed_in, body(w))
    assert (response.status_code, response.json()["code"]) == (403, "identity_required")


def test_bad_input_is_explained_field_by_field(signed_in, w):
    published_form(w.version.procedure, {"noi_sinh": {"type": "string", "title": "Nơi sinh"}}, ["noi_sinh"])
    response = post(
        signed_in, body(w, result_delivery="drone", applicant={"address": ""}, documents=[{"required_document": 0}])
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "dossier_invalid"
    assert set(problem["errors"]) == {"result_delivery", "applicant.address", "form.noi_sinh", "documents.0"}
    assert not Dossier.objects.exists()


def test_an_unknown_procedure_or_agency(signed_in, w):
    unknown = post(signed_in, body(w, procedure="9.999999"))
    assert (unknown.status_code, set(unknown.json()["errors"])) == (422, {"procedure"})
    elsewhere = post(signed_in, body(w, agency="000.99.99.H41"))
    assert (elsewhere.status_code, set(elsewhere.json()["errors"])) == (422, {"agency"})


def test_a_malformed_body_is_a_problem(signed_in):
    response = signed_in.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"


# --- Tracking ---------------------------------------------------------------------------------

PERSONAL = ("personal_id", "phone", "address", "applicant", "name", "email")


def test_public_tracking_shows_status_and_dates_only(client, w):
    d = dossier_receive(actor=w.counter, dossier=walk_to(w, State.SUBMITTED))
    response = client.get(f"{URL}/{d.code}/status", {"check": w.citizen.personal_id[-4:]})
    assert response.status_code == 200
    answer = response.json()
    assert set(answer) == {
        "code",
        "procedure",
        "status",
        "status_label",
        "national_status",
        "received_at",
        "due_date",
        "finished_at",
        "history",
    }
    assert (answer["code"], answer["status"], answer["national_status"]) == (d.code, "received", 2)
    assert [step["status"] for step in answer["history"]] == ["submitted", "received"]
    text = response.content.decode()
    for value in (w.citizen.personal_id, w.citizen.phone, w.citizen.full_name, d.applicant_address, w.citizen.email):
        assert value not in text


def test_an_unknown_code_and_a_wrong_check_get_the_same_404(client, w):
    d = dossier_receive(actor=w.counter, dossier=walk_to(w, State.SUBMITTED))
    wrong = client.get(f"{URL}/{d.code}/status", {"check": "0000"})
    unknown = client.get(f"{URL}/000.00.00.X-250101-0001/status", {"check": w.citizen.personal_id[-4:]})
    missing = client.get(f"{URL}/{d.code}/status")
    for response in (wrong, unknown, missing):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
    assert {k: v for k, v in wrong.json().items() if k != "instance"} == {
        k: v for k, v in unknown.json().items() if k != "instance"
    }


def test_the_api_is_documented(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/dossiers"]
    assert "get" in paths["/api/v1/dossiers/{code}/status"]


def test_the_form_is_checked_against_the_declaration_form_in_force_every_problem_at_once(signed_in, w):
    import copy
    import json
    from pathlib import Path

    from catalog.services import declaration_form_load

    birth = json.loads((Path(__file__).resolve().parents[2] / "catalog/declaration_forms/1.001193.json").read_text())
    form, _done = declaration_form_load(birth | {"procedure_code": w.version.procedure.code})
    data = copy.deepcopy(birth["examples"][0])
    data["child"]["birth_date"] = "01/01/2999"
    data["father"]["personal_id"] = "0480930004"
    del data["mother"]["full_name"]
    response = post(signed_in, body(w, form=data))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors == {
        "form.child.birth_date": "Ngày, tháng, năm sinh (người được khai sinh): không được sau ngày hôm nay.",
        "form.mother.full_name": "Họ, chữ đệm và tên người mẹ: không được để trống.",
        "form.father.personal_id": "Số định danh cá nhân (người cha): phải gồm đúng 12 chữ số.",
    }
    data = copy.deepcopy(birth["examples"][0]) | {"copies": 1}
    data["child"]["birth_date"] = "07/11/2024"  # typed the Vietnamese way, stored ISO
    created = post(signed_in, body(w, form=data))
    assert created.status_code == 201, created.json()
    dossier = Dossier.objects.get()
    assert dossier.declaration_form == form and dossier.form_data["child"]["birth_date"] == "2024-11-07"
