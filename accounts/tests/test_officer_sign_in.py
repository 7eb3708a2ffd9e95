"""Officers sign in with a password and a code from an authenticator app; the first time, they
enrol the app and receive ten single-use recovery codes."""

from __future__ import annotations

import base64
import re
import time

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from org.models import AdministrativeUnit, Agency, AgencyLevel, Membership, Role

from .officers import PASSWORD, make_officer, sign_in_verified, totp_code

pytestmark = pytest.mark.django_db

SIGN_IN = "/can-bo/dang-nhap/"
VERIFY = "/can-bo/xac-thuc/"
ENROL = "/can-bo/dang-ky-xac-thuc/"
HOME = "/can-bo/"


@pytest.fixture
def officer():
    return make_officer()


@pytest.fixture
def enrolled(officer):
    """An officer whose authenticator app is set up."""
    return TOTPDevice.objects.create(user=officer, name="app", confirmed=True)


def password_step(client, username="canbo", password=PASSWORD, **extra):
    return client.post(SIGN_IN, {"username": username, "password": password, **extra})


def manual_key_of(page: str) -> bytes:
    """The key as the officer reads it off the page, typed into the app by hand."""
    shown = re.search(r'id="manual-key">([A-Z2-7 ]+)<', page)
    assert shown is not None
    return base64.b32decode(shown.group(1).replace(" ", ""))


