"""Routes and admin models of payments for the permission walk (tests/route_registry.py)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Any

from catalog.models import FeeItem
from dossiers import services
from dossiers.models import Dossier
from dossiers.services import Applicant
from dossiers.tests.factories import World, procedure_for
from org.models import Role
from org.tests.factories import citizen, officer, one_stop_unit
from payments.models import Method, Payment
from payments.services import payment_record_counter
from tests import route_registry
from tests.route_registry import Cast, Target, admin_object, private, public

from .factories import online_reduction

_numbers = itertools.count(1)

public("api:vnpay_ipn", "VNPay's server-to-server IPN: trusted by its HMAC-SHA512 signature and the address allowlist")
public(
    "api:paygov_callback",
    "the national payment platform's callback: trusted by its MaXacThuc signature and the address allowlist",
)
route_registry.OUT_OF_SCOPE["paystandin"] = (
    "the local payment gateway: development and test only, a stand-in for VNPay and the national payment platform"
)
route_registry.CSRF_EXEMPT_NAMESPACES["paystandin"] = (
    "the stand-in national payment platform's API, called server to server with signed JSON"
)


def _awaiting(cast: Cast, applicant_user: Any = None) -> tuple[World, Dossier]:
    """A dossier of ``cast.owner`` processed by ``cast.agency``, waiting for its 40.000 đồng fee."""
    tag = next(_numbers)
    w = World(
        agency=cast.agency,
        unit=one_stop_unit(f"Bộ phận Một cửa thu phí {tag}", [cast.agency]),
        version=procedure_for(cast.agency),
        counter=officer(f"thuphi{tag}", {cast.agency: [Role.COUNTER_OFFICER]}),
        processor=officer(f"xulyphi{tag}", {cast.agency: [Role.PROCESSING_OFFICER]}),
        leader=officer(f"lanhdaophi{tag}", {cast.agency: [Role.LEADER]}),
        citizen=applicant_user or cast.owner,
    )
    FeeItem.objects.create(version=w.version, amount_vnd=40_000, description="Lệ phí")
    online_reduction()
    applicant = Applicant(name="Chủ Sở Hữu", personal_id="056090123456", address="Nha Trang")
    dossier, _created = services.dossier_submit(applicant=w.citizen, intake=replace(w.intake(), applicant=applicant))
    dossier = services.dossier_receive(actor=w.counter, dossier=dossier)
    dossier = services.dossier_assign(actor=w.counter, dossier=dossier, to=w.processor)
    return w, services.dossier_request_payment(actor=w.processor, dossier=dossier)


@private("payments:pay", owner="citizen")
def _pay(cast: Cast) -> Target:
    _w, dossier = _awaiting(cast)
    return Target({"pk": dossier.pk}, marker="20.000")


@private("api:dossier_fees", owner="citizen")
def _api_fees(cast: Cast) -> Target:
    _w, dossier = _awaiting(cast)
    return Target({"dossier_id": dossier.pk}, marker="amount_due_vnd")


@private("payments:counter_payment", owner="agency")
def _counter(cast: Cast) -> Target:
    _w, dossier = _awaiting(cast)
    return Target({"pk": dossier.pk}, marker=dossier.applicant_name)


@private("payments:receipt", owner="agency")
def _receipt(cast: Cast) -> Target:
    """A receipt of a dossier of ``cast.agency`` whose applicant is nobody of the cast (the
    applicant's own access is in payments/tests/test_views.py). Its number is in the PDF's
    metadata."""
    w, dossier = _awaiting(cast, citizen(f"nguoinop{next(_numbers)}"))
    payment = payment_record_counter(actor=w.counter, dossier=dossier, method=Method.CASH)
    return Target({"pk": payment.pk}, marker=payment.receipt.code)


@admin_object("payments.Payment")
def _payment(cast: Cast) -> Payment:
    w, dossier = _awaiting(cast)
    return payment_record_counter(actor=w.counter, dossier=dossier, method=Method.CASH)
