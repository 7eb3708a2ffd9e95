"""Paying fees online, in Chromium at phone size: a citizen submits a dossier online, an officer
asks for payment, the citizen sees the fee halved for online submission with its legal basis,
pays on the VNPay stand-in, comes back, downloads the receipt, and the dossier continues
(awaiting_payment → in_progress). The stand-in calls the portal's IPN over HTTP, signed, as
VNPay does; then the same with the national payment platform, where the citizen first cancels."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from reportlab.pdfgen import canvas

from accounts.models import User
from catalog.models import FeeItem
from dossiers import services
from dossiers.models import Dossier, DossierEvent
from dossiers.rules import Action, State
from dossiers.tests.factories import world
from idp.citizens import CITIZENS
from payments.models import Payment
from payments.standin.models import GatewayTransaction
from payments.tests.factories import RESOLUTION, online_reduction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AN = CITIZENS[0]
# MOTCUA_SCREENSHOTS=<folder> keeps the phone-size screenshots of the journey for a person to look at.
SHOTS = os.environ.get("MOTCUA_SCREENSHOTS", "")


def shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def pdf(text: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def submit_online(page: Any, portal: str, w: Any) -> Dossier:
    """Through the online submission form, signed in with the VNeID stand-in."""
    (document,) = list(w.version.documents.all())
    page.goto(f"{portal}/thu-tuc/{w.version.procedure.code}/")
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()
    page.get_by_role("radio", name=re.compile(AN.full_name)).check()
    page.get_by_role("button", name="Đồng ý và đăng nhập").click()
    page.wait_for_url(re.compile(r"/nop-ho-so/"))
    page.get_by_label("Địa chỉ liên hệ").fill("25 Lê Thánh Tôn, phường Nha Trang")
    page.get_by_label("Trực tuyến").check()
    page.locator(f"#id_document_{document.pk}").set_input_files(
        files=[{"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": pdf("To khai")}]
    )
    page.get_by_role("button", name="Xem lại trước khi nộp").click()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bạn đã nộp hồ sơ thành công")
    return Dossier.objects.get(applicant=User.objects.get(personal_id=AN.personal_id))


def ask_for_payment(w: Any, dossier: Dossier) -> Dossier:
    dossier = services.dossier_receive(actor=w.counter, dossier=dossier)
    dossier = services.dossier_assign(actor=w.counter, dossier=dossier, to=w.processor)
    return services.dossier_request_payment(actor=w.processor, dossier=dossier)


def test_a_citizen_pays_the_reduced_fee_online_and_the_dossier_continues(page: Any, portal: str) -> None:
    w = world(documents=["Tờ khai theo mẫu"])
    FeeItem.objects.create(version=w.version, amount_vnd=60_000, description="Lệ phí đăng ký", unit="hồ sơ")
    online_reduction()
    csp_errors: list[str] = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)

    dossier = ask_for_payment(w, submit_online(page, portal, w))
    assert dossier.state == State.AWAITING_PAYMENT

    # The fee, explained line by line before paying.
    page.goto(f"{portal}/ho-so/{dossier.pk}/thanh-toan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thanh toán phí, lệ phí")
    table = page.locator(".fee-table")
    expect(table).to_contain_text("Lệ phí đăng ký")
    expect(table).to_contain_text("60.000 đồng")
    expect(table).to_contain_text("Được giảm 50%")
    expect(table).to_contain_text(RESOLUTION)
    expect(page.locator("#fee-total")).to_have_text("30.000 đồng")
    shot(page, "pay-1-fee-explained")

    # VNPay (the stand-in), then back to the portal.
    page.get_by_label(re.compile("VNPay")).check()
    page.get_by_role("button", name="Thanh toán 30.000 đồng").click()
    page.wait_for_url(re.compile(r"/thanh-toan-thu/vnpay/\?"))
    expect(page.locator("#amount")).to_have_text("30000 VND")
    shot(page, "pay-2-gateway")
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    page.wait_for_url(re.compile(r"/thanh-toan/vnpay/ket-qua/\?"))
    expect(page.locator("#pay-result")).to_have_text("Thanh toán thành công.")
    expect(page.locator("#pay-state")).to_have_text("Đã thanh toán")
    shot(page, "pay-3-result")

    payment = Payment.objects.get(dossier=dossier, state="paid")
    assert payment.amount_vnd == 30_000 and payment.reduction_vnd == 30_000
    transaction = GatewayTransaction.objects.get(reference=payment.reference)
    assert transaction.answers == [{"RspCode": "00", "Message": "Confirm Success"}]  # the IPN, over HTTP

    # The receipt, and the dossier continues.
    with page.expect_response(re.compile(r"/bien-lai/")) as receipt:
        page.get_by_role("link", name="Tải biên lai").click()
    assert receipt.value.status == 200 and receipt.value.headers["content-type"] == "application/pdf"
    dossier.refresh_from_db()
    assert dossier.state == State.IN_PROGRESS
    event = DossierEvent.objects.get(dossier=dossier, action=Action.MARK_PAID)
    assert event.details["receipt_number"] == payment.receipt.code
    assert csp_errors == []


def test_cancel_then_pay_through_the_national_platform_with_duplicate_late_callbacks(
    page: Any, portal: str, settings: Any
) -> None:
    """The platform's stand-in sends the browser back first and its callback twice, later: the
    return makes the payment paid, the callbacks find it confirmed (06)."""
    settings.PAYMENT_STANDIN_ORDER = "return_first"
    settings.PAYMENT_STANDIN_DUPLICATES = 2
    settings.PAYMENT_STANDIN_DELAY = 0.5
    w = world(documents=["Tờ khai theo mẫu"])
    FeeItem.objects.create(version=w.version, amount_vnd=50_001, description="Lệ phí")
    online_reduction()
    dossier = ask_for_payment(w, submit_online(page, portal, w))

    page.goto(f"{portal}/ho-so/{dossier.pk}/thanh-toan/")
    expect(page.locator("#fee-total")).to_have_text("25.000 đồng")  # 25.000,5 off, rounded half up
    page.get_by_label(re.compile("Cổng Dịch vụ công quốc gia")).check()
    page.get_by_role("button", name=re.compile("Thanh toán")).click()
    page.wait_for_url(re.compile(r"/thanh-toan-thu/dvcqg/"))
    page.get_by_role("button", name="Hủy giao dịch").click()
    expect(page.locator("#pay-result")).to_contain_text("Bạn đã hủy giao dịch")

    page.get_by_role("link", name="Về trang thanh toán của hồ sơ").click()
    page.get_by_label(re.compile("Cổng Dịch vụ công quốc gia")).check()
    page.get_by_role("button", name=re.compile("Thanh toán")).click()
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    expect(page.locator("#pay-result")).to_have_text("Thanh toán thành công.")
    paid = Payment.objects.get(dossier=dossier, state="paid")
    transaction = GatewayTransaction.objects.get(reference=paid.reference)
    expect(page.locator("body")).to_contain_text(paid.receipt.code)
    page.wait_for_timeout(2_000)
    transaction.refresh_from_db()
    assert [answer["MaLoi"] for answer in transaction.answers] == ["06", "06"]
    assert Payment.objects.filter(dossier=dossier).values_list("state", flat=True).count() == 2
    dossier.refresh_from_db()
    assert dossier.state == State.IN_PROGRESS
