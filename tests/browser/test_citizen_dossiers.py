"""A citizen's whole online journey in Chromium at phone size: from the procedure's page, signed
in through the VNeID stand-in, they fill the online form, upload the required documents, review
and submit; find the dossier in "Hồ sơ của tôi"; after an officer asks for a supplement they
upload it; and they track the dossier on the public tracking page. No Content Security Policy
error, no serious accessibility violation on the forms."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import expect
from reportlab.pdfgen import canvas

from accounts.models import User
from catalog.testing import published_form
from documents.models import DossierFile
from dossiers import services
from dossiers.models import Dossier
from dossiers.rules import State
from dossiers.tests.factories import world
from idp.citizens import CITIZENS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AN = CITIZENS[0]
# MOTCUA_SCREENSHOTS=<folder> keeps the phone-size screenshots of the journey for a person to look at.
SHOTS = os.environ.get("MOTCUA_SCREENSHOTS", "")


def pdf(text: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), "white").save(buffer, "JPEG")
    return buffer.getvalue()


def shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def serious_violations(page: Any) -> list[Any]:
    results = Axe().run(page)
    return [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def test_a_citizen_submits_online_supplements_and_tracks(page: Any, portal: str) -> None:
    w = world(documents=["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"])
    published_form(
        w.version.procedure, {"ho_ten_tre": {"type": "string", "title": "Họ, chữ đệm và tên của trẻ"}}, ["ho_ten_tre"]
    )
    form_doc, birth_doc = list(w.version.documents.order_by("position"))
    csp_errors: list[str] = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)

    # From the procedure's page to the form, through the sign-in.
    page.goto(f"{portal}/thu-tuc/{w.version.procedure.code}/")
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()
    page.wait_for_url(re.compile(r"/dang-nhap/\?next="))
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()
    page.get_by_role("radio", name=re.compile(AN.full_name)).check()
    page.get_by_role("button", name="Đồng ý và đăng nhập").click()
    page.wait_for_url(re.compile(r"/nop-ho-so/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nộp hồ sơ trực tuyến")
    expect(page.locator(".identity")).to_contain_text(AN.full_name)

    # A first try without the birth certificate: the summary says what is missing.
    page.get_by_label("Địa chỉ liên hệ").fill("25 Lê Thánh Tôn, phường Nha Trang")
    page.get_by_label("Trực tuyến").check()
    page.get_by_label(re.compile("Họ, chữ đệm và tên của trẻ")).fill("Nguyễn Minh Khang")
    page.locator(f"#id_document_{form_doc.pk}").set_input_files(
        files=[{"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": pdf("To khai")}]
    )
    page.get_by_role("button", name="Xem lại trước khi nộp").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Cần tải lên giấy tờ này.")
    expect(summary).to_be_focused()
    assert serious_violations(page) == []
    shot(page, "1-form-error")
    expect(page.locator(f"#slot-{form_doc.pk}")).to_contain_text("to-khai.pdf")  # kept, not lost

    page.locator(f"#id_document_{birth_doc.pk}").set_input_files(
        files=[{"name": "giay-chung-sinh.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
    )
    page.get_by_role("button", name="Xem lại trước khi nộp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xem lại hồ sơ trước khi nộp")
    expect(page.locator("main")).to_contain_text("giay-chung-sinh.jpg")
    shot(page, "2-review")
    page.get_by_role("button", name="Nộp hồ sơ").dblclick()  # a double click still gives one dossier
    expect(page.get_by_role("heading", level=1)).to_have_text("Bạn đã nộp hồ sơ thành công")
    shot(page, "3-submitted")
    user = User.objects.get(personal_id=AN.personal_id)
    dossier = Dossier.objects.get(applicant=user)
    assert dossier.state == State.SUBMITTED
    assert DossierFile.objects.filter(dossier=dossier).count() == 2

    # Hồ sơ của tôi, from the main menu.
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Hồ sơ của tôi").click()
    expect(page.locator(".dossier-card")).to_have_count(1)
    expect(page.locator(".dossier-card")).to_contain_text("Mới đăng ký")

    # The one-stop unit receives it and the processing officer asks for a supplement.
    dossier = services.dossier_receive(actor=w.counter, dossier=dossier)
    dossier = services.dossier_assign(actor=w.counter, dossier=dossier, to=w.processor)
    services.dossier_request_supplement(
        actor=w.processor, dossier=dossier, missing=["Giấy chứng sinh bản rõ nét, đủ dấu đỏ"]
    )
    page.reload()
    expect(page.locator(".asked-box")).to_contain_text("Giấy chứng sinh bản rõ nét, đủ dấu đỏ")
    shot(page, "4-my-dossiers")
    page.get_by_role("link", name="Bổ sung hồ sơ").click()
    page.locator(f"#supplement #id_document_{birth_doc.pk}").set_input_files(
        files=[{"name": "giay-chung-sinh-ro.pdf", "mimeType": "application/pdf", "buffer": pdf("Giay chung sinh")}]
    )
    page.get_by_label("Nội dung bổ sung, giải trình (nếu có)").fill("Gửi lại bản quét rõ nét")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Gửi bổ sung").click()
    expect(page.locator(".flash")).to_contain_text("Đã gửi hồ sơ bổ sung")
    expect(page.locator(".timeline")).to_contain_text("Hồ sơ đã được bổ sung")
    shot(page, "5-supplemented")
    dossier.refresh_from_db()
    assert dossier.state == State.IN_PROGRESS and dossier.code

    # The public tracking page, from the dossier's page.
    page.get_by_role("link", name="Tra cứu hồ sơ").last.click()
    expect(page.get_by_label("Mã hồ sơ")).to_have_value(dossier.code)
    page.get_by_label("4 số cuối của số định danh cá nhân hoặc số điện thoại của người nộp").fill(AN.personal_id[-4:])
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#track-result")).to_contain_text("Đang xử lý")
    expect(page.locator("#track-result")).to_contain_text("Yêu cầu bổ sung giấy tờ")
    shot(page, "6-tracking")
    assert Dossier.objects.count() == 1
    assert csp_errors == []


def test_a_file_over_the_limit_is_refused_with_the_limit_and_the_form_kept(
    page: Any, portal: str, settings: Any
) -> None:
    settings.UPLOAD_MAX_BYTES = 1024 * 1024  # 1 MB, so that a 3 MB scan is far over it
    w = world(documents=["Tờ khai đăng ký khai sinh"])
    (form_doc,) = list(w.version.documents.all())
    page.goto(f"{portal}/thu-tuc/{w.version.procedure.code}/")
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()
    page.get_by_role("radio", name=re.compile(AN.full_name)).check()
    page.get_by_role("button", name="Đồng ý và đăng nhập").click()
    page.wait_for_url(re.compile(r"/nop-ho-so/"))
    page.get_by_label("Địa chỉ liên hệ").fill("25 Lê Thánh Tôn, phường Nha Trang")
    page.get_by_label("Trực tuyến").check()
    big = pdf("To khai") + b"%" + b" " * (3 * 1024 * 1024)
    page.locator(f"#id_document_{form_doc.pk}").set_input_files(
        files=[{"name": "to-khai-quet.pdf", "mimeType": "application/pdf", "buffer": big}]
    )
    page.get_by_role("button", name="Xem lại trước khi nộp").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Tệp quá lớn (tối đa 1 MB).")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Địa chỉ liên hệ")).to_have_value("25 Lê Thánh Tôn, phường Nha Trang")
    shot(page, "oversize-refused")
    assert not Dossier.objects.exists()
