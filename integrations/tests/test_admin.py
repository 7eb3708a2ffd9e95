"""The national portal's outbox in the admin: read only for superusers, with "try again now"; staff without a
role get nothing (tests/test_permissions_walk.py checks every admin model for that too)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.tests.officers import sign_in_verified
from dossiers import services
from dossiers.tests.factories import MONDAY, world
from integrations.models import SyncMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    superuser = django_user_model.objects.create_superuser("quantri", "qt@example.vn", "mat-khau-dai-2026")
    sign_in_verified(client, superuser)
    return client


@pytest.fixture
def received():
    w = world()
    d, _created = services.dossier_submit(applicant=w.citizen, intake=w.intake(), now=MONDAY)
    return w, services.dossier_receive(actor=w.counter, dossier=d, now=MONDAY)


def test_sync_messages_are_listed_read_only_and_can_be_retried_now(admin_client, received):
    _w, d = received
    message = SyncMessage.objects.get(dossier=d, national_status=2)
    SyncMessage.objects.filter(pk=message.pk).update(
        attempts=3, next_attempt_at=timezone.now() + datetime.timedelta(hours=1)
    )
    listing = admin_client.get("/admin/integrations/syncmessage/")
    assert listing.status_code == 200 and d.code in listing.content.decode()
    assert admin_client.get(f"/admin/integrations/syncmessage/{message.pk}/change/").status_code == 200
    assert admin_client.get("/admin/integrations/syncmessage/add/").status_code == 403
    response = admin_client.post(
        "/admin/integrations/syncmessage/", {"action": "retry_now", "_selected_action": [message.pk]}, follow=True
    )
    assert response.status_code == 200 and "sẽ được gửi lại" in response.content.decode()
    message.refresh_from_db()
    assert message.next_attempt_at is None and message.delivered_at is None


def test_staff_without_a_role_cannot_see_the_outbox(client, django_user_model):
    staff = django_user_model.objects.create_user(
        "nhanvien", password="mat-khau-dai-2026", is_staff=True, kind="officer"
    )
    sign_in_verified(client, staff)
    assert client.get("/admin/integrations/syncmessage/").status_code == 403
