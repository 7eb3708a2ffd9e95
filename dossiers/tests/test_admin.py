"""Dossiers in the admin are read only, even for superusers; procedure forms are validated."""

from __future__ import annotations

import pytest

from accounts.tests.officers import sign_in_verified
from dossiers.models import Dossier, DossierEvent
from dossiers.rules import State

from .factories import walk_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    superuser = django_user_model.objects.create_superuser("quantri", "qt@example.vn", "mat-khau-dai-2026")
    sign_in_verified(client, superuser)
    return client


def test_a_dossier_and_its_history_can_be_read_not_changed(admin_client, w):
    d = walk_to(w, State.RETURNED)
    assert admin_client.get("/admin/dossiers/dossier/").status_code == 200
    page = admin_client.get(f"/admin/dossiers/dossier/{d.pk}/change/")
    assert page.status_code == 200
    assert "Trả kết quả" in page.content.decode()
    assert admin_client.get("/admin/dossiers/dossier/add/").status_code == 403
    assert admin_client.post(f"/admin/dossiers/dossier/{d.pk}/change/", {"state": "draft"}).status_code == 403
    assert admin_client.post(f"/admin/dossiers/dossier/{d.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Dossier.objects.get(pk=d.pk).state == State.RETURNED
    assert DossierEvent.objects.filter(dossier=d).count() == 5


def test_the_list_does_not_show_identification_or_phone_numbers(admin_client, w):
    walk_to(w, State.SUBMITTED)
    listing = admin_client.get("/admin/dossiers/dossier/").content.decode()
    assert w.citizen.personal_id not in listing and w.citizen.phone not in listing
