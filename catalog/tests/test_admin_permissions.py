"""Who may keep the catalog in the admin comes from the permission matrix: controllers edit
("catalog.edit") and publish ("catalog.publish"); other officers see nothing of it."""

from __future__ import annotations

import pytest

from catalog.models import ProcedureVersion, VersionStatus
from org.models import Role
from org.tests.factories import admin_login, agency, officer

from .factories import published

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def office():
    return agency("Văn phòng Ủy ban nhân dân tỉnh")


def test_a_procedure_controller_edits_and_publishes(client, office):
    controller = officer("kiemsoat", {office: [Role.PROCEDURE_CONTROLLER]}, is_staff=True)
    draft = published("1.001193", "Thủ tục đăng ký khai sinh", status=VersionStatus.DRAFT)
    admin_login(client, controller)
    page = client.get(f"/admin/catalog/procedureversion/{draft.pk}/change/")
    assert page.status_code == 200 and "Thủ tục đăng ký khai sinh" in page.content.decode()
    assert 'value="publish"' in client.get("/admin/catalog/procedureversion/").content.decode()
    client.post("/admin/catalog/procedureversion/", {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED and draft.history.first().history_user == controller
    # Removing a procedure version is for superusers.
    assert client.get(f"/admin/catalog/procedureversion/{draft.pk}/delete/").status_code == 403


def test_other_officers_cannot_touch_the_catalog(client, office):
    editor = officer("bientap", {office: [Role.EDITOR, Role.ADMINISTRATOR]}, is_staff=True)
    draft = published("1.001193", "Thủ tục đăng ký khai sinh", status=VersionStatus.DRAFT)
    admin_login(client, editor)
    assert client.get("/admin/catalog/procedureversion/").status_code == 403
    assert client.get(f"/admin/catalog/procedureversion/{draft.pk}/change/").status_code == 403
    client.post("/admin/catalog/procedureversion/", {"action": "publish", "_selected_action": [draft.pk]})
    assert ProcedureVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT
