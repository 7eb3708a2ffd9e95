"""Đăng nhập bằng tài khoản định danh điện tử (VNeID, Đề án 06) through OpenID Connect.

The portal is a relying party: authorization code flow with PKCE (S256), state and nonce, by
Authlib's Django client; the ID token (RS256 or another asymmetric algorithm the provider
announces, never ``none`` or a shared secret) is checked for signature, issuer, audience, expiry
and nonce. One person is one account: the account is found by the personal identification number
(claim ``SoDinhDanh``), never by e-mail or name. Settings: OIDC_* in motcua/settings/base.py."""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App, OAuthError
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from joserfc import errors as jose_errors

from .models import User, UserKind
from .rules import personal_id_problems

log = logging.getLogger(__name__)

PROVIDER = "vneid"
SESSION_ACR = "oidc_acr"  # the assurance level (acr) reached at sign-in: LoA1, LoA2
SESSION_ID_TOKEN = "oidc_id_token"  # kept for id_token_hint when signing out
METADATA_SECONDS = 3600
ID_TOKEN_LEEWAY = 60  # seconds of clock skew tolerated on exp and iat
# Asymmetric algorithms only: "none" and HMAC with the client secret are never accepted.
DISCOVERY_FIELDS = (
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "userinfo_endpoint",
    "jwks_uri",
    "end_session_endpoint",
    "id_token_signing_alg_values_supported",
    "token_endpoint_auth_methods_supported",
    "code_challenge_methods_supported",
    "acr_values_supported",
)
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")


class SignInError(Exception):
    """Sign-in refused. ``reason`` is a fixed code for the audit trail (never personal data);
    ``message`` and ``problems`` are for the citizen."""

    def __init__(
        self,
        reason: str,
        message: str | Promise,
        *,
        status: int = 403,
        problems: list[str] | None = None,
        unavailable: bool = False,
        provider_error: str = "",
    ) -> None:
        super().__init__(reason)
        self.reason, self.message, self.status = reason, str(message), status
        self.problems = problems or []
        self.unavailable = unavailable
        self.provider_error = provider_error


def provider_unavailable(reason: str) -> SignInError:
    return SignInError(
        reason,
        _(
            "Hệ thống định danh tạm thời không phản hồi. Vui lòng thử lại sau ít phút. "
            "Bạn vẫn có thể tra cứu thủ tục hành chính mà không cần đăng nhập."
        ),
        status=503,
        unavailable=True,
    )


def configured() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)


def _cache_key(kind: str) -> str:
    return f"oidc:{kind}:" + hashlib.sha256(settings.OIDC_ISSUER.encode()).hexdigest()[:32]


def provider_metadata() -> dict[str, Any]:
    """The provider's discovery document, checked and kept for an hour. Its ``issuer`` must be
    exactly the configured one (OpenID Connect Discovery §4.3)."""
    if not configured():
        raise SignInError(
            "not_configured", gettext_lazy("Chức năng đăng nhập bằng VNeID chưa được cấu hình."), status=503
        )
    metadata = cache.get(_cache_key("metadata"))
    if metadata is not None:
        return dict(metadata)
    url = settings.OIDC_ISSUER.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT, headers={"Accept": "application/json"})
        response.raise_for_status()
        metadata = response.json()
    except (requests.RequestException, ValueError) as error:
        log.warning("OpenID provider discovery failed: %s", type(error).__name__)
        raise provider_unavailable("provider_unavailable") from error
    required = ("authorization_endpoint", "token_endpoint", "jwks_uri")
    if (
        not isinstance(metadata, dict)
        or metadata.get("issuer") != settings.OIDC_ISSUER
        or not all(isinstance(metadata.get(name), str) for name in required)
    ):
        log.error("OpenID provider discovery document does not match MOTCUA_OIDC_ISSUER or lacks endpoints.")
        raise provider_unavailable("discovery_invalid")
    # Only the fields used; anything else in the document is not passed on to Authlib.
    metadata = {name: metadata[name] for name in DISCOVERY_FIELDS if name in metadata}
    announced = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    metadata["id_token_signing_alg_values_supported"] = [alg for alg in announced if alg in SIGNING_ALGORITHMS]
    if not metadata["id_token_signing_alg_values_supported"]:
        raise provider_unavailable("discovery_invalid")
    cache.set(_cache_key("metadata"), metadata, METADATA_SECONDS)
    return dict(metadata)


class _Integration(DjangoIntegration):
    expires_in = 600  # an unfinished sign-in's state is forgotten after ten minutes


