"""The documents API: the citizen's store, a dossier's files, scans from scanning stations."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from documents import services
from documents.models import DocumentType, DossierFile, Source
from dossiers.rules import State
from dossiers.tests.factories import World, walk_to
from org.models import Role
from org.tests.factories import agency, citizen, officer

from . import samples

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _item(owner, number: str):
    stored = services.file_store(data=samples.pdf(text=number), name="x.pdf", actor=None)
    return services.store_item_add(
        owner=owner,
        stored_file=stored,
        kind=DocumentType.objects.get(code="giay-khai-sinh"),
        number=number,
        issued_on=datetime.date(2019, 1, 2),
        valid_until=datetime.date(2030, 1, 2),
        source=Source.DIGITIZED,
    )


def test_the_store_lists_the_citizens_items_with_pagination(w: World) -> None:
    for n in range(3):
        _item(w.citizen, f"{n}/2019")
    _item(citizen("khac"), "khac/2019")
    response = signed_in(w.citizen).get("/api/v1/documents/store", {"limit": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and len(body["results"]) == 2
    first = body["results"][0]
    assert first["type"] == {"code": "giay-khai-sinh", "name": "Giấy khai sinh"}
    assert first["issued_on"] == "2019-01-02" and first["valid_until"] == "2030-01-02"
    assert first["content_type"] == "application/pdf" and first["download"].startswith("/kho-du-lieu/")
    assert "khac/2019" not in response.content.decode()


def test_an_unbounded_page_is_refused(w: World) -> None:
    response = signed_in(w.citizen).get("/api/v1/documents/store", {"limit": 1000})
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"


def test_removing_an_item_twice_is_harmless_and_anothers_is_not_found(w: World) -> None:
    mine, theirs = _item(w.citizen, "1/2019"), _item(citizen("khac2"), "2/2019")
    client = signed_in(w.citizen)
    assert client.delete(f"/api/v1/documents/store/{mine.pk}").status_code == 204
    assert client.get(f"/api/v1/documents/store/{mine.pk}").status_code == 404
    assert client.delete(f"/api/v1/documents/store/{theirs.pk}").status_code == 404
    theirs.refresh_from_db()
    assert theirs.removed_at is None


def test_anonymous_callers_get_401_problem(w: World) -> None:
    response = Client().get("/api/v1/documents/store")
    assert response.status_code == 401 and response.json()["code"] == "authentication_required"


def _scan_upload(client: Client, dossier_id: int, slot_id: int, *files: SimpleUploadedFile):
    return client.post(
        f"/api/v1/documents/dossiers/{dossier_id}/scans",
        {"required_document": slot_id, "files": list(files)},
        headers={"Idempotency-Key": "scan-1"},
    )


def test_a_scanning_station_uploads_pages_and_a_retry_answers_the_same_file(w: World) -> None:
    dossier = walk_to(w, State.RECEIVED)
    slot = w.version.documents.get()
    client = signed_in(w.counter)
    first_page, second_page = samples.jpeg(), samples.png()

    def pages() -> list[SimpleUploadedFile]:
        return [
            SimpleUploadedFile("1.jpg", first_page, "image/jpeg"),
            SimpleUploadedFile("2.png", second_page, "image/png"),
        ]

    response = _scan_upload(client, dossier.pk, slot.pk, *pages())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["pages"] == 2 and body["content_type"] == "application/pdf" and not body["digitized"]
    again = _scan_upload(client, dossier.pk, slot.pk, *pages())
    assert again.status_code == 201 and again.json()["id"] == body["id"]
    assert DossierFile.objects.filter(dossier=dossier).count() == 1

    listing = signed_in(w.citizen).get(f"/api/v1/documents/dossiers/{dossier.pk}/files").json()
    assert listing["digitized"] is False and [f["id"] for f in listing["files"]] == [body["id"]]


def test_a_refused_scan_is_a_422_problem_naming_the_file(w: World) -> None:
    dossier = walk_to(w, State.RECEIVED)
    slot = w.version.documents.get()
    response = _scan_upload(
        signed_in(w.counter),
        dossier.pk,
        slot.pk,
        SimpleUploadedFile("hoa-don.pdf", samples.encrypted_pdf(), "application/pdf"),
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "upload_encrypted" and problem["file_name"] == "hoa-don.pdf"
    assert "mật khẩu" in problem["detail"]
    assert not DossierFile.objects.filter(dossier=dossier).exists()


def test_a_scan_for_another_agencys_dossier_is_not_found(w: World) -> None:
    dossier = walk_to(w, State.RECEIVED)
    slot = w.version.documents.get()
    outsider = officer("canbo.api.ngoai", {agency("Sở API ngoài"): [Role.COUNTER_OFFICER]})
    response = _scan_upload(signed_in(outsider), dossier.pk, slot.pk, SimpleUploadedFile("a.png", samples.png()))
    assert response.status_code == 404
    assert signed_in(outsider).get(f"/api/v1/documents/dossiers/{dossier.pk}/files").status_code == 404


def test_officers_search_the_recognized_text_of_their_agencies_scans(w: World) -> None:
    from common.text import fold
    from documents.models import Purpose, StoredFile

    dossier = walk_to(w, State.RECEIVED)
    stored = services.file_store(data=samples.pdf(text="tim kiem"), name="x.pdf", actor=None)
    text = "GIẤY KHAI SINH\nHọ và tên: Nguyễn Thị Hường"
    StoredFile.objects.filter(pk=stored.pk).update(text=text, search_text=fold(text))
    row = services.dossier_file_attach(
        dossier=dossier,
        stored_file=stored,
        required_document=w.version.documents.get(),
        purpose=Purpose.SCAN,
        name="ks.pdf",
        actor=w.counter,
    )
    found = signed_in(w.processor).get("/api/v1/documents/search", {"q": "nguyen thi huong"}).json()["results"]
    assert [(r["id"], r["dossier_code"]) for r in found] == [(row.pk, dossier.code)]
    assert signed_in(w.processor).get("/api/v1/documents/search", {"q": "Hà Nội"}).json()["results"] == []
    outsider = officer("canbo.tim.ngoai", {agency("Sở tìm ngoài"): [Role.PROCESSING_OFFICER]})
    assert signed_in(outsider).get("/api/v1/documents/search", {"q": "huong"}).json()["results"] == []
    assert signed_in(w.citizen).get("/api/v1/documents/search", {"q": "huong"}).status_code == 403
