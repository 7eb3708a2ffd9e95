"""Production sends the portal's messages to the real national portal over https, never to the
local stand-in; development and tests serve the stand-in."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent.parent


def production_check(**extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="motcua.settings.production",
        MOTCUA_SECRET_KEY=secrets.token_urlsafe(64),
        MOTCUA_ALLOWED_HOSTS="dichvucong.example.vn",
        MOTCUA_OIDC_ISSUER="https://sso.dancuquocgia.gov.vn",
        MOTCUA_RESULTS_SIGNING="pkcs12",
        **extra,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    "extra",
    [
        {
            "MOTCUA_NATIONAL_PORTAL_URL": "http://127.0.0.1:8000/cong-quoc-gia-thu/dong-bo-ho-so",
            "MOTCUA_NATIONAL_PORTAL_TOKEN_URL": "http://127.0.0.1:8000/cong-quoc-gia-thu/token",
        },
        {
            "MOTCUA_NATIONAL_PORTAL_URL": "https://dichvucong.example.vn/cong-quoc-gia-thu/dong-bo-ho-so",
            "MOTCUA_NATIONAL_PORTAL_TOKEN_URL": "https://dichvucong.example.vn/cong-quoc-gia-thu/token",
        },
        {
            "MOTCUA_NATIONAL_PORTAL_URL": "http://api.dichvucong.gov.vn/dong-bo-ho-so",
            "MOTCUA_NATIONAL_PORTAL_TOKEN_URL": "https://api.dichvucong.gov.vn/token",
        },
    ],
    ids=["localhost", "stand-in path", "plain http"],
)
def test_production_refuses_the_stand_in_or_an_insecure_portal(extra):
    result = production_check(**extra)
    assert result.returncode != 0 and "MOTCUA_NATIONAL_PORTAL_URL" in result.stderr


def test_production_refuses_a_portal_without_its_token_endpoint():
    result = production_check(MOTCUA_NATIONAL_PORTAL_URL="https://api.dichvucong.gov.vn/dong-bo-ho-so")
    assert result.returncode != 0 and "MOTCUA_NATIONAL_PORTAL_TOKEN_URL" in result.stderr


def test_production_accepts_the_national_portal_over_https():
    result = production_check(
        MOTCUA_NATIONAL_PORTAL_URL="https://api.dichvucong.gov.vn/dong-bo-ho-so",
        MOTCUA_NATIONAL_PORTAL_TOKEN_URL="https://api.dichvucong.gov.vn/token",
    )
    assert result.returncode == 0, result.stderr


def test_development_and_tests_serve_the_stand_in():
    assert "integrations.portal_standin" in settings.INSTALLED_APPS
