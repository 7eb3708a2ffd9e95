"""Production: safe by default. Refuses to start without a real secret key and host names."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, env_bool, env_list

DEBUG = False
SECRET_KEY = env("MOTCUA_SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-insecure"):
    raise ImproperlyConfigured("MOTCUA_SECRET_KEY must be set to a random value of at least 50 characters.")
ALLOWED_HOSTS = env_list("MOTCUA_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("MOTCUA_ALLOWED_HOSTS must list the portal's host names.")
CSRF_TRUSTED_ORIGINS = env_list("MOTCUA_CSRF_TRUSTED_ORIGINS")

# Citizens sign in with the real electronic identity provider (VNeID), over https; never the
# development stand-in (the idp app, served at /idp on this machine or the portal's own host).
if not env("MOTCUA_OIDC_ISSUER"):
    raise ImproperlyConfigured("MOTCUA_OIDC_ISSUER must be set to the identity provider's issuer URL (VNeID).")
_issuer = urlsplit(OIDC_ISSUER)  # noqa: F405
_issuer_host = (_issuer.hostname or "").lower()
if (
    _issuer.scheme != "https"
    or _issuer_host in {"localhost", "127.0.0.1", "::1", "0.0.0.0", "testserver"}
    or _issuer_host.endswith(".localhost")
    or (_issuer.path.rstrip("/").endswith("/idp") and _issuer_host in ALLOWED_HOSTS)
):
    raise ImproperlyConfigured(
        "MOTCUA_OIDC_ISSUER must be the https issuer of the real identity provider, not the local stand-in."
    )

# MOTCUA_SECURE_SSL_REDIRECT: redirect http to https (turn off only behind a proxy that does it).
SECURE_SSL_REDIRECT = env_bool("MOTCUA_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env("MOTCUA_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Payments go to the real gateways with real secrets, never to the local stand-in. A gateway
# whose address is not set is not offered (citizens then pay at the counter).
if "payments.standin" in INSTALLED_APPS:  # noqa: F405
    raise ImproperlyConfigured("The local payment stand-in (payments.standin) must not run in production.")
for _url_name, _url, _secret_name, _secret in (
    ("MOTCUA_VNPAY_URL", PAYMENT_VNPAY_URL, "MOTCUA_VNPAY_HASH_SECRET", PAYMENT_VNPAY_HASH_SECRET),  # noqa: F405
    ("MOTCUA_PAYGOV_URL", PAYMENT_PAYGOV_URL, "MOTCUA_PAYGOV_SECRET", PAYMENT_PAYGOV_SECRET),  # noqa: F405
):
    if not _url:
        continue
    _host = (urlsplit(_url).hostname or "").lower()
    if urlsplit(_url).scheme != "https" or _host in {"localhost", "127.0.0.1", "::1", "0.0.0.0", "testserver"}:
        raise ImproperlyConfigured(f"{_url_name} must be the https address of the real payment gateway.")
    if len(_secret) < 16 or _secret.startswith("dev-insecure"):
        raise ImproperlyConfigured(f"{_secret_name} must be set to the secret the payment gateway issued.")

# The national portal is the real one over https, never the local stand-in.
if "integrations.portal_standin" in INSTALLED_APPS:  # noqa: F405
    raise ImproperlyConfigured("The national portal stand-in (integrations.portal_standin) must not run in production.")
for _name, _value in {
    "MOTCUA_NATIONAL_PORTAL_URL": NATIONAL_PORTAL_URL,  # noqa: F405
    "MOTCUA_NATIONAL_PORTAL_TOKEN_URL": NATIONAL_PORTAL_TOKEN_URL,  # noqa: F405
}.items():
    _parts = urlsplit(_value)
    if NATIONAL_PORTAL_URL and (  # noqa: F405
        _parts.scheme != "https"
        or (_parts.hostname or "").lower() in {"localhost", "127.0.0.1", "::1", "0.0.0.0", "testserver"}
        or "cong-quoc-gia-thu" in _parts.path
    ):
        raise ImproperlyConfigured(f"{_name} must be the https address of the national portal, not a stand-in.")
