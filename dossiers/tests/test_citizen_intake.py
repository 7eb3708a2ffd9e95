"""Nộp hồ sơ trực tuyến through the pages: a signed-in citizen fills the form built from the
catalog, uploads the required documents, reviews and submits; drafts save and resume; double
submissions give one dossier; bad input gets a localized message and saves nothing."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from reportlab.pdfgen import canvas

from accounts.models import OrganizationLink
from catalog.models import RequiredDocument
from catalog.testing import published_form
from documents.models import DocumentType, DossierFile
from documents.services import file_store, store_item_add
from dossiers.models import Dossier
from dossiers.rules import State
from org.tests.factories import citizen, one_stop_unit

from .factories import World, world

pytestmark = pytest.mark.django_db

SCHEMA = {
    "noi_sinh": {"type": "string", "title": "Nơi sinh", "minLength": 1, "maxLength": 300},
    "so_con": {"type": "integer", "title": "Số con", "minimum": 0, "maximum": 20},
    "ngay_ket_hon": {"type": "string", "title": "Ngày kết hôn", "format": "vn-date"},
}
REQUIRED = ["noi_sinh"]


def pdf_bytes(text: str = "Tờ khai") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def png_bytes(colour: str = "white") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def w() -> World:
    w = world(documents=["Tờ khai đăng ký kết hôn", "Bản sao giấy khai sinh"])
    w.citizen.birth_date = __import__("datetime").date(1990, 5, 17)
    w.citizen.save()
    second = RequiredDocument.objects.get(version=w.version, name="Bản sao giấy khai sinh")
    second.copy_count, second.original_count = 1, 0
    second.save()
    published_form(w.version.procedure, SCHEMA, REQUIRED)
    return w


def birth_certificate_type() -> DocumentType:
    """One of the types the documents app ships (a transactional test elsewhere may have emptied
    the table its migration filled)."""
    kind, _created = DocumentType.objects.get_or_create(
        code="giay-khai-sinh", defaults={"name": "Giấy khai sinh", "keywords": "giấy khai sinh"}
    )
    return kind


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(w: World) -> str:
    return reverse("dossiers:intake", args=[w.version.procedure.code])


def slots(w: World) -> list[RequiredDocument]:
    return list(RequiredDocument.objects.filter(version=w.version, presented_only=False).order_by("position"))


def token_of(page: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', page)
    assert match is not None
    return match.group(1)


def filled(w: World, page: str, **changes: Any) -> dict[str, Any]:
    first, second = slots(w)
    data = {
        "token": token_of(page),
        "phone": "0905123456",
        "email": "an@example.vn",
        "address": "12 Trần Phú, phường Nha Trang",
        "result_delivery": "online",
        "d.noi_sinh": "Khánh Hòa",
        "d.so_con": "1",
        "d.ngay_ket_hon": "07/11/2022",
        f"document_{first.pk}": SimpleUploadedFile("to-khai.pdf", pdf_bytes(), "application/pdf"),
        f"document_{second.pk}": SimpleUploadedFile("khai-sinh.png", png_bytes(), "image/png"),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def hidden_fields(page: str) -> dict[str, str]:
    """The review page's form as the browser would send it back."""
    form = page[page.index('class="intake-form"') :]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def test_anonymous_visitors_are_sent_to_sign_in_and_back(w: World) -> None:
    response = Client().get(url(w))
    assert response.status_code == 302
    assert response["Location"] == f"/dang-nhap/?next={url(w)}"


