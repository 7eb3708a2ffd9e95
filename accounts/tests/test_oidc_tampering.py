"""Bad input at the callback: tampered ID tokens, state mismatch, replays, a provider that is down.
Each gives a clear page (400/403/503, never 500), creates nothing and is audited with its reason
only."""

from __future__ import annotations

import base64
import json
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from django.core.cache import cache
from django.test import Client
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from accounts.models import User
from audit.models import AuditEvent
from idp.citizens import CITIZENS
from idp.keys import signing_key
from idp.testing import InProcessProvider, portal_callback, provider_in_process

pytestmark = pytest.mark.django_db

UNAVAILABLE = "Hệ thống định danh tạm thời không phản hồi"


@pytest.fixture
def provider(settings) -> Iterator[InProcessProvider]:
    settings.OIDC_ISSUER = "http://testserver/idp"
    settings.OIDC_CLIENT_ID = "motcua-dev"
    settings.OIDC_CLIENT_SECRET = "motcua-dev-secret"
    settings.LOCAL_IDP_ISSUER = ""
    settings.RATE_LIMIT_SIGNIN = "10000/m"
    cache.clear()
    with provider_in_process() as adapter:
        yield adapter
    cache.clear()


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def unverified(id_token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    header, payload, _signature = id_token.split(".")
    return (json.loads(base64.urlsafe_b64decode(part + "==")) for part in (header, payload))  # type: ignore[return-value]


def resigned(key: Any = None, header: dict[str, Any] | None = None, **changes: Any) -> Callable[[str], str]:
    """An ID token with ``changes`` made to its claims, signed again with ``key`` (default: the
    provider's own key)."""

    def tamper(id_token: str) -> str:
        original_header, claims = unverified(id_token)
        claims.update(changes)
        return jwt.encode(header or original_header, claims, key or signing_key())

    return tamper


def payload_swapped(id_token: str) -> str:
    """The provider's signature over another payload."""
    header, _payload, signature = id_token.split(".")
    _header, claims = unverified(id_token)
    return ".".join([header, b64({**claims, "sub": "someone-else"}), signature])


def alg_none(id_token: str) -> str:
    _header, claims = unverified(id_token)
    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."


def foreign_key_same_kid(id_token: str) -> str:
    header, claims = unverified(id_token)
    return jwt.encode(header, claims, RSAKey.generate_key(2048))


def foreign_key_own_kid(id_token: str) -> str:
    stranger = RSAKey.generate_key(2048, auto_kid=True)
    _header, claims = unverified(id_token)
    return jwt.encode({"alg": "RS256", "kid": stranger.kid}, claims, stranger)


def hmac_with_client_secret(id_token: str) -> str:
    _header, claims = unverified(id_token)
    return jwt.encode({"alg": "HS256"}, claims, OctKey.import_key("motcua-dev-secret"), algorithms=["HS256"])


def expired(id_token: str) -> str:
    now = int(time.time())
    return resigned(iat=now - 7200, exp=now - 3600, auth_time=now - 7200)(id_token)


def refused_without_trace(client: Client, response, status: int, reason: str, users: int = 0) -> str:
    """The answer was ``status`` with nobody signed in, no account created (``users`` existed
    before) and one audit event naming ``reason`` without personal data."""
    page = response.content.decode()
    assert response.status_code == status, page
    assert User.objects.count() == users and "_auth_user_id" not in client.session
    (event,) = AuditEvent.objects.filter(action="sign_in_failed")
    assert event.details["reason"] == reason and event.actor is None
    assert set(event.details) <= {"reason", "method", "provider_error"}
    return page


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (payload_swapped, "bad_signature"),
        (foreign_key_same_kid, "bad_signature"),
        (foreign_key_own_kid, "unknown_key"),
        (resigned(aud="another-portal", azp="another-portal"), "invalid_aud"),
        (resigned(aud=["another-portal"]), "invalid_aud"),
        (resigned(iss="https://evil.example/idp"), "invalid_iss"),
        (expired, "expired"),
        (alg_none, "unsupported_algorithm"),
        (hmac_with_client_secret, "unsupported_algorithm"),
        (resigned(nonce="the-nonce-of-another-sign-in"), "invalid_nonce"),
        (lambda _token: "not-a-jwt", "malformed"),
    ],
)
def test_a_tampered_id_token_is_refused(client, provider, tamper, reason):
    provider.rewrite["/idp/token"] = lambda body: {**body, "id_token": tamper(body["id_token"])}
    response = client.get(portal_callback(client))
    page = refused_without_trace(client, response, 403, reason)
    assert "Không thể đăng nhập bằng VNeID" in page and "Thông tin xác thực nhận được từ VNeID không hợp lệ" in page
    assert "/idp/userinfo" not in provider.calls


