"""Adapter to the national public-service portal (Cổng Dịch vụ công quốc gia, DVCQG): its dossier
sync over HTTPS JSON.

1. A token from the portal's token endpoint (``MOTCUA_NATIONAL_PORTAL_TOKEN_URL``): POST
   ``{"username", "password"}`` → ``{"access_token", "expires_in"}``; kept until shortly before it
   expires and fetched again when the portal answers 401.
2. The dossiers: POST ``MOTCUA_NATIONAL_PORTAL_URL`` with ``Authorization: Bearer <token>`` and
   ``{"service": "DongBoHoSoMC", "isUpdating": …, "data": [record, …]}``; the portal answers 2xx
   with ``{"error_code": 0}`` when it took them.

Every call has a timeout; any other answer raises ``PortalError``, and the outbox tries again
later (``integrations.services``), so a portal that is down loses nothing. The local stand-in
(the ``portal_standin`` app, development and tests only) speaks the same protocol."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any

import requests
from django.conf import settings

from .rules import sync_request


class PortalError(Exception):
    """The portal did not take the message; worth trying again later."""


class NationalPortal:
    # One token per process: shared by the threads of a worker, fetched again when it expires.
    _tokens: dict[str, tuple[str, float]] = {}
    _lock = threading.Lock()
    TOKEN_MARGIN_SECONDS = 60

    def __init__(
        self,
        *,
        url: str,
        token_url: str,
        username: str,
        password: str,
        timeout: float = 10.0,
        session: requests.Session | None = None,
    ) -> None:
        self.url = url
        self.token_url = token_url
        self.username = username
        self.password = password
        self.timeout = timeout
        self.session = session or requests.Session()

    @classmethod
    def from_settings(cls) -> NationalPortal | None:
        """The portal as configured, or None when no address is set (messages wait in the outbox)."""
        if not settings.NATIONAL_PORTAL_URL:
            return None
        return cls(
            url=settings.NATIONAL_PORTAL_URL,
            token_url=settings.NATIONAL_PORTAL_TOKEN_URL,
            username=settings.NATIONAL_PORTAL_USERNAME,
            password=settings.NATIONAL_PORTAL_PASSWORD,
            timeout=settings.NATIONAL_PORTAL_TIMEOUT,
        )

    def _post(self, url: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> requests.Response:
        try:
            return self.session.post(url, json=body, headers=headers or {}, timeout=self.timeout)
        except requests.Timeout:
            raise PortalError(f"no answer within {self.timeout:g} s") from None
        except requests.RequestException as error:
            raise PortalError(f"unreachable: {type(error).__name__}") from None

    def token(self, *, fresh: bool = False) -> str:
        key = f"{self.token_url}|{self.username}"
        with self._lock:
            cached = self._tokens.get(key)
            if cached is not None and not fresh and cached[1] > time.monotonic():
                return cached[0]
        response = self._post(self.token_url, {"username": self.username, "password": self.password})
        if response.status_code != 200:
            raise PortalError(f"token endpoint answered HTTP {response.status_code}")
        try:
            answer = response.json()
            token = str(answer["access_token"])
            lifetime = float(answer.get("expires_in", 300))
        except (ValueError, KeyError, TypeError):
            raise PortalError("token endpoint answered without a token") from None
        with self._lock:
            self._tokens[key] = (token, time.monotonic() + max(lifetime - self.TOKEN_MARGIN_SECONDS, 1))
        return token

    def send(self, records: Sequence[dict[str, Any]], *, updating: bool) -> None:
        """Deliver ``records`` (rules.sync_record); returns once the portal has taken them."""
        body = sync_request(records, updating=updating)
        response = self._post(self.url, body, {"Authorization": f"Bearer {self.token()}"})
        if response.status_code == 401:
            response = self._post(self.url, body, {"Authorization": f"Bearer {self.token(fresh=True)}"})
        if response.status_code // 100 != 2:
            raise PortalError(f"portal answered HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError:
            raise PortalError("portal answered something other than JSON") from None
        if str(answer.get("error_code", "")) != "0":
            raise PortalError(f"portal refused the dossier: error_code {answer.get('error_code')!r}")
