"""Citizens sign in with VNeID: the portal as an OpenID Connect client, the whole flow run against
the local provider in-process (idp.testing)."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import User, UserKind
from accounts.oidc import SESSION_ACR, SESSION_ID_TOKEN
from audit.models import AuditEvent
from idp.citizens import CITIZENS
from idp.testing import portal_callback, provider_in_process

pytestmark = pytest.mark.django_db

NGOC = CITIZENS[1]


@pytest.fixture
def provider(settings):
    settings.OIDC_ISSUER = "http://testserver/idp"
    settings.OIDC_CLIENT_ID = "motcua-dev"
    settings.OIDC_CLIENT_SECRET = "motcua-dev-secret"
    settings.OIDC_ACR_VALUES = "LoA2"
    settings.LOCAL_IDP_ISSUER = ""
    settings.RATE_LIMIT_SIGNIN = "10000/m"
    cache.clear()
    with provider_in_process() as adapter:
        yield adapter
    cache.clear()


def sign_in(client: Client, citizen=NGOC, **kwargs):
    return client.get(portal_callback(client, citizen=citizen.subject, **kwargs))


def test_first_sign_in_creates_the_citizen_account_from_the_claims(client, provider):
    response = sign_in(client, start="/dang-nhap/vneid/?next=/thu-tuc/1.000894/")
    assert response.status_code == 302 and response["Location"] == "/thu-tuc/1.000894/"
    user = User.objects.get()
    assert user.kind == UserKind.CITIZEN and not user.has_usable_password()
    assert user.personal_id == NGOC.personal_id and user.full_name == "Trần Thị Bích Ngọc"
    assert user.birth_date == NGOC.birth_date and user.phone == "0914234502" and user.email == NGOC.email
    assert user.oidc_subject == NGOC.subject and user.username.startswith("vneid-")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.session[SESSION_ACR] == "LoA2" and client.session[SESSION_ID_TOKEN]
    event = AuditEvent.objects.get(action="sign_in")
    assert event.actor == user and event.details == {"method": "vneid", "acr": "LoA2", "new_account": True}
    assert NGOC.personal_id not in json.dumps(event.details)
    # The flow: discovery, token, keys, then userinfo for the identity claims.
    assert provider.calls == ["/idp/.well-known/openid-configuration", "/idp/token", "/idp/jwks", "/idp/userinfo"]


def test_the_authorization_request_uses_pkce_state_nonce_and_acr_values(client, provider):
    location = urlsplit(client.get("/dang-nhap/vneid/")["Location"])
    query = {name: values[0] for name, values in parse_qs(location.query).items()}
    assert location.path == "/idp/authorize"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 20 and len(query["nonce"]) >= 20
    assert query["acr_values"] == "LoA2" and query["scope"] == "openid profile email phone"
    assert query["redirect_uri"] == "http://testserver/dang-nhap/vneid/callback/"


def test_the_reached_level_is_kept_in_the_session(client, provider, settings):
    settings.OIDC_ACR_VALUES = ""
    sign_in(client, acr="LoA1")
    assert client.session[SESSION_ACR] == "LoA1"


def test_same_personal_id_is_the_same_account_even_when_the_email_changes(client, provider):
    sign_in(client)
    first = User.objects.get()
    client.logout()
    provider.rewrite["/idp/userinfo"] = lambda claims: {**claims, "email": "ngoc.moi@vneid.example"}
    sign_in(client)
    assert User.objects.count() == 1
    again = User.objects.get()
    assert again.pk == first.pk and again.email == "ngoc.moi@vneid.example"
    assert AuditEvent.objects.filter(action="sign_in").first().details["new_account"] is False


def test_accounts_are_matched_by_personal_id_never_by_email_or_name(client, provider):
    namesake = User.objects.create(
        username="namesake", full_name=NGOC.full_name, email=NGOC.email, personal_id="056192009999"
    )
    sign_in(client)
    assert User.objects.count() == 2
    namesake.refresh_from_db()
    assert namesake.oidc_subject is None and int(client.session["_auth_user_id"]) != namesake.pk


def test_an_account_known_by_its_personal_id_is_linked_and_updated(client, provider):
    known = User.objects.create(username="ngoc", personal_id=NGOC.personal_id, full_name="Tran Thi Ngoc")
    sign_in(client)
    known.refresh_from_db()
    assert User.objects.count() == 1 and known.oidc_subject == NGOC.subject
    assert known.full_name == "Trần Thị Bích Ngọc" and int(client.session["_auth_user_id"]) == known.pk


def test_an_officer_cannot_sign_in_here_without_their_second_factor(client, provider):
    User.objects.create(username="canbo", kind=UserKind.OFFICER, personal_id=NGOC.personal_id, is_staff=True)
    response = sign_in(client)
    assert response.status_code == 403 and "cán bộ" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.get(action="sign_in_failed").details == {"reason": "officer_account", "method": "vneid"}


def test_a_business_representative_signs_in_as_a_citizen_account(client, provider):
    sign_in(client, citizen=CITIZENS[4])
    assert User.objects.get().kind == UserKind.CITIZEN


@pytest.mark.parametrize(
    ("personal_id", "rule"),
    [
        ("999192004567", "Ba chữ số đầu (999) không phải mã tỉnh"),
        ("056188004567", "không khớp với năm sinh 1992"),
        ("05619200456", "phải gồm đúng 12 chữ số"),
    ],
)
def test_an_invalid_personal_id_refuses_sign_in_naming_the_rule(client, provider, personal_id, rule):
    provider.rewrite["/idp/userinfo"] = lambda claims: {**claims, "SoDinhDanh": personal_id}
    response = sign_in(client)
    page = response.content.decode()
    assert response.status_code == 403 and rule in page and "Không thể đăng nhập bằng VNeID" in page
    assert not User.objects.exists() and "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action="sign_in_failed")
    assert event.details == {"reason": "personal_id_invalid", "method": "vneid"} and event.actor is None


def test_no_personal_id_no_sign_in(client, provider):
    provider.rewrite["/idp/userinfo"] = lambda claims: {k: v for k, v in claims.items() if k != "SoDinhDanh"}
    assert sign_in(client).status_code == 403
    assert not User.objects.exists()
    assert AuditEvent.objects.get(action="sign_in_failed").details["reason"] == "personal_id_missing"


def test_userinfo_for_another_subject_is_refused(client, provider):
    provider.rewrite["/idp/userinfo"] = lambda claims: {**claims, "sub": CITIZENS[0].subject}
    assert sign_in(client).status_code == 403
    assert not User.objects.exists()


def test_cancelling_at_vneid_says_so(client, provider):
    started = urlsplit(client.get("/dang-nhap/vneid/")["Location"])
    params = {name: values[0] for name, values in parse_qs(started.query).items()}
    back = urlsplit(client.post(started.path, {**params, "decision": "deny"})["Location"])
    response = client.get(f"{back.path}?{back.query}")
    assert response.status_code == 403 and "Bạn đã hủy đăng nhập bằng VNeID" in response.content.decode()
    assert AuditEvent.objects.get(action="sign_in_failed").details == {
        "reason": "access_denied",
        "method": "vneid",
        "provider_error": "access_denied",
    }


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"])
def test_next_is_kept_only_when_it_is_a_path_here(client, provider, unsafe):
    page = client.get("/dang-nhap/", {"next": unsafe}).content.decode()
    assert 'href="/dang-nhap/vneid/?next=/"' in page
    response = client.get(portal_callback(client, start=f"/dang-nhap/vneid/?next={unsafe}"))
    assert response["Location"] == "/"


def test_the_sign_in_page_has_the_vneid_button_and_keeps_next(client, provider):
    page = client.get("/dang-nhap/", {"next": "/thu-tuc/?q=ket+hon"}).content.decode()
    assert "Đăng nhập bằng VNeID" in page
    assert 'href="/dang-nhap/vneid/?next=/thu-tuc/%3Fq%3Dket%2Bhon"' in page


def test_the_header_shows_who_is_signed_in_outside_the_cached_page(client, provider):
    anonymous = client.get("/phien-dang-nhap/", headers={"HX-Current-URL": "http://testserver/lien-he/"})
    assert 'href="/dang-nhap/?next=/lien-he/"' in anonymous.content.decode()
    sign_in(client)
    header = client.get("/phien-dang-nhap/")
    assert "Trần Thị Bích Ngọc" in header.content.decode() and 'action="/dang-xuat/"' in header.content.decode()
    assert "no-cache" in header["Cache-Control"]
    # Pages themselves stay the same for everyone (the procedure page is cached whole).
    home = client.get("/").content.decode()
    assert "Trần Thị Bích Ngọc" not in home and 'hx-get="/phien-dang-nhap/"' in home


def test_sign_out_ends_both_sessions(client, provider):
    sign_in(client)
    user = User.objects.get()
    response = client.post("/dang-xuat/")
    assert "_auth_user_id" not in client.session
    location = urlsplit(response["Location"])
    query = {name: values[0] for name, values in parse_qs(location.query).items()}
    assert location.path == "/idp/end-session"
    assert query["post_logout_redirect_uri"] == "http://testserver/da-dang-xuat/" and query["state"]
    assert query["client_id"] == "motcua-dev"
    # The ID token in the address bar carries no personal data.
    payload = json.loads(base64.urlsafe_b64decode(query["id_token_hint"].split(".")[1] + "=="))
    assert payload["sub"] == NGOC.subject and NGOC.personal_id not in json.dumps(payload)
    back = client.get(f"{location.path}?{location.query}")
    assert back["Location"] == f"http://testserver/da-dang-xuat/?state={query['state']}"
    assert "Bạn đã đăng xuất" in client.get("/da-dang-xuat/").content.decode()
    assert AuditEvent.objects.get(action="sign_out").actor == user


def test_sign_out_is_a_post_with_csrf(provider):
    browser = Client(enforce_csrf_checks=True)
    sign_in(browser)
    assert browser.post("/dang-xuat/").status_code == 403
    assert "_auth_user_id" in browser.session
    page = browser.get("/dang-xuat/")
    assert page.status_code == 200 and 'name="csrfmiddlewaretoken"' in page.content.decode()


def test_sign_out_when_the_provider_offers_no_end_session_goes_to_the_portal_page(client, provider):
    sign_in(client)
    cache.clear()
    provider.rewrite["/idp/.well-known/openid-configuration"] = lambda document: {
        k: v for k, v in document.items() if k != "end_session_endpoint"
    }
    assert client.post("/dang-xuat/")["Location"] == "/da-dang-xuat/"


def test_an_officer_signed_in_elsewhere_signs_out_locally(client, provider):
    officer = User.objects.create(username="canbo", kind=UserKind.OFFICER)
    client.force_login(officer)
    assert client.post("/dang-xuat/")["Location"] == "/da-dang-xuat/"
    assert "_auth_user_id" not in client.session
