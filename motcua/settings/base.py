"""Shared settings for every environment.

Every setting that comes from the environment is read here, with its default, through ``env``.
The table in README.md ("Configuration") lists the same variables; keep the two together.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    """Read one environment variable, falling back to ``default``."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# MOTCUA_SECRET_KEY: signing key. Required in production; development uses an insecure default.
SECRET_KEY = env("MOTCUA_SECRET_KEY", "dev-insecure-secret-key-change-me-0123456789abcdefghij")
# MOTCUA_DEBUG: show tracebacks. Off unless the development settings turn it on.
DEBUG = env_bool("MOTCUA_DEBUG", False)
# MOTCUA_ALLOWED_HOSTS: comma-separated host names the portal answers to.
ALLOWED_HOSTS = env_list("MOTCUA_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "ninja",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "common",
    "org",
    "notifications",
    "accounts",
    "audit",
    "workdays",
    "catalog",
    "dossiers",
    "payments",
    "documents",
    "results",
    "integrations",
    "feedback",
    "surveys",
    "news",
    "contest",
    "reports",
    "demo",
    # The shell (home, menus, error pages): the top layer, after every context it shows.
    "portal",
    # Wagtail (the news app's editorial content), after our apps so that our templates win.
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.table_block",
    "wagtail.contrib.sitemaps",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]

MIDDLEWARE = [
    # Outermost: a request that failed because the database is down answers 503 (Retry-After).
    "common.unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "common.http.PermissionsPolicyMiddleware",
    # Under /api/: personal answers (authenticated operations) are not stored by any cache.
    "common.api.ApiHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the language is chosen (the 429 answer is localized), before any view or session work.
    "common.ratelimit.RateLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication and messages: signs out an officer idle for too long, with a notice.
    "accounts.middleware.OfficerIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After the second factor is known: Wagtail's admin (/cms/) only for verified editors.
    "news.middleware.EditorialAdminGate",
    # The news section's pages kept rendered, answered before Wagtail looks for the page.
    "news.page_cache.NewsPageCache",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses sign-in while an account or address is locked out after repeated failures.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend (under the name that existing sessions record).
    "accounts.backends.AccountBackend",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "common.context_processors.portal",
                "portal.context_processors.shell",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# DATABASE_URL: sqlite:///path or postgres://user:pass@host:5432/name. Default: SQLite file db.sqlite3.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=int(env("MOTCUA_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, with the writers taking turns on a file lock instead of SQLite's sleeps
    # (common.sqlite). WAL lets readers work while one writer writes; IMMEDIATE avoids lock
    # upgrades failing.
    DATABASES["default"]["ENGINE"] = "common.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),  # what the URL's query string asks wins
    }
    # Connections are kept between requests as on PostgreSQL (MOTCUA_DB_CONN_MAX_AGE): opening one
    # and running its PRAGMAs costs a request several milliseconds.
# DATABASE_REPLICA_URL: optional, a read-only copy of the same PostgreSQL database (a streaming
# replica, deploy/postgresql/README.md), e.g. postgres://motcua@10.0.2.11:6432/motcua. It defines
# the database alias "replica", from which the reports read (``common.db.reporting_alias()``:
# "replica" while it answers, else "default"; the selectors of reports/selectors.py read within
# ``common.db.reading_for_reports``); nothing is ever written there. In tests the alias
# mirrors the default database. MOTCUA_DB_REPLICA_CONNECT_TIMEOUT: seconds to wait for it (default
# 3) before the reports fall back to the primary.
_replica_url = env("DATABASE_REPLICA_URL")
if _replica_url:
    DATABASES["replica"] = dj_database_url.parse(_replica_url, conn_max_age=int(env("MOTCUA_DB_CONN_MAX_AGE", "60")))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", int(env("MOTCUA_DB_REPLICA_CONNECT_TIMEOUT", "3"))
        )
