"""Officers' pages under /can-bo/: sign-in in two steps, authenticator enrolment, the landing page
with the officer's agencies and roles, password change, recovery codes and sign-out."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from org.models import Membership

from . import officer_services as officers
from .models import User
from .officer_forms import EnrolmentCodeForm, OfficerPasswordForm, OneTimeCodeForm

View = Callable[..., HttpResponse]


def officer_required(view: View) -> View:
    """Only an officer who passed both sign-in steps; anyone else is asked to sign in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not officers.is_verified_officer(request.user):
            return redirect_to_login(request.get_full_path(), reverse("accounts:officer_sign_in"))
        return view(request, *args, **kwargs)

    return wrapper


def _officer(request: HttpRequest) -> User:
    """The signed-in officer, in views behind ``officer_required``."""
    return cast(User, request.user)


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("accounts:officer_home")


def locked_out(request: HttpRequest, original_response: Any = None, credentials: dict | None = None) -> HttpResponse:
    """The lockout page: HTTP 429 with Retry-After. Also django-axes' AXES_LOCKOUT_CALLABLE."""
    username = (credentials or {}).get("username") or ""
    seconds = officers.lockout_seconds_left(request, username) if username else settings.LOCKOUT_MINUTES * 60
    until = timezone.localtime() + datetime.timedelta(seconds=seconds)
    response = render(
        request,
        "accounts/officer_locked.html",
        {
            "failures": settings.LOCKOUT_FAILURES,
            "lockout_minutes": settings.LOCKOUT_MINUTES,
            "minutes_left": max(1, (seconds + 59) // 60),
            "until": until,
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Step 1: username and password (bước 1)."""
    next_url = _next_url(request)
    if officers.is_verified_officer(request.user):
        return redirect(next_url)
    form = OfficerPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        if officers.is_locked(request, username):
            return locked_out(request, credentials={"username": username})
        wait = officers.seconds_to_wait(request, username)
        if wait:
            form.add_error(None, _("Vui lòng đợi %(seconds)d giây rồi thử lại.") % {"seconds": wait})
            response = render(request, "accounts/officer_sign_in.html", {"form": form, "next": next_url}, status=429)
            response["Retry-After"] = str(wait)
            return response
        user = cast(User | None, authenticate(request, username=username, password=form.cleaned_data["password"]))
        if user is not None and officers.is_officer(user):
            officers.pending_start(request, user=user, next_url=next_url)
            if officers.confirmed_totp_device(user) is None:
                return redirect("accounts:officer_enrol")
            return redirect("accounts:officer_verify")
        # A wrong password was counted by authenticate(); a citizen's right one was not.
        if officers.sign_in_failed(request, username=username, step="password", counted=user is None):
            return locked_out(request, credentials={"username": username})
        form.add_error(None, _("Tên đăng nhập hoặc mật khẩu không đúng."))
    return render(request, "accounts/officer_sign_in.html", {"form": form, "next": next_url})


def _pending_or_restart(request: HttpRequest) -> officers.PendingSignIn | HttpResponse:
    pending = officers.pending_get(request)
    if pending is None:
        messages.info(request, _("Phiên đăng nhập đã hết hạn. Vui lòng nhập lại tên đăng nhập và mật khẩu."))
        return redirect("accounts:officer_sign_in")
    if officers.is_locked(request, pending.user.username):
        officers.pending_clear(request)
        return locked_out(request, credentials={"username": pending.user.username})
    return pending


def _code_failed(
    request: HttpRequest,
    form: OneTimeCodeForm | EnrolmentCodeForm,
    pending: officers.PendingSignIn,
    check: officers.CodeCheck,
    step: str,
) -> HttpResponse | None:
    """A refused code: ask to wait if the device is throttled, else count the failure."""
    if check.wait_seconds:
        form.add_error(None, _("Vui lòng đợi %(seconds)d giây rồi nhập lại mã.") % {"seconds": check.wait_seconds})
        return None
    if officers.sign_in_failed(request, username=pending.user.username, step=step, user=pending.user):
        officers.pending_clear(request)
        return locked_out(request, credentials={"username": pending.user.username})
    form.add_error("code", _("Mã xác thực không đúng hoặc đã được sử dụng."))
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Step 2: the code from the authenticator app, or a recovery code (bước 2)."""
    pending = _pending_or_restart(request)
    if isinstance(pending, HttpResponse):
        return pending
    if officers.confirmed_totp_device(pending.user) is None:
        return redirect("accounts:officer_enrol")
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = officers.verify_code(user=pending.user, code=form.cleaned_data["code"])
        if check.device is not None:
            officers.officer_login(request, pending=pending, device=check.device)
            if isinstance(check.device, StaticDevice):
                left = officers.recovery_codes_left(pending.user)
                messages.warning(
                    request,
                    _("Bạn vừa dùng một mã khôi phục; còn lại %(count)d mã. Hãy tạo bộ mã mới khi sắp hết.")
                    % {"count": left},
                )
            return redirect(pending.next_url)
        locked = _code_failed(request, form, pending, check, "otp")
        if locked is not None:
            return locked
    return render(request, "accounts/officer_verify.html", {"form": form, "officer": pending.user})


@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in: set up the authenticator app (QR code or key typed by hand), confirm it
    with a code, then receive ten recovery codes, shown once."""
    pending = _pending_or_restart(request)
    if isinstance(pending, HttpResponse):
        return pending
    if officers.confirmed_totp_device(pending.user) is not None:
        return redirect("accounts:officer_verify")
    device = officers.enrolment_device(pending.user)
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = officers.totp_confirm(device=device, code=form.cleaned_data["code"], request=request)
        if check.device is not None:
            codes = officers.recovery_codes_issue(user=pending.user, request=request)
            officers.officer_login(request, pending=pending, device=check.device)
            return _recovery_codes_page(request, codes, next_url=pending.next_url)
        locked = _code_failed(request, form, pending, check, "enrol")
        if locked is not None:
            return locked
    return render(
        request,
        "accounts/officer_enrol.html",
        {
            "form": form,
            "officer": pending.user,
            "qr_code": officers.qr_data_uri(device),
            "manual_key": officers.manual_key(device),
        },
    )


def _recovery_codes_page(request: HttpRequest, codes: list[str], *, next_url: str) -> HttpResponse:
    """Shown in the answer itself and nowhere else: the codes are not kept for a second look."""
    return render(
        request,
        "accounts/officer_recovery_codes.html",
        {"codes": [officers.format_recovery_code(c) for c in codes], "next": next_url},
    )


@never_cache
@officer_required
def home(request: HttpRequest) -> HttpResponse:
    """Trang cán bộ: the officer's current agencies and roles."""
    today = timezone.localdate()
    memberships = (
        Membership.objects.filter(user=_officer(request), valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))
        .select_related("agency", "one_stop_unit")
        .order_by("agency__name", "role")
    )
    return render(
        request,
        "accounts/officer_home.html",
        {
            "memberships": memberships,
            "roles": {m.role for m in memberships},
            "recovery_codes_left": officers.recovery_codes_left(_officer(request)),
            "idle_minutes": settings.OFFICER_IDLE_MINUTES,
        },
    )


@never_cache
@officer_required
@require_POST
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    codes = officers.recovery_codes_issue(user=_officer(request), request=request)
    return _recovery_codes_page(request, codes, next_url=reverse("accounts:officer_home"))


@never_cache
@officer_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """A new password must pass every validator of AUTH_PASSWORD_VALIDATORS (at least 12
    characters, not a common one, not only digits, not like the account's details)."""
    form = PasswordChangeForm(_officer(request), request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, _("Đã đổi mật khẩu."))
        return redirect("accounts:officer_home")
    return render(request, "accounts/officer_password.html", {"form": form})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    officers.officer_logout(request, reason="user")
    messages.info(request, _("Bạn đã đăng xuất."))
    return redirect("accounts:officer_sign_in")
