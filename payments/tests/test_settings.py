"""Production never talks to the local payment stand-in, nor with the development secrets."""

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
    ("extra", "named"),
    [
        ({"MOTCUA_VNPAY_URL": "http://127.0.0.1:8000/thanh-toan-thu/vnpay/"}, "MOTCUA_VNPAY_URL"),
        ({"MOTCUA_VNPAY_URL": "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"}, "MOTCUA_VNPAY_HASH_SECRET"),
        ({"MOTCUA_PAYGOV_URL": "https://localhost/api"}, "MOTCUA_PAYGOV_URL"),
        (
            {"MOTCUA_PAYGOV_URL": "https://thanhtoan.dichvucong.gov.vn/api", "MOTCUA_PAYGOV_SECRET": "dev-insecure-x"},
            "MOTCUA_PAYGOV_SECRET",
        ),
    ],
)
def test_production_refuses_the_stand_in_and_development_secrets(extra, named):
    result = production_check(**extra)
    assert result.returncode != 0 and named in result.stderr


def test_production_starts_with_real_gateways_and_without_the_stand_in():
    result = production_check(
        MOTCUA_VNPAY_URL="https://pay.vnpay.vn/vpcpay.html",
        MOTCUA_VNPAY_HASH_SECRET=secrets.token_hex(16),
        MOTCUA_PAYGOV_URL="https://thanhtoan.dichvucong.gov.vn/api",
        MOTCUA_PAYGOV_SECRET=secrets.token_hex(16),
    )
    assert result.returncode == 0, result.stderr


def test_development_and_tests_serve_the_stand_in():
    assert "payments.standin" in settings.INSTALLED_APPS
