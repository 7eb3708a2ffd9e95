"""GET /api/v1/figures/dossiers, and the figure endpoints seen by the province's analyst and a
ward's leader: the same numbers (the province oversees its wards)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from org.models import Role
from org.tests.factories import agency, officer
from payments.tests.factories import awaiting, fee_world, online_reduction, pending, vnpay_ipn

pytestmark = pytest.mark.django_db
URL = "/api/v1/figures/dossiers"


@pytest.fixture
def ward(db, django_capture_on_commit_callbacks):
    """A ward under the province, with one dossier paid online (25.000 đồng after the 50%)."""
    w = fee_world()
    online_reduction()
    province = agency("Văn phòng Ủy ban nhân dân tỉnh", code="000.00.00.H41")
    w.agency.parent = province
    w.agency.save()
    with django_capture_on_commit_callbacks(execute=True):
        payment = pending(w, awaiting(w))
    with django_capture_on_commit_callbacks(execute=True):
        Client().get("/api/v1/payments/vnpay/ipn", vnpay_ipn(payment))
    w.province = province  # type: ignore[attr-defined]
    return w


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_provinces_analyst_and_the_wards_leader_see_the_same_payments(ward):
    today = timezone.localdate().isoformat()
    analyst = _client(officer("phantich-tinh", {ward.province: [Role.ANALYST]}))
    leader = _client(ward.leader)
    for client in (analyst, leader):
        paid = client.get("/api/v1/payments/figures", {"start": today, "end": today}).json()
        dossiers = client.get(URL, {"start": today, "end": today}).json()
        assert paid["paid_online_vnd"] == dossiers["paid_online_vnd"] == 25_000
        assert dossiers["paid_online_dossiers"] == 1 and dossiers["paid_online_share"] == 1.0
        since = client.get(URL, {"start": "2025-11-03", "end": today}).json()  # received Monday 3/11/2025
        assert since["received_new"] == 1 and since["in_progress_on_time"] + since["in_progress_overdue"] == 1


def test_an_agency_outside_the_callers_scope_is_not_found(ward):
    today = timezone.localdate().isoformat()
    elsewhere = agency("Ủy ban nhân dân xã khác", code="000.00.77.H41")
    analyst = _client(officer("phantich-xa", {elsewhere: [Role.ANALYST]}))
    answer = analyst.get(URL, {"start": today, "end": today, "agency": ward.agency.code})
    assert answer.status_code == 404 and answer["Content-Type"].startswith("application/problem+json")
    assert analyst.get(URL, {"start": "2025-11-03", "end": today}).json()["received_new"] == 0
    mine = _client(ward.leader).get(URL, {"start": "2025-11-03", "end": today, "agency": ward.agency.code})
    assert mine.json()["received_new"] == 1


@pytest.mark.parametrize(("start", "end"), [("2025-03-02", "2025-03-01"), ("2020-01-01", "2025-01-01")])
def test_reversed_or_over_five_years_periods_are_refused(ward, start, end):
    answer = _client(ward.leader).get(URL, {"start": start, "end": end})
    assert answer.status_code == 400 and answer.json()["code"] == "invalid_period"


def test_the_figures_need_the_reports_capability(ward):
    today = timezone.localdate().isoformat()
    assert Client().get(URL, {"start": today, "end": today}).status_code == 401
    assert _client(ward.counter).get(URL, {"start": today, "end": today}).status_code in (401, 403)