def oidc_client(metadata: dict[str, Any]) -> DjangoOAuth2App:
    """Authlib's client for one request, with the discovery document and cached keys."""
    auth_methods = metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    auth_method = "client_secret_basic" if "client_secret_basic" in auth_methods else "client_secret_post"
    jwks = cache.get(_cache_key("jwks"))
    return DjangoOAuth2App(
        _Integration(PROVIDER),
        name=PROVIDER,
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        client_kwargs={
            "scope": settings.OIDC_SCOPES,
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": auth_method,
            "default_timeout": settings.OIDC_TIMEOUT,
        },
        **metadata,
        **({"jwks": jwks} if jwks else {}),
    )


def local_path(value: str | None, default: str) -> str:
    """``value`` if it is a path on this site (/thu-tuc/…), else ``default``: never another host."""
    if value and value.startswith("/") and url_has_allowed_host_and_scheme(value, allowed_hosts=set()):
        return value
    return default


def callback_uri(request: HttpRequest) -> str:
    """The one redirect URI registered at the provider: the callback without a language prefix."""
    with translation.override(settings.LANGUAGE_CODE):
        return request.build_absolute_uri(reverse("accounts:vneid_callback"))


def signed_out_uri(request: HttpRequest) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return request.build_absolute_uri(reverse("accounts:signed_out"))


def sign_in_start(request: HttpRequest, *, next_url: str) -> HttpResponseRedirect:
    """Remember state, nonce, PKCE verifier, where to go after and the language in the session,
    and send the browser to the provider."""
    client = oidc_client(provider_metadata())
    redirect_uri = callback_uri(request)
    language = translation.get_language() or settings.LANGUAGE_CODE
    params = {"ui_locales": language}
    if settings.OIDC_ACR_VALUES:
        params["acr_values"] = settings.OIDC_ACR_VALUES
    authorization = client.create_authorization_url(redirect_uri, **params)
    client.save_authorize_data(
        request,
        redirect_uri=redirect_uri,
        next=next_url,
        language=language,
        state=authorization["state"],
        nonce=authorization["nonce"],
        code_verifier=authorization["code_verifier"],
    )
    return HttpResponseRedirect(authorization["url"])


def _used_key(kind: str, value: str) -> str:
    return f"oidc:used:{kind}:" + hashlib.sha256(value.encode()).hexdigest()


def _first_use(kind: str, value: str) -> bool:
    """True the first time ``value`` is seen (for a day): states and nonces are single-use, even
    if an old session is replayed."""
    return bool(cache.add(_used_key(kind, value), True, 86400))


def take_state(request: HttpRequest) -> dict[str, Any]:
    """The data saved for the callback's ``state``, removed from the session: a state works once."""
    state = request.GET.get("state", "")
    framework = _Integration(PROVIDER)
    data = framework.get_state_data(request.session, state) if state else None
    if state:
        framework.clear_state_data(request.session, state)
    if data is None and not (state and cache.get(_used_key("state", state))):
        raise SignInError(
            "state_mismatch",
            _(
                "Phiên đăng nhập không khớp hoặc đã hết hạn (tham số state không hợp lệ). "
                "Vui lòng bắt đầu đăng nhập lại từ Cổng Dịch vụ công."
            ),
            status=400,
        )
    if data is None or not _first_use("state", state):
        raise SignInError("replayed", _("Yêu cầu đăng nhập này đã được sử dụng. Vui lòng đăng nhập lại."), status=400)
    return dict(data)


def callback_error(params: dict[str, str]) -> SignInError | None:
    """The provider's own refusal (error=… on the callback), e.g. the citizen pressed Cancel."""
    error = params.get("error")
    if not error:
        return None
    code = re.sub(r"[^a-z_]", "", error.lower())[:40] or "unknown"
    if code == "access_denied":
        return SignInError("access_denied", _("Bạn đã hủy đăng nhập bằng VNeID."), provider_error=code)
    return SignInError(
        "provider_error",
        _("VNeID không thể xác thực yêu cầu đăng nhập (mã lỗi: %(code)s). Vui lòng thử lại.") % {"code": code},
        status=400,
        provider_error=code,
    )


_TOKEN_PROBLEMS = {
    "bad_signature": gettext_lazy("chữ ký số không hợp lệ"),
    "unsupported_algorithm": gettext_lazy("thuật toán ký không được chấp nhận"),
    "unknown_key": gettext_lazy("khóa ký không thuộc VNeID"),
    "expired": gettext_lazy("mã xác thực đã hết hạn"),
    "invalid_iss": gettext_lazy("mã xác thực không do hệ thống định danh đã cấu hình cấp"),
    "invalid_aud": gettext_lazy("mã xác thực không được cấp cho Cổng Dịch vụ công này"),
    "invalid_azp": gettext_lazy("mã xác thực không được cấp cho Cổng Dịch vụ công này"),
    "invalid_nonce": gettext_lazy("mã xác thực không thuộc phiên đăng nhập này"),
    "nonce_replayed": gettext_lazy("mã xác thực đã được sử dụng"),
    "missing_claim": gettext_lazy("mã xác thực thiếu thông tin bắt buộc"),
    "id_token_missing": gettext_lazy("không nhận được mã xác thực (ID token)"),
}