# The reports' selectors read within common.db.reading_for_reports, whose reads this router sends to
# the replica (while it answers); everything else reads and writes the primary.
DATABASE_ROUTERS = ["common.db.ReportingRouter"]
for _database in DATABASES.values():
    if _database["ENGINE"] != "django.db.backends.postgresql":
        continue
    # Values are sent apart from the SQL (server-side binding), and psycopg prepares a statement
    # once it has run MOTCUA_DB_PREPARE_THRESHOLD times on a connection: PostgreSQL then plans the
    # queries every request makes once per connection instead of on each run (a reception's
    # dossier read took 0.3 ms to plan and 0.05 ms to run). "off": values put into the SQL and
    # nothing prepared, as Django does by default, for a pooler in transaction mode that cannot
    # keep prepared statements (PgBouncer before 1.21, or without max_prepared_statements).
    _prepare = env("MOTCUA_DB_PREPARE_THRESHOLD", "5")
    if _prepare != "off":
        # (Added to the options the URL's query string gives, such as sslmode.)
        _database.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=int(_prepare))
    # MOTCUA_DB_DISABLE_SERVER_SIDE_CURSORS: true behind a pooler in transaction mode (PgBouncer's
    # pool_mode = transaction), where a cursor cannot outlive its transaction: Django's
    # ``.iterator()`` then reads in chunks from the client side instead.
    _database["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("MOTCUA_DB_DISABLE_SERVER_SIDE_CURSORS", False)

# MOTCUA_CACHE_URL: shared cache for rendered public pages, e.g. redis://127.0.0.1:6379/1;
# "dummy://" turns caching off. Default: a cache in each process's memory (fine for one server).
_cache_url = env("MOTCUA_CACHE_URL")
CACHES: dict[str, dict[str, object]]
if _cache_url.startswith("redis"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}}
elif _cache_url == "dummy://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Pages for signed-in citizens (login_required) send anonymous visitors to the VNeID sign-in page,
# which returns them to ?next= afterwards. Officers sign in at /can-bo/dang-nhap/.
LOGIN_URL = "accounts:sign_in"

# Django's rules, with Vietnamese messages (accounts/password_validation.py).
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "accounts.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["username", "full_name", "email", "phone"]},
    },
    {"NAME": "accounts.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "accounts.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.password_validation.NumericPasswordValidator"},
]

