"""One fee everywhere, in Chromium at phone size: a citizen submits online; the officer asks for
the catalog's fee lines (the registration fee and two copies of the extract); the dossier page and
the payment page show the same amount, explained by the same sentence (halved for online
submission, with its resolution); the citizen pays that amount on the VNPay stand-in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from catalog.models import FeeItem
from dossiers import services
from dossiers.rules import State
from dossiers.tests.factories import world
from payments.models import Payment
from payments.tests.factories import RESOLUTION, online_reduction

from .test_payment_journey import shot, submit_online

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SENTENCE = f"Phí, lệ phí 76.000 đồng, giảm 50% khi nộp trực tuyến theo {RESOLUTION}: còn 38.000 đồng."


def test_the_citizen_sees_one_amount_on_every_page_and_pays_it(page: Any, portal: str) -> None:
    w = world(documents=["Tờ khai theo mẫu"])
    fee = FeeItem.objects.create(version=w.version, amount_vnd=60_000, description="Lệ phí đăng ký", position=0)
    copies = FeeItem.objects.create(
        version=w.version, amount_vnd=8_000, unit="bản sao", description="Bản sao trích lục", position=1
    )
    online_reduction()
    dossier = submit_online(page, portal, w)
    dossier = services.dossier_receive(actor=w.counter, dossier=dossier)
    dossier = services.dossier_assign(actor=w.counter, dossier=dossier, to=w.processor)
    dossier = services.dossier_request_payment(actor=w.processor, dossier=dossier, fee_items={fee.pk: 1, copies.pk: 2})

    # The dossier page: the amount asked, and why.
    page.goto(f"{portal}/ho-so-cua-toi/{dossier.pk}/")
    expect(page.get_by_role("heading", name="Bạn cần nộp phí, lệ phí")).to_be_visible()
    expect(page.locator("#fee-due")).to_have_text("38.000 đồng")
    expect(page.locator("#asked .fee-explained")).to_have_text(SENTENCE)
    # The timeline says it the same way.
    expect(page.locator("body")).to_contain_text(SENTENCE)
    shot(page, "fee-1-dossier-page")

    # The payment page: the same amount, line by line.
    page.get_by_role("link", name="Thanh toán trực tuyến").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thanh toán phí, lệ phí")
    expect(page.locator("#fee-total")).to_have_text("38.000 đồng")
    expect(page.locator(".fee-table")).to_contain_text("2 × 8.000 đồng/bản sao")
    expect(page.locator("p.fee-explained")).to_have_text(SENTENCE)
    shot(page, "fee-2-payment-page")

    page.get_by_label(re.compile("VNPay")).check()
    page.get_by_role("button", name="Thanh toán 38.000 đồng").click()
    page.wait_for_url(re.compile(r"/thanh-toan-thu/vnpay/\?"))
    expect(page.locator("#amount")).to_have_text("38000 VND")
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    expect(page.locator("#pay-result")).to_have_text("Thanh toán thành công.")
    shot(page, "fee-3-paid")

    paid = Payment.objects.get(dossier=dossier, state="paid")
    assert paid.amount_vnd == 38_000 and paid.base_vnd == 76_000 and paid.reduction_vnd == 38_000
    dossier.refresh_from_db()
    assert dossier.state == State.IN_PROGRESS
    page.goto(f"{portal}/ho-so-cua-toi/{dossier.pk}/")
    expect(page.locator("#fee-due")).to_have_count(0)
