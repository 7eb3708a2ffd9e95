"""The local identity provider (idp): a real OpenID Connect provider standing in for VNeID."""

from __future__ import annotations

import base64
import datetime
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from authlib.common.urls import add_params_to_uri
from django.test import Client
from django.utils import timezone
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from joserfc.jws import JWSRegistry

from accounts.rules import personal_id_problems, tax_code_problems
from idp.citizens import CITIZENS
from idp.keys import signing_key
from idp.models import AccessToken, AuthorizationCode
from idp.testing import CALLBACK, authorization_params, issue_code, pkce_pair

pytestmark = pytest.mark.django_db

SECRET = "motcua-dev-secret"


@pytest.fixture(autouse=True)
def local_provider(settings):
    settings.OIDC_CLIENT_ID = "motcua-dev"
    settings.OIDC_CLIENT_SECRET = SECRET
    settings.LOCAL_IDP_ISSUER = ""


def basic(client_id: str = "motcua-dev", secret: str = SECRET) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def exchange(client: Client, code: str, verifier: str, headers: dict[str, str] | None = None, **form: str):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier}
    data.update(form)
    return client.post("/idp/token", data, headers=basic() if headers is None else headers)


def verified(id_token: str) -> dict:
    keys = KeySet.import_key_set(Client().get("/idp/jwks").json())
    return jwt.decode(id_token, keys, registry=JWSRegistry(algorithms=["RS256"])).claims


def test_test_citizens_have_valid_identifiers():
    assert len(CITIZENS) == 5
    for citizen in CITIZENS:
        assert personal_id_problems(citizen.personal_id, citizen.birth_date) == [], citizen.full_name
        assert citizen.phone.startswith("+84") and "@" in citizen.email
    representatives = [c for c in CITIZENS if c.organization]
    assert len(representatives) == 1 and tax_code_problems(representatives[0].organization.tax_code) == []


def test_discovery_names_the_issuer_from_the_request_or_the_setting(client, settings):
    document = client.get("/idp/.well-known/openid-configuration").json()
    assert document["issuer"] == "http://testserver/idp"
    assert document["authorization_endpoint"] == "http://testserver/idp/authorize"
    assert document["jwks_uri"] == "http://testserver/idp/jwks"
    assert document["end_session_endpoint"] == "http://testserver/idp/end-session"
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert {"client_secret_basic", "client_secret_post"} <= set(document["token_endpoint_auth_methods_supported"])
    assert "SoDinhDanh" in document["claims_supported"]
    assert client.get("/idp/.well-known/openid-configuration", HTTP_HOST="localhost:8123").json()["issuer"] == (
        "http://localhost:8123/idp"
    )
    settings.LOCAL_IDP_ISSUER = "https://vneid.dev.example/idp"
    assert client.get("/idp/.well-known/openid-configuration").json()["token_endpoint"] == (
        "https://vneid.dev.example/idp/token"
    )


def test_jwks_publishes_the_public_key_only_and_it_stays_the_same(client):
    first = client.get("/idp/jwks").json()
    (key,) = first["keys"]
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["use"] == "sig" and key["kid"]
    assert "d" not in key and "p" not in key
    assert client.get("/idp/jwks").json() == first


def test_authorize_page_lists_the_citizens_and_honours_acr_values(client):
    _verifier, challenge = pkce_pair()
    page = client.get("/idp/authorize", authorization_params(challenge, acr_values="LoA2"))
    html = page.content.decode()
    assert page.status_code == 200 and "VNeID – môi trường thử nghiệm" in html
    assert all(citizen.full_name in html for citizen in CITIZENS)
    assert 'value="LoA2"' in html and 'value="LoA1"' not in html
    assert 'name="csrfmiddlewaretoken"' in html
    both = client.get("/idp/authorize", authorization_params(challenge)).content.decode()
    assert 'value="LoA1"' in both and 'value="LoA2"' in both
    # The consent form's answer goes to the client's origin: CSP form-action allows it.
    directives = dict(part.strip().split(" ", 1) for part in page["Content-Security-Policy"].split(";"))
    assert "http://testserver" in directives["form-action"].split()


