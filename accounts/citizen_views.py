"""Citizens' sign-in and sign-out with VNeID (đăng nhập bằng tài khoản định danh điện tử)."""

from __future__ import annotations

import logging

from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from audit.services import audit_record

from . import oidc

log = logging.getLogger(__name__)


def _home() -> str:
    return reverse("portal:home")


def _refused(request: HttpRequest, error: oidc.SignInError) -> HttpResponse:
    """The error page, and one audit event with the reason only (no personal data)."""
    details = {"reason": error.reason, "method": "vneid"}
    if error.provider_error:
        details["provider_error"] = error.provider_error
    audit_record(action="sign_in_failed", request=request, details=details)
    log.warning("VNeID sign-in refused: %s", error.reason)
    return render(request, "accounts/sign_in_error.html", {"error": error}, status=error.status)


@never_cache
@require_GET
def sign_in(request: HttpRequest) -> HttpResponse:
    """/dang-nhap/: the "Đăng nhập bằng VNeID" button; ?next= is kept if it is a path here."""
    next_url = oidc.local_path(request.GET.get("next"), _home())
    return render(request, "accounts/sign_in.html", {"next": next_url, "configured": oidc.configured()})


@never_cache
@require_GET
def vneid_start(request: HttpRequest) -> HttpResponse:
    next_url = oidc.local_path(request.GET.get("next"), _home())
    try:
        return oidc.sign_in_start(request, next_url=next_url)
    except oidc.SignInError as error:
        return _refused(request, error)


@never_cache
@require_GET
def vneid_callback(request: HttpRequest) -> HttpResponse:
    """The provider sends the browser back here with a code (or an error) and the state."""
    try:
        state_data = oidc.take_state(request)
    except oidc.SignInError as error:
        return _refused(request, error)
    # The callback has no language prefix (one registered URI); answer in the citizen's language.
    language = state_data.get("language") or translation.get_language()
    translation.activate(language)
    request.LANGUAGE_CODE = translation.get_language()
    try:
        provider_error = oidc.callback_error(request.GET.dict())
        if provider_error is not None:
            raise provider_error
        code = request.GET.get("code", "")
        if not code:
            raise oidc.SignInError("missing_code", _("VNeID không gửi mã đăng nhập."), status=400)
        claims, id_token = oidc.verified_claims(code=code, state_data=state_data)
        identity = oidc.identity_from_claims(claims)
        user, created = oidc.citizen_account_sign_in(identity=identity)
    except oidc.SignInError as error:
        return _refused(request, error)
    login(request, user, backend="accounts.backends.AccountBackend")
    request.session[oidc.SESSION_ACR] = identity.acr
    request.session[oidc.SESSION_ID_TOKEN] = id_token
    audit_record(
        action="sign_in",
        request=request,
        actor=user,
        target=user,
        details={"method": "vneid", "acr": identity.acr, "new_account": created},
    )
    return HttpResponseRedirect(oidc.local_path(state_data.get("next"), _home()))


@never_cache
@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    """GET: a page with the sign-out button. POST (CSRF-checked): end the portal session, then
    the provider's (RP-initiated logout) when it offers it."""
    if request.method == "GET":
        return render(request, "accounts/sign_out.html")
    id_token = request.session.get(oidc.SESSION_ID_TOKEN)
    if request.user.is_authenticated:
        audit_record(action="sign_out", request=request, target=request.user)
    logout(request)
    provider_logout = oidc.end_session_url(request, id_token=id_token) if id_token else None
    return HttpResponseRedirect(provider_logout or reverse("accounts:signed_out"))


@never_cache
@require_GET
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signed_out.html")
