"""Officers handle an online dossier in Chromium, each signed in with password and authenticator
code: the counter officer receives it and downloads the receipt (its text checked in the PDF),
hands it to the agency; the processing officer asks for a supplement; once the citizen has
supplemented, the officer forwards it and the leader approves; the counter tells the citizen and
returns the result; the dossier page's timeline shows every step. No CSP violation and no
serious accessibility violation on the queue and dossier pages."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from pypdf import PdfReader

from accounts.tests.officers import PASSWORD, totp_code
from documents import services as documents
from documents.models import Purpose
from documents.tests.samples import pdf as sample_pdf
from dossiers import services
from dossiers.models import Dossier
from dossiers.tests.factories import World, submitted, world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def w() -> World:
    w = world()
    for person in (w.counter, w.processor, w.leader):
        person.set_password(PASSWORD)
        person.save()
        TOTPDevice.objects.create(user=person, name="Điện thoại", confirmed=True)
    return w


def sign_in(browser: Any, base_url: str, user: Any, csp: list[str]) -> Any:
    """A phone-sized page where ``user`` has signed in with password and the authenticator."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    page.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(base_url + "/can-bo/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_url(re.compile(r"/can-bo/xac-thuc/$"))
    device = TOTPDevice.objects.get(user=user)
    page.get_by_label("Mã xác thực").fill(totp_code(device.key))
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/can-bo/$"))
    return page


def open_queue(page: Any, name: str) -> None:
    page.get_by_role("link", name="Hồ sơ cần xử lý").first.click()
    page.locator(".queue-tabs").get_by_role("link", name=re.compile(name)).click()
    page.wait_for_url(re.compile(r"hang-doi="))


def take(page: Any, action: str, button: str, fill: dict[str, str] | None = None) -> None:
    """Open an action of the dossier page, fill it in and send it; the page says it was done."""
    section = page.locator("details.action", has=page.locator("summary", has_text=action))
    if not section.evaluate("details => details.open"):
        section.locator("summary").click()
    for label, value in (fill or {}).items():
        field = section.get_by_label(label)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    section.get_by_role("button", name=button).click()
    page.locator(".messages").get_by_text(f"Đã thực hiện: {action}").wait_for()


