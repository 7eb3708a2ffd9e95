"""The citizen's payment page, the stand-in gateways through their real views, the counter
officer's page, the receipt PDF and the figures."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from dossiers.models import DossierEvent
from dossiers.rules import State
from org.models import Role
from org.tests.factories import admin_login, officer
from payments import rules
from payments.gateways import Paygov
from payments.models import BeneficiaryGroup, FeePolicy, Payment, PolicyKind, Receipt
from payments.services import PaymentRefused, payment_record_counter, payment_refund

from .factories import RESOLUTION, awaiting, pending


def citizen_client(w: Any) -> Client:
    client = Client()
    client.force_login(w.citizen)
    return client


def test_the_payment_page_explains_the_reduced_fee(w):
    dossier = awaiting(w)
    page = citizen_client(w).get(reverse("payments:pay", args=[dossier.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "50.000 đồng" in text and "−25.000 đồng" in text and RESOLUTION in text
    assert "Được giảm 50%" in text and 'id="fee-total">25.000 đồng' in text


def test_paying_with_vnpay_goes_to_the_signed_gateway_page_and_back(w):
    dossier = awaiting(w)
    client = citizen_client(w)
    answer = client.post(reverse("payments:pay", args=[dossier.pk]), {"gateway": "vnpay"})
    assert answer.status_code == 302
    url = urlsplit(answer["Location"])
    assert url.path == reverse("paystandin:vnpay")
    params = dict(parse_qsl(url.query))
    assert params["vnp_Amount"] == "2500000" and params["vnp_Version"] == "2.1.0"
    assert rules.vnpay_verify(params, "dev-insecure-vnpay-secret")
    payment = Payment.objects.get(dossier=dossier)
    assert payment.state == "pending" and params["vnp_TxnRef"] == payment.reference
    gateway_page = client.get(answer["Location"])
    assert gateway_page.status_code == 200 and "25000 VND" in gateway_page.content.decode()
    tampered = client.get(answer["Location"].replace("vnp_Amount=2500000", "vnp_Amount=100"))
    assert tampered.status_code == 400


def test_paying_through_the_national_platform_sends_a_signed_init(w):
    """INIT goes to the stand-in's real view (through the test client instead of the network)."""
    dossier = awaiting(w)
    client = citizen_client(w)

    def transport(url: str, message: Any) -> Any:
        return client.post(urlsplit(url).path, json.dumps(dict(message)), content_type="application/json").json()

    gateway = Paygov(
        "http://testserver" + reverse("paystandin:paygov_api"), "KHANHHOA", "dev-insecure-paygov-secret", transport
    )
    now = datetime.datetime(2025, 11, 3, 9, tzinfo=datetime.UTC)
    url = gateway.init(
        reference="HS1TABC", amount_vnd=25_000, description="Nop phi", return_url="http://x/", ip="127.0.0.1", now=now
    )
    assert "/thanh-toan-thu/dvcqg/" in url
    assert gateway.query(reference="HS1TABC", now=now)["TrangThai"] == "09"
    assert gateway.status(reference="HS1TABC", now=now).success is False
    wrong = Paygov(gateway.url, "KHANHHOA", "wrong secret", transport)
    with pytest.raises(Exception, match=r"MaXacThuc|MaLoi 03"):
        wrong.init(reference="HS1TABD", amount_vnd=1, description="", return_url="http://x/", ip="::1", now=now)
    del dossier


