"""Đăng ký khai sinh online on a phone, with the required documents as the national database
publishes them for 1.001193: the birth certificate (Giấy chứng sinh) is the one file everybody
must upload; the papers for particular cases may be left out; the identity card and the proof of
residence are only shown in person and never asked for as files. A submission without the birth
certificate is refused with the slot named, every problem at once."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from catalog.models import RequiredDocument
from catalog.rules import document_requirement
from dossiers.models import Dossier
from dossiers.rules import State
from dossiers.tests.factories import world
from idp.citizens import CITIZENS

from .test_citizen_dossiers import jpeg, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AN = CITIZENS[0]
SHOTS = os.environ.get("MOTCUA_SCREENSHOTS", "")


def shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def birth_registration_documents() -> list[dict[str, Any]]:
    path = django_settings.SHARED_DATA_DIR / "procedures.json"
    if not path.is_file():
        pytest.skip(f"{path} is not here (MOTCUA_SHARED_DATA)")
    records = json.loads(path.read_text(encoding="utf-8"))
    return next(r for r in records if r["code"] == "1.001193")["documents_detail"]


def test_the_birth_certificate_is_required_and_the_id_card_only_shown(page: Any, portal: str) -> None:
    w = world(processing_days=1)
    w.version.documents.all().delete()
    for position, row in enumerate(birth_registration_documents()):
        requirement = document_requirement(row["case"], row["name"])
        RequiredDocument.objects.create(
            version=w.version,
            case=row["case"],
            name=row["name"],
            original_count=row["original"],
            required=requirement.required,
            presented_only=requirement.presented_only,
            position=position,
        )
    certificate = RequiredDocument.objects.get(version=w.version, name__startswith="Giấy chứng sinh")
    identity = RequiredDocument.objects.get(version=w.version, name__startswith="Hộ chiếu/Thẻ căn cước")

    page.goto(f"{portal}/thu-tuc/{w.version.procedure.code}/")
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()
    page.get_by_role("radio", name=re.compile(AN.full_name)).check()
    page.get_by_role("button", name="Đồng ý và đăng nhập").click()
    page.wait_for_url(re.compile(r"/nop-ho-so/"))
    expect(page.locator(".intake-procedure")).to_contain_text("Thời hạn giải quyết 1 ngày làm việc")
    expect(page.locator(f"#slot-{certificate.pk}")).to_contain_text("(bắt buộc)")
    expect(page.locator("#presented-documents")).to_contain_text("Hộ chiếu/Thẻ căn cước công dân")
    expect(page.locator(f"#id_document_{identity.pk}")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Giấy tờ phải nộp:.")
    expect(page.locator(".slot .required")).to_have_count(1)

    # Nothing uploaded and a phone number too short: both told in one round, the slot named.
    page.locator("#id_phone").fill("0905")
    page.get_by_label("Địa chỉ liên hệ").fill("25 Lê Thánh Tôn, phường Nha Trang")
    page.get_by_label("Trực tuyến").check()
    page.get_by_role("button", name="Xem lại trước khi nộp").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Giấy chứng sinh; trường hợp không có Giấy chứng sinh")
    expect(summary).to_contain_text("Cần tải lên giấy tờ này.")
    expect(summary.locator('a[href="#id_phone"]')).to_have_count(1)
    expect(summary).to_be_focused()
    assert serious_violations(page) == []
    shot(page, "birth-1-refused")
    assert not Dossier.objects.exists()

    page.locator("#id_phone").fill("0905123456")
    page.locator(f"#id_document_{certificate.pk}").set_input_files(
        files=[{"name": "giay-chung-sinh.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
    )
    page.get_by_role("button", name="Xem lại trước khi nộp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xem lại hồ sơ trước khi nộp")
    expect(page.locator("main")).to_contain_text("Giấy tờ xuất trình khi đến cơ quan")
    shot(page, "birth-2-review")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bạn đã nộp hồ sơ thành công")
    assert Dossier.objects.get().state == State.SUBMITTED
