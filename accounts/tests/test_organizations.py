"""Business representatives: declared by the citizen, confirmed by an officer with "org.manage",
and only then counted."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import OrganizationLink
from accounts.organizations import (
    acting_organizations,
    organization_link_confirm,
    organization_link_request,
    organization_link_withdraw,
)
from audit.models import AuditEvent
from org.models import Role
from org.tests.factories import admin_login, agency, citizen, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    home = agency("Sở Kế hoạch và Đầu tư")
    return {
        "lan": citizen("lan", personal_id="051203000123"),
        "admin": officer("quantri", {home: [Role.ADMINISTRATOR]}, is_staff=True),
        "clerk": officer("tiepnhan", {home: [Role.COUNTER_OFFICER]}, is_staff=True),
    }


def test_a_declared_link_waits_for_confirmation(people):
    link = organization_link_request(user=people["lan"], tax_code="0101243150", organization_name="Công ty A")
    assert link.confirmed_at is None
    assert list(acting_organizations(people["lan"])) == []


def test_the_service_refuses_a_wrong_tax_code_with_the_rule(people):
    with pytest.raises(ValidationError) as error:
        organization_link_request(user=people["lan"], tax_code="0101243151", organization_name="Công ty A")
    assert "Chữ số kiểm tra" in error.value.message_dict["tax_code"][0]
    with pytest.raises(ValidationError):
        organization_link_request(user=people["lan"], tax_code="0101243150", organization_name="   ")


def test_confirmation_records_who_and_when_and_is_audited(people):
    link = organization_link_request(user=people["lan"], tax_code="0101243150", organization_name="Công ty A")
    assert organization_link_confirm(link=link, actor=people["admin"]) is True
    link.refresh_from_db()
    assert link.confirmed_by == people["admin"] and link.confirmed_at is not None
    event = AuditEvent.objects.get(action="organization_linked")
    assert event.actor == people["admin"] and event.target_id == str(link.pk)
    assert event.details["change"] == "confirmed" and event.details["user_id"] == people["lan"].pk
    assert list(acting_organizations(people["lan"])) == [link]
    # Twice is once.
    assert organization_link_confirm(link=link, actor=people["admin"]) is False
    assert AuditEvent.objects.filter(action="organization_linked").count() == 1


def test_only_org_managers_confirm_and_never_their_own_link(people):
    link = organization_link_request(user=people["lan"], tax_code="0101243150", organization_name="Công ty A")
    for actor in (people["clerk"], people["lan"], AnonymousUser()):
        with pytest.raises(PermissionDenied):
            organization_link_confirm(link=link, actor=actor)
    own = organization_link_request(user=people["admin"], tax_code="0100109106", organization_name="Công ty B")
    with pytest.raises(PermissionDenied):
        organization_link_confirm(link=own, actor=people["admin"])
    assert not OrganizationLink.objects.filter(confirmed_at__isnull=False).exists()


def test_withdrawing_a_confirmed_link_is_audited(people):
    link = organization_link_request(user=people["lan"], tax_code="0101243150", organization_name="Công ty A")
    organization_link_confirm(link=link, actor=people["admin"])
    organization_link_withdraw(link=link)
    assert list(acting_organizations(people["lan"])) == []
    assert AuditEvent.objects.filter(action="organization_linked", details__change="withdrawn").count() == 1


def test_acting_organizations_of_nobody(people):
    assert list(acting_organizations(AnonymousUser())) == []
    assert list(acting_organizations(None)) == []


def test_the_admin_confirms_with_an_action(client, people):
    link = organization_link_request(user=people["lan"], tax_code="0101243150", organization_name="Công ty A")
    admin_login(client, people["admin"])
    listing = client.get("/admin/accounts/organizationlink/").content.decode()
    assert "Công ty A" in listing and "051******123" in listing and "051203000123" not in listing
    response = client.post(
        "/admin/accounts/organizationlink/", {"action": "confirm", "_selected_action": [link.pk]}, follow=True
    )
    assert response.status_code == 200 and "Đã xác nhận 1 liên kết." in response.content.decode()
    link.refresh_from_db()
    assert link.confirmed_by == people["admin"]


def test_the_admin_page_of_a_link_cannot_change_it(client, people):
    link = organization_link_request(user=people["lan"], tax_code="0101243150", organization_name="Công ty A")
    admin_login(client, people["admin"])
    page = client.get(f"/admin/accounts/organizationlink/{link.pk}/change/")
    assert page.status_code == 200
    assert 'name="tax_code"' not in page.content.decode()
    assert client.get("/admin/accounts/organizationlink/add/").status_code == 403


def test_officers_without_org_manage_cannot_reach_links(client, people):
    organization_link_request(user=people["lan"], tax_code="0101243150", organization_name="Công ty A")
    admin_login(client, people["clerk"])
    assert client.get("/admin/accounts/organizationlink/").status_code == 403