def _token_refused(reason: str) -> SignInError:
    problem = _TOKEN_PROBLEMS.get(reason, gettext_lazy("mã xác thực không hợp lệ"))
    return SignInError(
        reason,
        _(
            "Thông tin xác thực nhận được từ VNeID không hợp lệ (%(problem)s). Vì an toàn, Cổng Dịch vụ công "
            "không đăng nhập cho bạn. Vui lòng đăng nhập lại."
        )
        % {"problem": problem},
    )


def _jose_reason(error: jose_errors.JoseError) -> str:
    if isinstance(error, jose_errors.BadSignatureError):
        return "bad_signature"
    if isinstance(error, jose_errors.UnsupportedAlgorithmError | jose_errors.MissingAlgorithmError):
        return "unsupported_algorithm"
    if isinstance(error, jose_errors.InvalidKeyIdError | jose_errors.MissingKeyError):
        return "unknown_key"
    if isinstance(error, jose_errors.ExpiredTokenError):
        return "expired"
    if isinstance(error, jose_errors.InvalidClaimError) and error.claim in ("iss", "aud", "azp", "nonce", "iat"):
        return f"invalid_{error.claim}"
    if isinstance(error, jose_errors.MissingClaimError):
        return "missing_claim"
    if isinstance(error, jose_errors.DecodeError):
        return "malformed"
    return "invalid_token"


def _claims_options() -> dict[str, dict[str, Any]]:
    return {
        "iss": {"essential": True, "value": settings.OIDC_ISSUER},
        "aud": {"essential": True, "value": settings.OIDC_CLIENT_ID},
        "sub": {"essential": True},
        "exp": {"essential": True},
        "iat": {"essential": True},
    }


