"""Tests: same as development, fast password hashing, DEBUG off like production."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The local identity provider (a stand-in for VNeID that speaks real OpenID Connect) exists only
# in development and tests; production settings refuse it.
INSTALLED_APPS = [*INSTALLED_APPS, "idp"]  # noqa: F405