def test_a_token_answer_without_an_id_token_is_refused(client, provider):
    provider.rewrite["/idp/token"] = lambda body: {k: v for k, v in body.items() if k != "id_token"}
    refused_without_trace(client, client.get(portal_callback(client)), 403, "id_token_missing")


def test_a_forged_state_is_refused(client, provider):
    callback = urlsplit(portal_callback(client))
    query = {name: values[0] for name, values in parse_qs(callback.query).items()}
    response = client.get(callback.path, {**query, "state": "forged"})
    page = refused_without_trace(client, response, 400, "state_mismatch")
    assert "state" in page and "/idp/token" not in provider.calls


def test_a_callback_without_state_is_refused(client, provider):
    refused_without_trace(client, client.get("/dang-nhap/vneid/callback/", {"code": "x"}), 400, "state_mismatch")


def test_a_callback_started_in_another_browser_is_refused(provider):
    """Login CSRF: an attacker's callback URL carried into a victim's browser."""
    attacker, victim = Client(), Client()
    response = victim.get(portal_callback(attacker))
    refused_without_trace(victim, response, 400, "state_mismatch")


def test_a_replayed_callback_is_refused(client, provider):
    callback = portal_callback(client)
    assert client.get(callback).status_code == 302
    client.logout()
    refused_without_trace(client, client.get(callback), 400, "replayed", users=1)


def test_a_replayed_nonce_is_refused(client, provider):
    """An old session (with a state and nonce already used) played back: the provider signs a
    fresh code for the same nonce, yet the portal takes each nonce once."""
    callback = urlsplit(portal_callback(client))
    state = parse_qs(callback.query)["state"][0]
    saved = dict(client.session[f"_state_vneid_{state}"])
    assert client.get(f"{callback.path}?{callback.query}").status_code == 302
    client.logout()
    session = client.session
    session["_state_vneid_old-session"] = saved
    session.save()
    data = saved["data"]
    authorize = {
        "client_id": "motcua-dev",
        "redirect_uri": data["redirect_uri"],
        "response_type": "code",
        "scope": "openid profile email phone",
        "nonce": data["nonce"],
        "code_challenge": create_s256_code_challenge(data["code_verifier"]),
        "code_challenge_method": "S256",
        "state": "old-session",
    }
    consent = client.post(
        "/idp/authorize", {**authorize, "citizen": CITIZENS[0].subject, "acr": "LoA2", "decision": "allow"}
    )
    replay = urlsplit(consent["Location"])
    refused_without_trace(client, client.get(f"{replay.path}?{replay.query}"), 403, "nonce_replayed", users=1)


def test_a_code_the_provider_refuses(client, provider):
    callback = urlsplit(portal_callback(client))
    query = {name: values[0] for name, values in parse_qs(callback.query).items()}
    response = client.get(f"{callback.path}?{urlencode({**query, 'code': 'made-up'})}")
    page = refused_without_trace(client, response, 400, "token_refused")
    assert "VNeID không chấp nhận mã đăng nhập" in page


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_provider_refusing_connections(client, provider, settings):
    settings.OIDC_ISSUER = f"http://127.0.0.1:{_closed_port()}/idp"
    response = client.get("/dang-nhap/vneid/")
    page = refused_without_trace(client, response, 503, "provider_unavailable")
    assert UNAVAILABLE in page


def test_provider_not_answering_in_time(client, provider, settings):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)  # accepts the connection, never answers
        settings.OIDC_ISSUER = f"http://127.0.0.1:{silent.getsockname()[1]}/idp"
        settings.OIDC_TIMEOUT = 0.3
        started = time.monotonic()
        response = client.get("/dang-nhap/vneid/")
        assert time.monotonic() - started < 5
    assert UNAVAILABLE in refused_without_trace(client, response, 503, "provider_unavailable")


@pytest.mark.parametrize(
    ("endpoint", "failure"),
    [
        ("/idp/token", requests.ReadTimeout("slow")),
        ("/idp/token", requests.ConnectionError("refused")),
        ("/idp/jwks", requests.ConnectTimeout("slow")),
        ("/idp/userinfo", requests.ReadTimeout("slow")),
    ],
)
def test_provider_failing_during_the_callback(client, provider, endpoint, failure):
    callback = portal_callback(client)
    provider.fail[endpoint] = failure
    page = refused_without_trace(client, client.get(callback), 503, "provider_unavailable")
    assert UNAVAILABLE in page


def test_a_discovery_document_for_another_issuer_is_not_trusted(client, provider):
    provider.rewrite["/idp/.well-known/openid-configuration"] = lambda doc: {**doc, "issuer": "https://evil.example"}
    refused_without_trace(client, client.get("/dang-nhap/vneid/"), 503, "discovery_invalid")
