"""The VNPay IPN and the national platform's callback: every answer in the protocol's own code,
money state untouched by anything but a valid, first, matching "paid"."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from dossiers import services as dossier_services
from dossiers.models import DossierEvent
from dossiers.rules import PAYMENT_PLATFORM, Action, State
from payments.models import Payment, PaymentEvent, Receipt
from payments.services import payments_expire

from .factories import awaiting, paygov_result, pending, vnpay_ipn

IPN = "/api/v1/payments/vnpay/ipn"


def ipn(params: dict[str, str], **extra: Any) -> dict[str, str]:
    """Send an IPN; what it enqueues on commit (the dossier moving on) runs before this returns,
    as the worker would run it once the answer's transaction commits."""
    with _on_commit[0](execute=True):
        response = Client(**extra).get(IPN, params)
    assert response.status_code == 200
    return response.json()


_on_commit: list[Any] = []


@pytest.fixture(autouse=True)
def _run_on_commit(django_capture_on_commit_callbacks: Any) -> Any:
    _on_commit[:] = [django_capture_on_commit_callbacks]
    yield
    _on_commit.clear()


def test_the_url_is_the_documented_one(db):
    assert reverse("api:vnpay_ipn") == IPN


def test_a_valid_ipn_pays_once_issues_a_receipt_and_the_dossier_continues(w):
    dossier = awaiting(w)
    payment = pending(w, dossier)
    assert payment.amount_vnd == 25_000  # 50.000 đồng halved for online submission
    assert ipn(vnpay_ipn(payment)) == {"RspCode": "00", "Message": "Confirm Success"}
    payment.refresh_from_db()
    assert payment.state == "paid" and payment.gateway_number == "14226112"
    receipt = Receipt.objects.get(payment=payment)
    assert receipt.number == 1 and receipt.code.endswith("-000001")
    dossier.refresh_from_db()
    assert dossier.state == State.IN_PROGRESS
    paid_event = DossierEvent.objects.get(dossier=dossier, action=Action.MARK_PAID)
    assert paid_event.details == {"receipt_number": receipt.code}
    # Confirmed by the payment platform in its own name, not by any officer.
    assert (paid_event.actor, paid_event.actor_role, paid_event.actor_label) == (
        None,
        PAYMENT_PLATFORM,
        "Nền tảng thanh toán (VNPay)",
    )
    history = list(payment.events.values_list("from_state", "to_state", "details__dossier"))
    assert history == [
        ("", "created", None),
        ("created", "pending", None),
        ("pending", "paid", None),
        ("paid", "paid", "dossier_moved"),
    ]

    # The same notification again: 02, nothing changes.
    assert ipn(vnpay_ipn(payment)) == {"RspCode": "02", "Message": "Order already confirmed"}
    assert Receipt.objects.count() == 1 and payment.events.count() == 4


def test_bad_input_gets_the_protocol_code_and_a_log_entry_and_changes_nothing(w, caplog):
    payment = pending(w, awaiting(w))
    caplog.set_level(logging.INFO, logger="payments")
    tampered = {**vnpay_ipn(payment), "vnp_Amount": "1"}
    assert ipn(tampered)["RspCode"] == "97"
    assert ipn(vnpay_ipn(payment, secret="not-the-secret"))["RspCode"] == "97"
    assert ipn({})["RspCode"] == "97"
    assert ipn({"vnp_TxnRef": "x", "vnp_SecureHash": "zz"})["RspCode"] == "97"
    assert ipn(vnpay_ipn(payment, amount_vnd=24_000))["RspCode"] == "04"
    assert ipn(vnpay_ipn(payment, vnp_Amount="2500050"))["RspCode"] == "04"  # not whole đồng
    assert ipn(vnpay_ipn(payment, vnp_TxnRef="HS0TUNKNOWN"))["RspCode"] == "01"
    assert ipn(vnpay_ipn(payment, vnp_TmnCode="OTHER"))["RspCode"] == "97"
    payment.refresh_from_db()
    assert payment.state == "pending" and not Receipt.objects.exists()
    messages = [r.getMessage() for r in caplog.records]
    assert "vnpay ipn with a bad checksum" in messages
    assert "payment callback with a wrong amount" in messages
    assert "payment callback for an unknown reference" in messages


