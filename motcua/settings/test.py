"""Tests: same as development, fast password hashing, DEBUG off like production."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Rate limits stay on, far above what any test sends from 127.0.0.1; tests of the limits lower them.
RATE_LIMIT_LOOKUPS = "100000/m"
RATE_LIMIT_SIGNIN = "100000/m"
RATE_LIMIT_FEEDBACK_ADDRESS = "100000/m"
RATE_LIMIT_FEEDBACK_PHONE = "100000/m"
RATE_LIMIT_ACCOUNT = "100000/m"
RATE_LIMIT_UPLOADS = "100000/m"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The local identity provider (a stand-in for VNeID that speaks real OpenID Connect) exists only
# in development and tests; production settings refuse it.
INSTALLED_APPS = [*INSTALLED_APPS, "idp"]  # noqa: F405
# The local payment stand-in (VNPay and the national payment platform), likewise.
INSTALLED_APPS = [*INSTALLED_APPS, "payments.standin"]

# SQLite tests run on a file with the production options (WAL, IMMEDIATE transactions, a busy
# timeout): threads sharing Django's default in-memory test database get "database table is
# locked" instead of waiting their turn, so concurrency tests could not run there. One file per
# process, so that two test runs on one machine never share it.
if DATABASES["default"]["ENGINE"] == "common.sqlite":  # noqa: F405
    import os
    import tempfile

    _test_db = os.path.join(tempfile.gettempdir(), f"motcua-test-{os.getpid()}.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": _test_db}  # noqa: F405

# Each test's official days are rolled back with it: no calendar may outlive the test that built it
# (workdays.tests.test_selectors turns the cache on to test it).
WORK_CALENDAR_CACHE_SECONDS = 0
# Likewise the submission places (dossiers.selectors.submission_place): a test's catalog is rolled
# back with it, and the next test's may reuse its ids and codes.
SUBMISSION_PLACE_CACHE = False

# Tasks run in the test's own process when enqueued (their code is the real one); tests of the
# worker itself start a real Celery worker against Redis.
CELERY_TASK_ALWAYS_EAGER = True

# The national portal's stand-in is served to the tests that start a live server; they point
# MOTCUA_NATIONAL_PORTAL_URL at it. SMS stay in memory (integrations.sms.LocmemSmsBackend.outbox).
INSTALLED_APPS = [*INSTALLED_APPS, "integrations.portal_standin"]
SMS_BACKEND = "integrations.sms.LocmemSmsBackend"

# Today's figures are counted afresh in each test (dossiers.tests turn the cache on to test it).
TODAY_FIGURES_CACHE_SECONDS = 0
