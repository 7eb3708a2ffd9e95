"""Per-client limits on sign-in and public look-ups: over the limit, HTTP 429 with Retry-After,
as problem+json on the API and a short page elsewhere."""

from __future__ import annotations

import itertools

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import override_settings

from common import ratelimit
from common.ratelimit import Rate, hit, parse_rate

pytestmark = pytest.mark.django_db

_addresses = (f"203.0.113.{n}" for n in itertools.count(1))


@pytest.fixture
def address():
    """A client address of the test's own: counters live in the cache, across tests."""
    cache.clear()
    return next(_addresses)


def test_rates_are_read_as_count_per_period():
    assert parse_rate("600/m") == Rate(600, 60)
    assert parse_rate("10/m") == Rate(10, 60)
    assert parse_rate("100/10s") == Rate(100, 10)
    assert parse_rate(" 5000 / h ") == Rate(5000, 3600)
    assert parse_rate("20000/d") == Rate(20000, 86400)
    with pytest.raises(ValueError, match="Not a rate"):
        parse_rate("600 per minute")


@override_settings(RATE_LIMIT_SIGNIN="10 per minute")
def test_a_mistyped_limit_stops_the_server_at_start():
    with pytest.raises(ImproperlyConfigured, match="RATE_LIMIT_SIGNIN"):
        ratelimit.RateLimitMiddleware(lambda request: HttpResponse())


def test_a_window_allows_the_limit_then_says_how_long_to_wait(address):
    rate = Rate(3, 60)
    start = 1_800_000_000.0  # a window boundary (divisible by 60)
    assert [hit("t", address, rate, now=start + s) for s in (0, 1, 2)] == [None, None, None]
    assert hit("t", address, rate, now=start + 15.2) == 45
    assert hit("t", address, rate, now=start + 60) is None, "a new window starts afresh"


def test_scopes_and_clients_count_separately(address):
    rate = Rate(1, 60)
    assert hit("signin", address, rate) is None
    assert hit("lookups", address, rate) is None
    assert hit("signin", "198.51.100.1", rate) is None
    assert hit("signin", address, rate) is not None


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
def test_with_the_dummy_cache_counting_falls_back_to_this_process(address):
    rate = Rate(1, 60)
    assert hit("t", address, rate) is None
    assert hit("t", address, rate) is not None


def test_an_unreachable_cache_lets_requests_through(address, monkeypatch):
    class Broken:
        def add(self, *args, **kwargs):
            raise ConnectionError("redis is down")

    monkeypatch.setattr(ratelimit, "_store", Broken)
    assert all(hit("t", address, Rate(1, 60)) is None for _ in range(3))


@override_settings(RATE_LIMIT_LOOKUPS="3/m")
def test_the_api_answers_429_problem_json_with_retry_after(client, address):
    for _ in range(3):
        assert client.get("/api/v1/fields", REMOTE_ADDR=address).status_code == 200
    response = client.get("/api/v1/procedures", {"q": "khai sinh"}, REMOTE_ADDR=address)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "rate_limited" and body["status"] == 429
    assert body["detail"] == f"Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau {response['Retry-After']} giây."
    assert client.get("/api/v1/fields", REMOTE_ADDR="198.51.100.77").status_code == 200, "others are not limited"


@override_settings(RATE_LIMIT_LOOKUPS="2/m")
def test_procedure_pages_answer_429_with_a_vietnamese_page(client, address):
    client.get("/thu-tuc/", {"q": "khai sinh"}, REMOTE_ADDR=address)
    client.get("/thu-tuc/goi-y/", {"q": "khai"}, REMOTE_ADDR=address)
    response = client.get("/thu-tuc/1.001193/", REMOTE_ADDR=address)
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    page = response.content.decode()
    assert "<h1>Quá nhiều yêu cầu</h1>" in page
    assert f"Vui lòng thử lại sau {response['Retry-After']} giây." in page
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert client.get("/en/thu-tuc/", REMOTE_ADDR=address).status_code == 429, "every language counts alike"


@override_settings(RATE_LIMIT_SIGNIN="2/m", RATE_LIMIT_LOOKUPS="100/m")
def test_sign_in_has_its_own_lower_limit_for_officers_and_citizens(client, address):
    assert client.get("/can-bo/dang-nhap/", REMOTE_ADDR=address).status_code == 200
    client.post("/can-bo/xac-thuc/", {"code": "123456"}, REMOTE_ADDR=address)
    assert client.post("/can-bo/dang-nhap/", {"username": "a", "password": "b"}, REMOTE_ADDR=address).status_code == 429
    assert client.get("/dang-nhap/", REMOTE_ADDR=address).status_code == 429
    assert client.get("/dang-nhap/vneid/callback/", REMOTE_ADDR=address).status_code == 429
    assert client.get("/thu-tuc/", REMOTE_ADDR=address).status_code == 200, "look-ups count apart"


@override_settings(RATE_LIMIT_LOOKUPS="1/m")
def test_pages_that_are_not_look_ups_and_api_writes_are_not_limited(client, address):
    for _ in range(3):
        assert client.get("/lien-he/", REMOTE_ADDR=address).status_code == 200
        assert client.get("/ping", REMOTE_ADDR=address).status_code == 200
        assert client.post("/api/v1/procedures", REMOTE_ADDR=address).status_code != 429


@override_settings(RATE_LIMIT_LOOKUPS="1/m", RATE_LIMIT_ENABLED=False)
def test_limits_can_be_turned_off(client, address):
    assert all(client.get("/api/v1/fields", REMOTE_ADDR=address).status_code == 200 for _ in range(3))


@override_settings(RATE_LIMIT_LOOKUPS="1/m")
def test_a_client_cannot_dodge_the_limit_with_a_forged_forwarded_for(client, address):
    client.get("/api/v1/fields", REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert client.get("/api/v1/fields", REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 429


@override_settings(RATE_LIMIT_LOOKUPS="1/m", TRUSTED_PROXIES=1)
def test_behind_a_trusted_proxy_each_client_counts_by_its_forwarded_address(client, address):
    def via_proxy(forwarded_for: str) -> int:
        return client.get("/api/v1/fields", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded_for).status_code

    assert via_proxy(f"1.2.3.4, {address}") == 200
    assert via_proxy("198.51.100.9") == 200
    assert via_proxy(f"5.6.7.8, {address}") == 429, "what the client wrote on the left is ignored"


def test_ipv6_clients_count_by_their_64_network(rf):
    one = rf.get("/", REMOTE_ADDR="2001:db8:1:2::a")
    other = rf.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::1")
    assert ratelimit.client_key(one) == ratelimit.client_key(other) == "2001:db8:1:2::/64"
    assert ratelimit.client_key(rf.get("/", REMOTE_ADDR="203.0.113.9")) == "203.0.113.9"
