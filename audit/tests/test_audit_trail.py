"""The audit trail is append-only, whatever door one tries; administrators search it and export it
with identification and phone numbers masked, and the export is itself audited."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accounts.tests.officers import make_officer, sign_in_verified
from audit.models import AuditAction, AuditEvent
from audit.services import audit_record
from org.models import AdministrativeUnit, Agency, Membership, Role

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/audit/auditevent/"
SEARCH = "/admin/audit/auditevent/tim-kiem/"
EXPORT = "/admin/audit/auditevent/xuat-csv/"


@pytest.fixture
def event():
    return audit_record(action=AuditAction.SIGN_IN, details={"method": "totp"})


@pytest.fixture
def administrator():
    """An officer with the administrator role in one agency (capability "audit.view")."""
    user = make_officer("quantri", is_staff=True, full_name="Đỗ Quản Trị")
    unit = AdministrativeUnit.objects.create(code="56", name="Tỉnh Khánh Hòa", level="province")
    agency = Agency.objects.create(code="000.00.01.H41", name="Sở Nội vụ", level="province", administrative_unit=unit)
    Membership.objects.create(user=user, agency=agency, role=Role.ADMINISTRATOR)
    return user


def at(event: AuditEvent, moment: datetime.datetime) -> None:
    """Back-date an event for the date filters: only raw SQL can, the application cannot."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET at = %s WHERE id = %s",
            [connection.ops.adapt_datetimefield_value(moment), event.pk],
        )


# Append-only.


def test_an_event_cannot_be_changed(event):
    event.details = {"method": "password"}
    with pytest.raises(PermissionError):
        event.save()
    assert AuditEvent.objects.get().details == {"method": "totp"}


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.count() == 1


def test_bulk_updates_and_deletes_are_refused_too(event):
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action=AuditAction.SIGN_OUT)
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["action"])
    assert AuditEvent.objects.get().action == AuditAction.SIGN_IN


def test_not_even_a_superuser_adds_changes_or_deletes_through_the_admin(client, event):
    sign_in_verified(client, make_officer("sieuquantri", is_staff=True, is_superuser=True))
    assert client.get(f"{CHANGELIST}add/").status_code == 403
    assert client.post(f"{CHANGELIST}add/", {"action": "sign_in"}).status_code == 403
    change = client.post(f"{CHANGELIST}{event.pk}/change/", {"action": "sign_out"})
    assert change.status_code == 403
    assert client.post(f"{CHANGELIST}{event.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    assert bulk.status_code in (200, 302)
    page = client.get(f"{CHANGELIST}{event.pk}/change/").content.decode()
    assert 'name="_save"' not in page  # a read-only view
    assert AuditEvent.objects.filter(pk=event.pk, action=AuditAction.SIGN_IN).exists()


# Who may read it.


def test_administrators_read_the_trail_and_other_officers_do_not(client, administrator, event):
    sign_in_verified(client, administrator)
    assert client.get(CHANGELIST).status_code == 200
    assert client.get(SEARCH).status_code == 200
    other = make_officer("xuly", is_staff=True)
    client.post("/can-bo/dang-xuat/")
    sign_in_verified(client, other)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(SEARCH).status_code == 403
    assert client.get(EXPORT).status_code == 403


# Search.


def test_search_by_actor_action_date_range_and_target(client, administrator):
    lan, binh = make_officer("lan", full_name="Trần Thị Lan"), make_officer("binh", full_name="Lê Văn Bình")
    old = audit_record(action=AuditAction.SIGN_IN, actor=lan)
    at(old, timezone.make_aware(datetime.datetime(2026, 3, 1, 23, 30)))
    audit_record(action=AuditAction.SIGN_IN_FAILED, actor=lan)
    audit_record(action=AuditAction.ROLE_CHANGED, actor=administrator, target=binh, details={"change": "added"})
    sign_in_verified(client, administrator)

    def found(**params) -> list[str]:
        page = client.get(SEARCH, params)
        return [f"{e.action}:{e.actor_label}" for e in page.context["page"].object_list]

    assert found(actor="Lan") == ["sign_in_failed:Trần Thị Lan", "sign_in:Trần Thị Lan"]
    assert found(actor="lan", action="sign_in") == ["sign_in:Trần Thị Lan"]
    assert found(date_from="2026-03-01", date_to="2026-03-01") == ["sign_in:Trần Thị Lan"]
    assert found(date_to="2026-02-28") == []
    assert found(target=f"accounts.User:{binh.pk}") == ["role_changed:Đỗ Quản Trị"]
    assert found(target="accounts.User") == ["role_changed:Đỗ Quản Trị"]
    assert client.get(SEARCH, {"date_from": "2026-03-02", "date_to": "2026-03-01"}).context["page"].paginator.count == 0


# Export.


def test_export_masks_identification_and_phone_numbers_and_is_audited(client, administrator):
    citizen = make_officer("congdan", kind="citizen", full_name="Phạm Văn An 056090001234")
    audit_record(
        action=AuditAction.RECORD_VIEWED,
        actor=administrator,
        target=citizen,
        details={"note": "gọi 0905123456 về hồ sơ của 056090001234", "email": "an@example.vn"},
    )
    audit_record(action=AuditAction.SIGN_IN, actor=citizen)
    sign_in_verified(client, administrator)

    response = client.get(EXPORT, {"action": "record_viewed"})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="nhat-ky-kiem-tra-')
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["action"] for row in rows] == ["record_viewed"]
    assert "056090001234" not in text and "0905123456" not in text and "an@example.vn" not in text
    assert "056******234" in text and "090****456" in text

    exported = AuditEvent.objects.get(action=AuditAction.DATA_EXPORTED)
    assert exported.actor == administrator
    assert exported.details == {"dataset": "audit_events", "filters": {"action": "record_viewed"}, "rows": 1}


def test_a_cell_never_becomes_a_spreadsheet_formula(client, administrator):
    audit_record(action=AuditAction.SIGN_IN, actor=make_officer("x", full_name='=HYPERLINK("http://x.example")'))
    sign_in_verified(client, administrator)
    text = b"".join(client.get(EXPORT).streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["actor"] for row in rows if row["action"] == "sign_in"] == ['\'=HYPERLINK("http://x.example")']
