"""Helpers for tests that need an officer: one with an authenticator, codes as the app shows
them, and a client session verified as the officers' sign-in leaves it."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.officer_services import LAST_SEEN_KEY

PASSWORD = "mat-khau-can-bo-2026"


def make_officer(username: str = "canbo", **fields: Any) -> Any:
    fields = {"kind": "officer", "full_name": "Nguyễn Văn Cán Bộ", **fields}
    return get_user_model().objects.create_user(username, f"{username}@motcua.example", PASSWORD, **fields)


def totp_code(key: bytes | str, *, at: float | None = None, step: int = 30) -> str:
    """The six digits an authenticator app shows for ``key`` (hex string or bytes) at ``at``."""
    secret = bytes.fromhex(key) if isinstance(key, str) else key
    totp = TOTP(secret, step=step)
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def sign_in_verified(client: Any, user: Any) -> TOTPDevice:
    """Sign ``user`` in on ``client`` as if both steps had passed (for the admin, which requires
    a session verified by a second factor)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[LAST_SEEN_KEY] = int(time.time())
    session.save()
    return device
