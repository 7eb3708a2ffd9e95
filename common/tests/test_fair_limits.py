"""Fair limits: a signed-in person counts by account, not by the address they share with an
office; the payment gateways' callbacks are never limited and their allowlist reads the client
through the trusted proxies; a request sending files is limited, and refused when too large,
before a byte of its body is read."""

from __future__ import annotations

import io
import itertools
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

_addresses = (f"198.51.100.{n}" for n in itertools.count(1))


@pytest.fixture
def office():
    """One ward office's shared address (NAT), of this test's own."""
    cache.clear()
    return next(_addresses)


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args, **kwargs):
        raise AssertionError("the body was read")

    readline = read


def officer_client(django_user_model, office: str) -> Client:
    user = django_user_model.objects.create_user("canbo.cungvanphong", password="x" * 16, kind="citizen")
    client = Client(REMOTE_ADDR=office)
    client.force_login(user)
    return client


@override_settings(RATE_LIMIT_LOOKUPS="5/m", RATE_LIMIT_ACCOUNT="100/m")
def test_anonymous_look_ups_from_an_office_do_not_stop_a_signed_in_colleague(office, django_user_model):
    anonymous = Client(REMOTE_ADDR=office)
    answers = [anonymous.get("/api/v1/fields").status_code for _ in range(6)]
    assert answers[-1] == 429
    colleague = officer_client(django_user_model, office)
    assert colleague.get("/api/v1/fields").status_code == 200
    assert colleague.get("/thu-tuc/").status_code == 200


@override_settings(RATE_LIMIT_LOOKUPS="1000/m", RATE_LIMIT_ACCOUNT="3/m")
def test_a_signed_in_person_is_limited_by_account_whatever_their_address(django_user_model):
    cache.clear()
    person = officer_client(django_user_model, "198.51.100.200")
    assert [person.get("/api/v1/fields").status_code for _ in range(3)] == [200, 200, 200]
    person.defaults["REMOTE_ADDR"] = "198.51.100.201"  # a new address does not reset the count
    assert person.get("/api/v1/fields").status_code == 429


@override_settings(RATE_LIMIT_SIGNIN="300/m")
def test_forty_sign_in_requests_from_an_office_leave_a_colleague_able_to_sign_in(office):
    client = Client(REMOTE_ADDR=office)
    for _ in range(40):
        client.get("/can-bo/dang-nhap/")
    assert Client(REMOTE_ADDR=office).get("/can-bo/dang-nhap/").status_code == 200


@override_settings(RATE_LIMIT_LOOKUPS="3/m", PAYMENT_CALLBACK_ALLOWLIST=["127.0.0.1"])
def test_the_vnpay_ipn_is_never_rate_limited():
    cache.clear()
    gateway = Client(REMOTE_ADDR="127.0.0.1")
    for _ in range(5):
        gateway.get("/api/v1/fields")
    answer = gateway.get("/api/v1/payments/vnpay/ipn", {"vnp_TxnRef": "X", "vnp_SecureHash": "0"})
    assert answer.status_code == 200
    assert answer.json()["RspCode"] == "97"  # judged: a bad checksum, not refused by a limit


@override_settings(TRUSTED_PROXIES=1, PAYMENT_CALLBACK_ALLOWLIST=["203.0.113.50"])
def test_the_callback_allowlist_reads_the_gateway_address_through_the_trusted_proxy():
    behind_proxy = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.50")
    params = {"vnp_TxnRef": "X", "vnp_SecureHash": "0"}
    assert behind_proxy.get("/api/v1/payments/vnpay/ipn", params).json()["RspCode"] == "97"
    stranger = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert stranger.get("/api/v1/payments/vnpay/ipn", params).json()["RspCode"] == "99"


BOUNDARY = "motcua-boundary"


def post_unreadable(client: Client, path: str, length: int):
    environ: dict[str, Any] = {
        "wsgi.input": Unreadable(),
        "CONTENT_LENGTH": str(length),
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
    }
    return client.generic("POST", path, **environ)


@override_settings(RATE_LIMIT_VERIFY="2/m")
@pytest.mark.parametrize("path", ["/api/v1/results/verify", "/xac-thuc-ket-qua/"])
def test_a_verification_over_the_limit_is_refused_before_its_files_are_read(office, path):
    client = Client(REMOTE_ADDR=office)
    for _ in range(2):
        client.get("/xac-thuc-ket-qua/")
    response = post_unreadable(client, path, 10 * 1024 * 1024)
    assert response.status_code == 429 and response["Retry-After"]


@pytest.mark.parametrize("path", ["/api/v1/results/verify", "/xac-thuc-ket-qua/"])
def test_a_verification_larger_than_one_file_is_refused_before_it_is_read(office, path, settings):
    response = post_unreadable(Client(REMOTE_ADDR=office), path, 10 * 50 * 1024 * 1024)
    assert response.status_code == 413
    if path.startswith("/api/"):
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "request_too_large"
    else:
        assert "Dữ liệu gửi lên quá lớn" in response.content.decode()


@override_settings(REQUEST_MAX_BYTES=1024 * 1024)
def test_any_request_larger_than_the_cap_is_refused_before_it_is_read(office):
    response = post_unreadable(Client(REMOTE_ADDR=office), "/api/v1/dossiers", 2 * 1024 * 1024)
    assert response.status_code == 413


@override_settings(RATE_LIMIT_UPLOADS="2/m")
def test_uploads_are_limited_before_their_files_are_read(office):
    client = Client(REMOTE_ADDR=office)
    for _ in range(2):
        client.post("/api/v1/dossiers", {"file": io.BytesIO(b"%PDF-1.4")})
    assert post_unreadable(client, "/api/v1/dossiers", 1024).status_code == 429
