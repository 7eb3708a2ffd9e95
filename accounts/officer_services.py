"""Officers' sign-in (đăng nhập cán bộ): password, then a one-time code from an authenticator app
(TOTP) or one of ten single-use recovery codes (mã khôi phục). Failed passwords and codes count
towards the lockout of the username (django-axes); every outcome is audited.

The second step keeps its state in the session for a few minutes: who passed the password step,
with which backend, and where to go afterwards. Nobody is signed in before both steps pass.
"""

from __future__ import annotations

import datetime
import math
import re
import time
from base64 import b32encode
from dataclasses import dataclass
from typing import Any

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditAction
from audit.services import audit_record
from common.formats import mask_identifier
from common.http import client_ip

from .models import User, UserKind

PENDING_KEY = "officer_sign_in"
PENDING_SECONDS = 5 * 60
LAST_SEEN_KEY = "officer_last_seen"
RECOVERY_CODE_COUNT = 10


def is_officer(user: Any) -> bool:
    """Officers and staff sign in here; citizens sign in with their electronic ID."""
    return bool(user.is_authenticated and (user.kind == UserKind.OFFICER or user.is_staff))


def is_verified_officer(user: Any) -> bool:
    return is_officer(user) and bool(getattr(user, "is_verified", lambda: False)())


# Lockout (django-axes), by username and address together: failures from one address never lock
# the officer out at another (anyone could otherwise lock a named officer out), and a guesser at
# one address is slowed down progressively before being locked out.


def is_locked(request: HttpRequest, username: str) -> bool:
    return bool(AxesProxyHandler.is_locked(request, credentials={"username": username}))


def _attempt(request: HttpRequest, username: str) -> AccessAttempt | None:
    return (
        AccessAttempt.objects.filter(username=username, ip_address=client_ip(request)).order_by("-attempt_time").first()
    )


def progressive_delay(failures: int) -> int:
    """Seconds to wait before the next try after ``failures`` failed ones from one address: none
    after the first, then 2, 4, 8 … seconds, until MOTCUA_LOCKOUT_FAILURES lock that address out."""
    return 0 if failures < 2 else 2 ** (failures - 1)


def seconds_to_wait(request: HttpRequest, username: str) -> int:
    """How long this address must still wait before trying ``username`` again (0: now)."""
    attempt = _attempt(request, username)
    if attempt is None:
        return 0
    ready = attempt.attempt_time + datetime.timedelta(seconds=progressive_delay(attempt.failures_since_start))
    return max(0, math.ceil((ready - timezone.now()).total_seconds()))


def lockout_seconds_left(request: HttpRequest, username: str) -> int:
    """Seconds until the lockout of ``username`` at this address ends: the cool-off counts from the
    last failure."""
    cool_off = settings.AXES_COOLOFF_TIME
    attempt = _attempt(request, username)
    if attempt is None:
        return int(cool_off.total_seconds())
    return max(1, math.ceil((attempt.attempt_time + cool_off - timezone.now()).total_seconds()))


def sign_in_failed(
    request: HttpRequest, *, username: str, step: str, user: User | None = None, counted: bool = False
) -> bool:
    """Record a failed password or code: count it towards the lockout (unless ``authenticate``
    already did, ``counted``), audit it, and audit the lockout it may cause. True if the username
    is now locked."""
    if not counted:
        user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    if user is None:
        user = get_user_model().objects.filter(username=username).first()
    # What was typed as a username may be anything, even a password: unknown ones are kept masked.
    who = {"username": username} if user is not None else {"username": mask_identifier(username[:150])}
    audit_record(action=AuditAction.SIGN_IN_FAILED, request=request, actor=user, details={**who, "step": step})
    locked = bool(getattr(request, "axes_locked_out", False))
    if locked:
        audit_record(
            action=AuditAction.ACCOUNT_LOCKED,
            request=request,
            actor=user,
            target=user,
            details={**who, "failures": settings.LOCKOUT_FAILURES, "minutes": settings.LOCKOUT_MINUTES},
        )
    return locked


# The pending second step.


