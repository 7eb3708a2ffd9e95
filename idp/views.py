"""Endpoints of the local identity provider ("VNeID – môi trường thử nghiệm")."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import unquote_plus, urlsplit

from authlib.common.urls import add_params_to_uri
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import provider
from .citizens import CITIZENS, citizen_by_subject
from .keys import public_key_set

AUTHORIZE_PARAMS = (
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "acr_values",
    "prompt",
)

LEVEL_LABELS = {
    "LoA1": gettext_lazy("Mức độ 1 (LoA1): tài khoản định danh điện tử mức 1"),
    "LoA2": gettext_lazy("Mức độ 2 (LoA2): tài khoản định danh điện tử mức 2"),
}


def _json(data: dict[str, Any], status: int = 200, **headers: str) -> JsonResponse:
    response = JsonResponse(data, status=status)
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


@require_GET
def discovery(request: HttpRequest) -> JsonResponse:
    return JsonResponse(provider.discovery_document(request))


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    return JsonResponse(public_key_set())


def _error_page(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(request, "idp/error.html", {"message": message}, status=status)


def _redirect_back(redirect_uri: str, state: str, **params: str) -> HttpResponseRedirect:
    if state:
        params["state"] = state
    return HttpResponseRedirect(add_params_to_uri(redirect_uri, params))


def _allow_form_to(response: HttpResponse, uri: str) -> HttpResponse:
    """The consent form's answer redirects to the client, whose origin may differ from ours
    (localhost and 127.0.0.1): CSP form-action must allow it."""
    parts = urlsplit(uri)
    response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}  # type: ignore[attr-defined]
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest) -> HttpResponse:
    """GET: the tester picks a test citizen and an assurance level. POST (the form, with CSRF):
    a one-time code back to the client, or access_denied when cancelled."""
    source = request.GET if request.method == "GET" else request.POST
    params = {name: source.get(name, "") for name in AUTHORIZE_PARAMS}
    try:
        authorization = provider.authorization_request(params)
    except provider.UnsafeRedirect:
        return _error_page(
            request, _("Ứng dụng yêu cầu đăng nhập không được đăng ký hoặc địa chỉ quay lại không hợp lệ.")
        )
    except provider.ProviderError as error:
        return _redirect_back(
            params["redirect_uri"], params["state"], error=error.error, error_description=error.description
        )

    if request.method == "POST":
        if request.POST.get("decision") != "allow":
            return _redirect_back(
                authorization.redirect_uri,
                authorization.state,
                error="access_denied",
                error_description="The citizen cancelled the sign-in.",
            )
        citizen = citizen_by_subject(request.POST.get("citizen", ""))
        acr = request.POST.get("acr", "")
        if citizen is None or acr not in authorization.acr_levels:
            response = render(
                request,
                "idp/authorize.html",
                _authorize_context(authorization, params, error=_("Hãy chọn một công dân và một mức độ định danh.")),
                status=400,
            )
            return _allow_form_to(response, authorization.redirect_uri)
        code = provider.code_issue(authorization=authorization, citizen=citizen, acr=acr)
        return _redirect_back(authorization.redirect_uri, authorization.state, code=code)

    response = render(request, "idp/authorize.html", _authorize_context(authorization, params))
    return _allow_form_to(response, authorization.redirect_uri)


def _authorize_context(
    authorization: provider.AuthorizationRequest, params: dict[str, str], error: str = ""
) -> dict[str, Any]:
    return {
        "client": authorization.client,
        "citizens": CITIZENS,
        "levels": [(level, LEVEL_LABELS[level]) for level in authorization.acr_levels],
        "chosen_level": authorization.acr_levels[-1],
        "params": params,
        "error": error,
    }


def _client_credentials(request: HttpRequest) -> tuple[str, str, str]:
    """(method, client_id, secret) from HTTP Basic or the form body; both at once is an error."""
    header = request.headers.get("Authorization", "")
    in_body = "client_secret" in request.POST
    if header.startswith("Basic "):
        if in_body:
            raise provider.ProviderError("invalid_request", "Use one client authentication method.")
        try:
            decoded = base64.b64decode(header[6:], validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise provider.ProviderError("invalid_client", "Malformed Basic credentials.", status=401) from None
        client_id, sep, secret = decoded.partition(":")
        if not sep:
            raise provider.ProviderError("invalid_client", "Malformed Basic credentials.", status=401)
        # RFC 6749 §2.3.1: both parts are form-urlencoded before Basic encoding.
        return "client_secret_basic", unquote_plus(client_id), unquote_plus(secret)
    if in_body:
        return "client_secret_post", request.POST.get("client_id", ""), request.POST.get("client_secret", "")
    raise provider.ProviderError("invalid_client", "Client authentication is required.", status=401)


@csrf_exempt
@require_POST
def token(request: HttpRequest) -> JsonResponse:
    try:
        method, client_id, secret = _client_credentials(request)
        client = provider.registered_client(client_id)
        if client is None or not client.secret_matches(secret):
            raise provider.ProviderError("invalid_client", "Client authentication failed.", status=401)
        body_client = request.POST.get("client_id")
        if method == "client_secret_basic" and body_client and body_client != client.client_id:
            raise provider.ProviderError("invalid_request", "client_id differs from the authenticated client.")
        answer = provider.token_exchange(iss=provider.issuer(request), client=client, params=request.POST.dict())
    except provider.ProviderError as error:
        headers = {"WWW_Authenticate": 'Basic realm="VNeID"'} if error.status == 401 else {}
        return _json({"error": error.error, "error_description": error.description}, status=error.status, **headers)
    return _json(answer)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def userinfo(request: HttpRequest) -> JsonResponse:
    header = request.headers.get("Authorization", "")
    claims = provider.userinfo(header[7:].strip()) if header.startswith("Bearer ") else None
    if claims is None:
        return _json(
            {"error": "invalid_token", "error_description": "A valid bearer access token is required."},
            status=401,
            WWW_Authenticate='Bearer error="invalid_token"',
        )
    return _json(claims)


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def end_session(request: HttpRequest) -> HttpResponse:
    """RP-initiated logout: back to a registered post-logout URI with ``state``, after checking
    the ID token hint (or client_id); without a URI, a page saying the session has ended."""
    source = request.GET if request.method == "GET" else request.POST
    hint = source.get("id_token_hint", "")
    redirect_uri = source.get("post_logout_redirect_uri", "")
    client = None
    if hint:
        client = provider.id_token_hint_client(iss=provider.issuer(request), id_token=hint)
        if client is None:
            return _error_page(request, _("Mã định danh (id_token_hint) không hợp lệ."))
        if source.get("client_id") and source.get("client_id") != client.client_id:
            return _error_page(request, _("client_id không khớp với id_token_hint."))
    elif source.get("client_id"):
        client = provider.registered_client(source.get("client_id", ""))
    if redirect_uri:
        if client is None or not client.allows_post_logout_redirect_uri(redirect_uri):
            return _error_page(request, _("Địa chỉ quay lại sau khi đăng xuất không được đăng ký."))
        state = source.get("state", "")
        return HttpResponseRedirect(add_params_to_uri(redirect_uri, {"state": state} if state else {}))
    return render(request, "idp/signed_out.html", {"client": client})
