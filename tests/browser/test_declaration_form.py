"""Đăng ký khai sinh with the real tờ khai (catalog/declaration_forms/1.001193.json) on a phone:
a mother signs in through the VNeID stand-in and finds herself already written as the mother and
as the person asking; she says the father is known, which shows his part; a birth date in the
future and a father's ID of five digits are both told at once, beside their fields and in the
summary; corrected, the dossier is submitted with the form's data as typed, dates stored ISO."""

from __future__ import annotations

import datetime
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from playwright.sync_api import expect

from catalog.services import declaration_form_load
from dossiers.models import Dossier
from dossiers.rules import State
from dossiers.tests.factories import world
from idp.citizens import CITIZENS

from .test_citizen_dossiers import jpeg, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NGOC = CITIZENS[1]  # a woman (the fourth digit of her personal ID says so)
SHOTS = os.environ.get("MOTCUA_SCREENSHOTS", "")
BIRTH = json.loads(
    (Path(django_settings.BASE_DIR) / "catalog" / "declaration_forms" / "1.001193.json").read_text(encoding="utf-8")
)


def shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def fill_child_and_mother(page: Any, *, born: str) -> None:
    """What VNeID cannot know: the child, and the mother's ethnicity and residence."""
    page.locator("#d-child-full_name").fill("Trần Minh Khang")
    page.locator("#d-child-birth_date").fill(born)
    page.get_by_label("Nam", exact=True).check()
    page.locator("#d-child-ethnicity").fill("Kinh")
    page.locator("#d-child-birth_place").fill("Bệnh viện Đa khoa tỉnh Khánh Hòa, phường Nha Trang")
    page.locator("#d-child-hometown").fill("Phường Nha Trang, tỉnh Khánh Hòa")
    page.locator("#d-mother-ethnicity").fill("Kinh")
    page.locator("#d-declarant-residence").fill("25 Lê Thánh Tôn, phường Nha Trang, tỉnh Khánh Hòa")
    page.locator("#d-mother-residence").fill("25 Lê Thánh Tôn, phường Nha Trang, tỉnh Khánh Hòa")