def test_the_counter_officer_records_cash_with_an_exemption(w):
    FeePolicy.objects.create(
        kind=PolicyKind.EXEMPTION,
        title="Miễn cho hộ nghèo",
        legal_basis="Luật Phí và lệ phí",
        valid_from=datetime.date(2020, 1, 1),
        percent=Decimal(100),
        beneficiary_group=BeneficiaryGroup.POOR_HOUSEHOLD,
        proof_document="Giấy chứng nhận hộ nghèo",
    )
    dossier = awaiting(w)
    client = Client()
    admin_login(client, w.counter)
    url = reverse("payments:counter_payment", args=[dossier.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"method": "bank_transfer", "group": "", "note": ""})
    assert refused.status_code == 400 and "chuyển khoản" in refused.content.decode()
    assert client.post(url, {"method": "cash", "group": "poor_household", "note": ""}).status_code == 302
    payment = Payment.objects.get(dossier=dossier, state="paid")
    assert (payment.amount_vnd, payment.exemption_vnd, payment.method) == (0, 50_000, "cash")
    dossier.refresh_from_db()
    assert dossier.state == State.IN_PROGRESS
    # Taken at the counter: the officer confirms it, not the payment platform.
    paid = DossierEvent.objects.get(dossier=dossier, action="mark_paid")
    assert (paid.actor, paid.actor_role) == (w.counter, "counter_officer")
    with pytest.raises(PaymentRefused):
        payment_record_counter(actor=w.counter, dossier=dossier, method="cash")


def test_receipts_are_numbered_per_unit_and_year_without_gaps_and_print_the_explanation(w):
    codes = []
    for _ in range(3):
        dossier = awaiting(w)
        codes.append(payment_record_counter(actor=w.counter, dossier=dossier, method="cash").receipt.number)
    assert codes == [1, 2, 3]
    payment = Payment.objects.filter(state="paid").latest("pk")
    page = citizen_client(w).get(reverse("payments:receipt", args=[payment.pk]))
    assert page.status_code == 200 and page["Content-Type"] == "application/pdf"
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is needed to read the receipt")
    text = subprocess.run(["pdftotext", "-", "-"], input=page.content, capture_output=True, check=True).stdout.decode()
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in text and payment.receipt.code in text
    assert "Lệ phí 1" in text and "50.000" in text  # the base, then half of it off for online submission
    assert "Số tiền đã nộp: 25.000 đồng" in text and RESOLUTION.split(" của")[0] in text


def test_a_refund_is_recorded_by_an_officer(w):
    payment = payment_record_counter(actor=w.counter, dossier=awaiting(w), method="cash")
    with pytest.raises(PaymentRefused):
        payment_refund(actor=w.counter, payment=payment, note="")
    refunded = payment_refund(actor=w.counter, payment=payment, note="Phiếu chi số 12")
    assert refunded.state == "refunded"
    assert list(refunded.events.values_list("to_state", flat=True))[-1] == "refunded"


def test_the_figures(w):
    online = pending(w, awaiting(w))
    Client().get("/api/v1/payments/vnpay/ipn", _signed(online))
    payment_record_counter(actor=w.counter, dossier=awaiting(w), method="cash")
    analyst = officer("phantich-phi", {w.agency: [Role.ANALYST]})
    client = Client()
    client.force_login(analyst)
    today = datetime.date.today().isoformat()
    body = client.get("/api/v1/payments/figures", {"start": today, "end": today}).json()
    assert body["paid_online_vnd"] == 25_000 and body["paid_total_vnd"] == 50_000
    assert body["paid_dossiers"] == 2 and body["online_dossier_share_percent"] == 50.0
    assert body["reductions_vnd"] == 50_000
    assert body["fee_procedures"] == 1 and body["online_procedure_share_percent"] == 100.0
    assert client.get("/api/v1/payments/figures", {"start": today, "end": "2020-01-01"}).status_code == 400
    assert Receipt.objects.count() == 2


def _signed(payment: Payment) -> dict[str, str]:
    from .factories import vnpay_ipn

    return vnpay_ipn(payment)


def test_the_demo_policies_load_once(db):
    from django.core.management import call_command

    call_command("load_payment_demo", verbosity=0)
    call_command("load_payment_demo", verbosity=0)
    assert FeePolicy.objects.filter(kind=PolicyKind.REDUCTION, channel="online", percent=50).count() == 1
    assert FeePolicy.objects.filter(kind=PolicyKind.EXEMPTION).count() == 3


