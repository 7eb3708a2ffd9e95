"""The signed-in person's account over the API: theirs only, numbers masked."""

from __future__ import annotations

import pytest

from accounts.models import OrganizationLink
from org.tests.factories import citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def lan():
    return citizen("lan", personal_id="051203000123", phone="0912345678")


def test_me_masks_identification_and_phone_numbers(client, lan):
    client.force_login(lan)
    body = client.get("/api/v1/me").json()
    assert body["personal_id"] == "051******123" and body["phone"] == "091****678"
    assert "051203000123" not in str(body)


def test_anonymous_gets_a_401_problem(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"


def test_organizations_are_the_owners_only(client, lan):
    mine = OrganizationLink.objects.create(user=lan, tax_code="0101243150", organization_name="Công ty A")
    theirs = OrganizationLink.objects.create(user=citizen("binh"), tax_code="0100109106", organization_name="Công ty B")
    client.force_login(lan)
    listing = client.get("/api/v1/me/organizations").json()
    assert listing["count"] == 1 and listing["results"][0]["organization_name"] == "Công ty A"
    assert client.get(f"/api/v1/me/organizations/{mine.pk}").json()["confirmed"] is False
    response = client.get(f"/api/v1/me/organizations/{theirs.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert "Công ty B" not in response.content.decode()
