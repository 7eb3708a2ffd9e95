"""The session store (``accounts.sessions``): Django's database sessions, read by a prepared query."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.sessions import SessionStore

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
