"""Django's database sessions (``SESSION_ENGINE``), with the read that every signed-in request
makes built once by the ORM (``common.prepared``) instead of on each request."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from common.prepared import Prepared

_session_data = Prepared(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now).values_list("session_data"),
    examples=("\x00session-key\x00", datetime.datetime(1, 1, 2, tzinfo=datetime.UTC)),
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key
        rows = _session_data.rows(key, timezone.now()) if key else []
        if not key or not rows:
            self._session_key = None
            return None
        return Session(session_key=key, session_data=rows[0][0])
