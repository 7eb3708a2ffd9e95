"""POST /api/v1/dossiers as multipart/form-data: the JSON submission in ``payload`` and one file
per required document (``document_<id>``), checked by content, stored once, attached in the
dossier's transaction; the same refusals as problem+json, and the same idempotency."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image
from reportlab.pdfgen import canvas

from accounts.models import OrganizationLink
from catalog.models import RequiredDocument
from documents.models import DossierFile, StoredFile
from dossiers.models import Dossier

from .factories import World, world

pytestmark = pytest.mark.django_db
URL = "/api/v1/dossiers"


def pdf(text: str = "Tờ khai") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def w() -> World:
    return world(documents=["Tờ khai", "Bản sao giấy khai sinh"])


@pytest.fixture
def client(w: World) -> Client:
    client = Client()
    client.force_login(w.citizen)
    return client


def documents(w: World) -> list[RequiredDocument]:
    return list(w.version.documents.filter(presented_only=False).order_by("position"))


def payload(w: World, **changes: Any) -> str:
    return json.dumps(
        {
            "procedure": w.version.procedure.code,
            "result_delivery": "online",
            "applicant": {"address": "12 Trần Phú, phường Nha Trang"},
            **changes,
        }
    )


def files(w: World, **override: Any) -> dict[str, Any]:
    first, second = documents(w)
    given = {
        f"document_{first.pk}": SimpleUploadedFile("to-khai.pdf", pdf(), "application/pdf"),
        f"document_{second.pk}": SimpleUploadedFile("khai-sinh.png", png(), "image/png"),
    }
    given.update(override)
    return {k: v for k, v in given.items() if v is not None}


def send(client: Client, data: dict[str, Any], key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(URL, data, headers=headers)  # the test client encodes multipart


def test_a_submission_with_two_attachments(client: Client, w: World) -> None:
    response = send(client, {"payload": payload(w), **files(w)})
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get(pk=response.json()["id"])
    attached = {f.required_document_id: f for f in DossierFile.objects.filter(dossier=dossier)}
    first, second = documents(w)
    assert attached[first.pk].name == "to-khai.pdf" and attached[first.pk].stored_file.content_type == "application/pdf"
    assert attached[second.pk].name == "khai-sinh.png" and attached[second.pk].stored_file.content_type == "image/png"
    assert set(dossier.documents.values_list("required_document_id", "handed_in")) == {
        (first.pk, "electronic"),
        (second.pk, "electronic"),
    }


def test_the_same_key_replays_the_first_dossier_and_attaches_nothing_more(client: Client, w: World) -> None:
    first = send(client, {"payload": payload(w), **files(w)}, key="nop-1")
    again = send(client, {"payload": payload(w), **files(w)}, key="nop-1")
    assert first.status_code == 201 and again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
    assert Dossier.objects.count() == 1 and DossierFile.objects.count() == 2


def test_a_missing_required_document_is_a_problem(client: Client, w: World) -> None:
    second = documents(w)[1]
    response = send(client, {"payload": payload(w), **files(w, **{f"document_{second.pk}": None})})
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "dossier_invalid"
    assert problem["errors"] == {f"document_{second.pk}": f"Cần tải lên giấy tờ bắt buộc “{second.name}”."}
    assert not Dossier.objects.exists()


def test_a_document_under_a_particular_case_may_be_left_out(client: Client, w: World) -> None:
    second = documents(w)[1]
    second.case = "Trường hợp đăng ký lại"
    second.required = False
    second.save()
    response = send(client, {"payload": payload(w), **files(w, **{f"document_{second.pk}": None})})
    assert response.status_code == 201


def test_a_file_of_the_wrong_type_by_content_is_refused(client: Client, w: World) -> None:
    first = documents(w)[0]
    fake = SimpleUploadedFile("to-khai.pdf", b"#!/bin/sh\necho not a pdf\n", "application/pdf")
    response = send(client, {"payload": payload(w), **files(w, **{f"document_{first.pk}": fake})})
    assert response.status_code == 415 and response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "unsupported_type"
    assert "Chỉ nhận tệp PDF, JPEG, PNG hoặc TIFF" in problem["detail"]
    assert list(problem["errors"]) == [f"document_{first.pk}"]
    assert not Dossier.objects.exists()


def test_an_oversize_file_is_refused(client: Client, w: World, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 1024
    first = documents(w)[0]
    big = SimpleUploadedFile("to-khai.pdf", pdf() + b" " * 4096, "application/pdf")
    response = send(client, {"payload": payload(w), **files(w, **{f"document_{first.pk}": big})})
    assert response.status_code == 413
    assert response.json()["code"] == "too_large" and "Tệp quá lớn" in response.json()["detail"]
    assert not Dossier.objects.exists() and not DossierFile.objects.exists()


def test_a_file_far_over_the_limit_is_refused_without_being_kept_whole(client: Client, w: World, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # received into a temporary file, as large ones are
    first = documents(w)[0]
    big = SimpleUploadedFile("to-khai.pdf", pdf() + b" " * (3 * 1024 * 1024), "application/pdf")
    response = send(client, {"payload": payload(w), **files(w, **{f"document_{first.pk}": big})})
    assert response.status_code == 413
    assert response.json()["code"] == "too_large" and "Tệp quá lớn" in response.json()["detail"]
    assert not Dossier.objects.exists() and not DossierFile.objects.exists()


def test_a_file_for_a_document_of_another_procedure_is_refused(client: Client, w: World) -> None:
    other = world()
    foreign = other.version.documents.get()
    extra = {f"document_{foreign.pk}": SimpleUploadedFile("x.pdf", pdf(), "application/pdf")}
    response = send(client, {"payload": payload(w), **files(w), **extra})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [f"document_{foreign.pk}"]
    assert not StoredFile.objects.exists()  # refused before anything was stored


def test_unknown_and_offline_procedures_are_problems(client: Client, w: World) -> None:
    unknown = send(client, {"payload": payload(w, procedure="0.000000"), **files(w)})
    assert unknown.status_code == 422 and "Không có thủ tục công khai" in unknown.json()["errors"]["procedure"]
    w.version.online_level = "none"
    w.version.save()
    offline = send(client, {"payload": payload(w), **files(w)})
    assert offline.status_code == 422
    assert offline.json()["errors"]["procedure"] == "Thủ tục này không tiếp nhận hồ sơ trực tuyến."
    assert not Dossier.objects.exists()


def test_a_multipart_request_without_payload_is_a_problem(client: Client, w: World) -> None:
    response = send(client, files(w))
    assert response.status_code == 422 and "payload" in response.json()["errors"]


def test_the_openapi_document_describes_both_forms() -> None:
    from motcua.api import api

    body = api.get_openapi_schema()["paths"]["/api/v1/dossiers"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "multipart/form-data"}
    assert "procedure" in body["application/json"]["schema"]["properties"]
    assert "$defs" not in json.dumps(body)


def test_only_an_organization_the_account_represents_may_be_named(client: Client, w: World) -> None:
    organization = {"tax_code": "4201234567", "name": "Công ty TNHH Biển Xanh"}
    refused = send(client, {"payload": payload(w, organization=organization), **files(w)})
    assert refused.status_code == 403 and refused.json()["code"] == "organization_not_linked"
    assert not Dossier.objects.exists()
    link = OrganizationLink.objects.create(user=w.citizen, tax_code="4201234567", organization_name="Biển Xanh")
    pending = send(client, {"payload": payload(w, organization=organization), **files(w)})
    assert pending.status_code == 403  # asked for, not confirmed yet
    link.confirmed_at = timezone.now()
    link.save()
    accepted = send(client, {"payload": payload(w, organization=organization), **files(w)})
    assert accepted.status_code == 201
    dossier = Dossier.objects.get()
    assert (dossier.organization_tax_code, dossier.organization_name) == ("4201234567", "Biển Xanh")


def test_a_file_for_a_document_only_shown_in_person_is_refused(client: Client, w: World) -> None:
    shown = RequiredDocument.objects.create(version=w.version, name="Thẻ căn cước", presented_only=True, position=9)
    extra = SimpleUploadedFile("cccd.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    response = send(client, {"payload": payload(w), **files(w), f"document_{shown.pk}": extra})
    assert response.status_code == 422
    message = "Giấy tờ này chỉ xuất trình khi đến cơ quan, không tải lên."
    assert response.json()["errors"] == {f"document_{shown.pk}": message}
    assert not Dossier.objects.exists()