def test_the_form_is_built_from_the_catalog_and_prefilled_from_the_identity(w: World) -> None:
    response = signed_in(w.citizen).get(url(w))
    assert response.status_code == 200
    page = response.content.decode()
    assert w.version.name in page
    assert w.citizen.full_name in page and "17/05/1990" in page
    assert w.citizen.personal_id not in page  # masked
    assert 'value="0905' in page and f'value="{w.citizen.email}"' in page
    for slot in slots(w):
        assert slot.name in page and f'name="document_{slot.pk}"' in page
    assert "Bản chính: 1 · Bản sao: 0" in page and "Bản chính: 0 · Bản sao: 1" in page
    assert '<label for="d-noi_sinh">Nơi sinh' in page and 'name="d.so_con"' in page
    assert "Tại Bộ phận Một cửa" in page and "Qua dịch vụ bưu chính" in page and "Trực tuyến" in page
    assert 'enctype="multipart/form-data"' in page and "Lưu nháp" in page
    assert "<script>" not in page and "style=" not in page


def test_a_procedure_not_open_online_says_so(w: World) -> None:
    w.version.online_level = "none"
    w.version.save()
    response = signed_in(w.citizen).get(url(w))
    assert response.status_code == 404
    assert "chưa cho phép nộp hồ sơ trực tuyến" in response.content.decode()


def test_an_unknown_procedure_is_404(w: World) -> None:
    assert signed_in(w.citizen).get(reverse("dossiers:intake", args=["0.000000"])).status_code == 404


def test_an_account_without_identity_is_told_to_use_vneid(w: World) -> None:
    someone = citizen("chua.dinh.danh")
    response = signed_in(someone).get(url(w))
    assert response.status_code == 403
    assert "VNeID" in response.content.decode()


def test_review_then_submit_creates_the_dossier_with_its_files(w: World) -> None:
    client = signed_in(w.citizen)
    page = client.get(url(w)).content.decode()
    review = client.post(url(w), filled(w, page, action="review"))
    assert review.status_code == 200
    text = review.content.decode()
    assert "Xem lại hồ sơ trước khi nộp" in text
    assert "to-khai.pdf" in text and "khai-sinh.png" in text and "Khánh Hòa" in text
    assert not Dossier.objects.exists()  # nothing written before the citizen confirms

    back = hidden_fields(text) | {"action": "submit"}
    done = client.post(url(w), back)
    dossier = Dossier.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("dossiers:submitted", args=[dossier.pk])
    assert dossier.state == State.SUBMITTED and dossier.applicant == w.citizen
    assert dossier.form_data == {"noi_sinh": "Khánh Hòa", "so_con": 1, "ngay_ket_hon": "2022-11-07"}
    assert dossier.result_delivery == "online" and dossier.applicant_address == "12 Trần Phú, phường Nha Trang"
    files = DossierFile.objects.filter(dossier=dossier).order_by("required_document__position")
    assert [(f.required_document_id, f.name, f.purpose) for f in files] == [
        (slots(w)[0].pk, "to-khai.pdf", "submitted"),
        (slots(w)[1].pk, "khai-sinh.png", "submitted"),
    ]
    assert sorted(dossier.documents.values_list("required_document_id", flat=True)) == [s.pk for s in slots(w)]

    confirmation = client.get(done["Location"]).content.decode()
    assert "Bạn đã nộp hồ sơ thành công" in confirmation and "Mới đăng ký" in confirmation
    assert "Điều gì sẽ diễn ra tiếp theo?" in confirmation


def test_submitting_twice_gives_one_dossier(w: World) -> None:
    client = signed_in(w.citizen)
    page = client.get(url(w)).content.decode()
    review = client.post(url(w), filled(w, page, action="review")).content.decode()
    back = hidden_fields(review) | {"action": "submit"}
    first = client.post(url(w), back)
    second = client.post(url(w), back)  # a double click, or the back button and submit again
    assert first["Location"] == second["Location"]
    assert Dossier.objects.count() == 1
    assert DossierFile.objects.count() == 2


