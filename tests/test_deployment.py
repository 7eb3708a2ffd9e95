"""Production settings are safe by default, and the health endpoints answer."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env.update(DJANGO_SETTINGS_MODULE="motcua.settings.production", **env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True)


def test_check_deploy_passes_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        MOTCUA_SECRET_KEY=secrets.token_urlsafe(64),
        MOTCUA_ALLOWED_HOSTS="dichvucong.example.vn",
        MOTCUA_OIDC_ISSUER="https://sso.dancuquocgia.gov.vn",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key_or_hosts():
    assert "MOTCUA_SECRET_KEY" in manage("check", MOTCUA_ALLOWED_HOSTS="a.example").stderr
    assert "MOTCUA_ALLOWED_HOSTS" in manage("check", MOTCUA_SECRET_KEY=secrets.token_urlsafe(64)).stderr


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_ping_needs_no_database(client):
    assert client.get("/ping").content == b"ok"


@pytest.mark.django_db
def test_pages_carry_security_headers(client):
    response = client.get("/lien-he/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