@dataclass(frozen=True)
class PendingSignIn:
    user: User
    backend: str
    next_url: str


def pending_start(request: HttpRequest, *, user: User, next_url: str) -> None:
    """The password was right: remember who, for the second step only."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user_id": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
        "next": next_url,
        "started": int(time.time()),
    }


def pending_get(request: HttpRequest) -> PendingSignIn | None:
    """The sign-in waiting for its second step, if it is recent enough."""
    state = request.session.get(PENDING_KEY)
    if not state or time.time() - state["started"] > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    user = get_user_model().objects.filter(pk=state["user_id"], is_active=True).first()
    if user is None or not is_officer(user):
        request.session.pop(PENDING_KEY, None)
        return None
    return PendingSignIn(user=user, backend=state["backend"], next_url=state["next"])


def pending_clear(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


# Devices: the authenticator app (TOTP) and the recovery codes (static tokens).


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def enrolment_device(user: User) -> TOTPDevice:
    """The authenticator being set up: the same key until it is confirmed, so reloading the
    page does not invalidate a QR code already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Ứng dụng xác thực"), confirmed=False)
    return device


def manual_key(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into the app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code in a data: URI (the CSP allows data: images)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2))


def normalize_code(text: str) -> str:
    return re.sub(r"[\s-]", "", text).lower()


@dataclass(frozen=True)
class CodeCheck:
    device: Device | None
    wait_seconds: int = 0  # verification refused for now after recent failures (django-otp)


def _check(device: Device, code: str) -> CodeCheck:
    allowed, info = device.verify_is_allowed()
    if not allowed:
        until = (info or {}).get("locked_until")
        wait = math.ceil((until - timezone.now()).total_seconds()) if until else 1
        return CodeCheck(None, wait_seconds=max(1, wait))
    return CodeCheck(device if device.verify_token(code) else None)


def verify_code(*, user: User, code: str) -> CodeCheck:
    """Six digits are checked against the authenticator app; anything else against the
    recovery codes, each of which works once."""
    code = normalize_code(code)
    model: type[Device] = TOTPDevice if re.fullmatch(r"\d{6}", code) else StaticDevice
    with transaction.atomic():
        for device in model.objects.filter(user=user, confirmed=True).select_for_update():
            result = _check(device, code)
            if result.device is not None or result.wait_seconds:
                return result
    return CodeCheck(None)


def totp_confirm(*, device: TOTPDevice, code: str, request: HttpRequest | None = None) -> CodeCheck:
    """Confirm the authenticator being set up with a code it shows."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        result = _check(device, normalize_code(code))
        if result.device is not None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
            audit_record(
                action=AuditAction.OTP_ENROLLED,
                request=request,
                actor=device.user,
                target=device.user,
                details={"device": "totp"},
            )
    return result


def recovery_codes_issue(*, user: User, request: HttpRequest | None = None) -> list[str]:
    """Ten new recovery codes; the old ones stop working. Shown once, never again."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=_("Mã khôi phục"), confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
        audit_record(
            action=AuditAction.OTP_ENROLLED,
            request=request,
            actor=user,
            target=user,
            details={"device": "recovery_codes", "count": RECOVERY_CODE_COUNT},
        )
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def format_recovery_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


# Signing in and out.


def officer_login(request: HttpRequest, *, pending: PendingSignIn, device: Device) -> None:
    """Both steps passed: sign in, mark the session verified by ``device``, audit."""
    pending_clear(request)
    auth_login(request, pending.user, backend=pending.backend)
    otp_login(request, device)
    request.session[LAST_SEEN_KEY] = int(time.time())
    method = "recovery_code" if isinstance(device, StaticDevice) else "totp"
    details: dict[str, Any] = {"method": method}
    if method == "recovery_code":
        details["recovery_codes_left"] = recovery_codes_left(pending.user)
    audit_record(action=AuditAction.SIGN_IN, request=request, actor=pending.user, details=details)


def officer_logout(request: HttpRequest, *, reason: str) -> None:
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        audit_record(action=AuditAction.SIGN_OUT, request=request, actor=user, details={"reason": reason})
    auth_logout(request)
