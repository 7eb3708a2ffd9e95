"""Production never talks to the local payment stand-in, nor with the development secrets."""

from __future__ import annotations

import secrets

import pytest
from django.conf import settings

from tests.production import production_check


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