def test_reconciliation_lists_every_mismatch(w, tmp_path):
    from django.core.management import call_command
    from django.utils import timezone

    from .factories import vnpay_ipn

    paid = pending(w, awaiting(w))
    Client().get("/api/v1/payments/vnpay/ipn", vnpay_ipn(paid))
    unpaid = pending(w, awaiting(w))
    statement = tmp_path / "vnpay.csv"
    statement.write_text(
        f"reference,gateway_number,amount_vnd,status\n{unpaid.reference},1,25000,00\nHS999TFOREIGN,2,10000,00\n"
    )
    import io

    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("reconcile_payments", str(statement), gateway="vnpay", day=timezone.localdate(), stdout=out)
    lines = out.getvalue().splitlines()
    assert any(line.startswith(unpaid.reference) and "khác trạng thái" in line for line in lines)
    assert any(line.startswith("HS999TFOREIGN") and "không có trong hệ thống" in line for line in lines)
    assert any(line.startswith(paid.reference) and "không có trong sao kê" in line for line in lines)
    assert lines[-1] == "3 chênh lệch, 0 dòng không đọc được."


def test_fees_of_a_dossier_for_the_national_portal(w):
    from payments.selectors import fees_of

    dossier = awaiting(w)
    before = fees_of(dossier)
    assert (before.paid, before.total_vnd, before.receipt_code) == (False, 25_000, "")
    assert [(line["base_vnd"], line["reduction_vnd"], line["total_vnd"]) for line in before.lines] == [
        (50_000, 25_000, 25_000)
    ]
    payment = payment_record_counter(actor=w.counter, dossier=dossier, method="cash")
    after = fees_of(dossier)
    assert (after.paid, after.paid_vnd, after.method) == (True, 25_000, "cash")
    assert after.receipt_code == payment.receipt.code and after.paid_at == payment.paid_at


def test_a_payment_whose_callback_never_came_is_settled_by_a_status_query(w):
    """The citizen pays on the platform's page; its callback is lost; QUERY finds it paid, and
    RECEIPT gives the platform's receipt number."""
    from payments.services import payment_check_with_gateway
    from payments.standin.models import GatewayTransaction

    dossier = awaiting(w)
    client = citizen_client(w)

    def transport(url: str, message: Any) -> Any:
        return client.post(urlsplit(url).path, json.dumps(dict(message)), content_type="application/json").json()

    gateway = Paygov(
        "http://testserver" + reverse("paystandin:paygov_api"), "KHANHHOA", "dev-insecure-paygov-secret", transport
    )
    payment = pending(w, dossier, method="paygov")
    now = datetime.datetime.now(tz=datetime.UTC)
    page = gateway.init(
        reference=payment.reference,
        amount_vnd=payment.amount_vnd,
        description="Nop phi",
        return_url="http://testserver/",
        ip="127.0.0.1",
        now=now,
    )
    assert payment_check_with_gateway(payment=payment, gateway=gateway).value == "already"  # not paid yet
    # Paid at the gateway, the callback lost on the way (the stand-in's state, as after a decision).
    GatewayTransaction.objects.filter(reference=payment.reference).update(status="paid", number="777")
    assert payment_check_with_gateway(payment=payment, gateway=gateway).value == "paid"
    payment.refresh_from_db()
    assert payment.state == "paid" and payment.events.filter(source="query").exists()
    assert gateway.receipt(reference=payment.reference, gateway_number="777", now=now)["SoBienLai"].startswith("BL")
    del page


def test_without_a_configured_gateway_online_payment_is_not_offered(w, settings, monkeypatch):
    # As if the stand-in were not installed. Not by changing INSTALLED_APPS: rebuilding the app
    # registry runs Wagtail's ready() again, which mounts its API router a second time and fails.
    from django.apps import apps

    installed = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name != "payments.standin" and installed(name))
    settings.PAYMENT_VNPAY_URL = "https://pay.vnpay.example.vn/vpcpay.html"
    dossier = awaiting(w)
    client = citizen_client(w)
    page = client.get(reverse("payments:pay", args=[dossier.pk])).content.decode()
    assert 'value="vnpay"' in page and 'value="paygov"' not in page
    assert client.post(reverse("payments:pay", args=[dossier.pk]), {"gateway": "paygov"}).status_code == 200
    assert not Payment.objects.exists()
    settings.PAYMENT_VNPAY_URL = ""
    page = client.get(reverse("payments:pay", args=[dossier.pk])).content.decode()
    assert "Thanh toán trực tuyến chưa được mở" in page