def assert_accessible(page: Any) -> None:
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_an_online_dossier_from_reception_to_the_result(live_server: Any, browser: Any, w: World) -> None:
    csp: list[str] = []
    dossier = submitted(w, now=timezone.now())
    # The citizen's declaration, uploaded with the submission.
    stored = documents.file_store(
        data=sample_pdf(text="To khai dang ky khai sinh"), name="to-khai.pdf", actor=w.citizen
    )
    uploaded = documents.dossier_file_attach(
        dossier=dossier, stored_file=stored, required_document=w.version.documents.first(),
        purpose=Purpose.SUBMITTED, name="to-khai.pdf", actor=w.citizen,
    )  # fmt: skip
    # Its code was given at submission.
    code = dossier.code
    assert code and code.startswith(f"{w.unit.code}-")

    # The counter officer finds it by its code, opens the citizen's file, receives it and prints
    # the receipt.
    counter = sign_in(browser, live_server.url, w.counter, csp)
    open_queue(counter, "Chờ tiếp nhận")
    item = counter.locator(".queue-item", has_text=w.citizen.full_name)
    assert code in item.inner_text()
    assert "Chưa tính (hồ sơ chưa được tiếp nhận)" in item.inner_text()
    assert_accessible(counter)
    item.get_by_role("link", name=code).click()
    counter.get_by_role("heading", level=1, name=f"Hồ sơ {code}").wait_for()
    file_link = counter.get_by_role("link", name="to-khai.pdf")
    assert file_link.get_attribute("href") == f"/tep/{uploaded.pk}/"
    with counter.context.expect_page() as opened:
        file_link.click()
    tab = opened.value
    tab.wait_for_load_state()
    assert tab.url.endswith(f"/tep/{uploaded.pk}/")
    fetched = counter.request.get(live_server.url + f"/tep/{uploaded.pk}/")
    assert fetched.ok and fetched.headers["content-type"] == "application/pdf"
    assert "To khai dang ky khai sinh" in pdf_text(fetched.body())
    tab.close()
    take(counter, "Tiếp nhận hồ sơ", "Tiếp nhận và in giấy tiếp nhận")
    assert Dossier.objects.get(pk=dossier.pk).code == code  # reception gave no second code
    assert counter.get_by_role("heading", level=1).inner_text() == f"Hồ sơ {code}"
    left = counter.locator("dd.remaining").inner_text()
    assert re.fullmatch(r"Còn \d+ ngày làm việc(, sắp đến hạn)?", left.strip()), left
    counter.screenshot(path="/tmp/officer-received.png", full_page=True)
    receipt_link = counter.locator('a[data-slip="receipt"]')
    pdf = counter.request.get(live_server.url + receipt_link.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    receipt = pdf_text(pdf.body())
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in receipt.upper()
    assert code in receipt and w.citizen.full_name in receipt
    assert_accessible(counter)
    take(
        counter,
        "Chuyển cơ quan xử lý",
        "Chuyển cơ quan giải quyết",
        {"Chuyển cho": f"{w.processor} — Chuyên viên xử lý"},
    )

    # The processing officer asks for what is missing, all at once.
    processor = sign_in(browser, live_server.url, w.processor, csp)
    open_queue(processor, "Chờ xử lý")
    processor.get_by_role("link", name=code).click()
    processor.locator("summary", has_text="Yêu cầu bổ sung, hoàn thiện hồ sơ").click()
    processor.get_by_label("Tờ khai theo mẫu").check()
    processor.get_by_label(re.compile("Nội dung khác cần bổ sung")).fill("Bản sao giấy khai sinh có chứng thực")
    processor.get_by_role("button", name="Gửi yêu cầu bổ sung").click()
    processor.locator(".messages").get_by_text("Đã thực hiện: Yêu cầu bổ sung, hoàn thiện hồ sơ").wait_for()
    slip = processor.request.get(live_server.url + processor.locator('a[data-slip="supplement"]').get_attribute("href"))
    asked = pdf_text(slip.body())
    assert "Tờ khai theo mẫu" in asked and "Bản sao giấy khai sinh có chứng thực" in asked

    # The citizen supplements online.
    services.dossier_supplement(actor=w.citizen, dossier=Dossier.objects.get(pk=dossier.pk), note="Đã tải lên")

    processor.reload()
    take(processor, "Chuyển bước xử lý", "Chuyển bước xử lý", {"Chuyển cho": f"{w.leader} — Lãnh đạo"})

    # The leader approves.
    leader = sign_in(browser, live_server.url, w.leader, csp)
    open_queue(leader, "Chờ phê duyệt")
    leader.get_by_role("link", name=code).click()
    take(leader, "Phê duyệt", "Phê duyệt", {"Ghi chú": "Đồng ý"})
    assert "Đã xử lý xong" in leader.locator(".dossier-state").inner_text()

    # The counter tells the citizen and hands the result back.
    open_queue(counter, "Chờ trả kết quả")
    counter.get_by_role("link", name=code).click()
    take(counter, "Kết quả sẵn sàng", "Báo người nộp đã có kết quả")
    take(counter, "Trả kết quả", "Trả kết quả", {"Hình thức trả": "Tại Bộ phận Một cửa"})
    assert "Đã trả kết quả" in counter.locator(".dossier-state").inner_text()
    assert counter.locator("dd.remaining").inner_text().strip() == "Đã giải quyết đúng hạn"

    steps = counter.locator("#timeline > li strong").all_inner_texts()
    assert steps == [
        "Nộp hồ sơ",
        "Tiếp nhận hồ sơ",
        "Chuyển cơ quan xử lý",
        "Yêu cầu bổ sung, hoàn thiện hồ sơ",
        "Bổ sung hồ sơ",
        "Chuyển bước xử lý",
        "Phê duyệt",
        "Kết quả sẵn sàng",
        "Trả kết quả",
    ]
    timeline = counter.locator("#timeline").inner_text()
    assert "Bản sao giấy khai sinh có chứng thực" in timeline and str(w.leader) in timeline
    assert_accessible(counter)
    assert csp == []
