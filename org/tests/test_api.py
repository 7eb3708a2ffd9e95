"""Staff over the API: the same scoping as pages and admin, errors as problem+json."""

from __future__ import annotations

import pytest

from org.models import Membership, Role

from .factories import agency, citizen, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    mine, other = agency("Sở Tư pháp"), agency("Sở Y tế")
    return {
        "admin": officer("quantri.tuphap", {mine: [Role.ADMINISTRATOR]}),
        "ours": Membership.objects.get(user=officer("chuyenvien.tuphap", {mine: [Role.PROCESSING_OFFICER]})),
        "theirs": Membership.objects.get(user=officer("chuyenvien.yte", {other: [Role.PROCESSING_OFFICER]})),
    }


def test_the_list_holds_own_agencies_only(client, world):
    client.force_login(world["admin"])
    body = client.get("/api/v1/staff/memberships").json()
    assert body["count"] == 2
    assert {m["officer"] for m in body["results"]} == {"quantri.tuphap", "chuyenvien.tuphap"}
    paged = client.get("/api/v1/staff/memberships", {"limit": 1, "offset": 1}).json()
    assert paged["count"] == 2 and len(paged["results"]) == 1


def test_another_agencys_membership_is_a_404_problem(client, world):
    client.force_login(world["admin"])
    assert client.get(f"/api/v1/staff/memberships/{world['ours'].pk}").json()["officer"] == "chuyenvien.tuphap"
    for pk in (world["theirs"].pk, 999_999):
        response = client.get(f"/api/v1/staff/memberships/{pk}")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "not_found"


def test_anonymous_is_401_and_without_the_capability_403(client, world):
    anonymous = client.get("/api/v1/staff/memberships")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "authentication_required"
    client.force_login(citizen("lan"))
    forbidden = client.get(f"/api/v1/staff/memberships/{world['ours'].pk}")
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "forbidden"
    # Said before looking anything up: the same for a missing object.
    assert client.get("/api/v1/staff/memberships/999999").json() == {
        **forbidden.json(),
        "instance": "/api/v1/staff/memberships/999999",
    }
