"""A judge scores an initiative in Chromium: the panel member signs in as an officer, opens the
judging list, reads the initiative without its author, gives points per criterion of the weighted
rubric, saves and sees the score out of 100 in the list. No CSP violation, no serious
accessibility issue."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from contest.models import Scorecard
from contest.tests.initiative_factories import initiative, initiative_contest, judge
from org.tests.factories import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = datetime.timedelta(days=1)


def serious(page) -> list:
    results = Axe().run(page)
    return [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_a_judge_scores_an_initiative_blind_against_the_weighted_rubric(live_server, page):
    now = timezone.now()
    contest = initiative_contest(opens=now - 30 * DAY, closes=now - DAY)
    item = initiative(contest, title="Phiếu hẹn điện tử gửi qua Zalo", at=now - 10 * DAY)
    jury = judge(contest, "giamkhao.an")
    client = Client()
    admin_login(client, jury)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    csp: list[str] = []
    page.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)

    page.goto(f"{live_server.url}/cuoc-thi/{contest.slug}/")
    page.get_by_role("link", name="Chấm sáng kiến").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chấm sáng kiến")
    expect(page.get_by_text("Đã chấm 0/1 sáng kiến.")).to_be_visible()
    assert serious(page) == []
    page.get_by_role("link", name="Phiếu hẹn điện tử gửi qua Zalo").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Phiếu chấm sáng kiến {item.code}")
    expect(page.get_by_text(item.solution)).to_be_visible()
    body = page.locator("main").inner_text() if page.locator("main").count() else page.inner_text("body")
    assert "Lê Thị Tác Giả" not in body and item.author_unit not in body  # chấm kín
    assert serious(page) == []
    page.get_by_label("Tính mới, sáng tạo").fill("11")  # above the criterion's 10 points
    page.get_by_label("Hiệu quả, lợi ích mang lại").fill("6")
    page.get_by_label("Khả năng nhân rộng").fill("10")
    page.get_by_role("button", name="Lưu phiếu chấm").click()
    expect(page.locator(".field-error").first).to_be_visible()
    assert not Scorecard.objects.exists()

    page.get_by_label("Tính mới, sáng tạo").fill("8")
    page.get_by_label("Nhận xét của thành viên hội đồng").fill("Giải pháp khả thi, chi phí thấp.")
    page.get_by_role("button", name="Lưu phiếu chấm").click()
    expect(page.get_by_text(f"Đã lưu phiếu chấm sáng kiến {item.code}: 76,00 điểm.")).to_be_visible()
    expect(page.get_by_text("Đã chấm 1/1 sáng kiến.")).to_be_visible()
    card = Scorecard.objects.get()
    assert (card.score, card.judge.user, card.comment) == (Decimal("76.00"), jury, "Giải pháp khả thi, chi phí thấp.")
    assert csp == []
