"""What `make run` serves: the embedded default of development (SQLite, local files, the worker
beside the server) with its stand-ins for the national systems (VNeID, the payment gateways, the
national portal), served as production serves: by gunicorn, DEBUG off (no tracebacks or URL lists
for a mistyped address), static files by WhiteNoise from `collectstatic`, compressed and with
hashed names. `make dev` keeps the autoreloading development server (`motcua.settings.dev`)."""

from .base import env_bool
from .dev import *  # noqa: F403

DEBUG = env_bool("MOTCUA_DEBUG", False)
SERVE_PUBLIC_MEDIA = env_bool("MOTCUA_SERVE_PUBLIC_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