@override_settings(PAYMENT_CALLBACK_ALLOWLIST=["10.0.0.0/8"])
def test_callbacks_from_outside_the_allowlist_are_refused(w):
    payment = pending(w, awaiting(w))
    assert ipn(vnpay_ipn(payment))["RspCode"] == "99"
    assert ipn(vnpay_ipn(payment), REMOTE_ADDR="10.1.2.3")["RspCode"] == "00"


def test_a_cancelled_payment_closes_and_can_be_paid_again(w):
    dossier = awaiting(w)
    payment = pending(w, dossier)
    assert ipn(vnpay_ipn(payment, code="24"))["RspCode"] == "00"
    payment.refresh_from_db()
    assert payment.state == "cancelled"
    again = pending(w, dossier)
    assert ipn(vnpay_ipn(again))["RspCode"] == "00"
    dossier.refresh_from_db()
    assert dossier.state == State.IN_PROGRESS


def test_return_before_ipn_ends_in_one_paid_state(w):
    dossier = awaiting(w)
    payment = pending(w, dossier)
    client = Client()
    client.force_login(w.citizen)
    page = client.get(reverse("payments:vnpay_return"), vnpay_ipn(payment))
    assert page.status_code == 200 and "Thanh toán thành công" in page.content.decode()
    assert ipn(vnpay_ipn(payment))["RspCode"] == "02"
    assert Payment.objects.get(pk=payment.pk).state == "paid" and Receipt.objects.count() == 1


def test_ipn_before_return_ends_in_one_paid_state(w):
    payment = pending(w, awaiting(w))
    assert ipn(vnpay_ipn(payment))["RspCode"] == "00"
    client = Client()
    client.force_login(w.citizen)
    page = client.get(reverse("payments:vnpay_return"), vnpay_ipn(payment))
    assert page.status_code == 200 and "Thanh toán thành công" in page.content.decode()
    assert Receipt.objects.count() == 1


def test_a_tampered_return_shows_an_error_and_changes_nothing(w):
    payment = pending(w, awaiting(w))
    page = Client().get(reverse("payments:vnpay_return"), {**vnpay_ipn(payment), "vnp_Amount": "100"})
    assert page.status_code == 400
    assert Payment.objects.get(pk=payment.pk).state == "pending"


def test_a_late_paid_after_expiry_is_recorded_and_flagged_for_refund(w, caplog):
    dossier = awaiting(w)
    payment = pending(w, dossier)
    Payment.objects.filter(pk=payment.pk).update(expires_at=payment.created_at)
    assert payments_expire() == 1
    caplog.set_level(logging.WARNING, logger="payments")
    assert ipn(vnpay_ipn(payment))["RspCode"] == "02"
    payment.refresh_from_db()
    assert payment.state == "expired" and payment.needs_refund and payment.late_paid_at is not None
    assert PaymentEvent.objects.filter(payment=payment, details__late_paid=True).count() == 1
    assert "late paid callback: flagged for refund" in [r.getMessage() for r in caplog.records]
    assert ipn(vnpay_ipn(payment))["RspCode"] == "02"
    assert PaymentEvent.objects.filter(payment=payment, details__late_paid=True).count() == 1
    dossier.refresh_from_db()
    assert dossier.state == State.AWAITING_PAYMENT and not Receipt.objects.exists()


def test_a_withdrawn_dossier_cancels_its_payment_and_a_later_paid_is_flagged(w):
    dossier = awaiting(w)
    payment = pending(w, dossier)
    dossier_services.dossier_withdraw(actor=w.citizen, dossier=dossier, reason="Không còn nhu cầu")
    payment.refresh_from_db()
    assert payment.state == "cancelled"
    assert ipn(vnpay_ipn(payment))["RspCode"] == "02"
    payment.refresh_from_db()
    assert payment.needs_refund and not Receipt.objects.exists()


