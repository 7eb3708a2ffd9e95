"""The local identity provider's rules: its registered client, what an authorization request
must carry, one-time codes, token exchange with PKCE, and the claims it releases.

It stands in for VNeID (Đề án 06) in development and tests and speaks OpenID Connect Core 1.0
(authorization code flow), RFC 7636 (PKCE, S256 only), Discovery and RP-Initiated Logout."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core.util import create_half_hash
from django.conf import settings
from django.http import HttpRequest
from django.http.request import split_domain_port, validate_host
from django.urls import reverse
from django.utils import timezone, translation
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from .citizens import Citizen, citizen_by_subject, claims_for
from .keys import ALGORITHM, signing_key
from .models import AccessToken, AuthorizationCode

ASSURANCE_LEVELS = ("LoA1", "LoA2")
SCOPES = ("openid", "profile", "email", "phone")
CLAIMS = (
    "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "at_hash",
    "name", "birthdate", "gender", "email", "email_verified", "phone_number", "phone_number_verified",
    "SoDinhDanh", "HoVaTen", "NgaySinh", "MaSoThue", "TenToChuc",
)  # fmt: skip
CODE_LIFETIME = datetime.timedelta(seconds=60)
TOKEN_LIFETIME = datetime.timedelta(minutes=10)
CODE_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")
CODE_CHALLENGE = re.compile(r"[A-Za-z0-9\-_]{43}")


class ProviderError(Exception):
    """An OAuth error (RFC 6749 §4.1.2.1, §5.2): ``error`` is the protocol's code."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


@dataclass(frozen=True)
class Client:
    """A registered relying party: the portal. Its redirect and post-logout URIs are the portal's
    own pages on any host the development server answers to (localhost, 127.0.0.1, a test
    server's port)."""

    client_id: str
    client_secret: str
    name: str

    def _own_page(self, uri: str, url_name: str) -> bool:
        parts = urlsplit(uri)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.fragment or parts.username:
            return False
        host, _port = split_domain_port(parts.netloc)
        with translation.override(settings.LANGUAGE_CODE):
            path = reverse(url_name)
        return bool(host) and validate_host(host, settings.ALLOWED_HOSTS) and parts.path == path

    def allows_redirect_uri(self, uri: str) -> bool:
        return self._own_page(uri, "accounts:vneid_callback") and not urlsplit(uri).query

    def allows_post_logout_redirect_uri(self, uri: str) -> bool:
        return self._own_page(uri, "accounts:signed_out") and not urlsplit(uri).query

    def secret_matches(self, secret: str) -> bool:
        return hmac.compare_digest(secret.encode(), self.client_secret.encode())


def registered_client(client_id: str) -> Client | None:
    if client_id and client_id == settings.OIDC_CLIENT_ID:
        return Client(
            client_id=settings.OIDC_CLIENT_ID,
            client_secret=settings.OIDC_CLIENT_SECRET,
            name=f"Cổng Dịch vụ công {settings.PORTAL_PROVINCE_NAME}",
        )
    return None


def issuer(request: HttpRequest) -> str:
    """LOCAL_IDP_ISSUER if set (behind a proxy), else the absolute URL of /idp on the host the
    request names: the portal reaches the provider on the same host it was configured with."""
    if settings.LOCAL_IDP_ISSUER:
        return str(settings.LOCAL_IDP_ISSUER).rstrip("/")
    mount = reverse("idp:discovery").removesuffix("/.well-known/openid-configuration")
    return request.build_absolute_uri(mount)


def discovery_document(request: HttpRequest) -> dict[str, object]:
    base = issuer(request)
    return {
        "issuer": base,
        "authorization_endpoint": f"{base}/authorize",
        "token_endpoint": f"{base}/token",
        "userinfo_endpoint": f"{base}/userinfo",
        "jwks_uri": f"{base}/jwks",
        "end_session_endpoint": f"{base}/end-session",
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": [ALGORITHM],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "scopes_supported": list(SCOPES),
        "acr_values_supported": list(ASSURANCE_LEVELS),
        "claims_supported": list(CLAIMS),
        "claims_parameter_supported": False,
        "request_parameter_supported": False,
        "ui_locales_supported": ["vi"],
    }


@dataclass(frozen=True)
class AuthorizationRequest:
    """A validated authorization request (OpenID Connect Core §3.1.2.1)."""

    client: Client
    redirect_uri: str
    state: str
    scopes: tuple[str, ...]
    nonce: str
    code_challenge: str
    acr_levels: tuple[str, ...]  # the levels the tester may choose, honouring acr_values


class UnsafeRedirect(Exception):
    """The client or redirect URI is unknown: the error is shown here, never sent anywhere."""


