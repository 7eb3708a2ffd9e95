"""Số hóa tại Bộ phận Một cửa in Chromium: the counter officer scans two pages of a handed-in
document into its slot, enters its metadata and sees it digitized; the applicant then finds it in
their data store (kho dữ liệu) and opens it. No CSP violation, no serious accessibility issue."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from documents.seed import document_types_seed
from documents.tests import samples
from dossiers.rules import State
from dossiers.tests.factories import walk_to, world
from org.tests.factories import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLOW = 90_000  # ms: recognition of the scan runs on commit (tasks run eagerly in tests)


def assert_accessible(page) -> None:
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


def sign_in(page, base_url: str, user, *, officer: bool) -> None:
    client = Client()
    if officer:
        admin_login(client, user)
    else:
        client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )


def test_the_counter_officer_digitizes_a_document_and_the_citizen_finds_it_in_the_store(
    live_server, page, tmp_path, settings
):
    settings.FILE_STORAGE_ROOT = tmp_path / "files"
    document_types_seed()  # an earlier transactional test may have emptied the table
    w = world(documents=["Bản sao Giấy khai sinh"])
    dossier = walk_to(w, State.RECEIVED)
    first, second = tmp_path / "trang-1.jpg", tmp_path / "trang-2.png"
    first.write_bytes(samples.jpeg(samples.scan_image(["GIẤY KHAI SINH", "Họ và tên: Nguyễn Thị Hường"])))
    second.write_bytes(samples.png(samples.scan_image(["Nơi sinh: Khánh Hòa", "Số: 125/2020"])))
    csp: list[str] = []
    page.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)

    sign_in(page, live_server.url, w.counter, officer=True)
    page.goto(f"{live_server.url}/can-bo/ho-so/{dossier.pk}/so-hoa/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Số hóa hồ sơ {dossier.code}")
    slot = page.locator("section.digitize-slot").first
    expect(slot).to_contain_text("chưa số hóa")
    expect(page.locator("#dossier-digitized")).to_have_text("Hồ sơ chưa số hóa đủ")
    assert_accessible(page)

    slot.get_by_label("Bản quét").set_input_files([str(first), str(second)])
    expect(slot.get_by_label("Loại giấy tờ")).to_have_value(str(_type_pk("giay-khai-sinh")))  # from the slot's name
    expect(slot.get_by_label("Người được cấp")).to_have_value(dossier.applicant_name)
    slot.get_by_label("Số, ký hiệu").fill("125/2020")
    slot.get_by_label("Cơ quan cấp").fill("Ủy ban nhân dân phường Nha Trang")
    slot.get_by_label("Ngày cấp").fill("2020-03-20")
    slot.get_by_label("Người được cấp").fill("Nguyễn Thị Hường")
    slot.get_by_role("button", name="Lưu giấy tờ này").click()

    expect(page.locator("#dossier-digitized")).to_have_text("Hồ sơ đã số hóa", timeout=SLOW)
    slot = page.locator("section.digitize-slot").first
    expect(slot.locator(".badge-done")).to_have_text("đã số hóa")
    expect(slot).to_contain_text("2 trang")
    expect(slot.get_by_label("Số, ký hiệu")).to_have_value("125/2020")
    assert_accessible(page)

    scan = dossier.files.get(replaced_at__isnull=True)
    assert scan.stored_file.content_type == "application/pdf" and scan.stored_file.page_count == 2
    response = page.request.get(f"{live_server.url}/tep/{scan.pk}/")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    # The applicant's store now holds it.
    sign_in(page, live_server.url, w.citizen, officer=False)
    page.goto(f"{live_server.url}/kho-du-lieu/")
    item = page.locator(".store-item").first
    expect(item.get_by_role("heading")).to_have_text("Giấy khai sinh")
    expect(item).to_contain_text("125/2020")
    expect(item).to_contain_text("ngày 20 tháng 3 năm 2020")
    assert_accessible(page)
    response = page.request.get(live_server.url + (item.get_by_role("link", name="Tải về").get_attribute("href") or ""))
    assert response.status == 200 and response.body().startswith(b"%PDF-")
    assert re.search(r"attachment;", response.headers["content-disposition"])
    assert csp == []


def _type_pk(code: str) -> int:
    from documents.models import DocumentType

    return DocumentType.objects.get(code=code).pk