def test_the_national_platform_callback(w):
    dossier = awaiting(w)
    payment = pending(w, dossier, method="paygov")
    client = Client()
    url = reverse("api:paygov_callback")

    def post(body: object) -> dict:
        with _on_commit[0](execute=True):
            response = client.post(url, body, content_type="application/json")
        assert response.status_code == 200
        return response.json()

    assert post({**paygov_result(payment), "SoTien": 1})["MaLoi"] == "03"
    assert post("not json")["MaLoi"] == "99"
    assert post(paygov_result(payment, amount_vnd=1))["MaLoi"] == "05"
    assert post(paygov_result(payment))["MaLoi"] == "00"
    assert post(paygov_result(payment))["MaLoi"] == "06"
    dossier.refresh_from_db()
    assert dossier.state == State.IN_PROGRESS
    event = DossierEvent.objects.get(dossier=dossier, action=Action.MARK_PAID)
    assert (event.actor, event.actor_role, event.actor_label) == (
        None,
        PAYMENT_PLATFORM,
        "Nền tảng thanh toán (Cổng Dịch vụ công quốc gia)",
    )


@pytest.mark.django_db
def test_figures_need_the_reports_capability():
    assert Client().get("/api/v1/payments/figures", {"start": "2025-01-01", "end": "2025-12-31"}).status_code == 401


def test_fees_paid_at_submission_settle_a_later_payment_request(w, django_capture_on_commit_callbacks):
    from dossiers.tests.factories import submitted

    dossier = submitted(w)
    payment = pending(w, dossier)
    assert ipn(vnpay_ipn(payment))["RspCode"] == "00"
    dossier.refresh_from_db()
    assert dossier.state == State.SUBMITTED  # nothing to move yet: paid ahead of the request
    dossier = dossier_services.dossier_receive(actor=w.counter, dossier=dossier)
    dossier = dossier_services.dossier_assign(actor=w.counter, dossier=dossier, to=w.processor)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_services.dossier_request_payment(actor=w.processor, dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.state == State.IN_PROGRESS
    event = DossierEvent.objects.get(dossier=dossier, action=Action.MARK_PAID)
    assert event.details["receipt_number"] == payment.receipt.code
    # Paid through VNPay: the platform's confirmation, not the officer who asked.
    assert (event.actor, event.actor_role) == (None, PAYMENT_PLATFORM)


def test_fees_paid_at_the_counter_ahead_settle_a_later_request_in_the_name_of_the_officer_who_asked(
    w, django_capture_on_commit_callbacks
):
    from dossiers.tests.factories import submitted
    from payments.services import payment_record_counter

    dossier = submitted(w)
    payment_record_counter(actor=w.counter, dossier=dossier, method="cash")
    dossier = dossier_services.dossier_receive(actor=w.counter, dossier=dossier)
    dossier = dossier_services.dossier_assign(actor=w.counter, dossier=dossier, to=w.processor)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_services.dossier_request_payment(actor=w.processor, dossier=dossier)
    event = DossierEvent.objects.get(dossier=dossier, action=Action.MARK_PAID)
    assert (event.actor, event.actor_role) == (w.processor, "processing_officer")


def test_both_timelines_say_the_payment_platform_confirmed_an_online_payment(w):
    from org.tests.factories import admin_login

    dossier = awaiting(w)
    payment = pending(w, dossier)
    assert ipn(vnpay_ipn(payment))["RspCode"] == "00"
    receipt = Receipt.objects.get(payment=payment).code

    citizen = Client()
    citizen.force_login(w.citizen)
    page = citizen.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Nền tảng thanh toán đã xác nhận tự động khoản thanh toán trực tuyến." in page
    assert f"Biên lai số {receipt}." in page

    officer = Client()
    admin_login(officer, w.processor)
    page = officer.get(reverse("dossiers:officer_dossier", args=[dossier.pk])).content.decode()
    confirmed = page[page.index('data-action="mark_paid"') :]
    confirmed = confirmed[: confirmed.index("</li>")]
    assert "Nền tảng thanh toán (VNPay)" in confirmed and "tự động" in confirmed and receipt in confirmed
    assert str(w.processor) not in confirmed
