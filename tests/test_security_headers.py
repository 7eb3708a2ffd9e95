"""The security baseline every answer carries: a Content Security Policy without inline code,
no framing, no content sniffing, a strict referrer policy; cookies out of scripts' reach, and
sent over https only in production."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PAGES = ["/", "/thu-tuc/", "/lien-he/", "/can-bo/dang-nhap/", "/api/v1/fields", "/en/co-quan/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_every_answer_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    csp = {part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()}
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    features = dict(part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))
    assert features["camera"] == features["microphone"] == features["geolocation"] == "()"


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_out_of_reach_of_scripts(client, django_user_model):
    django_user_model.objects.create_user("canbo", password="mat-khau-can-bo-2026", kind="officer")
    form = client.get("/can-bo/dang-nhap/")
    assert form.cookies["csrftoken"]["httponly"]
    signed = client.post("/can-bo/dang-nhap/", {"username": "canbo", "password": "mat-khau-can-bo-2026"})
    assert signed.cookies["sessionid"]["httponly"]
    assert signed.cookies["sessionid"]["samesite"] == "Lax"


def test_production_cookies_are_secure_and_http_only():
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="motcua.settings.production",
        MOTCUA_SECRET_KEY=secrets.token_urlsafe(64),
        MOTCUA_ALLOWED_HOSTS="dichvucong.example.vn",
        MOTCUA_OIDC_ISSUER="https://vneid.example.gov.vn",
    )
    names = [
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "X_FRAME_OPTIONS",
        "SECURE_REFERRER_POLICY",
        "RATE_LIMIT_ENABLED",
    ]
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_REFERRER_POLICY": "same-origin",
        "RATE_LIMIT_ENABLED": True,
    }
