"""Development: the embedded default (SQLite, local files), debug on."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("MOTCUA_DEBUG", True)

# The local identity provider (a stand-in for VNeID that speaks real OpenID Connect) exists only
# in development and tests; production settings refuse it.
INSTALLED_APPS = [*INSTALLED_APPS, "idp"]  # noqa: F405
# The local payment stand-in (VNPay and the national payment platform), likewise.
INSTALLED_APPS = [*INSTALLED_APPS, "payments.standin"]