@pytest.mark.parametrize(
    "override",
    [
        {"client_id": "someone-else"},
        {"redirect_uri": "https://evil.example/dang-nhap/vneid/callback/"},
        {"redirect_uri": "http://testserver/somewhere-else/"},
        {"redirect_uri": CALLBACK + "?next=/x"},
    ],
)
def test_authorize_never_redirects_to_an_unregistered_client_or_uri(client, override):
    _verifier, challenge = pkce_pair()
    response = client.get("/idp/authorize", authorization_params(challenge, **override))
    assert response.status_code == 400 and "Location" not in response
    assert "không hợp lệ" in response.content.decode()


def test_the_callback_on_any_host_of_the_dev_server_is_accepted(client):
    _verifier, challenge = pkce_pair()
    uri = "http://localhost:8123/dang-nhap/vneid/callback/"
    assert client.get("/idp/authorize", authorization_params(challenge, redirect_uri=uri)).status_code == 200


@pytest.mark.parametrize(
    ("override", "error"),
    [
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge": ""}, "invalid_request"),
        ({"nonce": ""}, "invalid_request"),
        ({"scope": "profile"}, "invalid_scope"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"prompt": "none"}, "login_required"),
    ],
)
def test_bad_requests_go_back_to_the_client_with_an_error(client, override, error):
    _verifier, challenge = pkce_pair()
    response = client.get("/idp/authorize", authorization_params(challenge, **override))
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert response["Location"].startswith(CALLBACK)
    assert query["error"] == [error] and query["state"] == ["state-1"]


def test_the_consent_form_needs_its_csrf_token():
    _verifier, challenge = pkce_pair()
    form = {**authorization_params(challenge), "citizen": CITIZENS[0].subject, "acr": "LoA2", "decision": "allow"}
    assert Client(enforce_csrf_checks=True).post("/idp/authorize", form).status_code == 403
    assert not AuthorizationCode.objects.exists()


def test_cancel_answers_access_denied(client):
    _verifier, challenge = pkce_pair()
    response = client.post("/idp/authorize", {**authorization_params(challenge), "decision": "deny"})
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["error"] == ["access_denied"] and query["state"] == ["state-1"]
    assert not AuthorizationCode.objects.exists()


def test_a_level_not_requested_cannot_be_chosen(client):
    _verifier, challenge = pkce_pair()
    form = {**authorization_params(challenge, acr_values="LoA2"), "citizen": CITIZENS[0].subject, "acr": "LoA1"}
    response = client.post("/idp/authorize", {**form, "decision": "allow"})
    assert response.status_code == 400 and not AuthorizationCode.objects.exists()


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
def test_token_exchange_returns_a_signed_id_token(client, method):
    code, verifier = issue_code(client, citizen=CITIZENS[1].subject, acr="LoA2", nonce="n-123")
    if method == "client_secret_basic":
        response = exchange(client, code, verifier)
    else:
        response = exchange(client, code, verifier, headers={}, client_id="motcua-dev", client_secret=SECRET)
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer" and body["access_token"] and body["expires_in"] == 600
    header = json.loads(base64.urlsafe_b64decode(body["id_token"].split(".")[0] + "=="))
    assert header == {"alg": "RS256", "typ": "JWT", "kid": signing_key().kid}
    claims = verified(body["id_token"])
    now = timezone.now().timestamp()
    assert claims["iss"] == "http://testserver/idp" and claims["aud"] == "motcua-dev"
    assert claims["sub"] == CITIZENS[1].subject and claims["nonce"] == "n-123" and claims["acr"] == "LoA2"
    assert claims["iat"] <= now < claims["exp"] and abs(claims["auth_time"] - now) < 60
    # No personal data in the ID token (it travels in a URL at sign-out): that is userinfo's.
    assert "SoDinhDanh" not in claims and "name" not in claims


def test_token_needs_the_right_pkce_verifier(client):
    code, _verifier = issue_code(client)
    wrong, _ = pkce_pair()
    response = exchange(client, code, wrong)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"
    code, _verifier = issue_code(client)
    assert exchange(client, code, "").json()["error"] == "invalid_grant"


def test_token_needs_the_same_redirect_uri(client):
    code, verifier = issue_code(client)
    response = exchange(client, code, verifier, redirect_uri="http://localhost/dang-nhap/vneid/callback/")
    assert response.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    "headers",
    [basic(secret="wrong"), basic(client_id="someone-else"), {}, {"Authorization": "Basic !!!"}],
)
def test_token_authenticates_the_client(client, headers):
    code, verifier = issue_code(client)
    response = exchange(client, code, verifier, headers=headers)
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