def test_missing_documents_and_fields_are_listed_at_the_top_and_nothing_is_lost(w: World) -> None:
    client = signed_in(w.citizen)
    page = client.get(url(w)).content.decode()
    first, second = slots(w)
    data = filled(
        w, page, action="review", address="", **{"d.noi_sinh": "", "d.so_con": "ba", f"document_{second.pk}": None}
    )
    response = client.post(url(w), data)
    assert response.status_code == 422
    text = response.content.decode()
    summary = text[text.index('class="error-summary"') : text.index("</div>", text.index('class="error-summary"'))]
    assert 'href="#id_address"' in summary and "Cần ghi địa chỉ liên hệ." in summary
    assert 'href="#d-noi_sinh"' in summary and "Nơi sinh: không được để trống." in summary
    assert 'href="#d-so_con"' in summary and "Số con: phải là số nguyên." in summary
    assert f'href="#id_document_{second.pk}"' in summary and "Cần tải lên giấy tờ này." in summary
    assert 'aria-describedby="id_address-hint id_address-error"' in text
    # The file that was uploaded is kept for the next try.
    assert "to-khai.pdf" in text and f'name="kept_{first.pk}"' in text
    assert not Dossier.objects.exists()


def test_a_file_of_the_wrong_type_is_refused_by_its_content(w: World) -> None:
    client = signed_in(w.citizen)
    page = client.get(url(w)).content.decode()
    first = slots(w)[0]
    fake = SimpleUploadedFile("to-khai.pdf", b"MZ\x90\x00 this is a program, not a PDF", "application/pdf")
    response = client.post(url(w), filled(w, page, action="review", **{f"document_{first.pk}": fake}))
    assert response.status_code == 422
    assert "Chỉ nhận tệp PDF, JPEG, PNG hoặc TIFF" in response.content.decode()
    assert not Dossier.objects.exists()


