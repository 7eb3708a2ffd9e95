"""An officer's session ends after a period without activity; the admin requires a verified
second factor; new passwords follow the password rules."""

from __future__ import annotations

import time

import pytest
from django.test import override_settings
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.officer_services import recovery_codes_issue
from audit.models import AuditEvent

from .officers import PASSWORD, make_officer, sign_in_verified, totp_code

pytestmark = pytest.mark.django_db

HOME = "/can-bo/"


def idle_for(client, minutes: int) -> None:
    session = client.session
    session["officer_last_seen"] = int(time.time()) - minutes * 60
    session.save()


def test_an_officer_idle_for_thirty_minutes_is_signed_out_with_a_notice(client):
    officer = make_officer()
    sign_in_verified(client, officer)
    idle_for(client, 31)
    response = client.get(HOME, follow=True)
    assert response.redirect_chain[-1][0] == f"/can-bo/dang-nhap/?next={HOME}"
    assert "Phiên làm việc đã kết thúc vì không có thao tác trong 30 phút" in response.content.decode()
    event = AuditEvent.objects.get(action="sign_out")
    assert event.actor == officer and event.details == {"reason": "idle"}


def test_activity_keeps_the_officer_signed_in(client):
    sign_in_verified(client, make_officer())
    idle_for(client, 29)
    assert client.get(HOME).status_code == 200
    idle_for(client, 29)
    assert client.get(HOME).status_code == 200


def test_requests_within_a_minute_do_not_write_the_session_again(client):
    sign_in_verified(client, make_officer())
    session = client.session
    session["officer_last_seen"] = marked = int(time.time()) - 30
    session.save()
    assert client.get(HOME).status_code == 200
    assert client.session["officer_last_seen"] == marked
    idle_for(client, 2)
    assert client.get(HOME).status_code == 200
    assert client.session["officer_last_seen"] >= int(time.time()) - 5


@override_settings(OFFICER_IDLE_MINUTES=5)
def test_the_idle_time_is_configurable(client):
    sign_in_verified(client, make_officer())
    idle_for(client, 6)
    assert client.get(HOME).status_code == 302


def test_citizens_keep_normal_sessions(client, django_user_model):
    citizen = django_user_model.objects.create_user("congdan", kind="citizen")
    client.force_login(citizen)
    session = client.session
    session.set_expiry(14 * 24 * 3600)
    session.save()
    assert "officer_last_seen" not in client.session
    client.get("/")
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_the_admin_sends_staff_without_a_verified_second_factor_to_the_officers_sign_in(client):
    staff = make_officer(is_staff=True, is_superuser=True)
    client.force_login(staff)  # password only, as the old admin login would have done
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/can-bo/dang-nhap/?next=/admin/"
    sign_in_verified(client, staff)
    assert client.get("/admin/").status_code == 200


def test_signing_out_of_the_admin_is_audited(client):
    staff = make_officer(is_staff=True, is_superuser=True)
    sign_in_verified(client, staff)
    client.post("/admin/logout/")
    assert AuditEvent.objects.get(action="sign_out").actor == staff
    assert client.get("/admin/").status_code == 302


def test_staff_reach_the_admin_through_both_steps(client):
    staff = make_officer(is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    client.post("/can-bo/dang-nhap/?next=/admin/", {"username": "canbo", "password": PASSWORD})
    assert client.post("/can-bo/xac-thuc/", {"code": totp_code(device.key)})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_administrators_never_see_an_officers_key_or_recovery_codes(client):
    officer = make_officer("xuly")
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    codes = recovery_codes_issue(user=officer)
    sign_in_verified(client, make_officer("quantri", is_staff=True, is_superuser=True))
    totp_page = client.get(f"/admin/accounts/authenticatorapp/{device.pk}/change/")
    assert totp_page.status_code == 200
    assert totp_page.content.decode().count(device.key) == 0
    static = StaticDevice.objects.get(user=officer)
    static_page = client.get(f"/admin/accounts/backupcodes/{static.pk}/change/")
    assert static_page.status_code == 200
    assert not any(code in static_page.content.decode() for code in codes)
    assert client.get(f"/admin/accounts/authenticatorapp/{device.pk}/config/").status_code == 403


def test_a_new_password_must_follow_the_password_rules(client):
    officer = make_officer()
    sign_in_verified(client, officer)
    short = client.post(
        "/can-bo/doi-mat-khau/",
        {"old_password": PASSWORD, "new_password1": "Ngan-2026", "new_password2": "Ngan-2026"},
    )
    assert "Mật khẩu quá ngắn: cần ít nhất 12 ký tự." in short.content.decode()
    digits = client.post(
        "/can-bo/doi-mat-khau/",
        {"old_password": PASSWORD, "new_password1": "202620262026", "new_password2": "202620262026"},
    )
    assert "Mật khẩu không được chỉ gồm chữ số." in digits.content.decode()
    good = "suoi-tien-nha-trang-2026"
    ok = client.post("/can-bo/doi-mat-khau/", {"old_password": PASSWORD, "new_password1": good, "new_password2": good})
    assert ok.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(good)
    assert client.get(HOME).status_code == 200, "the officer stays signed in after the change"


def test_passwords_set_by_an_administrator_follow_the_rules_too(client):
    admin = make_officer("quantri", is_staff=True, is_superuser=True)
    officer = make_officer("moi")
    sign_in_verified(client, admin)
    page = client.post(
        f"/admin/accounts/user/{officer.pk}/password/",
        {"password1": "ngan", "password2": "ngan", "usable_password": "true"},
    ).content.decode()
    assert "Mật khẩu quá ngắn: cần ít nhất 12 ký tự." in page


def test_an_officer_who_is_not_staff_gets_a_clear_page_instead_of_a_loop(client):
    analyst = make_officer(is_staff=False)
    sign_in_verified(client, analyst)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1  # /admin/ → its login page, and no further
    page = response.content.decode()
    assert "Tài khoản của bạn không dùng trang quản trị" in page and 'href="/can-bo/"' in page
