"""Production sends the portal's messages to the real national portal over https, never to the
local stand-in; development and tests serve the stand-in."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.production import production_check


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
