"""Administrators manage their own agencies, one-stop units and staff in the admin, and nothing
of other agencies; superusers manage everything."""

from __future__ import annotations

import datetime

import pytest

from audit.models import AuditEvent
from org.models import Agency, Membership, Role

from .factories import admin_login, agency, citizen, officer, one_stop_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    mine, other = agency("Sở Tư pháp"), agency("Sở Y tế")
    administrator = officer("quantri.tuphap", {mine: [Role.ADMINISTRATOR]}, is_staff=True)
    clerk = officer("canbo.yte", {other: [Role.COUNTER_OFFICER]})
    theirs = Membership.objects.get(user=clerk)
    return {"mine": mine, "other": other, "admin": administrator, "clerk": clerk, "theirs": theirs}


def test_lists_show_only_own_agencies(client, world):
    admin_login(client, world["admin"])
    page = client.get("/admin/org/agency/").content.decode()
    assert "Sở Tư pháp" in page and "Sở Y tế" not in page
    memberships = client.get("/admin/org/membership/").content.decode()
    assert "quantri.tuphap" in memberships and "canbo.yte" not in memberships


@pytest.mark.parametrize("suffix", ["change/", "delete/", "history/"])
def test_another_agencys_object_is_404(client, world, suffix):
    admin_login(client, world["admin"])
    assert client.get(f"/admin/org/agency/{world['other'].pk}/{suffix}").status_code == 404
    assert client.get(f"/admin/org/membership/{world['theirs'].pk}/{suffix}").status_code == 404
    assert client.get(f"/admin/org/membership/999999/{suffix}").status_code == 404


def test_past_versions_of_another_agencys_object_are_404(client, world):
    admin_login(client, world["admin"])
    version = world["theirs"].history.first()
    url = f"/admin/org/membership/{world['theirs'].pk}/history/{version.history_id}/"
    assert client.get(url).status_code == 404
    own = Membership.objects.get(user=world["admin"])
    own_url = f"/admin/org/membership/{own.pk}/history/{own.history.first().history_id}/"
    assert client.get(own_url).status_code == 200


def test_own_agency_can_be_changed_but_agencies_are_created_by_superusers(client, world):
    admin_login(client, world["admin"])
    assert client.get(f"/admin/org/agency/{world['mine'].pk}/change/").status_code == 200
    assert client.get("/admin/org/agency/add/").status_code == 403
    assert client.post(f"/admin/org/agency/{world['other'].pk}/delete/", {"post": "yes"}).status_code == 404
    assert Agency.objects.count() == 2


def test_staff_can_be_assigned_in_own_agencies_only_and_the_change_is_audited(client, world):
    admin_login(client, world["admin"])
    newcomer = officer("chuyenvien.moi")
    form = client.get("/admin/org/membership/add/").content.decode()
    assert "chuyenvien.moi" in form
    data = {"user": newcomer.pk, "role": Role.PROCESSING_OFFICER, "valid_from": "2025-07-01"}
    refused = client.post("/admin/org/membership/add/", {**data, "agency": world["other"].pk})
    assert refused.status_code == 200 and not Membership.objects.filter(user=newcomer).exists()
    accepted = client.post("/admin/org/membership/add/", {**data, "agency": world["mine"].pk})
    assert accepted.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    event = AuditEvent.objects.get(action="role_changed")
    assert event.actor == world["admin"] and event.target_id == str(membership.pk)
    assert event.details["change"] == "added" and event.details["role"] == Role.PROCESSING_OFFICER
    assert event.details["user_id"] == newcomer.pk


def test_citizens_are_not_offered_as_staff(client, world):
    citizen("congdan.a", full_name="Nguyễn Thị Dân")
    admin_login(client, world["admin"])
    form = client.get("/admin/org/membership/add/").content.decode()
    assert "Nguyễn Thị Dân" not in form and "congdan.a" not in form