def test_an_oversize_file_is_refused(w: World, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 1000
    client = signed_in(w.citizen)
    page = client.get(url(w)).content.decode()
    first = slots(w)[0]
    big = SimpleUploadedFile("to-khai.pdf", pdf_bytes("x" * 50) + b"%" * 2000, "application/pdf")
    response = client.post(url(w), filled(w, page, action="review", **{f"document_{first.pk}": big}))
    assert response.status_code == 422
    assert "Tệp quá lớn" in response.content.decode()


def test_a_draft_saves_and_resumes_then_submits_once(w: World) -> None:
    client = signed_in(w.citizen)
    page = client.get(url(w)).content.decode()
    first, second = slots(w)
    saved = client.post(url(w), filled(w, page, action="save", **{"d.noi_sinh": "", f"document_{second.pk}": None}))
    draft = Dossier.objects.get()
    assert draft.state == State.DRAFT
    assert saved["Location"] == reverse("dossiers:draft_edit", args=[draft.pk])
    assert DossierFile.objects.filter(dossier=draft).count() == 1

    resumed = client.get(saved["Location"]).content.decode()
    assert "Đã lưu nháp" in resumed and "to-khai.pdf" in resumed and 'value="0905123456"' in resumed
    mine = client.get(reverse("dossiers:mine")).content.decode()
    assert "Bản nháp" in mine and reverse("dossiers:draft_edit", args=[draft.pk]) in mine
    edit = reverse("dossiers:draft_edit", args=[draft.pk])
    review = client.post(
        edit,
        filled(w, resumed, action="review", **{f"document_{first.pk}": None}),
    ).content.decode()
    assert "Xem lại hồ sơ trước khi nộp" in review
    back = hidden_fields(review) | {"action": "submit"}
    done = client.post(edit, back)
    again = client.post(edit, back)
    assert done["Location"] == reverse("dossiers:submitted", args=[draft.pk])
    assert again.status_code == 302 and Dossier.objects.count() == 1
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED and draft.form_data["noi_sinh"] == "Khánh Hòa"
    assert DossierFile.objects.filter(dossier=draft, replaced_at__isnull=True).count() == 2


def test_a_draft_is_deleted_on_request(w: World) -> None:
    client = signed_in(w.citizen)
    page = client.get(url(w)).content.decode()
    client.post(url(w), filled(w, page, action="save"))
    draft = Dossier.objects.get()
    response = client.post(reverse("dossiers:draft_delete", args=[draft.pk]))
    assert response["Location"] == reverse("dossiers:mine")
    assert not Dossier.objects.exists()


def test_another_citizens_draft_is_404(w: World) -> None:
    client = signed_in(w.citizen)
    page = client.get(url(w)).content.decode()
    client.post(url(w), filled(w, page, action="save"))
    draft = Dossier.objects.get()
    stranger = signed_in(citizen("nguoi.khac", personal_id="056090000999"))
    assert stranger.get(reverse("dossiers:draft_edit", args=[draft.pk])).status_code == 404
    assert stranger.post(reverse("dossiers:draft_delete", args=[draft.pk])).status_code == 404
    assert Dossier.objects.filter(pk=draft.pk).exists()


def test_the_catalog_page_offers_online_submission_only_when_open_online(w: World) -> None:
    detail = reverse("catalog:detail", args=[w.version.procedure.code])
    assert f'action="{url(w)}"' in Client().get(detail).content.decode()
    other = world()
    other.version.online_level = "none"
    other.version.save()
    from catalog.services import catalog_revision_bump

    catalog_revision_bump()
    page = Client().get(reverse("catalog:detail", args=[other.version.procedure.code])).content.decode()
    assert "Nộp hồ sơ trực tuyến" not in page


def test_a_document_of_the_data_store_is_reused_instead_of_an_upload(w: World) -> None:
    second = slots(w)[1]
    kind = birth_certificate_type()
    stored = file_store(data=pdf_bytes("Giấy khai sinh"), name="khai-sinh.pdf", actor=w.citizen)
    item = store_item_add(owner=w.citizen, stored_file=stored, kind=kind, number="123/2020", source="upload")
    client = signed_in(w.citizen)
    page = client.get(url(w)).content.decode()
    assert "Hoặc dùng lại giấy tờ đã có trong kho dữ liệu" in page
    assert f'<option value="{item.pk}">Giấy khai sinh 123/2020</option>' in page
    data = filled(w, page, action="review", **{f"document_{second.pk}": None, f"reuse_{second.pk}": str(item.pk)})
    review = client.post(url(w), data).content.decode()
    assert "Xem lại hồ sơ trước khi nộp" in review and "Giấy khai sinh" in review
    client.post(url(w), hidden_fields(review) | {"action": "submit"})
    reused = DossierFile.objects.get(dossier=Dossier.objects.get(), required_document=second)
    assert reused.purpose == "reused" and reused.store_item == item


def test_someone_elses_data_store_item_cannot_be_chosen(w: World) -> None:
    second = slots(w)[1]
    kind = birth_certificate_type()
    other = citizen("chu.kho.khac", personal_id="056090000777")
    stored = file_store(data=pdf_bytes("Của người khác"), name="x.pdf", actor=other)
    theirs = store_item_add(owner=other, stored_file=stored, kind=kind, source="upload")
    client = signed_in(w.citizen)
    page = client.get(url(w)).content.decode()
    data = filled(w, page, action="review", **{f"document_{second.pk}": None, f"reuse_{second.pk}": str(theirs.pk)})
    response = client.post(url(w), data)
    assert response.status_code == 422 and "Cần tải lên giấy tờ này." in response.content.decode()


def test_with_two_receiving_places_the_citizen_chooses_one(w: World) -> None:
    second_unit = one_stop_unit("Bộ phận Một cửa điểm phụ", [w.agency])
    client = signed_in(w.citizen)
    page = client.get(url(w)).content.decode()
    assert '<label for="id_place">Nơi nộp hồ sơ' in page and "Bộ phận Một cửa điểm phụ" in page
    missing = client.post(url(w), filled(w, page, action="review"))
    assert missing.status_code == 422 and "Cần chọn nơi nộp hồ sơ." in missing.content.decode()
    chosen = f"{w.agency.pk}-{second_unit.pk}"
    review = client.post(url(w), filled(w, page, action="review", place=chosen)).content.decode()
    client.post(url(w), hidden_fields(review) | {"action": "submit"})
    assert Dossier.objects.get().receiving_unit == second_unit


def test_a_representative_submits_for_their_organization(w: World) -> None:
    OrganizationLink.objects.create(
        user=w.citizen, tax_code="4201234567", organization_name="Công ty TNHH Biển Xanh", confirmed_at=timezone.now()
    )
    OrganizationLink.objects.create(user=w.citizen, tax_code="4209999999", organization_name="Chưa xác nhận")
    client = signed_in(w.citizen)
    page = client.get(url(w)).content.decode()
    assert '<label for="id_organization">Nộp hồ sơ cho' in page
    assert "Công ty TNHH Biển Xanh — MST 4201234567" in page and "Chưa xác nhận" not in page
    review = client.post(url(w), filled(w, page, action="review", organization="4201234567")).content.decode()
    assert "Công ty TNHH Biển Xanh (MST 4201234567)" in review
    client.post(url(w), hidden_fields(review) | {"action": "submit"})
    dossier = Dossier.objects.get()
    assert (dossier.organization_tax_code, dossier.organization_name) == ("4201234567", "Công ty TNHH Biển Xanh")


def test_a_document_only_shown_in_person_is_listed_and_never_asked_for_as_a_file(w: World) -> None:
    shown = RequiredDocument.objects.create(
        version=w.version, name="Thẻ căn cước của người đi đăng ký", presented_only=True, position=9
    )
    client = signed_in(w.citizen)
    page = client.get(url(w)).content.decode()
    listed = page[page.index('id="presented-documents"') :]
    assert "Thẻ căn cước của người đi đăng ký" in listed
    assert f'name="document_{shown.pk}"' not in page
    response = client.post(url(w), filled(w, page, action="submit"), follow=True)
    assert response.status_code == 200
    assert Dossier.objects.get().state == State.SUBMITTED


def test_a_document_for_a_particular_case_may_be_left_empty_and_says_so(w: World) -> None:
    _first, second = slots(w)
    second.required = False
    second.save()
    client = signed_in(w.citizen)
    page = client.get(url(w)).content.decode()
    assert "nếu thuộc trường hợp này" in page
    response = client.post(url(w), filled(w, page, action="submit", **{f"document_{second.pk}": None}), follow=True)
    assert response.status_code == 200
    assert Dossier.objects.get().state == State.SUBMITTED


def test_a_refused_file_does_not_hide_the_other_problems(w: World) -> None:
    client = signed_in(w.citizen)
    page = client.get(url(w)).content.decode()
    first, second = slots(w)
    fake = SimpleUploadedFile("to-khai.pdf", b"MZ\x90\x00 a program", "application/pdf")
    data = filled(w, page, action="review", phone="12", **{f"document_{first.pk}": fake, f"document_{second.pk}": None})
    response = client.post(url(w), data)
    assert response.status_code == 422
    text = response.content.decode()
    summary = text[text.index('class="error-summary"') : text.index("</div>", text.index('class="error-summary"'))]
    assert "Chỉ nhận tệp PDF, JPEG, PNG hoặc TIFF" in summary
    assert 'href="#id_phone"' in summary
    assert f'href="#id_document_{second.pk}"' in summary and "Bản sao giấy khai sinh" in summary
    assert not Dossier.objects.exists()


def test_a_procedure_without_working_days_is_not_offered_online_until_a_controller_sets_them(w: World) -> None:
    w.version.processing_days = None
    w.version.processing_time_text = "1"
    w.version.save()
    response = signed_in(w.citizen).get(url(w))
    assert response.status_code == 404
    assert "chưa cho phép nộp hồ sơ trực tuyến" in response.content.decode()
    w.version.days_by_channel = {"online": 1}
    w.version.save()
    assert signed_in(w.citizen).get(url(w)).status_code == 200
