"""The news section in Chromium: an editor drafts an article in Wagtail's admin and submits it; a
reviewer approves it; it is then in the list and in the RSS feed. The centre's electronic board
rotates its slides, shows today's figures after the network comes back, and its page does not
grow as it runs. axe-core finds no serious or critical violation on the section's new pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.officers import PASSWORD, totp_code
from dossiers.rules import State
from dossiers.tests.factories import walk_to, world
from news.demo import load_documents, load_events, load_indices
from news.models import ArticlePage, SignageSettings
from news.tests import factories as f
from org.models import Role
from org.tests.factories import agency, officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(browser: Any, base_url: str, user: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.goto(base_url + "/can-bo/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_url(re.compile(r"/can-bo/xac-thuc/$"))
    page.get_by_label("Mã xác thực").fill(totp_code(TOTPDevice.objects.get(user=user).key))
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/can-bo/$"))
    return page


def officer_with(username: str, role: str) -> Any:
    person = officer(username, {agency(f"Văn phòng {username}"): [role]}, email=f"{username}@example.vn")
    person.set_password(PASSWORD)
    person.save()
    TOTPDevice.objects.create(user=person, name="Điện thoại", confirmed=True)
    return person


def assert_accessible(page: Any) -> None:
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


def test_an_editor_drafts_a_reviewer_approves_and_it_is_listed_and_in_the_feed(live_server, browser):
    index = f.article_index()
    editor = officer_with("bientap", Role.EDITOR)
    reviewer = officer_with("duyettin", Role.NEWS_REVIEWER)
    title = "Phường Nha Trang tiếp nhận hồ sơ không phụ thuộc địa giới"

    desk = sign_in(browser, live_server.url, editor)
    desk.goto(f"{live_server.url}/cms/pages/add/news/articlepage/{index.pk}/")
    desk.locator("#id_title").fill(title)
    desk.locator("#id_summary").fill("Người dân nộp hồ sơ tại bất kỳ điểm tiếp nhận nào trong tỉnh.")
    desk.locator("#id_slug").evaluate("(el) => { el.value = 'tiep-nhan-khong-phu-thuoc-dia-gioi'; }")
    with desk.expect_navigation():
        desk.locator('button[name="action-submit"]').evaluate("(button) => button.click()")
    draft = ArticlePage.objects.get(title=title)
    assert not draft.live and draft.current_workflow_state is not None
    assert desk.context.request.get(f"{live_server.url}/tin-tuc/bai-viet/").text().count(title) == 0

    review = sign_in(browser, live_server.url, reviewer)
    review.goto(f"{live_server.url}/cms/pages/{draft.pk}/edit/")
    with review.expect_navigation():
        review.locator('button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])').evaluate(
            "(button) => button.click()"
        )
    draft.refresh_from_db()
    assert draft.live

    visitor = browser.new_context(locale="vi-VN").new_page()
    visitor.goto(live_server.url + "/tin-tuc/bai-viet/")
    visitor.get_by_role("link", name=title).click()
    visitor.get_by_role("heading", level=1, name=title).wait_for()
    feed = visitor.request.get(live_server.url + "/tin-tuc/rss/bai-viet/")
    assert title in feed.text()
    box = visitor.get_by_role("searchbox", name="Tìm kiếm trên Cổng")
    box.fill("tiep nhan khong phu thuoc dia gioi")
    box.press("Enter")
    visitor.get_by_role("heading", level=2, name=re.compile("^Tin, bài")).wait_for()
    visitor.get_by_role("link", name=title).wait_for()


@pytest.mark.parametrize(
    "path",
    [
        "/tin-tuc/",
        "/tin-tuc/bai-viet/",
        "/tin-tuc/van-ban/",
        "/tin-tuc/su-kien/",
        "/tin-tuc/chi-so/",
        "/tin-tuc/ban-tin/",
        "/bang-dien-tu/",
    ],
)
def test_the_new_public_pages_have_no_serious_accessibility_violation(live_server, page, path):
    f.event_index()
    load_events()
    load_indices()
    f.bulletin(1, items=[f.article("Tin trong bản tin")])
    if path == "/tin-tuc/van-ban/":
        load_documents()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server.url + path)
    if path == "/tin-tuc/chi-so/":
        page.locator("canvas[data-index-chart]").first.wait_for()
        page.wait_for_function("() => window.Chart && Object.keys(window.Chart.instances).length === 4")
    assert_accessible(page)
    assert errors == []


def test_the_board_rotates_shows_todays_figures_after_the_network_returns_and_does_not_grow(live_server, browser):
    w = world()
    walk_to(w, State.RECEIVED, now=None)
    config = SignageSettings.load()
    config.slogans = "Một cửa, một lần, một nơi\nNộp trực tuyến, nhận kết quả tại nhà"
    config.seconds_per_slide = 5
    config.save()

    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="vi-VN")
    board = context.new_page()
    # The network is down when the board starts: the figures cannot be read.
    context.route("**/api/v1/figures/today", lambda route: route.abort())
    board.goto(live_server.url + "/bang-dien-tu/")
    board.locator("#board-status.offline").wait_for()
    assert board.locator('[data-figure="received_today"]').text_content() == "…"
    # It comes back: the next try (2 s later, at most) reads them.
    context.unroute("**/api/v1/figures/today")
    board.wait_for_function(
        "() => document.querySelector('[data-figure=\"received_today\"]').textContent === '1'", timeout=15000
    )
    assert not board.locator("#board-status").evaluate("el => el.classList.contains('offline')")
    assert re.fullmatch(r"\d+([,.]\d)?%|—", board.locator('[data-figure="online_share"]').text_content())

    # It rotates: slogan 1, slogan 2, figures, and round again; the page does not grow.
    assert board.locator("body").get_attribute("data-slide") == "0"
    nodes = board.evaluate("() => document.getElementsByTagName('*').length")
    board.wait_for_function("() => document.body.dataset.slide === '1'", timeout=8000)
    board.wait_for_function("() => document.body.dataset.slide === '2'", timeout=8000)
    assert board.locator(".slide-figures").is_visible() and not board.locator(".slide-slogan").first.is_visible()
    board.wait_for_function("() => document.body.dataset.slide === '0'", timeout=8000)
    assert board.evaluate("() => document.getElementsByTagName('*').length") == nodes
    # Readable from 5 metres: the slogan's text is large on a 1080-pixel screen.
    size = board.locator(".slogan").first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= 64
    context.close()
