"""The officers' reconciliation page (/can-bo/thanh-toan/doi-soat/): who may use it, what an
officer sees of a gateway's statement (only their agencies' payments), the statement files it
refuses with a reason and without recording anything, and the record of each run."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dossiers.tests.factories import World
from org.models import Role
from org.tests.factories import admin_login, officer
from payments.models import Payment, Reconciliation
from payments.services import payment_apply_callback
from payments.views import STATEMENT_MAX_BYTES

from .factories import awaiting, fee_world, pending

URL = "/can-bo/thanh-toan/doi-soat/"
HEADER = "reference,gateway_number,amount_vnd,status\n"


def paid_online(w: World) -> Payment:
    from payments.gateways import Vnpay

    from .factories import vnpay_ipn

    payment = pending(w, awaiting(w))
    callback = Vnpay.from_settings().read(vnpay_ipn(payment))
    assert callback is not None
    payment_apply_callback(method="vnpay", callback=callback, source="ipn")
    payment.refresh_from_db()
    assert payment.state == "paid"
    return payment


def signed_in(user: Any) -> Client:
    client = Client()
    admin_login(client, user)
    return client


def upload(client: Client, text: str | bytes, *, day: datetime.date | None = None, gateway: str = "vnpay") -> Any:
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        URL,
        {
            "gateway": gateway,
            "day": (day or timezone.localdate()).isoformat(),
            "statement": SimpleUploadedFile("sao-ke.csv", data, content_type="text/csv"),
        },
    )


def test_the_url_is_the_documented_one():
    assert reverse("payments:reconcile") == URL


def test_only_counter_officers_and_leaders_with_their_second_factor_may_reconcile(w):
    assert Client().get(URL).status_code == 302  # to the officers' sign-in
    citizen = Client()
    citizen.force_login(w.citizen)
    assert citizen.get(URL).status_code == 404
    unverified = Client()
    unverified.force_login(w.counter)
    assert reverse("accounts:officer_sign_in") in unverified.get(URL)["Location"]
    assert signed_in(w.processor).get(URL).status_code == 404
    assert upload(signed_in(w.processor), HEADER).status_code == 404
    for person in (w.counter, w.leader):
        page = signed_in(person).get(URL)
        assert page.status_code == 200 and w.agency.name in page.content.decode()
    assert not Reconciliation.objects.exists()


def test_the_officer_home_links_the_page_for_those_who_may_use_it(w):
    assert URL in signed_in(w.counter).get(reverse("accounts:officer_home")).content.decode()
    assert URL not in signed_in(w.processor).get(reverse("accounts:officer_home")).content.decode()


def test_a_statement_is_compared_with_the_agencys_payments_and_the_run_is_recorded(w):
    paid = paid_online(w)  # 25.000 đồng, paid here, absent from the statement
    unpaid = pending(w, awaiting(w))  # the gateway says paid, we do not
    differs = paid_online(w)  # the gateway has another amount
    statement = (
        HEADER
        + f"{unpaid.reference},11,25000,00\n"
        + f"{differs.reference},12,30.000,00\n"
        + "HS999TUNKNOWN,13,10000,00\n"
        + "HS998TFAILED,14,10000,failed\n"  # unknown but not paid there either: nothing to say
    )
    answer = upload(signed_in(w.counter), statement)
    assert answer.status_code == 200
    body = answer.content.decode()
    table = body[body.index('id="mismatches"') :]
    lines = {
        line.reference: (line.kind, line.our_amount_vnd, line.their_amount_vnd)
        for line in answer.context["result"].lines
    }
    assert lines == {
        paid.reference: ("missing_there", 25_000, None),
        unpaid.reference: ("state", 25_000, 25_000),
        differs.reference: ("amount", 25_000, 30_000),
        "HS999TUNKNOWN": ("missing_here", None, 10_000),
    }
    assert "HS998TFAILED" not in table
    assert "30.000 đồng" in table and "25.000 đồng" in table and paid.dossier.code in table
    assert "Khác số tiền" in table and "Đã thu trong hệ thống, không có trong sao kê" in table

    run = Reconciliation.objects.get()
    assert (run.ran_by, run.method, run.day, run.file_name) == (w.counter, "vnpay", timezone.localdate(), "sao-ke.csv")
    assert (run.missing_here, run.missing_there, run.amount_mismatches, run.state_mismatches) == (1, 1, 1, 1)
    assert (run.statement_rows, run.our_payments) == (4, 3) and list(run.agencies.all()) == [w.agency]
    assert len(run.file_sha256) == 64
    later = signed_in(w.leader).get(URL).content.decode()  # the agency's leader sees who ran it
    assert str(w.counter) in later and "4 chênh lệch" in later


def test_an_officer_of_another_agency_sees_nothing_of_this_agencys_payments(w):
    ours = paid_online(w)
    theirs = pending(w, awaiting(w))
    elsewhere = fee_world()
    statement = HEADER + f"{theirs.reference},11,25000,00\nHS999TUNKNOWN,13,10000,00\n"
    answer = upload(signed_in(elsewhere.counter), statement)
    assert answer.status_code == 200
    body = answer.content.decode()
    assert ours.reference not in body and theirs.reference not in body and w.agency.name not in body
    assert [(line.reference, line.kind) for line in answer.context["result"].lines] == [
        ("HS999TUNKNOWN", "missing_here")
    ]
    run = Reconciliation.objects.get()
    assert (run.statement_rows, run.our_payments) == (1, 0) and list(run.agencies.all()) == [elsewhere.agency]
    # And this agency's officers do not see the other agency's run.
    assert str(elsewhere.counter) not in signed_in(w.leader).get(URL).content.decode()


def test_an_officer_in_both_agencies_reconciles_both(w):
    elsewhere = fee_world()
    both = officer("thuphi.hai.noi", {w.agency: [Role.COUNTER_OFFICER], elsewhere.agency: [Role.LEADER]})
    here, there = paid_online(w), paid_online(elsewhere)
    answer = upload(signed_in(both), HEADER)
    assert {line.reference for line in answer.context["result"].lines} == {here.reference, there.reference}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"reference;amount_vnd\nA;1\n", "thiếu cột: gateway_number, status"),
        ("reference,gateway_number,amount_vnd,status\nHS1,1,10000,Thành công\n".encode("cp1258"), "mã hóa UTF-8"),
        (b"", "Tệp sao kê trống."),
        (HEADER + "HS1,1,10000,00\n,2,10000,00\nHS3,3,mười,00\n", "Không đọc được dòng 3, 4 của tệp sao kê"),
        (HEADER + "".join(f"HS{n},{n},x,00\n" for n in range(8)), "dòng 2, 3, 4, 5, 6 và 3 dòng khác"),
        (b"x" * (STATEMENT_MAX_BYTES + 1), "lớn hơn 2 MB"),
    ],
)
def test_a_bad_statement_is_refused_with_its_reason_and_nothing_is_recorded(w, content, message):
    answer = upload(signed_in(w.counter), content)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert "reconcile-result" not in answer.content.decode()
    assert not Reconciliation.objects.exists()


def test_a_statement_from_the_future_or_without_a_file_is_refused(w):
    client = signed_in(w.counter)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert "không được sau hôm nay" in upload(client, HEADER, day=tomorrow).content.decode()
    missing = client.post(URL, {"gateway": "vnpay", "day": timezone.localdate().isoformat()})
    assert missing.status_code == 400 and "Chọn tệp sao kê" in missing.content.decode()
    assert upload(client, HEADER, gateway="cash").status_code == 400
    assert not Reconciliation.objects.exists()


def test_a_statement_with_a_bom_and_dates_as_written_in_vietnam(w):
    paid = paid_online(w)
    client = signed_in(w.counter)
    text = "\ufeff" + HEADER + f"{paid.reference},1,25.000,thành công\n"
    answer = client.post(
        URL,
        {
            "gateway": "vnpay",
            "day": timezone.localdate().strftime("%d/%m/%Y"),
            "statement": SimpleUploadedFile("sao-ke.csv", text.encode("utf-8"), content_type="text/csv"),
        },
    )
    assert answer.status_code == 200 and answer.context["result"].lines == []
    assert "Khớp hoàn toàn" in answer.content.decode()