def recovery_codes_in(page: str) -> list[str]:
    return re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", page)


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_first_sign_in_enrols_the_authenticator_and_shows_ten_recovery_codes_once(client, officer):
    response = password_step(client)
    assert response.status_code == 302 and response["Location"] == ENROL

    page = client.get(ENROL).content.decode()
    assert 'src="data:image/svg+xml' in page  # the QR code, inline: no request leaves the portal
    key = manual_key_of(page)
    assert client.get(HOME).status_code == 302, "not signed in before the code is confirmed"

    done = client.post(ENROL, {"code": totp_code(key)})
    assert done.status_code == 200
    codes = recovery_codes_in(done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert done["Cache-Control"].startswith("max-age=0") and "no-store" in done["Cache-Control"]
    assert TOTPDevice.objects.get(user=officer).confirmed
    assert client.get(HOME).status_code == 200
    assert actions() == ["otp_enrolled", "otp_enrolled", "sign_in"]

    # Nothing shows the codes again.
    assert not any(code in client.get(HOME).content.decode() for code in codes)


def test_reloading_the_enrolment_page_keeps_the_key_already_scanned(client, officer):
    password_step(client)
    first = manual_key_of(client.get(ENROL).content.decode())
    assert manual_key_of(client.get(ENROL).content.decode()) == first


def test_a_wrong_code_does_not_confirm_the_authenticator(client, officer):
    password_step(client)
    key = manual_key_of(client.get(ENROL).content.decode())
    wrong = f"{(int(totp_code(key)) + 1) % 1_000_000:06d}"
    page = client.post(ENROL, {"code": wrong}).content.decode()
    assert "Mã xác thực không đúng" in page
    assert not TOTPDevice.objects.get(user=officer).confirmed
    assert client.get(HOME).status_code == 302


def test_sign_in_with_password_and_authenticator_code_shows_agencies_and_roles(client, officer, enrolled):
    unit = AdministrativeUnit.objects.create(code="56", name="Tỉnh Khánh Hòa", level="province")
    agency = Agency.objects.create(
        code="000.00.10.H41", name="Sở Tư pháp", level=AgencyLevel.PROVINCE, administrative_unit=unit
    )
    Membership.objects.create(user=officer, agency=agency, role=Role.PROCESSING_OFFICER)

    assert password_step(client)["Location"] == VERIFY
    response = client.post(VERIFY, {"code": totp_code(enrolled.key)})
    assert response.status_code == 302 and response["Location"] == HOME
    page = client.get(HOME).content.decode()
    assert "Sở Tư pháp" in page and "Chuyên viên xử lý" in page
    event = AuditEvent.objects.get(action="sign_in")
    assert event.actor == officer and event.details == {"method": "totp"}


def test_the_same_code_cannot_be_used_twice(client, officer, enrolled):
    code = totp_code(enrolled.key)
    password_step(client)
    client.post(VERIFY, {"code": code})
    client.post("/can-bo/dang-xuat/")
    password_step(client)
    page = client.post(VERIFY, {"code": code}).content.decode()
    assert "Mã xác thực không đúng hoặc đã được sử dụng" in page


def test_a_wrong_password_says_only_that_and_is_audited(client, officer):
    page = password_step(client, password="sai-mat-khau").content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page
    event = AuditEvent.objects.get(action="sign_in_failed")
    assert event.actor == officer and event.details == {"username": "canbo", "step": "password"}


def test_an_unknown_username_is_audited_masked(client):
    password_step(client, username="0912345678abc")
    assert AuditEvent.objects.get(action="sign_in_failed").details["username"] == "091*******abc"


def test_a_citizen_cannot_use_the_officers_sign_in(client, django_user_model):
    django_user_model.objects.create_user("congdan", password=PASSWORD, kind="citizen")
    page = password_step(client, username="congdan").content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page
    assert client.get(VERIFY)["Location"] == SIGN_IN


def test_the_code_step_needs_the_password_step_first(client, officer, enrolled):
    response = client.post(VERIFY, {"code": totp_code(enrolled.key)})
    assert response.status_code == 302 and response["Location"] == SIGN_IN
    assert client.get(HOME).status_code == 302


def test_the_password_step_expires_after_five_minutes(client, officer, enrolled):
    password_step(client)
    session = client.session
    session["officer_sign_in"]["started"] = int(time.time()) - 301
    session.save()
    response = client.post(VERIFY, {"code": totp_code(enrolled.key)}, follow=True)
    assert "Phiên đăng nhập đã hết hạn" in response.content.decode()
    assert client.get(HOME).status_code == 302


def test_after_sign_in_the_officer_goes_where_they_were_going_but_never_off_site(client, officer, enrolled):
    password_step(client, next="/admin/")
    assert client.post(VERIFY, {"code": totp_code(enrolled.key)})["Location"] == "/admin/"
    client.post("/can-bo/dang-xuat/")
    password_step(client, next="https://example.com/")
    assert client.post(VERIFY, {"code": totp_code(enrolled.key, at=time.time() + 30)})["Location"] == HOME


def test_a_recovery_code_works_instead_of_the_app_once_only(client, officer):
    password_step(client)
    key = manual_key_of(client.get(ENROL).content.decode())
    codes = recovery_codes_in(client.post(ENROL, {"code": totp_code(key)}).content.decode())
    client.post("/can-bo/dang-xuat/")

    password_step(client)
    response = client.post(VERIFY, {"code": codes[0].upper()}, follow=True)  # as typed from paper
    assert response.redirect_chain[-1][0] == HOME
    assert "còn lại 9 mã" in response.content.decode()
    assert AuditEvent.objects.filter(action="sign_in").first().details == {
        "method": "recovery_code",
        "recovery_codes_left": 9,
    }
    client.post("/can-bo/dang-xuat/")

    password_step(client)
    page = client.post(VERIFY, {"code": codes[0]}).content.decode()
    assert "Mã xác thực không đúng hoặc đã được sử dụng" in page
    assert StaticToken.objects.filter(device__user=officer).count() == 9


def test_new_recovery_codes_replace_the_old_ones(client, officer):
    sign_in_verified(client, officer)
    first = recovery_codes_in(client.post("/can-bo/ma-khoi-phuc/").content.decode())
    second = recovery_codes_in(client.post("/can-bo/ma-khoi-phuc/").content.decode())
    assert len(second) == 10 and not set(first) & set(second)
    stored = set(StaticToken.objects.filter(device__user=officer).values_list("token", flat=True))
    assert stored == {code.replace("-", "") for code in second}


def test_the_landing_page_needs_both_steps(client, officer):
    client.force_login(officer)  # a session without a verified second factor
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"] == f"{SIGN_IN}?next={HOME}"


def test_signing_out_is_audited(client, officer):
    sign_in_verified(client, officer)
    response = client.post("/can-bo/dang-xuat/", follow=True)
    assert "Bạn đã đăng xuất." in response.content.decode()
    assert AuditEvent.objects.get(action="sign_out").details == {"reason": "user"}
    assert client.get(HOME).status_code == 302
