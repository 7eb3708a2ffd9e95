"""For tests: the portal's HTTP calls to the local provider (discovery, keys, token, userinfo),
answered in-process by Django's test client, so the whole sign-in runs without a server. A test
may rewrite an answer (to tamper with an ID token) or make an endpoint fail (provider down)."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from django.conf import settings
from django.test import Client
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from .citizens import CITIZENS


class InProcessProvider(BaseAdapter):
    """A requests transport adapter that hands each request to Django's test client."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []
        self.rewrite: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}
        self.fail: dict[str, Exception] = {}

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        url = urlsplit(request.url or "")
        self.calls.append(url.path)
        if url.path in self.fail:
            raise self.fail[url.path]
        headers = {
            name: value if isinstance(value, str) else value.decode()
            for name, value in request.headers.items()
            if name.lower() not in ("host", "content-length", "content-type")
        }
        content_type = request.headers.get("Content-Type", "application/octet-stream")
        body = request.body or b""
        answer = Client().generic(
            request.method or "GET",
            url.path + (f"?{url.query}" if url.query else ""),
            data=body.encode() if isinstance(body, str) else body,
            content_type=content_type if isinstance(content_type, str) else content_type.decode(),
            headers=headers,
        )
        content = answer.content
        if url.path in self.rewrite and answer.status_code == 200:
            content = json.dumps(self.rewrite[url.path](json.loads(content))).encode()
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = content
        response.headers = CaseInsensitiveDict(dict(answer.headers.items()))
        response.url = request.url or ""
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        pass


@contextmanager
def provider_in_process(host: str = "testserver") -> Iterator[InProcessProvider]:
    """Route requests to http://<host>/ through an InProcessProvider while the block runs."""
    adapter = InProcessProvider()
    original = requests.Session.get_adapter
    prefix = f"http://{host}/"

    def get_adapter(self: requests.Session, url: str) -> BaseAdapter:
        return adapter if url.startswith(prefix) else original(self, url)

    requests.Session.get_adapter = get_adapter  # type: ignore[method-assign]
    try:
        yield adapter
    finally:
        requests.Session.get_adapter = original  # type: ignore[method-assign]


CALLBACK = "http://testserver/dang-nhap/vneid/callback/"


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge)."""
    verifier = secrets.token_urlsafe(48)
    return verifier, create_s256_code_challenge(verifier)


def authorization_params(challenge: str, **overrides: str) -> dict[str, str]:
    params = {
        "client_id": settings.OIDC_CLIENT_ID,
        "redirect_uri": CALLBACK,
        "response_type": "code",
        "scope": "openid profile email phone",
        "state": "state-1",
        "nonce": "nonce-1",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    params.update(overrides)
    return params


def issue_code(
    client: Client, *, citizen: str = CITIZENS[0].subject, acr: str = "LoA2", **overrides: str
) -> tuple[str, str]:
    """Ask the provider for a code as the consent form does; (code, code_verifier)."""
    verifier, challenge = pkce_pair()
    params = authorization_params(challenge, **overrides)
    response = client.post("/idp/authorize", {**params, "citizen": citizen, "acr": acr, "decision": "allow"})
    assert response.status_code == 302, response.content
    query = parse_qs(urlsplit(response["Location"]).query)
    return query["code"][0], verifier


def portal_callback(client: Client, *, citizen: str = CITIZENS[0].subject, acr: str = "LoA2", start: str = "") -> str:
    """Start the portal's sign-in (``start``: the VNeID button's URL) and consent at the provider
    as ``citizen``; the callback URL (path and query) the provider sends the browser to."""
    started = client.get(start or "/dang-nhap/vneid/")
    assert started.status_code == 302, started.content
    authorize = urlsplit(started["Location"])
    params = {name: values[0] for name, values in parse_qs(authorize.query).items()}
    page = client.get(authorize.path, params).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None, page
    form = {**params, "citizen": citizen, "acr": acr, "decision": "allow", "csrfmiddlewaretoken": token.group(1)}
    consent = client.post(authorize.path, form)
    assert consent.status_code == 302, consent.content
    callback = urlsplit(consent["Location"])
    return f"{callback.path}?{callback.query}"