def test_codes_work_once_and_a_replay_revokes_the_tokens(client):
    code, verifier = issue_code(client)
    first = exchange(client, code, verifier)
    assert first.status_code == 200
    access_token = first.json()["access_token"]
    assert client.get("/idp/userinfo", headers={"Authorization": f"Bearer {access_token}"}).status_code == 200
    second = exchange(client, code, verifier)
    assert second.status_code == 400 and second.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists()
    assert client.get("/idp/userinfo", headers={"Authorization": f"Bearer {access_token}"}).status_code == 401


def test_codes_expire_after_a_minute(client):
    code, verifier = issue_code(client)
    AuthorizationCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert exchange(client, code, verifier).json()["error"] == "invalid_grant"


def test_only_the_authorization_code_grant(client):
    response = client.post("/idp/token", {"grant_type": "client_credentials"}, headers=basic())
    assert response.json()["error"] == "unsupported_grant_type"


def test_userinfo_releases_the_claims_of_the_granted_scopes(client):
    representative = CITIZENS[4]
    code, verifier = issue_code(client, citizen=representative.subject)
    token = exchange(client, code, verifier).json()["access_token"]
    claims = client.get("/idp/userinfo", headers={"Authorization": f"Bearer {token}"}).json()
    assert claims["sub"] == representative.subject
    assert claims["SoDinhDanh"] == representative.personal_id and claims["HoVaTen"] == representative.full_name
    assert claims["NgaySinh"] == "30/04/1979" and claims["birthdate"] == "1979-04-30"
    assert claims["phone_number"] == representative.phone and claims["email"] == representative.email
    assert claims["MaSoThue"] == "4201234566"

    code, verifier = issue_code(client, scope="openid profile")
    token = exchange(client, code, verifier).json()["access_token"]
    narrow = client.get("/idp/userinfo", headers={"Authorization": f"Bearer {token}"}).json()
    assert "SoDinhDanh" in narrow and "email" not in narrow and "phone_number" not in narrow


def test_userinfo_refuses_a_missing_or_unknown_token(client):
    for headers in ({}, {"Authorization": "Bearer nonsense"}):
        response = client.get("/idp/userinfo", headers=headers)
        assert response.status_code == 401 and response["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def _id_token(client: Client) -> str:
    code, verifier = issue_code(client)
    return exchange(client, code, verifier).json()["id_token"]


def test_end_session_returns_to_the_registered_uri_with_state(client):
    hint = _id_token(client)
    response = client.get(
        "/idp/end-session",
        {
            "id_token_hint": hint,
            "post_logout_redirect_uri": "http://testserver/da-dang-xuat/",
            "state": "bye-1",
        },
    )
    assert response.status_code == 302 and response["Location"] == "http://testserver/da-dang-xuat/?state=bye-1"


def test_end_session_refuses_unregistered_uris_and_foreign_hints(client):
    hint = _id_token(client)
    foreign = client.get(
        "/idp/end-session", {"id_token_hint": hint, "post_logout_redirect_uri": "https://evil.example/da-dang-xuat/"}
    )
    assert foreign.status_code == 400 and "Location" not in foreign
    stranger = RSAKey.generate_key(2048, auto_kid=True)
    claims = {"iss": "http://testserver/idp", "aud": "motcua-dev", "sub": "x", "iat": 0, "exp": 1}
    forged = jwt.encode({"alg": "RS256", "kid": signing_key().kid}, claims, stranger)
    bad_hint = client.get(
        "/idp/end-session", {"id_token_hint": forged, "post_logout_redirect_uri": "http://testserver/da-dang-xuat/"}
    )
    assert bad_hint.status_code == 400 and "Location" not in bad_hint
    anonymous = client.get("/idp/end-session", {"post_logout_redirect_uri": "http://testserver/da-dang-xuat/"})
    assert anonymous.status_code == 400


def test_end_session_without_a_return_uri_says_the_session_ended(client):
    response = client.get(add_params_to_uri("/idp/end-session", {"id_token_hint": _id_token(client)}))
    assert response.status_code == 200 and "Bạn đã đăng xuất khỏi VNeID" in response.content.decode()