# Languages: Vietnamese is the master; the four others are translations.
LANGUAGE_CODE = "vi"
LANGUAGES = [
    ("vi", "Tiếng Việt"),
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("ko", "한국어"),
    ("ja", "日本語"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# MOTCUA_MEDIA_ROOT: where uploaded files (procedure form templates) are kept on local disk.
MEDIA_ROOT = Path(env("MOTCUA_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
# MOTCUA_SERVE_PUBLIC_MEDIA: whether the application itself serves the news section's images under
# /media/ (original_images/, images/) when DEBUG is off. On for `make run` (motcua.settings.demo),
# where no web server stands in front; off in production, where nginx serves them.
SERVE_PUBLIC_MEDIA = env_bool("MOTCUA_SERVE_PUBLIC_MEDIA", False)

# Citizens sign in with their electronic identity (VNeID, Đề án 06) through OpenID Connect: the
# authorization code flow with PKCE (S256), state and nonce; accounts are matched by the personal
# identification number (claim SoDinhDanh). See accounts/oidc.py.
# MOTCUA_OIDC_ISSUER: the provider's issuer URL (discovery at <issuer>/.well-known/openid-configuration).
# Default: the local stand-in that the development server serves at /idp (`make run` passes its
# host and port). Production refuses an empty value and the local stand-in.
OIDC_ISSUER = env("MOTCUA_OIDC_ISSUER", "http://127.0.0.1:8000/idp")
# MOTCUA_OIDC_CLIENT_ID, MOTCUA_OIDC_CLIENT_SECRET: the portal's registration at the provider
# (client_secret_basic). The defaults are the local stand-in's registration.
OIDC_CLIENT_ID = env("MOTCUA_OIDC_CLIENT_ID", "motcua-dev")
OIDC_CLIENT_SECRET = env("MOTCUA_OIDC_CLIENT_SECRET", "motcua-dev-secret")
# MOTCUA_OIDC_SCOPES: the scopes asked for, separated by spaces.
OIDC_SCOPES = env("MOTCUA_OIDC_SCOPES", "openid profile email phone")
# MOTCUA_OIDC_ACR_VALUES: the assurance levels asked for (acr_values), separated by spaces; empty: any.
OIDC_ACR_VALUES = env("MOTCUA_OIDC_ACR_VALUES", "LoA2")
# MOTCUA_OIDC_TIMEOUT: seconds to wait for the provider (discovery, keys, token, userinfo).
OIDC_TIMEOUT = float(env("MOTCUA_OIDC_TIMEOUT", "5"))
# MOTCUA_LOCAL_IDP_ISSUER: development only; the issuer the local stand-in announces. Default: the
# absolute URL of /idp on the host a request names.
LOCAL_IDP_ISSUER = env("MOTCUA_LOCAL_IDP_ISSUER")
# Signing out (a form) redirects to the provider's end-session endpoint: CSP form-action must allow its
# origin (scheme://host:port, the first three parts of the URL split at "/").
_OIDC_ORIGIN = "/".join(OIDC_ISSUER.split("/")[:3])

# Content Security Policy: no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", *([_OIDC_ORIGIN] if _OIDC_ORIGIN else [])],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Django's database sessions; read through the cache as well when the cache is shared by every
# web process (Redis): a signed-in request then finds its session without a query. Never with a
# cache of one process's own (locmem): a session ended in one process would live on in another's.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if _cache_url.startswith("redis")
    else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# A form refused for its security token answers the portal's 403 page, in the visitor's language.
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

# MOTCUA_TRUSTED_PROXIES: how many reverse proxies (load balancer, TLS terminator) stand in front of
# the web processes and append to X-Forwarded-For. 0: the client is REMOTE_ADDR. Used for rate
# limits, lockouts and the audit trail; set it exactly, or clients can pretend to be anyone.
TRUSTED_PROXIES = int(env("MOTCUA_TRUSTED_PROXIES", "0"))

# Officers: username, password and a one-time code from an authenticator app (TOTP) at
# /can-bo/dang-nhap/. MOTCUA_LOCKOUT_FAILURES failed passwords or codes for one username from one
# address lock that address out of it for MOTCUA_LOCKOUT_MINUTES (django-axes); before that, each
# try after the second failure waits 2, 4, 8 … seconds (accounts.officer_services).
LOCKOUT_FAILURES = int(env("MOTCUA_LOCKOUT_FAILURES", "5"))
LOCKOUT_MINUTES = int(env("MOTCUA_LOCKOUT_MINUTES", "15"))
AXES_FAILURE_LIMIT = LOCKOUT_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=LOCKOUT_MINUTES)
# By username and address together: failures from elsewhere never lock an officer out (a lock by
# username alone is one that anyone who knows or guesses the username can set off), and
# colleagues behind one office's address are not locked out by each other's typos.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "common.http.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.officer_views.locked_out"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
# MOTCUA_WORK_CALENDAR_CACHE_SECONDS: how long a process keeps the working-day calendar it built
# from the official days off (a change made elsewhere reaches it within this time). Default: 60.
WORK_CALENDAR_CACHE_SECONDS = int(env("MOTCUA_WORK_CALENDAR_CACHE_SECONDS", "60"))
# Each process keeps the places of online submissions (procedure version, agency, one-stop unit)
# per catalog revision: a change to the catalog, an agency or a unit is seen at once.
SUBMISSION_PLACE_CACHE = env("MOTCUA_SUBMISSION_PLACE_CACHE", "true").lower() == "true"
# MOTCUA_OFFICER_IDLE_MINUTES: an officer inactive for this long is signed out (citizens are not).
OFFICER_IDLE_MINUTES = int(env("MOTCUA_OFFICER_IDLE_MINUTES", "30"))
OTP_TOTP_ISSUER = "motcua"
# Nobody, administrators included, sees an officer's authenticator key or recovery codes again.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Per-client request limits ("count/period", period s, m, h or d; fixed windows in the cache).
# MOTCUA_RATELIMIT_ENABLED: false turns them off (the throughput benchmark does).
RATE_LIMIT_ENABLED = env_bool("MOTCUA_RATELIMIT_ENABLED", True)
# MOTCUA_RATELIMIT_LOOKUPS: per address, what people do without signing in: the procedure pages,
# dossier tracking and every GET under /api/v1/. Everyone behind one office's or school's address
# shares it: bench/ratelimit_office.py measures what 30 people of one ward office use.
RATE_LIMIT_LOOKUPS = env("MOTCUA_RATELIMIT_LOOKUPS", "600/m")
# MOTCUA_RATELIMIT_ACCOUNT: per signed-in account, the same look-ups (a signed-in person never
# counts against the address).
RATE_LIMIT_ACCOUNT = env("MOTCUA_RATELIMIT_ACCOUNT", "300/m")
# MOTCUA_RATELIMIT_SIGNIN: per address, requests to the officers' and citizens' sign-in pages (one
# sign-in takes about three; a whole office signs in at opening time). Guessing one officer's
# password is stopped by the lockout (MOTCUA_LOCKOUT_*), not by this.
RATE_LIMIT_SIGNIN = env("MOTCUA_RATELIMIT_SIGNIN", "300/m")
# MOTCUA_RATELIMIT_UPLOADS: per signed-in account (else per address), requests sending files
# (multipart POST), counted before a byte of them is read.
RATE_LIMIT_UPLOADS = env("MOTCUA_RATELIMIT_UPLOADS", "60/m")
# MOTCUA_REQUEST_MAX_MB: the largest request body taken (files included), refused with 413 before
# it is read; the verification of results takes one file (MOTCUA_UPLOAD_MAX_MB) and 1 MiB more.
REQUEST_MAX_BYTES = int(env("MOTCUA_REQUEST_MAX_MB", "200")) * 1024 * 1024
# The public feedback form (/phan-anh/gui/): sendings per client address, and per sender's phone.
RATE_LIMIT_FEEDBACK_ADDRESS = env("MOTCUA_RATELIMIT_FEEDBACK_ADDRESS", "20/h")
RATE_LIMIT_FEEDBACK_PHONE = env("MOTCUA_RATELIMIT_FEEDBACK_PHONE", "5/d")

# Portal identity shown on every page.
# MOTCUA_PROVINCE_NAME: the province that runs this portal.
PORTAL_PROVINCE_NAME = env("MOTCUA_PROVINCE_NAME", "Tỉnh Khánh Hòa")
# MOTCUA_HOTLINE: the published number for feedback on administrative procedures.
PORTAL_HOTLINE = env("MOTCUA_HOTLINE", "0258 3822 888")
# MOTCUA_CONTACT_EMAIL: the published address for feedback on administrative procedures.
PORTAL_CONTACT_EMAIL = env("MOTCUA_CONTACT_EMAIL", "motcua@khanhhoa.gov.vn")
# MOTCUA_CONTACT_ADDRESS: the address of the province's public administration service centre.
PORTAL_CONTACT_ADDRESS = env(
    "MOTCUA_CONTACT_ADDRESS", "Trung tâm Phục vụ hành chính công tỉnh, số 1 Trần Phú, phường Nha Trang"
)
# MOTCUA_PUBLIC_URL: the portal's public address (scheme and host, no trailing path), printed in
# the QR codes and under them on the slips so that a citizen's phone opens the tracking page, e.g.
# https://dichvucong.khanhhoa.gov.vn. Default: the development server.
PORTAL_PUBLIC_URL = env("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000")

# MOTCUA_LOG_LEVEL: DEBUG, INFO, WARNING or ERROR.
LOG_LEVEL = env("MOTCUA_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "common.logging.RedactPersonalData"}},
    "formatters": {
        "json": {
            "()": "common.logging.RedactingJsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Wagtail logs every page change at INFO; the news app's history is Wagtail's own log.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# MOTCUA_SHARED_DATA: the folder with the shared reference data (procedures.json, workdays.json),
# read by `manage.py load_demo` and the tests. Default: the repository's sibling folder shared/data.
SHARED_DATA_DIR = Path(env("MOTCUA_SHARED_DATA", str(BASE_DIR.parent / "shared" / "data")))

# MOTCUA_DEMO_PASSWORD: the password of the demo officers that `manage.py load_demo` creates.
DEMO_PASSWORD = env("MOTCUA_DEMO_PASSWORD", "motcua-demo-2026")

# Procedures whose decision takes effect later stay hidden until then; search results are cached
# per process and rebuilt when the catalog revision changes.
SEARCH_MAX_QUERY_LENGTH = 200
API_MAX_LIMIT = 100

# --- Task queue (Celery) -------------------------------------------------------------------------
# CELERY_BROKER_URL: where tasks are queued. Default: a folder under var/ (Celery's filesystem
# transport), enough for one machine and the worker that `make run` starts beside the server;
# set redis://host:6379/0 (or another Celery broker) to run several web and worker processes.
# MOTCUA_BROKER_DIR: that folder (default var/broker; the benchmarks give their server its own).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "filesystem://")
_broker_dir = Path(env("MOTCUA_BROKER_DIR", str(BASE_DIR / "var" / "broker")))
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {}
)
if CELERY_BROKER_URL.startswith("filesystem"):
    _broker_dir.mkdir(parents=True, exist_ok=True)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# CELERY_TASK_ALWAYS_EAGER: run tasks in the calling process instead of a worker (tests).
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
# Periodic sweeps; each app adds its entries (see its tasks.py).
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}
# MOTCUA_TASK_REDRIVE_SECONDS, MOTCUA_TASK_REDRIVE_CAP_SECONDS: a task asked for by a committed
# transaction (common.PendingTask) that has not run this long after it was sent is sent again by
# the worker's sweep, the delay doubling with each attempt up to the cap; the tasks are idempotent.
TASK_REDRIVE_SECONDS = int(env("MOTCUA_TASK_REDRIVE_SECONDS", "120"))
TASK_REDRIVE_CAP_SECONDS = int(env("MOTCUA_TASK_REDRIVE_CAP_SECONDS", "3600"))
TASK_REDRIVE_BATCH = 500
# MOTCUA_DELIVERY_LEASE_SECONDS: a worker sending a notification or a national-portal message
# holds its row this long; if the worker dies mid-send, another takes the row once it has passed
# (the message may then reach its receiver twice: the portal's record and an e-mail's content are
# the same both times).
DELIVERY_LEASE_SECONDS = int(env("MOTCUA_DELIVERY_LEASE_SECONDS", "300"))
CELERY_BEAT_SCHEDULE["common-redrive-tasks"] = {"task": "common.redrive_tasks", "schedule": 30.0}

# --- Files: storage, upload checks, recognition (documents app) ---------------------------------
# MOTCUA_FILE_STORAGE: the Django storage class keeping uploaded and generated files (content-
# addressed by SHA-256, never served from a public address). Default: local disk under
# MOTCUA_FILE_ROOT; "storages.backends.s3.S3Storage" for S3-compatible object storage (MinIO, Ceph,
# a cloud's), configured by the AWS_* variables below.
FILE_STORAGE_BACKEND = env("MOTCUA_FILE_STORAGE", "documents.storage.PrivateFileSystemStorage")
# MOTCUA_FILE_ROOT: the folder for local-disk storage, outside MEDIA_ROOT so no web server serves it.
FILE_STORAGE_ROOT = Path(env("MOTCUA_FILE_ROOT", str(BASE_DIR / "var" / "files")))
# AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL (e.g. http://127.0.0.1:9000 for MinIO; empty: AWS),
# AWS_S3_REGION_NAME, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: read by django-storages when
# MOTCUA_FILE_STORAGE is its S3 backend. Objects stay private (no ACL); links are never handed out.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", "motcua-files")
AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL") or None
AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME") or None
AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID") or None
AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY") or None
AWS_DEFAULT_ACL = None
AWS_S3_FILE_OVERWRITE = False
AWS_QUERYSTRING_AUTH = True
# MOTCUA_UPLOAD_MAX_MB: the largest file accepted, in MiB (a scanned dossier document in PDF).
UPLOAD_MAX_BYTES = int(env("MOTCUA_UPLOAD_MAX_MB", "20")) * 1024 * 1024
# Of a larger file only that much (and a byte) is kept, the rest dropped as it arrives.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "documents.uploads.CappedUploadHandler",
]
# MOTCUA_UPLOAD_MAX_PAGES: the most pages of one PDF or multi-page TIFF.
UPLOAD_MAX_PAGES = int(env("MOTCUA_UPLOAD_MAX_PAGES", "200"))
# MOTCUA_UPLOAD_MAX_PIXELS: the most pixels of one image (A4 at 600 dpi is about 35 million).
UPLOAD_MAX_PIXELS = int(env("MOTCUA_UPLOAD_MAX_PIXELS", "64000000"))
# MOTCUA_UPLOAD_MAX_EXPANDED_MB: what the compressed streams of one PDF may expand to, together, in
# MiB; beyond it the file is treated as a decompression bomb.
UPLOAD_MAX_EXPANDED_BYTES = int(env("MOTCUA_UPLOAD_MAX_EXPANDED_MB", "512")) * 1024 * 1024
# MOTCUA_VIRUS_SCANNER: off when empty (default). "tcp://host:3310" or "unix:///run/clamav/clamd.ctl"
# sends each new file to clamd (INSTREAM); a dotted path names a callable(data: bytes) -> str | None
# returning the name of what it found. A scanner that cannot be reached refuses the upload.
VIRUS_SCANNER = env("MOTCUA_VIRUS_SCANNER", "")
# MOTCUA_OCR_LANGUAGES: Tesseract languages for recognizing scans (Debian: tesseract-ocr-vie).
OCR_LANGUAGES = env("MOTCUA_OCR_LANGUAGES", "vie")
# MOTCUA_OCR_DPI: the resolution PDF pages are rendered at before recognition.
OCR_DPI = int(env("MOTCUA_OCR_DPI", "200"))
# MOTCUA_OCR_MAX_PAGES: pages recognized per file (the first ones); the rest stay image only.
OCR_MAX_PAGES = int(env("MOTCUA_OCR_MAX_PAGES", "20"))

# --- Fees and online payment (payments) -----------------------------------------------------------
# Gateway secrets come only from the environment. The defaults talk to the local payment stand-in
# (payments.standin, development and tests only); production settings refuse them.
# MOTCUA_VNPAY_URL: VNPay's payment page (e.g. https://pay.vnpay.vn/vpcpay.html). Empty: the
# stand-in served by this portal at /thanh-toan-thu/vnpay/.
PAYMENT_VNPAY_URL = env("MOTCUA_VNPAY_URL", "")
# MOTCUA_VNPAY_TMN_CODE, MOTCUA_VNPAY_HASH_SECRET: the merchant code and hash secret VNPay issues.
PAYMENT_VNPAY_TMN_CODE = env("MOTCUA_VNPAY_TMN_CODE", "MOTCUA01")
PAYMENT_VNPAY_HASH_SECRET = env("MOTCUA_VNPAY_HASH_SECRET", "dev-insecure-vnpay-secret")
# MOTCUA_PAYGOV_URL: the national portal's payment platform API (INIT, status, receipt). Empty:
# the stand-in at /thanh-toan-thu/dvcqg/.
PAYMENT_PAYGOV_URL = env("MOTCUA_PAYGOV_URL", "")
# MOTCUA_PAYGOV_PARTNER_CODE, MOTCUA_PAYGOV_SECRET: MaDoiTac and the secret hashed into MaXacThuc.
PAYMENT_PAYGOV_PARTNER_CODE = env("MOTCUA_PAYGOV_PARTNER_CODE", "KHANHHOA")
PAYMENT_PAYGOV_SECRET = env("MOTCUA_PAYGOV_SECRET", "dev-insecure-paygov-secret")
# MOTCUA_PAYMENT_CALLBACK_ALLOWLIST: comma-separated addresses or networks (CIDR) that may send
# payment notifications (IPN, callbacks). Default: this machine only.
PAYMENT_CALLBACK_ALLOWLIST = env_list("MOTCUA_PAYMENT_CALLBACK_ALLOWLIST", "127.0.0.1,::1")
# MOTCUA_PAYMENT_EXPIRY_MINUTES: how long a citizen has to pay once sent to a gateway.
PAYMENT_EXPIRY_MINUTES = int(env("MOTCUA_PAYMENT_EXPIRY_MINUTES", "15"))
# The stand-in's behaviour (development and tests): seconds before its callback, how many copies
# of it, and "ipn_first" or "return_first".
PAYMENT_STANDIN_DELAY = float(env("MOTCUA_PAYMENT_STANDIN_DELAY", "0"))
PAYMENT_STANDIN_DUPLICATES = int(env("MOTCUA_PAYMENT_STANDIN_DUPLICATES", "1"))
PAYMENT_STANDIN_ORDER = env("MOTCUA_PAYMENT_STANDIN_ORDER", "ipn_first")
CELERY_BEAT_SCHEDULE["payments-expire"] = {"task": "payments.tasks.expire_payments", "schedule": 60.0}

# --- Electronic results: signing keys and verification (results app) -----------------------------
# MOTCUA_RESULTS_SIGNING: where each agency's signing key and certificate come from:
#   "local"  (default in development and tests) a local CA made on first use under
#            MOTCUA_RESULTS_PKI_DIR: a root and one certificate per agency. The production
#            settings refuse it (`manage.py check`: results.E001; it neither signs nor is trusted).
#   "pkcs12" a PKCS#12 file per agency, MOTCUA_RESULTS_PKCS12 ("{agency}" is replaced by the
#            agency's code, e.g. /etc/motcua/keys/{agency}.p12), MOTCUA_RESULTS_PKCS12_PASSPHRASE.
#   "pkcs11" a token or HSM (needs python-pkcs11): MOTCUA_RESULTS_PKCS11_MODULE (the library),
#            MOTCUA_RESULTS_PKCS11_SLOT or MOTCUA_RESULTS_PKCS11_TOKEN_LABEL, MOTCUA_RESULTS_PKCS11_KEY_LABEL
#            (key and certificate label, "{agency}" replaced, default "{agency}"), MOTCUA_RESULTS_PKCS11_PIN.
#   ""       (default in production) none: approvals go on, their results are not signed (the
#            worker logs why) until a key is configured.
RESULTS_LOCAL_CA_ALLOWED = not os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".production")
RESULTS_SIGNING = env("MOTCUA_RESULTS_SIGNING", "local" if RESULTS_LOCAL_CA_ALLOWED else "")
RESULTS_PKI_DIR = Path(env("MOTCUA_RESULTS_PKI_DIR", str(BASE_DIR / "var" / "pki")))
RESULTS_PKCS12_PATH = env("MOTCUA_RESULTS_PKCS12", "")
RESULTS_PKCS12_PASSPHRASE = env("MOTCUA_RESULTS_PKCS12_PASSPHRASE", "")
RESULTS_PKCS11_MODULE = env("MOTCUA_RESULTS_PKCS11_MODULE", "")
RESULTS_PKCS11_SLOT = env("MOTCUA_RESULTS_PKCS11_SLOT", "")
RESULTS_PKCS11_TOKEN_LABEL = env("MOTCUA_RESULTS_PKCS11_TOKEN_LABEL", "")
RESULTS_PKCS11_KEY_LABEL = env("MOTCUA_RESULTS_PKCS11_KEY_LABEL", "{agency}")
RESULTS_PKCS11_PIN = env("MOTCUA_RESULTS_PKCS11_PIN", "")
# MOTCUA_RESULTS_TRUST_ROOTS: comma-separated PEM or DER files of the root certificates that the
# verification page trusts (e.g. the national root CA of the Ban Cơ yếu Chính phủ). The local CA's
# root is trusted as well where it signs (development and tests).
RESULTS_TRUST_ROOTS = env_list("MOTCUA_RESULTS_TRUST_ROOTS")
# MOTCUA_RESULTS_TSA_URL: an RFC 3161 time-stamp authority; when set, signatures are PAdES-B-T.
# "local": the development authority of the local CA, in process (refused where the CA is).
RESULTS_TSA_URL = env("MOTCUA_RESULTS_TSA_URL", "")
# MOTCUA_RATELIMIT_VERIFY: per client address, the result verification page and API.
RATE_LIMIT_VERIFY = env("MOTCUA_RATELIMIT_VERIFY", "30/m")

# --- Notifications (notifications) and the national portal (integrations) -------------------------
# NOTIFICATION_CHANNELS: how each channel of the outbox leaves (channel -> backend class). E-mail
# through Django's mail (EMAIL_BACKEND below), SMS through the SMS adapter of integrations
# (MOTCUA_SMS_BACKEND below). A channel left out is not written to.
NOTIFICATION_CHANNELS = {
    "email": "notifications.channels.EmailChannel",
    "sms": "integrations.sms.SmsChannel",
}
# MOTCUA_EMAIL_BACKEND: how e-mail leaves. Default: one file per message under MOTCUA_EMAIL_FILE_PATH
# (var/mail); django.core.mail.backends.smtp.EmailBackend with the MOTCUA_EMAIL_HOST… settings
# below for a real mail server.
EMAIL_BACKEND = env("MOTCUA_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env("MOTCUA_EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = env("MOTCUA_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("MOTCUA_EMAIL_PORT", "587"))
EMAIL_HOST_USER = env("MOTCUA_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("MOTCUA_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("MOTCUA_EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = int(env("MOTCUA_EMAIL_TIMEOUT", "20"))
# MOTCUA_EMAIL_FROM: the sender of the citizens' notifications.
DEFAULT_FROM_EMAIL = env("MOTCUA_EMAIL_FROM", "Cổng Dịch vụ công <no-reply@dichvucong.khanhhoa.gov.vn>")
# MOTCUA_SMS_BACKEND: integrations.sms.ConsoleSmsBackend (default: standard output, numbers masked)
# or integrations.sms.HttpSmsBackend (an SMS brand-name gateway: MOTCUA_SMS_HTTP_URL, its
# MOTCUA_SMS_HTTP_API_KEY and the registered MOTCUA_SMS_BRANDNAME).
SMS_BACKEND = env("MOTCUA_SMS_BACKEND", "integrations.sms.ConsoleSmsBackend")
SMS_HTTP_URL = env("MOTCUA_SMS_HTTP_URL")
SMS_HTTP_API_KEY = env("MOTCUA_SMS_HTTP_API_KEY")
SMS_BRANDNAME = env("MOTCUA_SMS_BRANDNAME", "DVC KHANHHOA")
SMS_TIMEOUT = float(env("MOTCUA_SMS_TIMEOUT", "10"))
# MOTCUA_SMS_ASCII: send Vietnamese without diacritics (GSM, 160 characters a segment instead of
# 70); MOTCUA_SMS_MAX_SEGMENTS: longer messages are shortened to this many segments.
SMS_ASCII = env_bool("MOTCUA_SMS_ASCII", True)
SMS_MAX_SEGMENTS = int(env("MOTCUA_SMS_MAX_SEGMENTS", "2"))
# Failed notifications are tried again after 1, 2, 4 … minutes (MOTCUA_NOTIFICATION_RETRY_BASE_SECONDS,
# at most MOTCUA_NOTIFICATION_RETRY_CAP_SECONDS apart), MOTCUA_NOTIFICATION_MAX_ATTEMPTS times.
NOTIFICATION_RETRY_BASE_SECONDS = int(env("MOTCUA_NOTIFICATION_RETRY_BASE_SECONDS", "60"))
NOTIFICATION_RETRY_CAP_SECONDS = int(env("MOTCUA_NOTIFICATION_RETRY_CAP_SECONDS", "21600"))
NOTIFICATION_MAX_ATTEMPTS = int(env("MOTCUA_NOTIFICATION_MAX_ATTEMPTS", "10"))
NOTIFICATION_SWEEP_BATCH = 200
# MOTCUA_NATIONAL_PORTAL_URL: the national portal's dossier-sync endpoint (Cổng Dịch vụ công quốc
# gia); empty (the default) keeps the sync messages in the outbox until it is set.
# MOTCUA_NATIONAL_PORTAL_TOKEN_URL, _USERNAME, _PASSWORD: its token endpoint and the province's
# account. Sync messages are tried again forever, backing off up to MOTCUA_SYNC_RETRY_CAP_SECONDS.
NATIONAL_PORTAL_URL = env("MOTCUA_NATIONAL_PORTAL_URL")
NATIONAL_PORTAL_TOKEN_URL = env("MOTCUA_NATIONAL_PORTAL_TOKEN_URL")
NATIONAL_PORTAL_USERNAME = env("MOTCUA_NATIONAL_PORTAL_USERNAME", "motcua-dev")
NATIONAL_PORTAL_PASSWORD = env("MOTCUA_NATIONAL_PORTAL_PASSWORD", "motcua-dev-portal-secret")
NATIONAL_PORTAL_TIMEOUT = float(env("MOTCUA_NATIONAL_PORTAL_TIMEOUT", "10"))
SYNC_RETRY_BASE_SECONDS = int(env("MOTCUA_SYNC_RETRY_BASE_SECONDS", "30"))
SYNC_RETRY_CAP_SECONDS = int(env("MOTCUA_SYNC_RETRY_CAP_SECONDS", "3600"))
SYNC_SWEEP_BATCH = 500
CELERY_BEAT_SCHEDULE["notifications-sweep"] = {"task": "notifications.sweep", "schedule": 30.0}
CELERY_BEAT_SCHEDULE["integrations-national-portal"] = {"task": "integrations.sweep_sync", "schedule": 30.0}

# MOTCUA_TODAY_FIGURES_CACHE_SECONDS: how long today's figures (GET /api/v1/figures/today, read by
# the centre's electronic board) are kept in the cache before they are counted again; 0: never.
TODAY_FIGURES_CACHE_SECONDS = int(env("MOTCUA_TODAY_FIGURES_CACHE_SECONDS", "5"))

# --- Reform communication on Wagtail (news) -------------------------------------------------------
# Wagtail's admin is at /cms/ (editors: officers with the editor role and a verified second factor,
# news.middleware.EditorialAdminGate); its pages are served under /tin-tuc/.
WAGTAIL_SITE_NAME = "Cải cách hành chính"
WAGTAILADMIN_BASE_URL = PORTAL_PUBLIC_URL
WAGTAILADMIN_LOGIN_URL = "accounts:officer_sign_in"
WAGTAIL_I18N_ENABLED = True
# ASCII addresses (the admin transliterates titles): links survive being copied into any message.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Officers' passwords and accounts are managed by the portal (accounts), never in Wagtail.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = UPLOAD_MAX_BYTES
WAGTAILIMAGES_MAX_IMAGE_PIXELS = UPLOAD_MAX_PIXELS
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "doc", "xlsx"]
# Uploads to Wagtail's admin go through the documents app's checks (news.forms).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "news.forms.CheckedDocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "news.forms.CheckedImageForm"
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png"]
# Embeds are links (the portal's CSP frames nothing and fetches no oEmbed from outside).
WAGTAILEMBEDS_FINDERS: list[dict[str, object]] = []
# Scheduled publishing and unpublishing: the worker's beat runs Wagtail's publish_scheduled.
CELERY_BEAT_SCHEDULE["news-publish-scheduled"] = {"task": "news.tasks.publish_scheduled", "schedule": 60.0}
# Page views counted in the cache are moved into the daily table (news.page_views).
CELERY_BEAT_SCHEDULE["news-flush-page-views"] = {"task": "news.tasks.flush_page_views", "schedule": 300.0}

# --- Online contests (contest) --------------------------------------------------------------------
# Open attempts past their end (and grace) are submitted with what was saved; rounds past their
# close are closed and ranked.
CELERY_BEAT_SCHEDULE["contest-close-attempts"] = {"task": "contest.close_overdue_attempts", "schedule": 30.0}
CELERY_BEAT_SCHEDULE["contest-close-rounds"] = {"task": "contest.close_due_rounds", "schedule": 60.0}
