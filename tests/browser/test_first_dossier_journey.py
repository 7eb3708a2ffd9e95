"""A citizen's first dossier, start to end, in Chromium at phone size: a mother registers her
child's birth with the real tờ khai, prefilled from VNeID; once the counter receives it she sees
the due date on her dossier page and on the receipt slip; she pays exactly the amount shown; the
ward approves; she downloads the signed birth certificate filled from her form, and her data store
calls it "Giấy khai sinh"."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from catalog.models import FeeItem
from catalog.services import declaration_form_load
from common.formats import official_date
from documents.models import StoreItem
from dossiers import services
from dossiers.models import Dossier
from dossiers.tests.factories import world
from idp.citizens import CITIZENS
from payments.tests.factories import online_reduction
from results.models import ElectronicResult, Origin
from results.tests.samples import pdftotext

from .test_declaration_form import BIRTH, fill_child_and_mother, shot
from .test_payment_journey import pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NGOC = CITIZENS[1]  # a woman: the form writes her as the mother


def test_a_mother_registers_a_birth_pays_the_amount_shown_and_gets_the_birth_certificate(
    page: Any, portal: str, tmp_path: Any
) -> None:
    w = world(documents=["Giấy chứng sinh"], processing_days=3)
    declaration_form_load(BIRTH | {"procedure_code": w.version.procedure.code})
    fee = FeeItem.objects.create(version=w.version, amount_vnd=8_000, unit="bản sao", description="Bản sao trích lục")
    online_reduction()

    page.goto(f"{portal}/thu-tuc/{w.version.procedure.code}/")
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()
    page.get_by_role("radio", name=re.compile(NGOC.full_name)).check()
    page.get_by_role("button", name="Đồng ý và đăng nhập").click()
    page.wait_for_url(re.compile(r"/nop-ho-so/"))
    expect(page.locator("#d-mother-full_name")).to_have_value(NGOC.full_name)  # from VNeID
    fill_child_and_mother(page, born="07/11/2025")
    page.get_by_label("Chưa xác định được cha").check()
    page.get_by_label("Địa chỉ liên hệ").fill("25 Lê Thánh Tôn, phường Nha Trang")
    page.get_by_label("Trực tuyến").check()
    (slot,) = list(w.version.documents.all())
    page.locator(f"#id_document_{slot.pk}").set_input_files(
        files=[{"name": "giay-chung-sinh.pdf", "mimeType": "application/pdf", "buffer": pdf("Giay chung sinh")}]
    )
    page.get_by_role("button", name="Xem lại trước khi nộp").click()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bạn đã nộp hồ sơ thành công")
    dossier = Dossier.objects.get()
    assert dossier.code  # a code from submission

    # The counter receives it: a due date, on the page and on the receipt slip.
    dossier = services.dossier_receive(actor=w.counter, dossier=dossier)
    assert dossier.due_on is not None
    page.goto(f"{portal}/ho-so-cua-toi/{dossier.pk}/")
    expect(page.locator("main")).to_contain_text(dossier.code)
    expect(page.locator("main")).to_contain_text(official_date(dossier.due_on))
    shot(page, "first-1-received")
    slip_text = " ".join(pdftotext(linked_pdf(page, portal, re.compile("Giấy tiếp nhận")), tmp_path).split())
    assert official_date(dossier.due_on) in slip_text

    # Two copies asked; the amount shown is the amount paid.
    dossier = services.dossier_assign(actor=w.counter, dossier=dossier, to=w.processor)
    dossier = services.dossier_request_payment(actor=w.processor, dossier=dossier, fee_items={fee.pk: 2})
    page.goto(f"{portal}/ho-so-cua-toi/{dossier.pk}/")
    shown = page.locator("#fee-due").inner_text()
    page.get_by_role("link", name="Thanh toán trực tuyến").click()
    expect(page.locator("#fee-total")).to_have_text(shown)
    page.get_by_label(re.compile("VNPay")).check()
    page.get_by_role("button", name=f"Thanh toán {shown}").click()
    page.wait_for_url(re.compile(r"/thanh-toan-thu/vnpay/\?"))
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    expect(page.locator("#pay-result")).to_have_text("Thanh toán thành công.")
    assert shown == "8.000 đồng"  # 2 × 8.000, halved online

    # The ward approves; the worker signs the birth certificate made from the form.
    dossier.refresh_from_db()
    dossier = services.dossier_approve(actor=w.leader, dossier=dossier, note="Đồng ý đăng ký khai sinh.")
    result = ElectronicResult.objects.get(dossier=dossier)
    services.dossier_result_ready(actor=w.counter, dossier=dossier)
    assert result.origin == Origin.FORM and result.name == "Giấy khai sinh"
    page.goto(f"{portal}/ho-so-cua-toi/{dossier.pk}/")
    text = " ".join(pdftotext(linked_pdf(page, portal, "Tải kết quả điện tử đã ký số"), tmp_path).split())
    assert "GIẤY KHAI SINH" in text and "Trần Minh Khang" in text and NGOC.full_name in text
    shot(page, "first-2-result")

    page.goto(f"{portal}/kho-du-lieu/")
    expect(page.get_by_role("heading", name="Giấy khai sinh")).to_be_visible()
    expect(page.locator("main")).to_contain_text(result.code)
    shot(page, "first-3-store")
    assert StoreItem.objects.get(stored_file=result.stored_file).kind.name == "Giấy khai sinh"


def linked_pdf(page: Any, portal: str, name: Any) -> bytes:
    """The PDF a link of the page leads to, fetched in the signed-in browser's session."""
    href = page.get_by_role("link", name=name).first.get_attribute("href")
    response = page.request.get(f"{portal}{href}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    return response.body()
