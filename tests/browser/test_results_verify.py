"""Kết quả điện tử in Chromium: the leader approves, the result is signed by the agency; the
citizen downloads it from their dossier page, uploads it to the public verification page and
reads that it is valid, who signed it and its code. A tampered copy is shown as not valid. No CSP
violation, no serious accessibility issue."""

from __future__ import annotations

import hashlib

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from dossiers import services as dossier_services
from dossiers.rules import State
from dossiers.tests.factories import walk_to, world
from results.models import ElectronicResult

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(page) -> None:
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


def sign_in(page, base_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )


def test_the_citizen_downloads_the_signed_result_and_the_verification_page_finds_it_valid(
    live_server, page, tmp_path, settings
):
    settings.FILE_STORAGE_ROOT = tmp_path / "files"
    settings.RATE_LIMIT_VERIFY = "100000/m"
    w = world()
    dossier = walk_to(w, State.IN_PROGRESS)
    # Outside a test transaction the approval commits at once and its result is signed on commit.
    dossier = dossier_services.dossier_approve(actor=w.leader, dossier=dossier, note="Đồng ý.")
    dossier_services.dossier_result_ready(actor=w.counter, dossier=dossier)
    result = ElectronicResult.objects.get(dossier=dossier)
    csp: list[str] = []
    page.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)

    sign_in(page, live_server.url, w.citizen)
    page.goto(live_server.url + reverse("dossiers:detail", kwargs={"pk": dossier.pk}))
    link = page.locator(f'a[href^="/ho-so/{dossier.pk}/ket-qua/"]').first
    expect(link).to_be_visible()
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert download.suggested_filename == f"{result.code}.pdf"
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == result.sha256

    page.goto(live_server.url + reverse("results:verify"))
    page.set_input_files("#id_file", str(saved))
    page.get_by_role("button", name="Kiểm tra").click()

    answer = page.locator("#verify-answer")
    expect(answer.get_by_role("heading", name="Văn bản hợp lệ")).to_be_visible()
    expect(answer).to_contain_text(w.agency.name)
    expect(answer).to_contain_text(result.code)
    assert_accessible(page)

    tampered = tmp_path / "ket-qua-da-sua.pdf"
    tampered.write_bytes(saved.read_bytes().replace(b"/Subject (", b"/Subject (X", 1)[:-1])
    page.set_input_files("#id_file", str(tampered))
    page.get_by_role("button", name="Kiểm tra").click()
    expect(page.locator("#verify-answer").get_by_role("heading", name="Văn bản không hợp lệ")).to_be_visible()
    assert csp == []


def test_the_qr_code_of_the_result_opens_its_public_record(live_server, page, tmp_path, settings):
    settings.FILE_STORAGE_ROOT = tmp_path / "files"
    w = world()
    dossier = walk_to(w, State.IN_PROGRESS)
    dossier_services.dossier_approve(actor=w.leader, dossier=dossier)
    result = ElectronicResult.objects.get(dossier=dossier)

    page.goto(live_server.url + reverse("results:verify") + f"?ma={result.code}")

    record = page.locator("#verify-record")
    expect(record).to_contain_text(result.code)
    expect(record).to_contain_text(w.agency.name)
    expect(record).to_contain_text(result.sha256)
    expect(page.locator("body")).not_to_contain_text(w.citizen.full_name)
    assert_accessible(page)
