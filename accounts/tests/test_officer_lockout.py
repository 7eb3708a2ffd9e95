"""Repeated failures lock the username out for a while at the address they came from, never
elsewhere: wrong passwords and wrong codes alike, each try after the second failure waiting 2, 4,
8 … seconds first. The officer sees a clear page saying until when; every lockout is audited."""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent

from .officers import PASSWORD, make_officer, totp_code

pytestmark = pytest.mark.django_db

SIGN_IN = "/can-bo/dang-nhap/"
VERIFY = "/can-bo/xac-thuc/"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def device():
    return TOTPDevice.objects.create(user=make_officer(), name="app", confirmed=True)


def waited() -> None:
    """The progressive delay of the last failure has passed (the lock's cool-off has not)."""
    from accounts.officer_services import progressive_delay

    for attempt in AccessAttempt.objects.all():
        delay = datetime.timedelta(seconds=progressive_delay(attempt.failures_since_start))
        attempt.attempt_time = min(attempt.attempt_time, timezone.now() - delay)
        attempt.save(update_fields=["attempt_time"])


def wrong_password(client):
    waited()
    return client.post(SIGN_IN, {"username": "canbo", "password": "sai-mat-khau"})


def right_password(client):
    waited()
    return client.post(SIGN_IN, {"username": "canbo", "password": PASSWORD})


def wrong_code(device) -> str:
    return f"{(int(totp_code(device.key)) + 500_000) % 1_000_000:06d}"


def assert_lockout_page(response, *, seconds: int = 15 * 60):
    assert response.status_code == 429
    assert seconds - 25 <= int(response["Retry-After"]) <= seconds  # the last delay waited out
    page = response.content.decode()
    assert "Tài khoản tạm thời bị khóa đăng nhập" in page
    assert "5 lần nhập sai" in page and "trong 15 phút" in page
    assert "Vui lòng thử lại sau khoảng 15 phút" in page


def test_five_wrong_passwords_lock_the_username_for_fifteen_minutes(client, device):
    for _ in range(4):
        assert wrong_password(client).status_code == 200
    assert_lockout_page(wrong_password(client))
    # Even the right password is refused now, and says why.
    assert_lockout_page(right_password(client), seconds=15 * 60)
    locked = AuditEvent.objects.get(action="account_locked")
    assert locked.actor == device.user and locked.details["failures"] == 5 and locked.details["minutes"] == 15
    assert AuditEvent.objects.filter(action="sign_in_failed").count() == 5


def test_the_lock_ends_after_the_cool_off(client, device):
    for _ in range(5):
        wrong_password(client)
    AccessAttempt.objects.filter(username="canbo").update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    )
    assert right_password(client)["Location"] == VERIFY


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_wrong_authenticator_codes_count_too(client, device):
    for _ in range(3):
        wrong_password(client)
    right_password(client)
    assert client.post(VERIFY, {"code": wrong_code(device)}).status_code == 200
    assert_lockout_page(client.post(VERIFY, {"code": wrong_code(device)}))
    # The half-finished sign-in is gone: a right code now leads back to the password step.
    assert client.post(VERIFY, {"code": totp_code(device.key)})["Location"] == SIGN_IN
    assert AuditEvent.objects.filter(action="sign_in_failed", details__step="otp").count() == 2


def test_a_successful_sign_in_clears_the_failures(client, device):
    for _ in range(4):
        wrong_password(client)
    right_password(client)
    client.post(VERIFY, {"code": totp_code(device.key)})
    client.post("/can-bo/dang-xuat/")
    assert wrong_password(client).status_code == 200


def test_codes_typed_too_fast_after_wrong_ones_are_asked_to_wait_without_counting(client, device):
    right_password(client)
    device.throttling_failure_count, device.throttling_failure_timestamp = 4, timezone.now()  # 8 s to wait
    device.save()
    page = client.post(VERIFY, {"code": totp_code(device.key)}).content.decode()
    assert re.search(r"Vui lòng đợi [1-8] giây rồi nhập lại mã.", page)
    assert not AuditEvent.objects.filter(action="sign_in_failed").exists()


def test_failures_and_minutes_come_from_the_environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    env.update(MOTCUA_LOCKOUT_FAILURES="3", MOTCUA_LOCKOUT_MINUTES="60", DJANGO_SETTINGS_MODULE="motcua.settings.test")
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "3 1:00:00"


def test_failures_from_another_address_never_lock_the_officer_out(device):
    from django.test import Client

    attacker = Client(REMOTE_ADDR="198.51.100.66")
    for _ in range(8):
        wrong_password(attacker)
    assert_lockout_page(wrong_password(attacker), seconds=15 * 60)
    officer = Client(REMOTE_ADDR="203.0.113.10")
    assert right_password(officer)["Location"] == VERIFY


def test_after_two_failures_each_try_waits_longer_without_counting(client, device):
    wrong_password(client)
    client.post(SIGN_IN, {"username": "canbo", "password": "sai-mat-khau"})  # at once: no wait yet
    response = client.post(SIGN_IN, {"username": "canbo", "password": PASSWORD})
    assert response.status_code == 429 and response["Retry-After"] == "2"
    assert "Vui lòng đợi 2 giây rồi thử lại." in response.content.decode()
    assert AccessAttempt.objects.get().failures_since_start == 2  # the refused try did not count
    wrong_password(client)
    response = client.post(SIGN_IN, {"username": "canbo", "password": PASSWORD})
    assert response["Retry-After"] == "4"
    assert right_password(client)["Location"] == VERIFY


def test_the_delays_double_until_the_lock():
    from accounts.officer_services import progressive_delay

    assert [progressive_delay(n) for n in range(6)] == [0, 0, 2, 4, 8, 16]
