"""A signed-in citizen's own account in Chromium: numbers masked, an organization declared (a wrong
tax code first, named by the rule it breaks), everything held about them downloaded as JSON; no
serious accessibility violation, no Content Security Policy error."""

from __future__ import annotations

import datetime
import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accounts.models import OrganizationLink
from audit.models import AuditEvent
from org.tests.factories import citizen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def serious_violations(page) -> list:
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


@pytest.fixture
def signed_in_page(page, live_server):
    lan = citizen(
        "lan",
        full_name="Nguyễn Thị Lan",
        personal_id="051203000123",
        phone="0912345678",
        birth_date=datetime.date(2003, 5, 1),
    )
    client = Client()
    client.force_login(lan)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page, live_server.url, lan


def test_my_account_organizations_and_data(signed_in_page):
    page, base, lan = signed_in_page
    csp_errors: list[str] = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)

    page.goto(base + "/tai-khoan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tài khoản của tôi")
    expect(page.locator("main")).to_contain_text("051******123")
    expect(page.locator("main")).to_contain_text("091****678")
    assert "051203000123" not in page.content()
    assert serious_violations(page) == []

    page.get_by_role("link", name="Khai báo đại diện tổ chức").click()
    page.get_by_label("Tên tổ chức, doanh nghiệp").fill("Công ty TNHH Biển Xanh")
    page.get_by_label("Mã số thuế").fill("0101243151")
    page.get_by_role("button", name="Gửi khai báo").click()
    expect(page.locator(".errorlist")).to_contain_text("Chữ số kiểm tra (chữ số thứ 10) của mã số thuế không đúng.")
    assert serious_violations(page) == []
    page.get_by_label("Mã số thuế").fill("0101243150")
    page.get_by_role("button", name="Gửi khai báo").click()
    expect(page.get_by_role("status")).to_contain_text("Công ty TNHH Biển Xanh")
    expect(page.locator("table")).to_contain_text("Chờ cơ quan xác nhận")
    assert OrganizationLink.objects.get().user == lan

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải xuống dữ liệu của tôi").click()
    download = download_info.value
    assert download.suggested_filename.startswith("du-lieu-ca-nhan-")
    data = json.loads(download.path().read_text(encoding="utf-8"))
    assert data["sections"]["account"]["personal_id"] == "051203000123"
    assert data["sections"]["organization_links"][0]["organization_name"] == "Công ty TNHH Biển Xanh"
    assert AuditEvent.objects.filter(action="data_exported", actor=lan).count() == 1
    assert csp_errors == []
