"""An officer signs in for the first time: sets up the authenticator app from the key on the page,
keeps the recovery codes, lands on the officers' page with their agencies and roles; the next day
signs in with a code. No CSP violation, no serious accessibility violation on the way."""

from __future__ import annotations

import base64
import re
import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import TOTP

from accounts.tests.officers import PASSWORD, make_officer
from org.models import AdministrativeUnit, Agency, Membership, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer():
    user = make_officer("tiepnhan", full_name="Trần Thị Tiếp Nhận")
    unit = AdministrativeUnit.objects.create(code="56", name="Tỉnh Khánh Hòa", level="province")
    agency = Agency.objects.create(code="000.00.10.H41", name="Sở Tư pháp", level="province", administrative_unit=unit)
    Membership.objects.create(user=user, agency=agency, role=Role.COUNTER_OFFICER)
    return user


def code_for(key_text: str, *, at: float) -> str:
    """What the authenticator app shows once the key is typed into it by hand."""
    totp = TOTP(base64.b32decode(key_text.replace(" ", "")))
    totp.time = at
    return f"{totp.token():06d}"


def assert_accessible(page) -> None:
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


def sign_in_with_password(page, base_url: str) -> None:
    page.goto(base_url + "/can-bo/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("tiepnhan")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Tiếp tục").click()


def test_an_officer_enrols_the_authenticator_then_signs_in_with_it(live_server, page, officer):
    csp_violations: list[str] = []
    page.on("console", lambda msg: csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None)

    sign_in_with_password(page, live_server.url)
    page.wait_for_url(re.compile(r"/can-bo/dang-ky-xac-thuc/$"))
    qr = page.get_by_role("img", name="Mã QR để thêm tài khoản vào ứng dụng xác thực")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), "the QR code is drawn"
    assert_accessible(page)
    key = page.locator("#manual-key").inner_text()
    enrolled_at = time.time()
    page.get_by_label("Mã 6 chữ số trên ứng dụng").fill(code_for(key, at=enrolled_at))
    page.get_by_role("button", name="Xác nhận").click()

    page.get_by_role("heading", name="Mã khôi phục của bạn").wait_for()
    codes = page.locator(".recovery-codes li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{4}-[a-z2-7]{4}", c) for c in codes)
    page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()

    page.wait_for_url(re.compile(r"/can-bo/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Xin chào Trần Thị Tiếp Nhận"
    roles = page.locator("table.memberships").inner_text()
    assert "Sở Tư pháp" in roles and "Cán bộ Bộ phận Một cửa" in roles
    assert_accessible(page)
    page.locator("#main").get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(r"/can-bo/dang-nhap/$"))

    # Next time: password, then the code the app shows (one step later: a code works once).
    sign_in_with_password(page, live_server.url)
    page.wait_for_url(re.compile(r"/can-bo/xac-thuc/$"))
    page.get_by_label("Mã xác thực").fill(code_for(key, at=enrolled_at + 30))
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/can-bo/$"))
    assert "Sở Tư pháp" in page.locator("table.memberships").inner_text()
    assert csp_violations == []
