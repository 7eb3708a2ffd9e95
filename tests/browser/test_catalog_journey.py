"""A citizen on a phone finds a procedure, reads what to bring and what it costs, and switches
to English. axe-core finds no serious or critical accessibility violation on the public pages."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from catalog.models import FeeItem, LifeEvent
from catalog.services import catalog_revision_bump
from catalog.tests.factories import published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalog():
    marriage = published(
        "1.000894",
        "Thủ tục đăng ký kết hôn",
        documents=["Tờ khai đăng ký kết hôn theo mẫu", "Giấy xác nhận tình trạng hôn nhân"],
        translations={"en": "Marriage registration"},
    )
    FeeItem.objects.create(version=marriage, channel="in_person", amount_vnd=0, description="Miễn lệ phí")
    FeeItem.objects.create(
        version=marriage, channel="", amount_vnd=8000, unit="/bản sao", description="Bản sao trích lục"
    )
    published("1.001193", "Thủ tục đăng ký khai sinh", documents=["Giấy chứng sinh"])
    published("2.000806", "Thủ tục đăng ký kết hôn có yếu tố nước ngoài", documents=["Tờ khai"])
    LifeEvent.objects.create(slug="ket-hon", name="Kết hôn, gia đình").procedures.add(marriage.procedure)
    catalog_revision_bump()


def test_find_marriage_registration_and_read_it_in_english(live_server, page, catalog):
    page.goto(live_server.url + "/")
    page.get_by_label("Bạn cần làm thủ tục gì?").fill("dang ky ket hon")
    expect_suggestion = page.locator("#suggestions a").first
    expect_suggestion.wait_for()
    assert "đăng ký kết hôn" in expect_suggestion.inner_text()
    page.get_by_role("button", name="Tìm kiếm").click()
    page.wait_for_url(re.compile(r"/thu-tuc/\?q="))
    page.locator(".card-title a").first.click()
    page.wait_for_url(re.compile(r"/thu-tuc/1\.000894/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Thủ tục đăng ký kết hôn"
    fees = page.locator("table.fees").inner_text()
    assert "8.000 đồng" in fees and "Miễn phí" in fees
    assert "Giấy xác nhận tình trạng hôn nhân" in page.locator("table.documents").inner_text()
    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/en/thu-tuc/1\.000894/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Marriage registration"
    assert "8,000 VND" in page.locator("table.fees").inner_text()
    # The language stays as the citizen moves on.
    page.get_by_role("link", name=re.compile("Administrative procedures|Thủ tục hành chính")).first.click()
    assert "/en/" in page.url


def test_an_untranslated_procedure_says_so_in_english(live_server, page, catalog):
    page.goto(live_server.url + "/en/thu-tuc/1.001193/")
    assert page.get_by_role("heading", level=1).inner_text() == "Thủ tục đăng ký khai sinh"
    assert page.locator(".notice").is_visible()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/thu-tuc/?q=ket+hon",
        "/thu-tuc/1.000894/",
        "/linh-vuc/",
        "/co-quan/",
        "/lien-he/",
        "/su-kien/ket-hon/",
        "/en/thu-tuc/1.000894/",
    ],
)
def test_public_pages_have_no_serious_accessibility_violations(live_server, page, catalog, path):
    page.goto(live_server.url + path)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


def test_pages_run_no_inline_script_under_the_content_security_policy(live_server, page, catalog):
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(live_server.url + "/")
    page.get_by_label("Bạn cần làm thủ tục gì?").fill("khai sinh")
    page.locator("#suggestions a").first.wait_for()
    assert violations == []


def test_api_documentation_renders_from_local_assets(live_server, page):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(live_server.url + "/api/v1/docs")
    page.locator(".opblock").first.wait_for()
    assert "/api/v1/procedures" in page.locator("#swagger-ui").inner_text()
    assert all(url.startswith(live_server.url) for url in requests)