def test_ending_a_role_is_audited(client, world):
    admin_login(client, world["admin"])
    helper = officer("bientap", {world["mine"]: [Role.EDITOR]})
    membership = Membership.objects.get(user=helper)
    response = client.post(f"/admin/org/membership/{membership.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(action="role_changed", details__change="removed").count() == 1


def test_agency_autocomplete_offers_own_agencies(client, world):
    admin_login(client, world["admin"])
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "org", "model_name": "membership", "field_name": "agency", "term": "Sở"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Sở Tư pháp"]


def test_editing_a_shared_one_stop_unit_keeps_the_agencies_one_cannot_see(client, world):
    centre = one_stop_unit("Trung tâm Phục vụ hành chính công", [world["mine"], world["other"]])
    admin_login(client, world["admin"])
    page = client.get(f"/admin/org/onestopunit/{centre.pk}/change/").content.decode()
    assert "Sở Y tế" not in page
    response = client.post(
        f"/admin/org/onestopunit/{centre.pk}/change/",
        {
            "code": centre.code,
            "name": "Trung tâm Phục vụ hành chính công tỉnh",
            "administrative_unit": centre.administrative_unit_id,
            "served_agencies": [world["mine"].pk],
            "address": "Số 1 Trần Phú",
            "phone": "",
            "opening_hours": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    centre.refresh_from_db()
    assert centre.name.endswith("tỉnh")
    assert set(centre.served_agencies.all()) == {world["mine"], world["other"]}


def test_staff_without_org_manage_see_no_org_admin(client, world):
    editor = officer("bientap", {world["mine"]: [Role.EDITOR]}, is_staff=True)
    admin_login(client, editor)
    assert client.get("/admin/org/agency/").status_code == 403
    assert client.get(f"/admin/org/agency/{world['mine'].pk}/change/").status_code == 404
    assert "/admin/org/" not in client.get("/admin/").content.decode()


def test_an_ended_administrator_role_gives_nothing(client, world):
    former = officer(
        "quantri.cu",
        {world["mine"]: [Role.ADMINISTRATOR]},
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2024, 1, 1),
        is_staff=True,
    )
    admin_login(client, former)
    assert client.get("/admin/org/agency/").status_code == 403


def test_superusers_see_every_agency(client, world, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.vn", "mat-khau-rat-dai-2026")
    admin_login(client, root)
    page = client.get("/admin/org/agency/").content.decode()
    assert "Sở Tư pháp" in page and "Sở Y tế" in page
    assert client.get(f"/admin/org/agency/{world['other'].pk}/change/").status_code == 200
    assert client.get("/admin/org/agency/add/").status_code == 200


def test_an_administrator_updates_contacts_of_own_agency_but_not_its_place(client, world):
    province_committee = agency("Ủy ban nhân dân tỉnh")
    world["mine"].parent = province_committee
    world["mine"].save()
    admin_login(client, world["admin"])
    url = f"/admin/org/agency/{world['mine'].pk}/change/"
    response = client.post(
        url,
        {
            "name": "Sở Tư pháp tỉnh Khánh Hòa",
            "short_name": "STP",
            "address": "Số 2 Lê Thánh Tôn",
            "phone": "0258 3822 111",
            "email": "stp@khanhhoa.gov.vn",
            "code": "000.99.99.H41",
            "parent": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    world["mine"].refresh_from_db()
    assert world["mine"].phone == "0258 3822 111" and world["mine"].name.endswith("Khánh Hòa")
    assert world["mine"].parent == province_committee and world["mine"].code != "000.99.99.H41"


def test_a_relation_already_outside_ones_agencies_may_stay(client, world):
    elsewhere = one_stop_unit("Bộ phận Một cửa Sở Y tế", [world["other"]])
    membership = Membership.objects.get(user=world["admin"])
    membership.one_stop_unit = elsewhere
    membership.save()
    admin_login(client, world["admin"])
    response = client.post(
        f"/admin/org/membership/{membership.pk}/change/",
        {
            "user": world["admin"].pk,
            "agency": world["mine"].pk,
            "role": Role.ADMINISTRATOR,
            "one_stop_unit": elsewhere.pk,
            "valid_from": "2025-07-01",
            "valid_to": "2030-12-31",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    membership.refresh_from_db()
    assert membership.valid_to == datetime.date(2030, 12, 31) and membership.one_stop_unit == elsewhere
    third = one_stop_unit("Bộ phận Một cửa khác", [world["other"]])
    refused = client.post(
        f"/admin/org/membership/{membership.pk}/change/",
        {
            "user": world["admin"].pk,
            "agency": world["mine"].pk,
            "role": Role.ADMINISTRATOR,
            "one_stop_unit": third.pk,
            "valid_from": "2025-07-01",
        },
    )
    assert refused.status_code == 200
    membership.refresh_from_db()
    assert membership.one_stop_unit == elsewhere
