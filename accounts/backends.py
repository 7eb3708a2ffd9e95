"""The accounts behind sessions: Django's own backend (officers and administrators sign in with a
password; a citizen's session after VNeID names this backend too), with the account of each
signed-in request read by SQL the ORM built once (``common.prepared``), since every signed-in
request reads it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from common.prepared import Prepared

from .models import User

_account = Prepared(lambda pk: User.objects.filter(pk=pk).order_by(), examples=(-987654321,))


class AccountBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        found = _account.objects(User._meta.pk.to_python(user_id))  # type: ignore[union-attr]
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None
