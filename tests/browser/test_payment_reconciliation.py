"""Reconciling a gateway's statement, in Chromium at phone size: a counter officer signs in with
password and authenticator code, opens the reconciliation page from the officer home, uploads
VNPay's statement of the day and sees the payment the gateway counts paid and we do not, with
both amounts in đồng. No CSP violation and no serious accessibility violation."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.tests.officers import PASSWORD
from payments.models import Reconciliation
from payments.tests.factories import awaiting, fee_world, pending

from .test_officer_dossiers import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_counter_officer_uploads_a_statement_and_sees_the_mismatch(browser: Any, live_server: Any) -> None:
    w = fee_world()
    w.counter.set_password(PASSWORD)
    w.counter.save()
    TOTPDevice.objects.create(user=w.counter, name="Điện thoại", confirmed=True)
    unpaid = pending(w, awaiting(w))  # 25.000 đồng, still pending here
    statement = (
        f"reference,gateway_number,amount_vnd,status\n{unpaid.reference},14226112,25000,00\n"  # VNPay says it was paid
    ).encode()

    csp: list[str] = []
    page = sign_in(browser, live_server.url, w.counter, csp)
    page.get_by_role("link", name="Đối soát thanh toán").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đối soát thanh toán trực tuyến")
    assert_accessible(page)

    page.get_by_label("VNPay").check()
    page.get_by_label("Ngày giao dịch").fill(timezone.localdate().isoformat())
    page.get_by_label("Tệp sao kê (CSV)").set_input_files(
        files=[{"name": "vnpay-sao-ke.csv", "mimeType": "text/csv", "buffer": statement}]
    )
    page.get_by_role("button", name="Đối soát").click()

    row = page.locator("#mismatches tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(unpaid.reference)
    expect(row).to_contain_text("Khác trạng thái")
    expect(row.locator("td").nth(2)).to_contain_text("25.000 đồng")
    expect(row.locator("td").nth(2)).to_contain_text("Chưa thanh toán")
    expect(row.locator("td").nth(3)).to_contain_text("Đã thanh toán")
    expect(page.locator("#reconcile-result")).to_contain_text("Có 1 chênh lệch.")
    assert_accessible(page)
    assert csp == []
    run = Reconciliation.objects.get()
    assert (run.ran_by, run.state_mismatches, run.file_name) == (w.counter, 1, "vnpay-sao-ke.csv")