def verified_claims(*, code: str, state_data: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Exchange the code (with the PKCE verifier) and check the ID token; the claims and the
    ID token itself. Claims missing from the ID token are read from the userinfo endpoint."""
    metadata = provider_metadata()
    client = oidc_client(metadata)
    try:
        token = client.fetch_access_token(
            redirect_uri=state_data["redirect_uri"], code=code, code_verifier=state_data["code_verifier"]
        )
    except requests.RequestException as error:
        log.warning("OpenID token endpoint unreachable: %s", type(error).__name__)
        raise provider_unavailable("provider_unavailable") from error
    except OAuthError as error:
        raise SignInError(
            "token_refused",
            _("VNeID không chấp nhận mã đăng nhập (có thể đã hết hạn hoặc đã được dùng). Vui lòng đăng nhập lại."),
            status=400,
            provider_error=str(error.error),
        ) from error
    if not token.get("id_token"):
        raise _token_refused("id_token_missing")
    try:
        claims = dict(
            client.parse_id_token(
                token, nonce=state_data["nonce"], claims_options=_claims_options(), leeway=ID_TOKEN_LEEWAY
            )
        )
    except requests.RequestException as error:
        log.warning("OpenID keys unreachable: %s", type(error).__name__)
        raise provider_unavailable("provider_unavailable") from error
    except jose_errors.JoseError as error:
        raise _token_refused(_jose_reason(error)) from error
    except ValueError as error:  # not JSON, not a JWT, a key set that is not one
        raise _token_refused("malformed") from error
    if client.server_metadata.get("jwks"):
        cache.set(_cache_key("jwks"), client.server_metadata["jwks"], METADATA_SECONDS)
    if not _first_use("nonce", state_data["nonce"]):
        raise _token_refused("nonce_replayed")
    if "SoDinhDanh" not in claims and metadata.get("userinfo_endpoint"):
        try:
            extra = dict(client.userinfo(token=token))
        except (requests.RequestException, OAuthError, ValueError) as error:
            log.warning("OpenID userinfo endpoint failed: %s", type(error).__name__)
            raise provider_unavailable("provider_unavailable") from error
        if extra.get("sub") != claims["sub"]:  # OpenID Connect Core §5.3.2
            raise _token_refused("invalid_userinfo")
        claims = {**extra, **claims}
    return claims, token["id_token"]


@dataclass(frozen=True)
class CitizenIdentity:
    """What the provider says about a citizen, in the portal's terms."""

    subject: str
    personal_id: str
    full_name: str = ""
    birth_date: datetime.date | None = None
    phone: str = ""
    email: str = ""
    acr: str = ""


def _birth_date(claims: dict[str, Any]) -> datetime.date | None:
    """``birthdate`` (YYYY-MM-DD, OpenID Connect) or ``NgaySinh`` (dd/mm/yyyy or YYYY-MM-DD)."""
    for name in ("birthdate", "NgaySinh"):
        value = str(claims.get(name) or "").strip()
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.datetime.strptime(value, pattern).date()
            except ValueError:
                continue
    return None


def _phone(value: object) -> str:
    """+84905123456 (E.164, as OpenID Connect sends it) is written 0905123456 in Việt Nam."""
    digits = re.sub(r"[\s.()-]", "", str(value or ""))
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    return digits if re.fullmatch(r"\+?\d{8,15}", digits) else ""


def _email(value: object) -> str:
    text = str(value or "").strip()
    try:
        validate_email(text)
    except ValidationError:
        return ""
    return text[:254]


def identity_from_claims(claims: dict[str, Any]) -> CitizenIdentity:
    """Map the claims; the personal identification number must be valid and agree with the
    birth date (accounts.rules), otherwise sign-in is refused naming the broken rule."""
    personal_id = str(claims.get("SoDinhDanh") or "").strip()
    if not personal_id:
        raise SignInError(
            "personal_id_missing",
            _("VNeID không cung cấp số định danh cá nhân, nên Cổng Dịch vụ công không thể xác định tài khoản của bạn."),
        )
    birth_date = _birth_date(claims)
    problems = personal_id_problems(personal_id, birth_date)
    if problems:
        raise SignInError(
            "personal_id_invalid",
            _("Số định danh cá nhân nhận được từ VNeID không hợp lệ, nên không thể đăng nhập:"),
            problems=problems,
        )
    full_name = str(claims.get("HoVaTen") or claims.get("name") or "").strip()
    return CitizenIdentity(
        subject=str(claims["sub"]),
        personal_id=personal_id,
        full_name=" ".join(full_name.split())[:200],
        birth_date=birth_date,
        phone=_phone(claims.get("phone_number")),
        email=_email(claims.get("email")),
        acr=str(claims.get("acr") or ""),
    )


def _username(subject: str) -> str:
    return "vneid-" + hashlib.sha256(subject.encode()).hexdigest()[:24]


def citizen_account_sign_in(*, identity: CitizenIdentity) -> tuple[User, bool]:
    """The citizen's account, found by personal identification number, created if new (kind
    citizen, no usable password) and brought up to date from the provider. (user, created)."""
    try:
        return _citizen_account(identity)
    except IntegrityError:
        # Two first sign-ins of one person at once: the other request created the account.
        return _citizen_account(identity)


def _citizen_account(identity: CitizenIdentity) -> tuple[User, bool]:
    with transaction.atomic():
        user = User.objects.select_for_update().filter(personal_id=identity.personal_id).first()
        if user is not None and user.kind != UserKind.CITIZEN:
            raise SignInError(
                "officer_account",
                _("Số định danh này thuộc một tài khoản cán bộ. Cán bộ đăng nhập tại trang dành cho cán bộ."),
            )
        if user is not None and not user.is_active:
            raise SignInError(
                "account_inactive", _("Tài khoản của bạn đang bị khóa. Vui lòng liên hệ Cổng Dịch vụ công.")
            )
        others = User.objects.filter(oidc_subject=identity.subject)
        if user is not None:
            others = others.exclude(pk=user.pk)
        if others.exists():
            raise SignInError(
                "subject_conflict",
                _("Tài khoản VNeID này đã gắn với một tài khoản khác trên Cổng. Vui lòng liên hệ Cổng Dịch vụ công."),
            )
        created = user is None
        if user is None:
            user = User(username=_username(identity.subject), kind=UserKind.CITIZEN, personal_id=identity.personal_id)
            user.set_unusable_password()
        user.oidc_subject = identity.subject
        if identity.full_name:
            user.full_name = identity.full_name
        if identity.birth_date:
            user.birth_date = identity.birth_date
        if identity.phone:
            user.phone = identity.phone
        if identity.email:
            user.email = identity.email
        user.save()
    return user, created


def end_session_url(request: HttpRequest, *, id_token: str) -> str | None:
    """Where to send the browser so the provider ends its session too (RP-Initiated Logout), or
    None when it offers no end_session_endpoint or cannot be reached."""
    try:
        metadata = provider_metadata()
    except SignInError:
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    logout = oidc_client(metadata).create_logout_url(
        post_logout_redirect_uri=signed_out_uri(request), id_token_hint=id_token, client_id=settings.OIDC_CLIENT_ID
    )
    return str(logout["url"])
