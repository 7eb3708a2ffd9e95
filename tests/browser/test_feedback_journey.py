"""Feedback and satisfaction in Chromium: a citizen sends feedback without signing in and gets its
code; a hotline officer logs a call; the competent agency's officer answers the citizen's item and
publishes the answer after reading the redacted text; the public answer shows no personal data;
the citizen rates the answer by the link of its notification. And at the counter, a tablet paired
by an officer rates the dossier just returned, locked to it. No CSP violation on the way."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.officers import PASSWORD, totp_code
from dossiers.rules import State as DossierState
from dossiers.tests.factories import walk_to, world
from feedback.models import FeedbackItem
from feedback.rules import State
from feedback.tests.factories import make_desk
from notifications.models import Notification
from org.models import Role
from org.tests.factories import officer
from surveys.models import Rating

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _with_password(*people: Any) -> None:
    for person in people:
        person.set_password(PASSWORD)
        person.save()
        TOTPDevice.objects.create(user=person, name="Điện thoại", confirmed=True)


def _page(browser: Any, csp: list[str], width: int = 390) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
    return page


def sign_in(page: Any, base_url: str, user: Any) -> None:
    page.goto(base_url + "/can-bo/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_url(re.compile(r"/can-bo/xac-thuc/$"))
    page.get_by_label("Mã xác thực").fill(totp_code(TOTPDevice.objects.get(user=user).key))
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/can-bo/$"))


def test_feedback_from_the_form_and_the_hotline_to_a_published_answer_and_its_rating(
    browser: Any, live_server: Any, tmp_path: Any
):
    desk = make_desk()
    _with_password(desk.hotline, desk.handler)
    csp: list[str] = []
    base = live_server.url

    # A citizen, not signed in, on a phone.
    citizen = _page(browser, csp)
    citizen.goto(base + "/phan-anh/gui/")
    citizen.locator("#id_ho_ten").fill("Phạm Thị Hồng")
    citizen.get_by_label("Địa chỉ liên hệ").fill("23 Yersin, Nha Trang")
    citizen.locator("#id_dien_thoai").fill("0935 246 810")
    citizen.get_by_label("Phản ánh về").select_option(label="Phí, lệ phí, chi phí")
    citizen.locator("#id_tieu_de").fill("Thu lệ phí không đúng biểu phí")
    citizen.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Tôi là Phạm Thị Hồng, số điện thoại 0935 246 810. Khi nộp hồ sơ tôi bị thu 150.000 đồng thay vì 100.000 đồng."
    )
    citizen.wait_for_timeout(3200)  # a person takes longer than the time-to-fill check
    citizen.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    citizen.wait_for_url(re.compile(r"/phan-anh/da-gui/$"))
    code = citizen.locator("#fb-code").inner_text()
    citizen.screenshot(path=str(tmp_path / "feedback-sent.png"), full_page=True)
    item = FeedbackItem.objects.get(code=code)
    assert item.agency == desk.agency and item.state == State.FORWARDED  # routed at once by its topic
    assert "0935" not in citizen.url

    # A hotline officer logs a call at the desk.
    hotline = _page(browser, csp, width=1280)
    sign_in(hotline, base, desk.hotline)
    hotline.goto(base + "/can-bo/phan-anh/tiep-nhan/")
    hotline.get_by_label("Thời lượng (phút)").fill("3")
    hotline.locator("#id_ho_ten").fill("Lê Văn Tâm")
    hotline.get_by_label("Địa chỉ liên hệ").fill("Cam Ranh")
    hotline.locator("#id_dien_thoai").fill("0914 555 666")
    hotline.locator("#id_tieu_de").fill("Hỏi thời hạn cấp giấy phép")
    hotline.get_by_label("Nội dung phản ánh, kiến nghị").fill("Người gọi hỏi vì sao giấy phép chưa được cấp.")
    hotline.get_by_role("button", name="Ghi nhận", exact=True).click()
    hotline.locator(".messages").get_by_text("Đã ghi nhận phản ánh").wait_for()
    call = FeedbackItem.objects.get(channel="hotline")
    assert (call.call_seconds, call.received_by, call.state) == (180, desk.hotline, State.RECEIVED)
    assert call.code in hotline.locator("h1").inner_text()

    # The competent agency takes the citizen's item, answers, then publishes the redacted text.
    agency = _page(browser, csp, width=1280)
    sign_in(agency, base, desk.handler)
    agency.goto(base + "/can-bo/phan-anh/")
    agency.get_by_role("link", name=code).click()
    agency.locator('form[data-action="handle"] button').click()
    agency.locator(".messages").get_by_text("Đã thực hiện").wait_for()
    agency.locator("#tl").fill("Kính gửi bà Phạm Thị Hồng: Sở đã hoàn trả 50.000 đồng thu thừa và nhắc nhở cán bộ.")
    agency.locator('form[data-action="answer"] button').click()
    agency.locator(".messages").get_by_text("Đã thực hiện: Trả lời").wait_for()
    redacted = agency.locator("#tlck").input_value()
    assert "Hồng" not in redacted and "50.000 đồng" in redacted
    assert "0935" not in agency.locator("#hck").input_value()
    agency.screenshot(path=str(tmp_path / "feedback-answer.png"), full_page=True)
    agency.locator('form[data-action="publish"] button').click()
    agency.locator(".messages").get_by_text("Đã thực hiện: Công khai trả lời").wait_for()
    assert FeedbackItem.objects.get(code=code).state == State.PUBLISHED

    # Anyone finds it among the public answers, typing without diacritics, with nothing personal.
    citizen.goto(base + "/hoi-dap/")
    citizen.get_by_label("Tìm câu trả lời").fill("le phi bieu phi")
    citizen.locator("#main").get_by_role("button", name="Tìm", exact=True).click()
    citizen.get_by_role("link", name=re.compile("biểu phí")).click()
    public = citizen.locator("article").inner_text()
    assert "hoàn trả" in public and "Hồng" not in public and "0935" not in public and "Yersin" not in public

    # The citizen rates the answer by the link of the answer's notification (its path on this server).
    notice = Notification.objects.about(item).get(template_key="feedback.answer")
    link = notice.payload["rating_link"]
    assert "/danh-gia/phan-anh/" in link and item.sender_phone not in link
    citizen.goto(base + "/" + link.split("://", 1)[1].split("/", 1)[1])
    citizen.locator(".stars-field").first.get_by_text("4", exact=True).click()
    citizen.get_by_role("button", name="Gửi đánh giá").click()
    citizen.get_by_text("Cảm ơn bạn đã đánh giá").wait_for()
    assert Rating.objects.get(feedback_item=item).overall == 4
    assert csp == []


def test_a_citizen_rates_a_returned_dossier_on_the_counter_s_tablet(browser: Any, live_server: Any, tmp_path: Any):
    w = world()
    dossier = walk_to(w, DossierState.RETURNED, now=timezone.now())
    counter = officer("quaytablet", {w.agency: [Role.COUNTER_OFFICER]})
    colleague = officer("quaytablet2", {w.agency: [Role.COUNTER_OFFICER]})
    _with_password(counter, colleague)
    csp: list[str] = []
    base = live_server.url

    # Once, on the tablet: an officer pairs it, then signs out; it needs no sign-in afterwards.
    tablet = _page(browser, csp, width=1024)
    sign_in(tablet, base, colleague)
    tablet.goto(base + "/can-bo/danh-gia-tai-quay/")
    tablet.get_by_label("Tên máy (ví dụ: Quầy số 3)").fill("Quầy 3")
    tablet.get_by_role("button", name="Ghép máy").click()
    tablet.locator(".messages").get_by_text("Đã ghép máy").wait_for()
    tablet.context.clear_cookies(name="sessionid")
    tablet.goto(base + "/quay/danh-gia/")
    tablet.get_by_text("Mời ông/bà đánh giá").wait_for()

    # At the desk's computer, the officer invites the rating of the dossier just returned.
    desk = _page(browser, csp, width=1280)
    sign_in(desk, base, counter)
    desk.goto(base + "/can-bo/danh-gia-tai-quay/")
    desk.get_by_label("Mã hồ sơ vừa trả kết quả").fill(str(dossier.code))
    desk.get_by_role("button", name="Mời đánh giá").click()
    desk.locator(".messages").get_by_text("đang mời").wait_for()

    # The tablet shows that dossier (it polls), big buttons, one tap and send.
    tablet.get_by_text(str(dossier.code)).wait_for(timeout=10_000)
    assert dossier.applicant_name not in tablet.content()
    tablet.screenshot(path=str(tmp_path / "kiosk.png"), full_page=True)
    tablet.locator(".stars-field").first.get_by_text("5", exact=True).click()
    tablet.get_by_role("button", name="Gửi đánh giá").click()
    tablet.locator("#kiosk-thanks").wait_for()
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.overall, rating.channel) == (5, "kiosk")
    assert str(dossier.code) not in tablet.locator("#kiosk").inner_text()
    assert csp == []
