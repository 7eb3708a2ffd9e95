"""Fifty identical IPNs at once for one transaction: exactly one state change, one receipt number,
one dossier transition; every other answer is 02."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from dossiers.models import DossierEvent
from dossiers.rules import Action
from payments.models import Payment, PaymentEvent, Receipt, ReceiptSequence

from .factories import awaiting, fee_world, pending, vnpay_ipn


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_duplicate_ipns_change_the_state_once():
    w = fee_world()
    dossier = awaiting(w)
    payment = pending(w, dossier)
    params = vnpay_ipn(payment)

    def send(_: int) -> str:
        try:
            return Client().get("/api/v1/payments/vnpay/ipn", params).json()["RspCode"]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=50) as pool:
        codes = list(pool.map(send, range(50)))
    assert sorted(codes) == ["00"] + ["02"] * 49
    assert Payment.objects.get(pk=payment.pk).state == "paid"
    assert PaymentEvent.objects.filter(payment=payment, to_state="paid").exclude(from_state="paid").count() == 1
    assert Receipt.objects.filter(payment=payment).count() == 1
    assert ReceiptSequence.objects.get().last_number == 1
    assert DossierEvent.objects.filter(dossier=dossier, action=Action.MARK_PAID).count() == 1
