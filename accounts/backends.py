"""The accounts behind sessions: Django's own backend (officers and administrators sign in with a
password; a citizen's session after VNeID names this backend too). Kept under its own name because
every signed-in session records the backend's dotted path: renaming it would sign everybody out."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    """Django's ``ModelBackend`` as it is."""