def authorization_request(params: dict[str, str]) -> AuthorizationRequest:
    """Check an authorization request. Raises UnsafeRedirect when the client or redirect URI
    cannot be trusted, ProviderError (to be sent back to the redirect URI) otherwise."""
    client = registered_client(params.get("client_id", ""))
    redirect_uri = params.get("redirect_uri", "")
    if client is None or not client.allows_redirect_uri(redirect_uri):
        raise UnsafeRedirect
    if params.get("response_type") != "code":
        raise ProviderError("unsupported_response_type", "Only the authorization code flow (response_type=code).")
    scopes = tuple(params.get("scope", "").split())
    if "openid" not in scopes:
        raise ProviderError("invalid_scope", "The openid scope is required.")
    if params.get("code_challenge_method") != "S256" or not CODE_CHALLENGE.fullmatch(params.get("code_challenge", "")):
        raise ProviderError("invalid_request", "PKCE is required: code_challenge with code_challenge_method=S256.")
    nonce = params.get("nonce", "")
    if not nonce or len(nonce) > 255:
        raise ProviderError("invalid_request", "A nonce is required.")
    if "none" in params.get("prompt", "").split():
        # No session is kept here: the tester always chooses, so a silent sign-in cannot happen.
        raise ProviderError("login_required", "prompt=none: the citizen must choose on the sign-in page.")
    requested = [level for level in params.get("acr_values", "").split() if level in ASSURANCE_LEVELS]
    return AuthorizationRequest(
        client=client,
        redirect_uri=redirect_uri,
        state=params.get("state", ""),
        scopes=tuple(scope for scope in scopes if scope in SCOPES),
        nonce=nonce,
        code_challenge=params["code_challenge"],
        acr_levels=tuple(requested) or ASSURANCE_LEVELS,
    )


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def code_issue(*, authorization: AuthorizationRequest, citizen: Citizen, acr: str) -> str:
    """A one-time code for the chosen citizen and level; only its digest is stored."""
    if acr not in authorization.acr_levels:
        raise ProviderError("invalid_request", "The assurance level was not among those requested.")
    code = secrets.token_urlsafe(32)
    now = timezone.now()
    # Keep the tables small: codes (and their tokens) a day past expiry go.
    AuthorizationCode.objects.filter(expires_at__lt=now - datetime.timedelta(days=1)).delete()
    AuthorizationCode.objects.create(
        code_digest=_digest(code),
        client_id=authorization.client.client_id,
        redirect_uri=authorization.redirect_uri,
        scope=" ".join(authorization.scopes),
        nonce=authorization.nonce,
        code_challenge=authorization.code_challenge,
        subject=citizen.subject,
        acr=acr,
        auth_time=now,
        expires_at=now + CODE_LIFETIME,
    )
    return code


def _id_token(*, iss: str, code: AuthorizationCode, citizen: Citizen, access_token: str) -> str:
    """The ID token carries who and how (sub, acr) but no personal data: it travels again in
    the browser's address bar as id_token_hint at sign-out. The identity claims come from the
    userinfo endpoint (OpenID Connect Core §5.4)."""
    now = timezone.now()
    claims = {
        "sub": citizen.subject,
        "iss": iss,
        "aud": code.client_id,
        "azp": code.client_id,
        "iat": int(now.timestamp()),
        "exp": int((now + TOKEN_LIFETIME).timestamp()),
        "auth_time": int(code.auth_time.timestamp()),
        "nonce": code.nonce,
        "acr": code.acr,
        "amr": ["vneid"],
        "at_hash": create_half_hash(access_token, ALGORITHM).decode(),
    }
    key = signing_key()
    return jwt.encode({"alg": ALGORITHM, "typ": "JWT", "kid": key.kid}, claims, key)


def token_exchange(*, iss: str, client: Client, params: dict[str, str]) -> dict[str, object]:
    """Exchange a code for an access token and an ID token (OpenID Connect Core §3.1.3). A code
    works once: a second use fails and revokes the tokens the first use issued (RFC 6749 §4.1.2)."""
    if params.get("grant_type") != "authorization_code":
        raise ProviderError("unsupported_grant_type", "Only grant_type=authorization_code.")
    now = timezone.now()
    code = AuthorizationCode.objects.filter(code_digest=_digest(params.get("code", ""))).first()
    if code is None or code.client_id != client.client_id:
        raise ProviderError("invalid_grant", "Unknown authorization code.")
    claimed = AuthorizationCode.objects.filter(pk=code.pk, used_at__isnull=True).update(used_at=now)
    if not claimed:
        AccessToken.objects.filter(code=code).delete()
        raise ProviderError("invalid_grant", "The authorization code was already used.")
    if code.expires_at <= now:
        raise ProviderError("invalid_grant", "The authorization code has expired.")
    if params.get("redirect_uri", "") != code.redirect_uri:
        raise ProviderError("invalid_grant", "redirect_uri differs from the authorization request.")
    verifier = params.get("code_verifier", "")
    if not CODE_VERIFIER.fullmatch(verifier) or not hmac.compare_digest(
        create_s256_code_challenge(verifier), code.code_challenge
    ):
        raise ProviderError("invalid_grant", "PKCE verification failed.")
    citizen = citizen_by_subject(code.subject)
    if citizen is None:
        raise ProviderError("invalid_grant", "The citizen of this code no longer exists.")
    access_token = secrets.token_urlsafe(32)
    AccessToken.objects.create(
        token_digest=_digest(access_token),
        code=code,
        client_id=client.client_id,
        subject=citizen.subject,
        scope=code.scope,
        expires_at=now + TOKEN_LIFETIME,
    )
    return {
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": int(TOKEN_LIFETIME.total_seconds()),
        "scope": code.scope,
        "id_token": _id_token(iss=iss, code=code, citizen=citizen, access_token=access_token),
    }


def userinfo(access_token: str) -> dict[str, object] | None:
    """The claims a valid bearer token grants, or None."""
    token = AccessToken.objects.filter(token_digest=_digest(access_token), expires_at__gt=timezone.now()).first()
    citizen = citizen_by_subject(token.subject) if token is not None else None
    if token is None or citizen is None:
        return None
    return claims_for(citizen, set(token.scope.split()))


def id_token_hint_client(*, iss: str, id_token: str) -> Client | None:
    """The client an ID token we issued was meant for; expired tokens still count as hints
    (RP-Initiated Logout §2). None when the signature, issuer or audience is wrong."""
    try:
        token = jwt.decode(id_token, KeySet([signing_key()]), registry=JWSRegistry(algorithms=[ALGORITHM]))
    except (JoseError, ValueError):
        return None
    claims = token.claims
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if claims.get("iss") != iss or len(audiences) != 1:
        return None
    return registered_client(str(audiences[0]))
