"""Nhận kết quả qua dịch vụ bưu chính công ích: a postal address apart from the contact address,
asked (and required) only when the result goes by post, on the citizen's form, the API and the
counter; printed on the receipt, shown to the officer who posts the result; never public."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from catalog.testing import published_form
from dossiers import services, slips
from dossiers.delivery import PostalAddress, address_line, guess_commune, postal_address_problems
from dossiers.errors import DossierInvalid
from dossiers.models import Dossier
from dossiers.rules import ResultDelivery, State
from dossiers.slips import layout
from org.models import AdministrativeUnit, UnitLevel
from org.tests.factories import admin_login, province

from .factories import MONDAY, World, world
from .test_citizen_intake import REQUIRED, SCHEMA, filled, hidden_fields, token_of
from .test_citizen_intake import url as intake_url
from .test_slips import _unavailable, pdf_text

POSTAL = PostalAddress(recipient_name="Nguyễn Thị Nhận", phone="0912 345 678", address="25 Yersin", commune="22366")


def _all_problems(postal: PostalAddress | None, **kwargs: Any) -> dict[str, str]:
    options: dict[str, Any] = {"result_delivery": "post", "complete": True, "commune_known": True} | kwargs
    return postal_address_problems(postal, **options)


# --- The rule ---------------------------------------------------------------------------------


def test_the_postal_address_is_asked_only_when_the_result_goes_by_post() -> None:
    assert _all_problems(None, result_delivery="counter") == {}
    assert _all_problems(None, result_delivery="online") == {}
    assert set(_all_problems(None)) == {"recipient_name", "phone", "address", "commune"}
    assert _all_problems(POSTAL) == {}


def test_a_draft_may_leave_it_empty_but_not_wrong() -> None:
    assert _all_problems(None, complete=False) == {}
    wrong = PostalAddress(phone="12345", commune="99999")
    assert set(_all_problems(wrong, complete=False, commune_known=False)) == {"phone", "commune"}


def test_too_long_and_unknown_commune_are_explained_in_vietnamese() -> None:
    long = PostalAddress(recipient_name="A" * 201, phone="0912345678", address="x" * 301, commune="1")
    problems = _all_problems(long, commune_known=False)
    assert problems["recipient_name"] == "Dài tối đa 200 ký tự."
    assert problems["address"] == "Dài tối đa 300 ký tự."
    assert problems["commune"] == "Xã, phường, đặc khu này không có trong danh mục đơn vị hành chính hiện hành."
    missing = _all_problems(PostalAddress("An", "0912345678", "25 Yersin", ""))
    assert missing == {"commune": "Cần chọn xã, phường, đặc khu nơi nhận kết quả."}
    # Without any commune to choose from, the address line says it.
    assert _all_problems(PostalAddress("An", "0912345678", "25 Yersin", ""), communes_offered=False) == {}


def test_the_commune_is_found_in_a_contact_address_however_it_is_typed() -> None:
    communes = [("1", "Phường Nha Trang"), ("2", "Phường Bắc Nha Trang"), ("3", "Xã Cam Lâm")]
    assert guess_commune("12 Trần Phú, phường Nha Trang, Khánh Hòa", communes) == "1"
    assert guess_commune("3 Phạm Văn Đồng, PHUONG BAC NHA TRANG", communes) == "2"
    assert guess_commune("thôn Tân Xương, Cam Lâm", communes) == "3"
    assert guess_commune("12 Trần Phú", communes) == ""
    assert address_line("12 Trần Phú, phường Nha Trang, Khánh Hòa", "Phường Nha Trang") == "12 Trần Phú"
    assert address_line("Phường Nha Trang", "Phường Nha Trang") == "Phường Nha Trang"


# --- Fixtures ---------------------------------------------------------------------------------


def commune(code: str, name: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.create(code=code, name=name, level=UnitLevel.COMMUNE, parent=province())


@pytest.fixture
def nha_trang(db: Any) -> AdministrativeUnit:
    commune("22363", "Phường Bắc Nha Trang")
    return commune("22366", "Phường Nha Trang")


def by_post(w: World, postal: PostalAddress | None = POSTAL) -> Dossier:
    intake = w.intake(result_delivery=ResultDelivery.POST, postal=postal)
    dossier, _created = services.dossier_submit(applicant=w.citizen, intake=intake, now=MONDAY)
    return dossier


# --- Services ---------------------------------------------------------------------------------


def test_a_dossier_by_post_keeps_its_postal_address(w: World, nha_trang: AdministrativeUnit) -> None:
    d = Dossier.objects.get(pk=by_post(w).pk)
    assert (d.postal_recipient_name, d.postal_recipient_phone, d.postal_address, d.postal_commune) == (
        "Nguyễn Thị Nhận",
        "0912345678",
        "25 Yersin",
        nha_trang,
    )
    assert d.postal_destination == "25 Yersin, Phường Nha Trang, Tỉnh Khánh Hòa"


def test_submission_by_post_without_it_is_refused_by_field(w: World, nha_trang: AdministrativeUnit) -> None:
    with pytest.raises(DossierInvalid) as refused:
        by_post(w, PostalAddress(recipient_name="An", phone="0912345678", address="25 Yersin", commune="00000"))
    assert set(refused.value.errors) == {"postal.commune"}
    with pytest.raises(DossierInvalid) as empty:
        by_post(w, None)
    assert set(empty.value.errors) == {"postal.recipient_name", "postal.phone", "postal.address", "postal.commune"}
    assert not Dossier.objects.exists()


def test_another_choice_keeps_no_postal_address(w: World, nha_trang: AdministrativeUnit) -> None:
    intake = w.intake(result_delivery=ResultDelivery.COUNTER, postal=POSTAL)
    d, _created = services.dossier_submit(applicant=w.citizen, intake=intake, now=MONDAY)
    d.refresh_from_db()
    assert (d.postal_recipient_name, d.postal_address, d.postal_commune) == ("", "", None)


def test_a_draft_keeps_a_partial_postal_address_and_submission_requires_the_rest(
    w: World, nha_trang: AdministrativeUnit
) -> None:
    partial = PostalAddress(recipient_name="Nguyễn Thị Nhận", commune="22366")
    draft = services.dossier_draft_save(
        applicant=w.citizen, intake=w.intake(result_delivery=ResultDelivery.POST, postal=partial)
    )
    assert (draft.postal_recipient_name, draft.postal_commune) == ("Nguyễn Thị Nhận", nha_trang)
    with pytest.raises(DossierInvalid) as refused:
        services.dossier_draft_submit(applicant=w.citizen, draft=draft)
    assert set(refused.value.errors) == {"postal.phone", "postal.address"}


# --- The citizen's online form ----------------------------------------------------------------


@pytest.fixture
def wf(db: Any) -> World:
    w = world(documents=["Tờ khai đăng ký kết hôn", "Bản sao giấy khai sinh"])
    published_form(w.version.procedure, SCHEMA, REQUIRED)
    return w


def citizen_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _value(page: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page)
    return match.group(1) if match else ""


def test_the_form_prefills_the_postal_address_from_the_contact_details(
    wf: World, nha_trang: AdministrativeUnit
) -> None:
    client = citizen_client(wf.citizen)
    Dossier.objects.create(
        procedure_version=wf.version,
        applicant=wf.citizen,
        applicant_name=wf.citizen.full_name,
        applicant_personal_id=wf.citizen.personal_id,
        applicant_address="12 Trần Phú, phường Nha Trang, Khánh Hòa",
        channel="online",
        result_delivery="online",
        receiving_unit=wf.unit,
        processing_agency=wf.agency,
    )
    page = client.get(intake_url(wf)).content.decode()
    assert "Địa chỉ nhận kết quả qua dịch vụ bưu chính" in page
    assert _value(page, "postal_recipient_name") == wf.citizen.full_name
    assert _value(page, "postal_phone") == wf.citizen.phone
    assert _value(page, "postal_address") == "12 Trần Phú"
    assert '<option value="22366" selected>Phường Nha Trang</option>' in page
    assert '<optgroup label="Tỉnh Khánh Hòa">' in page


def test_by_post_the_address_is_required_checked_and_reviewed(wf: World, nha_trang: AdministrativeUnit) -> None:
    client = citizen_client(wf.citizen)
    page = client.get(intake_url(wf)).content.decode()
    postal = {
        "result_delivery": "post",
        "postal_recipient_name": "Nguyễn Thị Nhận",
        "postal_phone": "0912345678",
        "postal_address": "x" * 301,
        "postal_commune": "",
    }
    refused = client.post(intake_url(wf), filled(wf, page, action="review", **postal))
    assert refused.status_code == 422
    text = refused.content.decode()
    assert "Dài tối đa 300 ký tự." in text and "Cần chọn xã, phường, đặc khu nơi nhận kết quả." in text
    assert not Dossier.objects.exists()

    postal |= {"postal_address": "25 Yersin", "postal_commune": "22366"}
    review = client.post(intake_url(wf), filled(wf, page, action="review", **postal))
    assert review.status_code == 200
    shown = review.content.decode()
    assert "Nhận kết quả qua dịch vụ bưu chính tại" in shown
    assert "25 Yersin, Phường Nha Trang, Tỉnh Khánh Hòa" in shown and "Nguyễn Thị Nhận" in shown
    done = client.post(intake_url(wf), hidden_fields(shown) | {"action": "submit"})
    assert done.status_code == 302
    d = Dossier.objects.get()
    assert (d.result_delivery, d.postal_address, d.postal_commune) == ("post", "25 Yersin", nha_trang)
    assert "25 Yersin" not in done["Location"]
    mine = client.get(reverse("dossiers:detail", args=[d.pk])).content.decode()
    assert "25 Yersin, Phường Nha Trang, Tỉnh Khánh Hòa" in mine


def test_another_choice_needs_no_postal_address(wf: World, nha_trang: AdministrativeUnit) -> None:
    client = citizen_client(wf.citizen)
    page = client.get(intake_url(wf)).content.decode()
    empty = {"postal_recipient_name": "", "postal_phone": "", "postal_address": "", "postal_commune": ""}
    review = client.post(intake_url(wf), filled(wf, page, action="review", result_delivery="counter", **empty))
    assert review.status_code == 200 and "Nhận kết quả qua dịch vụ bưu chính tại" not in review.content.decode()


def test_an_empty_postal_block_is_filled_from_the_contact_details_to_check(
    wf: World, nha_trang: AdministrativeUnit
) -> None:
    client = citizen_client(wf.citizen)
    page = client.get(intake_url(wf)).content.decode()
    data = filled(wf, page, action="review", result_delivery="post", address="7 Lê Thánh Tôn, phường Nha Trang")
    data |= {"postal_recipient_name": "", "postal_phone": "", "postal_address": "", "postal_commune": ""}
    review = client.post(intake_url(wf), data)
    assert review.status_code == 200
    assert "7 Lê Thánh Tôn, Phường Nha Trang, Tỉnh Khánh Hòa" in review.content.decode()


def test_a_draft_keeps_the_postal_address(wf: World, nha_trang: AdministrativeUnit) -> None:
    client = citizen_client(wf.citizen)
    page = client.get(intake_url(wf)).content.decode()
    data = filled(
        wf,
        page,
        action="save",
        result_delivery="post",
        postal_recipient_name="Trần Văn Nhà",
        postal_phone="",
        postal_address="9 Hùng Vương",
        postal_commune="22363",
    )
    saved = client.post(intake_url(wf), data)
    assert saved.status_code == 302
    draft = Dossier.objects.get(state=State.DRAFT)
    assert (draft.postal_recipient_name, draft.postal_address, draft.postal_commune_id) == (
        "Trần Văn Nhà",
        "9 Hùng Vương",
        AdministrativeUnit.objects.get(code="22363").pk,
    )
    again = client.get(saved["Location"]).content.decode()
    assert _value(again, "postal_address") == "9 Hùng Vương"
    assert '<option value="22363" selected>' in again
    assert token_of(again)


# --- The API ----------------------------------------------------------------------------------

API = "/api/v1/dossiers"


def api_body(w: World, **changes: Any) -> dict[str, Any]:
    return {
        "procedure": w.version.procedure.code,
        "result_delivery": "post",
        "applicant": {"address": "12 Trần Phú, phường Nha Trang"},
        "documents": [{"required_document": w.version.documents.get().pk}],
        "postal": {
            "recipient_name": "Nguyễn Thị Nhận",
            "phone": "0912345678",
            "address": "25 Yersin",
            "commune": "22366",
        },
        **changes,
    }


def test_the_api_takes_the_postal_address_by_post(client: Client, w: World, nha_trang: AdministrativeUnit) -> None:
    client.force_login(w.citizen)
    response = client.post(API, api_body(w), content_type="application/json")
    assert response.status_code == 201
    d = Dossier.objects.get(pk=response.json()["id"])
    assert (d.postal_recipient_name, d.postal_address, d.postal_commune) == ("Nguyễn Thị Nhận", "25 Yersin", nha_trang)


def test_the_api_refuses_a_missing_or_too_long_postal_address_as_a_problem(
    client: Client, w: World, nha_trang: AdministrativeUnit
) -> None:
    client.force_login(w.citizen)
    missing = client.post(API, api_body(w, postal=None), content_type="application/json")
    assert missing.status_code == 422 and missing["Content-Type"] == "application/problem+json"
    problem = missing.json()
    assert problem["code"] == "dossier_invalid"
    assert set(problem["errors"]) == {"postal.recipient_name", "postal.phone", "postal.address", "postal.commune"}
    too_long = api_body(w)
    too_long["postal"] |= {"address": "x" * 301, "commune": ""}
    refused = client.post(API, too_long, content_type="application/json").json()
    assert refused["errors"] == {
        "postal.address": "Dài tối đa 300 ký tự.",
        "postal.commune": "Cần chọn xã, phường, đặc khu nơi nhận kết quả.",
    }
    online = client.post(API, api_body(w, result_delivery="online", postal=None), content_type="application/json")
    assert online.status_code == 201
    assert not Dossier.objects.filter(pk=online.json()["id"]).exclude(postal_address="").exists()


def test_the_api_lists_the_communes_to_choose_from(client: Client, nha_trang: AdministrativeUnit) -> None:
    answer = client.get("/api/v1/communes").json()
    assert answer["count"] == 2
    assert {"code": "22366", "name": "Phường Nha Trang", "province": "Tỉnh Khánh Hòa"} in answer["results"]


# --- The counter ------------------------------------------------------------------------------


def test_the_counter_registers_a_postal_address(w: World, nha_trang: AdministrativeUnit) -> None:
    client = Client()
    admin_login(client, w.counter)
    url = reverse("dossiers:officer_register") + f"?thu-tuc={w.version.procedure.code}"
    assert "Địa chỉ nhận kết quả qua dịch vụ bưu chính" in client.get(url).content.decode()
    document = w.version.documents.get()
    data = {
        "name": "Lê Văn Giấy",
        "personal_id": "056090123456",
        "phone": "0905123456",
        "address": "5 Lý Tự Trọng, Nha Trang",
        "agency": w.agency.pk,
        "unit": w.unit.pk,
        "channel": "counter",
        "result_delivery": "post",
        "postal_address": "25 Yersin",
        "postal_commune": "",
        f"doc_{document.pk}_form": "original",
        f"doc_{document.pk}_quantity": "1",
    }
    missing = client.post(url, data)
    assert missing.status_code == 422
    assert "Cần chọn xã, phường, đặc khu nơi nhận kết quả." in missing.content.decode()
    assert client.post(url, data | {"postal_commune": "22366"}).status_code == 302
    d = Dossier.objects.get()
    # The applicant receives it unless somebody else is named.
    assert (d.postal_recipient_name, d.postal_recipient_phone, d.postal_address, d.postal_commune) == (
        "Lê Văn Giấy",
        "0905123456",
        "25 Yersin",
        nha_trang,
    )


# --- Where it is used -------------------------------------------------------------------------


def test_the_receipt_says_where_the_result_is_posted(w: World, nha_trang: AdministrativeUnit, tmp_path: Path) -> None:
    if layout.missing_fonts() or shutil.which("pdftotext") is None:
        _unavailable("the receipt is read back with DejaVu fonts and poppler-utils (pdftotext)")
    d = services.dossier_receive(actor=w.counter, dossier=by_post(w), now=MONDAY)
    text = pdf_text(slips.receipt(d), tmp_path)
    assert (
        "6. Nhận kết quả qua dịch vụ bưu chính tại: 25 Yersin, Phường Nha Trang, Tỉnh Khánh Hòa "
        "(người nhận: Nguyễn Thị Nhận, điện thoại 0912345678)"
    ) in text


def test_the_officer_who_posts_the_result_sees_where_to(w: World, nha_trang: AdministrativeUnit) -> None:
    d = by_post(w)
    d = services.dossier_receive(actor=w.counter, dossier=d, now=MONDAY)
    d = services.dossier_assign(actor=w.counter, dossier=d, to=w.processor, now=MONDAY)
    d = services.dossier_approve(actor=w.leader, dossier=d, now=MONDAY)
    client = Client()
    admin_login(client, w.counter)
    page = re.sub(r"\s+", " ", client.get(reverse("dossiers:officer_dossier", args=[d.pk])).content.decode())
    form = page[page.index('id="thao-tac-return_result"') :]
    assert "Gửi kết quả qua dịch vụ bưu chính đến:" in form
    assert "Nguyễn Thị Nhận · điện thoại 0912345678<br>25 Yersin, Phường Nha Trang, Tỉnh Khánh Hòa" in form
    # Another agency's officer does not see the dossier at all.
    other = world()
    outsider = Client()
    admin_login(outsider, other.counter)
    assert outsider.get(reverse("dossiers:officer_dossier", args=[d.pk])).status_code == 404


def test_the_public_tracking_shows_no_postal_address(client: Client, w: World, nha_trang: AdministrativeUnit) -> None:
    d = services.dossier_receive(actor=w.counter, dossier=by_post(w), now=MONDAY)
    check = w.citizen.personal_id[-4:]
    api = client.get(f"{API}/{d.code}/status", {"check": check})
    page = client.post("/tra-cuu-ho-so/", {"ma": d.code, "so_kiem_tra": check})
    assert api.status_code == 200 and page.status_code == 200
    assert str(d.code) in page.content.decode()
    for text in (api.content.decode(), page.content.decode()):
        for personal in ("Yersin", "Nguyễn Thị Nhận", "0912345678"):
            assert personal not in text
