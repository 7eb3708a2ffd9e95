"""Routes of accounts for the permission walk (tests/route_registry.py)."""

from __future__ import annotations

from accounts.models import OrganizationLink
from tests.route_registry import Cast, Target, private


def _link(cast: Cast) -> OrganizationLink:
    return OrganizationLink.objects.create(
        user=cast.owner, tax_code="0101243150", organization_name="Công ty TNHH Dấu Vết Riêng"
    )


@private("accounts:organization_detail", owner="citizen")
def _organization_detail(cast: Cast) -> Target:
    link = _link(cast)
    return Target({"link_id": link.pk}, marker=link.organization_name)


@private("accounts:organization_withdraw", owner="citizen", method="POST", ok=302)
def _organization_withdraw(cast: Cast) -> Target:
    link = _link(cast)
    return Target(
        {"link_id": link.pk}, marker=link.organization_name, exists=OrganizationLink.objects.filter(pk=link.pk).exists
    )


@private("api:my_organization", owner="citizen")
def _my_organization(cast: Cast) -> Target:
    link = _link(cast)
    return Target({"link_id": link.pk}, marker=link.organization_name)
