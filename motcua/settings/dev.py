"""Development: the embedded default (SQLite, local files), debug on."""

from .base import *  # noqa: F403
from .base import env, env_bool

DEBUG = env_bool("MOTCUA_DEBUG", True)

# The local identity provider (a stand-in for VNeID that speaks real OpenID Connect) exists only
# in development and tests; production settings refuse it.
INSTALLED_APPS = [*INSTALLED_APPS, "idp"]  # noqa: F405
# The local payment stand-in (VNPay and the national payment platform), likewise.
INSTALLED_APPS = [*INSTALLED_APPS, "payments.standin"]
# The local stand-in for the national portal's dossier sync, likewise; sync messages go to it
# unless MOTCUA_NATIONAL_PORTAL_URL names another receiver.
INSTALLED_APPS = [*INSTALLED_APPS, "integrations.portal_standin"]
_standin = f"{PORTAL_PUBLIC_URL}/cong-quoc-gia-thu"  # noqa: F405
NATIONAL_PORTAL_URL = env("MOTCUA_NATIONAL_PORTAL_URL", f"{_standin}/dong-bo-ho-so")
NATIONAL_PORTAL_TOKEN_URL = env("MOTCUA_NATIONAL_PORTAL_TOKEN_URL", f"{_standin}/token")
