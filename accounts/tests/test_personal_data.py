"""The personal-data export is a registry that later apps extend with their own sections."""

from __future__ import annotations

import json

import pytest
from django.template import Context, Template

from accounts import personal_data
from accounts.personal_data import SECTIONS, personal_data_of, register_section
from org.models import Role
from org.tests.factories import agency, citizen, officer

pytestmark = pytest.mark.django_db


def test_an_app_adds_a_section(monkeypatch):
    monkeypatch.setattr(personal_data, "SECTIONS", dict(SECTIONS))

    @register_section("dossiers")
    def dossiers_of(user):
        return [{"code": "000.00.05.H41-250801-0001", "owner": user.username}]

    data = personal_data_of(citizen("lan"))
    assert data["sections"]["dossiers"] == [{"code": "000.00.05.H41-250801-0001", "owner": "lan"}]
    assert list(data["sections"])[:4] == ["account", "organization_links", "staff_memberships", "audit_events"]


def test_two_apps_cannot_claim_one_section(monkeypatch):
    monkeypatch.setattr(personal_data, "SECTIONS", dict(SECTIONS))
    register_section("payments")(lambda user: [])
    with pytest.raises(ValueError, match="payments"):
        register_section("payments")(lambda user: [1])


def test_an_officers_export_holds_their_roles(db):
    home = agency("Sở Tư pháp")
    data = personal_data_of(officer("canbo", {home: [Role.LEADER]}))
    assert data["sections"]["staff_memberships"][0]["role"] == Role.LEADER
    json.dumps(data, default=str)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("051203000123", "051******123"),
        ("0912345678", "091****678"),
        ("0912 345 678", "091****678"),
        ("", ""),
        (None, ""),
    ],
)
def test_the_mask_filter_for_lists(value, shown):
    assert Template("{% load vn %}{{ value|mask }}").render(Context({"value": value})) == shown
