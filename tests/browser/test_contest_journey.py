"""A contest on a phone (390x844) in Chromium: a citizen registers with a phone code (read from the
SMS stand-in's outbox), takes a round, reloads in the middle and finds the saved answers, answers
the tie-break question, submits and sees the result; once the round is closed and ranked, the
answers explained with their legal basis and the leaderboard with masked names. No Content
Security Policy violation and no serious accessibility violation on the way."""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from contest import services
from contest.models import Answer, Attempt, Participant, Round
from contest.tests.factories import commune, contest_round
from integrations.sms import LocmemSmsBackend

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOUR = datetime.timedelta(hours=1)
SHOTS = Path(os.environ.get("MOTCUA_SCREENSHOTS", "/tmp/contest-shots"))


def serious(page: Any) -> list[Any]:
    results = Axe().run(page)
    return [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_register_with_a_phone_code_take_a_round_reload_submit_and_see_the_result(page: Any, live_server: Any):
    SHOTS.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    r = contest_round(opens=now - HOUR, closes=now + 24 * HOUR, time_limit_seconds=15 * 60)
    contest = r.contest
    contest.rules_text = "Mỗi người dự thi làm bài một lần mỗi tuần, trong 15 phút."
    contest.organiser = "Sở Tư pháp tỉnh Khánh Hòa"
    contest.save()
    commune("Phường Nha Trang")
    LocmemSmsBackend.outbox.clear()
    csp: list[str] = []
    page.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.on("dialog", lambda dialog: dialog.accept())
    base = live_server.url

    page.goto(base + "/cuoc-thi/")
    expect(page.get_by_text("Đang diễn ra").first).to_be_visible()
    page.screenshot(path=str(SHOTS / "1-list.png"), full_page=True)
    page.get_by_role("link", name="Xem thể lệ và dự thi").click()
    page.get_by_role("link", name="Đăng ký dự thi").first.click()

    page.get_by_label("Họ và tên").fill("Trần Thị Mai")
    page.get_by_label("Ngày sinh").fill("30/04/2001")
    page.get_by_label("Xã, phường nơi bạn sinh sống hoặc làm việc").select_option(label="Phường Nha Trang")
    page.get_by_label("Học sinh, sinh viên").check()
    page.get_by_label("Số điện thoại di động").fill("0905 123 456")
    page.screenshot(path=str(SHOTS / "2-register.png"), full_page=True)
    assert serious(page) == []
    page.get_by_role("button", name="Nhận mã xác nhận qua SMS").click()
    page.wait_for_url(re.compile(r"/xac-nhan-so-dien-thoai/$"))
    ((to, sms),) = LocmemSmsBackend.outbox
    code = re.search(r"\b(\d{6})\b", sms.text).group(1)  # type: ignore[union-attr]
    assert to == "0905123456"
    page.get_by_label("Mã xác nhận (6 chữ số)").fill(code)
    page.screenshot(path=str(SHOTS / "3-code.png"), full_page=True)
    page.get_by_role("button", name="Xác nhận và đăng ký").click()
    expect(page.get_by_text("Đăng ký dự thi thành công")).to_be_visible()
    assert Participant.objects.get().phone == "0905123456"
    page.screenshot(path=str(SHOTS / "4-registered.png"), full_page=True)

    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.wait_for_url(re.compile(r"/bai-thi/[0-9a-f-]{36}/$"))
    attempt = Attempt.objects.get()
    assert "correct" not in page.content() and "Nghị định 61/2018" not in page.content()
    expect(page.locator("#clock")).to_have_text(re.compile(r"^1[45]:\d\d$"))
    questions = page.locator("form.question:not(.prediction)")
    for i in range(3):
        question = questions.nth(i)
        for right in attempt.questions[i]["correct"]:  # the test knows; the page does not say
            question.locator(f"input[name=choice][value='{right}']").check()
            expect(question.locator(".save-slot")).to_contain_text("Đã lưu")
    expect(page.locator("#answered")).to_have_text("3")
    page.screenshot(path=str(SHOTS / "5-answering.png"), full_page=False)
    assert Answer.objects.filter(attempt=attempt).count() == 3
    assert serious(page) == []

    # A reload in the middle (a dropped connection, a closed tab): the saved answers are there.
    page.reload()
    for i in range(3):
        right = attempt.questions[i]["correct"][0]
        expect(questions.nth(i).locator(f"input[name=choice][value='{right}']")).to_be_checked()
    expect(page.locator("#answered")).to_have_text("3")
    # Changing an answer after the reload is kept (the counter continues from the server's).
    last = attempt.questions[-1]
    wrong = next(o["id"] for o in last["options"] if o["id"] not in last["correct"])
    questions.last.locator(f"input[name=choice][value='{wrong}']").check()
    expect(questions.last.locator(".save-slot")).to_contain_text("Đã lưu")
    questions.last.locator(f"input[name=choice][value='{wrong}']").uncheck() if last["kind"] == "multiple" else None
    right = last["correct"][0]
    questions.last.locator(f"input[name=choice][value='{right}']").check()
    expect(questions.last.locator(".save-slot")).to_contain_text("Đã lưu")
    page.wait_for_timeout(300)
    assert Answer.objects.get(attempt=attempt, question_id=last["id"]).chosen[-1] == right

    page.get_by_label(re.compile("có bao nhiêu người tham gia")).fill("2")
    page.get_by_label(re.compile("có bao nhiêu người tham gia")).blur()
    expect(page.locator("#du-doan .save-slot")).to_contain_text("Đã lưu")
    page.screenshot(path=str(SHOTS / "6-prediction.png"), full_page=False)
    page.get_by_role("button", name="Nộp bài").click()  # the dialog about unanswered questions is accepted
    page.wait_for_url(re.compile(r"/ket-qua/$"))
    expect(page.locator("#score")).to_contain_text("/10 điểm")
    assert (Attempt.objects.get().score or 0) >= 3  # the first three answered right
    expect(page.get_by_text("được công bố sau khi vòng thi kết thúc")).to_be_visible()
    page.screenshot(path=str(SHOTS / "7-submitted.png"), full_page=True)
    attempt.refresh_from_db()
    assert attempt.state == "submitted" and attempt.prediction == 2

    # The round ends; the worker closes and ranks it.
    closes = timezone.now() - datetime.timedelta(minutes=1)
    Round.objects.filter(pk=r.pk).update(opens_at=closes - 2 * HOUR, closes_at=closes)
    r.refresh_from_db()
    services.round_close(round_=r, now=timezone.now())
    page.reload()
    expect(page.get_by_text("Đáp án và giải thích")).to_be_visible()
    expect(page.get_by_text("Điều 5 Nghị định 61/2018/NĐ-CP").first).to_be_visible()
    page.screenshot(path=str(SHOTS / "8-result.png"), full_page=True)
    assert serious(page) == []
    page.get_by_role("link", name="Bảng xếp hạng và giải thưởng").click()
    expect(page.get_by_text("Trần T. M.").first).to_be_visible()
    expect(page.get_by_text("Giải Nhất").first).to_be_visible()
    assert "Trần Thị Mai" not in page.content()
    page.screenshot(path=str(SHOTS / "9-leaderboard.png"), full_page=True)
    assert csp == []
