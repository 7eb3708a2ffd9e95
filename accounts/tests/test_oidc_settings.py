"""Production refuses to start without a real identity provider; development serves the local one."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent.parent


def production_manage(issuer: str | None, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    env.update(
        DJANGO_SETTINGS_MODULE="motcua.settings.production",
        MOTCUA_SECRET_KEY=secrets.token_urlsafe(64),
        MOTCUA_ALLOWED_HOSTS="dichvucong.example.vn",
    )
    if issuer is not None:
        env["MOTCUA_OIDC_ISSUER"] = issuer
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    "issuer",
    [
        None,
        "",
        "http://127.0.0.1:8000/idp",
        "https://localhost:8443/idp",
        "https://dichvucong.example.vn/idp",
        "http://sso.dancuquocgia.gov.vn",
    ],
)
def test_production_refuses_a_missing_local_or_plain_http_identity_provider(issuer):
    result = production_manage(issuer, "check")
    assert result.returncode != 0
    assert "MOTCUA_OIDC_ISSUER" in result.stderr


def test_production_accepts_the_real_identity_provider_and_has_no_local_one():
    assert production_manage("https://sso.dancuquocgia.gov.vn", "check").returncode == 0
    script = "from django.conf import settings as s; print('idp' in s.INSTALLED_APPS, s.CONTENT_SECURITY_POLICY)"
    result = production_manage("https://sso.dancuquocgia.gov.vn", "shell", "-c", script)
    assert "False {" in result.stdout, result.stderr
    # Signing out redirects the form to the provider: form-action allows its origin.
    assert "'form-action': [\"'self'\", 'https://sso.dancuquocgia.gov.vn']" in result.stdout


def test_development_and_tests_serve_the_local_provider():
    assert "idp" in settings.INSTALLED_APPS