def test_a_mother_registers_a_birth_with_the_real_form(page: Any, portal: str) -> None:
    w = world(documents=["Giấy chứng sinh"])
    form, _done = declaration_form_load(BIRTH | {"procedure_code": w.version.procedure.code})
    assert form is not None
    csp_errors: list[str] = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)

    page.goto(f"{portal}/thu-tuc/{w.version.procedure.code}/")
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()
    page.get_by_role("radio", name=re.compile(NGOC.full_name)).check()
    page.get_by_role("button", name="Đồng ý và đăng nhập").click()
    page.wait_for_url(re.compile(r"/nop-ho-so/"))

    # Prefilled from VNeID: she asks, and she is the mother.
    expect(page.get_by_role("heading", name="2. Tờ khai")).to_be_visible()
    expect(page.locator("#d-declarant-full_name")).to_have_value(NGOC.full_name)
    expect(page.locator("#d-declarant-id_number")).to_have_value(NGOC.personal_id)
    expect(page.locator("#d-declarant-relationship")).to_have_value("Mẹ")
    expect(page.locator("#d-mother-full_name")).to_have_value(NGOC.full_name)
    expect(page.locator("#d-mother-personal_id")).to_have_value(NGOC.personal_id)
    expect(page.locator("#d-mother-birth_year")).to_have_value(str(NGOC.birth_date.year))
    father = page.locator("fieldset", has=page.get_by_text("Thông tin người cha", exact=True))
    expect(father).to_be_hidden()
    page.get_by_label("Đã xác định được cha").check()
    expect(father).to_be_visible()
    shot(page, "declaration-1-prefilled")

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    fill_child_and_mother(page, born=tomorrow.strftime("%d/%m/%Y"))
    page.get_by_label("Họ, chữ đệm và tên người cha").fill("Trần Văn Hùng")
    page.locator("#d-father-birth_year").fill("1990")
    page.locator("#d-father-ethnicity").fill("Kinh")
    expect(page.locator("#d-father-nationality")).to_have_value("Việt Nam")
    page.locator("#d-father-residence").fill("25 Lê Thánh Tôn, phường Nha Trang, tỉnh Khánh Hòa")
    page.locator("#d-father-personal_id").fill("05609")
    page.get_by_label("Địa chỉ liên hệ").fill("25 Lê Thánh Tôn, phường Nha Trang")
    page.get_by_label("Trực tuyến").check()
    (slot,) = list(w.version.documents.all())
    page.locator(f"#id_document_{slot.pk}").set_input_files(
        files=[{"name": "giay-chung-sinh.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
    )
    page.get_by_role("button", name="Xem lại trước khi nộp").click()

    # Both problems at once, beside their fields and in the summary that takes the focus.
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Ngày, tháng, năm sinh (người được khai sinh): không được sau ngày hôm nay.")
    expect(summary).to_contain_text("Số định danh cá nhân (người cha): phải gồm đúng 12 chữ số.")
    expect(summary.locator("li")).to_have_count(2)
    expect(page.locator("#d-child-birth_date-error")).to_have_text("Không được sau ngày hôm nay.")
    expect(page.locator("#d-father-personal_id")).to_have_attribute("aria-invalid", "true")
    expect(father).to_be_visible()  # the father's part is still shown, as typed
    expect(page.locator("#d-father-full_name")).to_have_value("Trần Văn Hùng")
    assert serious_violations(page) == []
    shot(page, "declaration-2-errors")
    assert not Dossier.objects.exists()

    page.locator("#d-child-birth_date").fill("07/11/2025")
    page.locator("#d-father-personal_id").fill("056090001234")
    page.get_by_role("button", name="Xem lại trước khi nộp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xem lại hồ sơ trước khi nộp")
    expect(page.locator("main")).to_contain_text("Tờ khai đăng ký khai sinh")
    expect(page.locator("main")).to_contain_text("07/11/2025")
    shot(page, "declaration-3-review")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bạn đã nộp hồ sơ thành công")

    dossier = Dossier.objects.get()
    assert dossier.state == State.SUBMITTED and dossier.declaration_form == form
    data = dossier.form_data
    assert data["child"]["birth_date"] == "2025-11-07" and data["child"]["sex"] == "Nam"
    assert data["mother"]["personal_id"] == NGOC.personal_id and data["mother"]["birth_year"] == 1992
    assert data["father"]["personal_id"] == "056090001234" and data["copies"] == 1
    assert csp_errors == []


def test_members_moving_with_the_applicant_are_added_and_removed(page: Any, portal: str) -> None:
    w = world(documents=["Giấy tờ chứng minh chỗ ở hợp pháp"])
    ct01 = json.loads(
        (Path(django_settings.BASE_DIR) / "catalog" / "declaration_forms" / "1.004222.json").read_text(encoding="utf-8")
    )
    declaration_form_load(ct01 | {"procedure_code": w.version.procedure.code})
    an = CITIZENS[0]
    page.goto(f"{portal}/thu-tuc/{w.version.procedure.code}/")
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()
    page.get_by_role("radio", name=re.compile(an.full_name)).check()
    page.get_by_role("button", name="Đồng ý và đăng nhập").click()
    page.wait_for_url(re.compile(r"/nop-ho-so/"))
    expect(page.locator("#d-applicant-birth_date")).to_have_value(an.birth_date.strftime("%d/%m/%Y"))

    add = page.get_by_role("button", name="Thêm người cùng thay đổi")
    add.click()
    add.click()
    rows = page.locator(".decl-row:not(template .decl-row)")
    expect(rows).to_have_count(2)
    expect(rows.nth(1).locator(":scope > legend")).to_have_text("Người thứ 2")
    rows.nth(1).locator("input[name$='.full_name']").fill("Nguyễn Thị Mai")
    rows.nth(1).locator("input[name$='.birth_date']").fill("02/09/1988")
    rows.nth(1).get_by_label("Nữ").check()
    rows.nth(1).locator("input[name$='.relationship']").fill("Vợ")
    rows.nth(0).get_by_role("button", name="Bỏ người này").click()
    expect(rows).to_have_count(1)
    expect(rows.nth(0).locator(":scope > legend")).to_have_text("Người thứ 1")
    shot(page, "ct01-members")

    expect(page.locator("#d-applicant-sex-1")).to_be_checked()  # Nam, as his personal ID says
    page.locator("#d-household_head-full_name").fill(an.full_name)
    page.locator("#d-household_head-relationship").fill("Chủ hộ")
    page.locator("#d-household_head-personal_id").fill(an.personal_id)
    page.locator("#d-request").fill("Đăng ký thường trú tại 25 Lê Thánh Tôn, phường Nha Trang, tỉnh Khánh Hòa.")
    page.get_by_label("Địa chỉ liên hệ").fill("25 Lê Thánh Tôn, phường Nha Trang")
    page.get_by_label("Trực tuyến").check()
    (slot,) = list(w.version.documents.all())
    page.locator(f"#id_document_{slot.pk}").set_input_files(
        files=[{"name": "cho-o.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
    )
    page.get_by_role("button", name="Xem lại trước khi nộp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xem lại hồ sơ trước khi nộp")
    expect(page.locator("main")).to_contain_text("Nguyễn Thị Mai")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bạn đã nộp hồ sơ thành công")
    members = Dossier.objects.get().form_data["members"]
    assert members == [{"full_name": "Nguyễn Thị Mai", "birth_date": "1988-09-02", "sex": "Nữ", "relationship": "Vợ"}]
