"""The local cluster (``deploy/local-cluster``) and any rehearsal of production on real engines
without the national systems: production's options (DEBUG off, a real secret key and host names
required, secure cookies, HSTS, static files by WhiteNoise from ``collectstatic``, everything else
from the environment: PostgreSQL through PgBouncer, a replica, Redis, S3-compatible storage), with
the stand-ins that production refuses for what only the real country has: VNeID (the ``idp``
app), the payment gateways (``payments.standin``) and the national portal
(``integrations.portal_standin``), and the local certificate authority for signing results."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import env, env_bool, env_list
from .demo import *  # noqa: F403

DEBUG = False
SECRET_KEY = env("MOTCUA_SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-insecure"):
    raise ImproperlyConfigured("MOTCUA_SECRET_KEY must be set to a random value of at least 50 characters.")
ALLOWED_HOSTS = env_list("MOTCUA_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("MOTCUA_ALLOWED_HOSTS must list the portal's host names.")
CSRF_TRUSTED_ORIGINS = env_list("MOTCUA_CSRF_TRUSTED_ORIGINS")

# As production behind nginx: https is nginx's (X-Forwarded-Proto), the redirect too.
SECURE_SSL_REDIRECT = env_bool("MOTCUA_SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env("MOTCUA_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# MOTCUA_STATIC_ROOT: where ``collectstatic`` puts the static files each node serves (default var/static).
STATIC_ROOT = Path(env("MOTCUA_STATIC_ROOT", str(STATIC_ROOT)))  # noqa: F405

# MOTCUA_CLUSTER_SWEEP_SECONDS: a rehearsal of minutes (the local cluster) runs beat's periodic
# sweeps (the redrive of recorded tasks, the notifications', the national portal's) at most this
# many seconds apart instead of every 30 or 60 s. Empty: as production.
_sweep = env("MOTCUA_CLUSTER_SWEEP_SECONDS")
if _sweep:
    for _entry in CELERY_BEAT_SCHEDULE.values():  # noqa: F405
        _entry["schedule"] = min(float(_entry["schedule"]), float(_sweep))  # type: ignore[arg-type]
