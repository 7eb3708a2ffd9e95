"""A citizen signs in with VNeID (the local stand-in, served by the same live server) and signs out
again, in Chromium; the pages on the way have no serious accessibility violation and break no
Content Security Policy rule."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from playwright.sync_api import expect

from accounts.models import User
from audit.models import AuditEvent
from idp.citizens import CITIZENS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NGOC = CITIZENS[1]


@pytest.fixture
def vneid(live_server, settings):
    """The portal's OpenID Connect client pointed at the provider on the live server itself."""
    settings.OIDC_ISSUER = live_server.url + "/idp"
    settings.LOCAL_IDP_ISSUER = ""
    settings.RATE_LIMIT_SIGNIN = "10000/m"
    cache.clear()
    yield live_server.url
    cache.clear()


def serious_violations(page) -> list:
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


def test_sign_in_with_vneid_and_sign_out(page, vneid):
    requested: list[str] = []
    csp_errors: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)

    page.goto(vneid + "/")
    page.locator("#account-area").get_by_role("link", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/dang-nhap/\?next=/$"))
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()

    page.wait_for_url(re.compile(r"/idp/authorize\?"))
    expect(page.get_by_text("VNeID – môi trường thử nghiệm")).to_be_visible()
    page.get_by_role("radio", name=re.compile(NGOC.full_name)).check()
    expect(page.get_by_role("radio", name=re.compile("LoA2"))).to_be_checked()
    page.get_by_role("button", name="Đồng ý và đăng nhập").click()

    page.wait_for_url(vneid + "/")
    account = page.locator("#account-area")
    expect(account).to_contain_text(NGOC.full_name)
    user = User.objects.get()
    assert user.personal_id == NGOC.personal_id and user.full_name == NGOC.full_name

    account.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(r"/da-dang-xuat/\?state="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bạn đã đăng xuất")
    expect(page.locator("#account-area").get_by_role("link", name="Đăng nhập")).to_be_visible()
    assert any(url.startswith(vneid + "/idp/end-session?id_token_hint=") for url in requested)
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == ["sign_in", "sign_out"]
    assert csp_errors == []


def test_sign_in_pages_have_no_serious_accessibility_violations(page, vneid):
    page.goto(vneid + "/dang-nhap/")
    assert serious_violations(page) == []
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()
    page.wait_for_url(re.compile(r"/idp/authorize\?"))
    assert serious_violations(page) == []
    page.get_by_role("button", name="Hủy").click()
    page.wait_for_url(re.compile(r"/dang-nhap/vneid/callback/\?error=access_denied"))
    expect(page.get_by_role("alert")).to_contain_text("Bạn đã hủy đăng nhập bằng VNeID")
    assert serious_violations(page) == []
    assert not User.objects.exists()
