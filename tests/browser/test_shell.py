"""The shell on a phone: the home page shows the contexts' entry points to everyone; a counter
officer signed in finds their own (the dossier log book among them) in "Dành cho bạn" and in the
header's menu; a missing page says so in the visitor's language with the way home and the hotline.
axe-core finds no serious or critical accessibility violation on either page."""

from __future__ import annotations

import os
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from org.models import Role
from org.tests.factories import admin_login, agency, officer, one_stop_unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("MOTCUA_SCREENSHOTS")  # a folder to keep screenshots in, to look at them


def assert_accessible(page: Any) -> None:
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


def shot(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def sign_in_officer(page: Any, base_url: str, user: Any) -> None:
    client = Client()
    admin_login(client, user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )


def test_a_counter_officer_reaches_the_log_book_from_the_home_page_on_a_phone(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/")
    assert page.get_by_role("link", name="Gửi phản ánh, kiến nghị").first.is_visible()
    assert page.get_by_role("link", name="Sổ theo dõi hồ sơ").count() == 0
    assert_accessible(page)
    shot(page, "home-anonymous")

    sign_in_officer(
        page, live_server.url, officer("tiepnhan", {(home := agency("Sở Tư pháp")): [Role.COUNTER_OFFICER]})
    )
    one_stop_unit("Bộ phận Một cửa Sở Tư pháp", [home])
    page.goto(live_server.url + "/")
    for_you = page.locator("#for-you")
    for_you.get_by_role("link", name="Sổ theo dõi hồ sơ").wait_for()
    assert for_you.get_by_role("link", name="Hồ sơ cần xử lý").is_visible()
    assert_accessible(page)
    shot(page, "home-officer")

    page.locator(".account-menu summary").click()
    menu = page.locator(".account-menu ul")
    assert menu.is_visible() and menu.get_by_role("link", name="Trang cán bộ").is_visible()
    shot(page, "home-officer-menu")
    menu.get_by_role("link", name="Sổ theo dõi hồ sơ").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sổ theo dõi hồ sơ"
    assert page.get_by_label("Bộ phận Một cửa").input_value()
    shot(page, "log-book-form")


@pytest.mark.parametrize(
    ("prefix", "title", "home"),
    [("", "Không tìm thấy trang", "Về trang chủ"), ("/ja", "ページが見つかりません", "ホームへ戻る")],
)
def test_a_missing_page_on_a_phone(page: Any, live_server: Any, prefix: str, title: str, home: str) -> None:
    response = page.goto(live_server.url + prefix + "/trang-khong-co/")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert page.get_by_role("link", name=settings.PORTAL_HOTLINE).is_visible()
    assert_accessible(page)
    shot(page, f"not-found{prefix.replace('/', '-')}")
    page.get_by_role("link", name=home).click()
    page.wait_for_url(live_server.url + (prefix or "") + "/")
