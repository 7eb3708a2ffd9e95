"""Personal API answers are kept by no cache (issue 21): every answer to an authenticated
operation says ``Cache-Control: private, no-store``; public answers stay cacheable."""

from __future__ import annotations

import pytest
from django.test import Client

from org.tests.factories import admin_login, citizen, officer

pytestmark = pytest.mark.django_db

PERSONAL = ["/api/v1/me", "/api/v1/me/organizations", "/api/v1/documents/store"]


@pytest.mark.parametrize("path", PERSONAL)
def test_a_citizens_own_data_is_not_stored(path: str) -> None:
    client = Client()
    client.force_login(citizen("lan", personal_id="079201001234"))
    response = client.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "Cookie" in response["Vary"]


def test_an_officers_queue_and_a_refusal_under_a_session_are_not_stored() -> None:
    client = Client()
    admin_login(client, officer("quan.tri", is_superuser=True, is_staff=True))
    assert client.get("/api/v1/officer/queues/to_receive")["Cache-Control"] == "private, no-store"
    missing = client.get("/api/v1/documents/store/999999")
    assert missing.status_code == 404 and missing["Cache-Control"] == "private, no-store"


def test_public_answers_are_not_marked_personal() -> None:
    client = Client()
    client.force_login(citizen("lan"))
    response = client.get("/api/v1/fields")
    assert response.status_code == 200 and "no-store" not in response.get("Cache-Control", "")
