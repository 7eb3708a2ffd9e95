"""The session store (Django's database sessions) and the account and second factor each signed-in
request reads with it, as Django and django-otp read them."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.officers import sign_in_verified
from org.models import Role
from org.tests.factories import agency, officer

pytestmark = pytest.mark.django_db


def test_a_saved_session_is_read_back():
    store = SessionStore()
    store["ngôn_ngữ"] = "vi"
    store.create()
    again = SessionStore(session_key=store.session_key)
    assert again["ngôn_ngữ"] == "vi"
    assert again.session_key == store.session_key


def test_an_expired_or_unknown_session_is_empty_and_gets_a_new_key_when_saved():
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    for key in (store.session_key, "khongco" * 4):
        again = SessionStore(session_key=key)
        assert again.load() == {}
        assert again.session_key is None


def test_the_site_uses_it(client, django_user_model):
    user = django_user_model.objects.create_user(username="congdan", password="mat-khau-dai-du-12")
    client.force_login(user)
    key = client.cookies["sessionid"].value if "sessionid" in client.cookies else None
    assert key is not None
    assert SessionStore(session_key=key).get("_auth_user_id") == str(user.pk)


# The account and the second factor behind each signed-in request: read once each.


@pytest.fixture
def verified_officer(client):
    user = officer("tiepnhan", {agency("Sở Tư pháp"): [Role.COUNTER_OFFICER]})
    device = sign_in_verified(client, user)
    return user, device


def verified_by(client, device):
    """The session names ``device`` as the second factor that verified it."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def queue(client):
    return client.get("/api/v1/officer/queues/to_receive")


def test_a_verified_officer_s_account_and_authenticator_are_read_once_each(client, verified_officer):
    assert queue(client).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert queue(client).status_code == 200
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert tables.count('FROM "accounts_user"') == 1
    assert tables.count('FROM "otp_totp_totpdevice"') == 1


def test_an_authenticator_removed_or_not_confirmed_no_longer_verifies_the_session(client, verified_officer):
    _user, device = verified_officer
    device.confirmed = False
    device.save()
    response = queue(client)
    assert response.status_code == 403 and response.json()["code"] == "second_factor_required"
    assert DEVICE_ID_SESSION_KEY not in client.session
    device.confirmed = True
    device.save()
    assert queue(client).status_code == 403  # the session has forgotten it: sign in again
    verified_by(client, device)
    assert queue(client).status_code == 200
    device.delete()
    assert queue(client).status_code == 403


def test_another_officer_s_authenticator_does_not_verify_the_session(client, verified_officer):
    other = officer("chuyenvien", {agency("Sở Y tế"): [Role.PROCESSING_OFFICER]})
    theirs = TOTPDevice.objects.create(user=other, name="của người khác", confirmed=True)
    verified_by(client, theirs)
    assert queue(client).status_code == 403


def test_recovery_codes_still_verify_the_session(client, verified_officer):
    user, _device = verified_officer
    codes = StaticDevice.objects.create(user=user, name="mã dự phòng", confirmed=True)
    verified_by(client, codes)
    assert queue(client).status_code == 200


def test_a_deactivated_account_or_a_changed_password_ends_the_session(client, verified_officer):
    user, _device = verified_officer
    user.is_active = False
    user.save()
    assert queue(client).status_code == 401
    user.is_active = True
    user.save()
    sign_in_verified(client, user)
    assert queue(client).status_code == 200
    user.set_password("mat-khau-moi-rat-dai-2026")
    user.save()
    assert queue(client).status_code == 401


@pytest.mark.parametrize(
    ("cache_url", "engine"),
    [
        ("redis://127.0.0.1:6379/1", "django.contrib.sessions.backends.cached_db"),
        ("", "django.contrib.sessions.backends.db"),
    ],
)
def test_sessions_are_cached_only_in_a_cache_every_web_process_shares(cache_url, engine):
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {**os.environ, "MOTCUA_CACHE_URL": cache_url, "DJANGO_SETTINGS_MODULE": "motcua.settings.base"}
    found = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SESSION_ENGINE)"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert found == engine
