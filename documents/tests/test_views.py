"""Downloads and the citizen's store pages: a file reaches only the people it belongs to."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from documents import services
from documents.models import DocumentType, Purpose, Source, StoreItem
from dossiers.rules import State
from dossiers.tests.factories import World, walk_to
from org.models import Role
from org.tests.factories import admin_login, agency, citizen, officer

from . import samples

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    if user.kind == "officer":
        admin_login(client, user)
    else:
        client.force_login(user)
    return client


def scanned(w: World, text: str = "Ban quet giay khai sinh"):
    dossier = walk_to(w, State.RECEIVED)
    stored = services.file_store(data=samples.pdf(text=text), name="Giấy khai sinh.pdf", actor=w.counter)
    return services.dossier_file_attach(
        dossier=dossier,
        stored_file=stored,
        required_document=w.version.documents.first(),
        purpose=Purpose.SCAN,
        name="../Giấy khai sinh.pdf",
        actor=w.counter,
    )


def test_the_applicant_and_the_agencys_officers_read_a_dossier_file(w: World) -> None:
    attached = scanned(w)
    url = reverse("documents:dossier_file", args=[attached.pk])
    for user in (w.citizen, w.counter, w.processor, w.leader):
        response = signed_in(user).get(url)
        assert response.status_code == 200, user
        assert response.content == services.file_read(attached.stored_file)
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"].startswith("private, no-store")
        assert "default-src 'none'" in response["Content-Security-Policy"]
        assert response["Content-Disposition"].startswith("inline;")
        assert "Gi%E1%BA%A5y%20khai%20sinh.pdf" in response["Content-Disposition"]


def test_a_download_asks_to_save(w: World) -> None:
    attached = scanned(w)
    response = signed_in(w.citizen).get(reverse("documents:dossier_file", args=[attached.pk]), {"tai-ve": "1"})
    assert response["Content-Disposition"].startswith("attachment;")


def test_another_citizens_file_is_not_found(w: World) -> None:
    attached = scanned(w)
    response = signed_in(citizen("nguoi.la")).get(reverse("documents:dossier_file", args=[attached.pk]))
    assert response.status_code == 404
    assert b"khai sinh" not in response.content


def test_an_officer_of_another_agency_gets_not_found(w: World) -> None:
    attached = scanned(w)
    outsider = officer("canbo.ngoai", {agency("Sở ngoài"): list(Role.values)}, is_staff=True)
    assert signed_in(outsider).get(reverse("documents:dossier_file", args=[attached.pk])).status_code == 404


def test_an_officer_without_the_second_factor_is_sent_to_sign_in(w: World) -> None:
    attached = scanned(w)
    client = Client()
    client.force_login(w.counter)
    response = client.get(reverse("documents:dossier_file", args=[attached.pk]))
    assert response.status_code == 302 and "/can-bo/" in response["Location"]


def test_anonymous_visitors_are_sent_to_sign_in(w: World) -> None:
    attached = scanned(w)
    response = Client().get(reverse("documents:dossier_file", args=[attached.pk]))
    assert response.status_code == 302


def _item(owner, number: str = "12/2019") -> StoreItem:
    stored = services.file_store(data=samples.pdf(text=number), name="ks.pdf", actor=None)
    return services.store_item_add(
        owner=owner,
        stored_file=stored,
        kind=DocumentType.objects.get(code="giay-khai-sinh"),
        number=number,
        issuer="Ủy ban nhân dân phường Nha Trang",
        issued_on=datetime.date(2019, 1, 2),
        source=Source.DIGITIZED,
    )


def test_the_store_lists_the_citizens_items_only(w: World) -> None:
    mine = _item(w.citizen, "111/2019")
    _item(citizen("nguoi.khac"), "999/2019")
    page = signed_in(w.citizen).get(reverse("documents:store")).content.decode()
    assert "Kho dữ liệu của tôi" in page
    assert "111/2019" in page and "999/2019" not in page
    assert "ngày 02 tháng 01 năm 2019" in page and "Không thời hạn" in page
    assert reverse("documents:store_item_file", args=[mine.pk]) in page


def test_an_empty_store_says_so(w: World) -> None:
    page = signed_in(w.citizen).get(reverse("documents:store")).content.decode()
    assert "chưa có giấy tờ nào" in page


def test_the_citizen_downloads_and_removes_an_item(w: World) -> None:
    item = _item(w.citizen)
    client = signed_in(w.citizen)
    response = client.get(reverse("documents:store_item_file", args=[item.pk]), {"tai-ve": "1"})
    assert response.status_code == 200 and response.content == services.file_read(item.stored_file)
    assert response["Content-Disposition"].startswith("attachment;")
    response = client.post(reverse("documents:store_item_remove", args=[item.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("documents:store")
    assert client.get(reverse("documents:store_item_file", args=[item.pk])).status_code == 404


def test_another_citizens_item_is_not_found_nor_removable(w: World) -> None:
    item = _item(citizen("nguoi.khac"))
    client = signed_in(w.citizen)
    assert client.get(reverse("documents:store_item_file", args=[item.pk])).status_code == 404
    assert client.post(reverse("documents:store_item_remove", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert item.removed_at is None


# --- Số hóa tại Bộ phận Một cửa ----------------------------------------------------------------


def _upload(data: bytes, name: str, content_type: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def test_the_counter_officer_scans_two_images_into_a_slot_and_confirms_it(w: World) -> None:
    dossier = walk_to(w, State.RECEIVED)
    slot = w.version.documents.get()
    client = signed_in(w.counter)
    url = reverse("documents:digitize", args=[dossier.pk])
    page = client.get(url).content.decode()
    assert f"Số hóa hồ sơ {dossier.code}" in page and "chưa số hóa" in page
    assert f'value="{dossier.applicant_name}"' in page  # the holder starts as the applicant
    prefix = f"s{slot.pk}"
    response = client.post(
        url,
        {
            "slot": slot.pk,
            f"{prefix}-pages": [
                _upload(samples.jpeg(samples.scan_image(["Trang 1"])), "trang1.jpg", "image/jpeg"),
                _upload(samples.png(samples.scan_image(["Trang 2"])), "trang2.png", "image/png"),
            ],
            f"{prefix}-document_type": DocumentType.objects.get(code="to-khai").pk,
            f"{prefix}-number": "01/TK",
            f"{prefix}-issuer": "",
            f"{prefix}-issued_on": "2025-11-01",
            f"{prefix}-holder": "Nguyễn Văn An",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#slot-{slot.pk}")
    current = dossier.files.get(replaced_at__isnull=True)
    assert current.stored_file.page_count == 2 and current.stored_file.content_type == "application/pdf"
    assert current.digitized and current.holder == "Nguyễn Văn An"
    page = client.get(url).content.decode()
    assert "Hồ sơ đã số hóa" in page and "đã số hóa" in page


def test_a_refused_scan_says_why_and_saves_nothing(w: World) -> None:
    dossier = walk_to(w, State.RECEIVED)
    slot = w.version.documents.get()
    client = signed_in(w.counter)
    response = client.post(
        reverse("documents:digitize", args=[dossier.pk]),
        {
            "slot": slot.pk,
            f"s{slot.pk}-pages": [_upload(samples.javascript_pdf(), "hoa-don.pdf", "application/pdf")],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tệp hoa-don.pdf: Tệp PDF có chứa mã lệnh" in page
    assert not dossier.files.exists()


def test_metadata_without_a_date_of_issue_is_refused(w: World) -> None:
    dossier = walk_to(w, State.RECEIVED)
    slot = w.version.documents.get()
    response = signed_in(w.counter).post(
        reverse("documents:digitize", args=[dossier.pk]),
        {
            "slot": slot.pk,
            f"s{slot.pk}-pages": [_upload(samples.pdf(), "a.pdf", "application/pdf")],
            f"s{slot.pk}-document_type": DocumentType.objects.get(code="to-khai").pk,
            f"s{slot.pk}-holder": "An",
        },
    )
    assert response.status_code == 400 and "Nhập ngày cấp." in response.content.decode()
    assert not dossier.files.exists()


def test_the_file_alone_may_be_saved_first(w: World) -> None:
    dossier = walk_to(w, State.RECEIVED)
    slot = w.version.documents.get()
    response = signed_in(w.counter).post(
        reverse("documents:digitize", args=[dossier.pk]),
        {"slot": slot.pk, f"s{slot.pk}-pages": [_upload(samples.pdf(), "a.pdf", "application/pdf")]},
    )
    assert response.status_code == 302
    assert not dossier.files.get().digitized


def test_the_digitization_page_is_not_found_for_citizens_and_other_agencies(w: World) -> None:
    dossier = walk_to(w, State.RECEIVED)
    url = reverse("documents:digitize", args=[dossier.pk])
    assert signed_in(w.citizen).get(url).status_code == 404
    outsider = officer("canbo.ngoai3", {agency("Sở ngoài 3"): list(Role.values)}, is_staff=True)
    assert signed_in(outsider).get(url).status_code == 404


def test_the_counter_officer_reuses_a_document_from_the_applicants_store(w: World) -> None:
    from dossiers import services as dossier_services
    from dossiers.services import HandedDocument
    from dossiers.tests.factories import procedure_for, submitted

    version = procedure_for(w.agency, documents=["Bản sao Giấy khai sinh"])
    slot = version.documents.get()
    item = _item(w.citizen, "77/2019")
    dossier = submitted(w, procedure_version=version, documents=[HandedDocument(slot.pk)])
    dossier = dossier_services.dossier_receive(actor=w.counter, dossier=dossier)
    client = signed_in(w.counter)
    url = reverse("documents:digitize", args=[dossier.pk])
    page = client.get(url).content.decode()
    assert "Dùng lại từ kho dữ liệu của người nộp" in page and "77/2019" in page
    response = client.post(url, {"slot": slot.pk, "reuse": item.pk})
    assert response.status_code == 302
    used = dossier.files.get()
    assert used.store_item == item and used.purpose == Purpose.REUSED
    page = client.get(url).content.decode()
    assert "Hồ sơ đã số hóa" in page and "Dùng lại giấy tờ này" not in page


def test_an_item_of_somebody_else_cannot_be_reused_at_the_counter(w: World) -> None:
    dossier = walk_to(w, State.RECEIVED)
    slot = w.version.documents.get()
    other = _item(citizen("nguoi.khac.kho"), "88/2019")
    response = signed_in(w.counter).post(
        reverse("documents:digitize", args=[dossier.pk]), {"slot": slot.pk, "reuse": other.pk}
    )
    assert response.status_code == 404
    assert not dossier.files.exists()
