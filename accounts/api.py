"""The signed-in person's own account over the API (/api/v1/me…): only ever their own data, and
identification and phone numbers masked."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema

from common.api import Id, PageOut, PageParams, answers
from common.formats import mask_identifier
from org.permissions import ApiAccess, owned, owned_or_404

from .models import OrganizationLink, User

router = Router(tags=["accounts"])


class OrganizationLinkOut(Schema):
    id: int
    organization_name: str
    tax_code: str
    confirmed: bool
    declared_at: datetime.datetime
    confirmed_at: datetime.datetime | None


class OrganizationLinkPage(PageOut):
    results: list[OrganizationLinkOut]


class AccountOut(Schema):
    username: str
    kind: str
    full_name: str
    personal_id: str
    phone: str
    email: str
    preferred_language: str


def _link(link: OrganizationLink) -> OrganizationLinkOut:
    return OrganizationLinkOut(
        id=link.pk,
        organization_name=link.organization_name,
        tax_code=link.tax_code,
        confirmed=link.confirmed_at is not None,
        declared_at=link.created_at,
        confirmed_at=link.confirmed_at,
    )


@router.get("/me", auth=ApiAccess(), response=answers({200: AccountOut}, 401), summary="Tài khoản của tôi")
def me(request: HttpRequest) -> AccountOut:
    """The signed-in account; identification and phone numbers masked (the full data is in the
    personal-data download of /tai-khoan/)."""
    user = request.user
    assert isinstance(user, User)
    return AccountOut(
        username=user.username,
        kind=user.kind,
        full_name=user.full_name,
        personal_id=mask_identifier(user.personal_id) if user.personal_id else "",
        phone=mask_identifier(user.phone) if user.phone else "",
        email=user.email,
        preferred_language=user.preferred_language,
    )


@router.get(
    "/me/organizations",
    auth=ApiAccess(),
    response=answers({200: OrganizationLinkPage}, 400, 401, 422),
    summary="Tổ chức tôi đại diện",
)
def my_organizations(request: HttpRequest, page: Query[PageParams]) -> OrganizationLinkPage:
    """The organizations the signed-in person declared to represent, confirmed or not."""
    links = owned(OrganizationLink.objects.order_by("organization_name", "pk"), request.user, owner_field="user")
    return OrganizationLinkPage(
        count=links.count(),
        limit=page.limit,
        offset=page.offset,
        results=[_link(link) for link in links[page.window()]],
    )


@router.get(
    "/me/organizations/{link_id}",
    auth=ApiAccess(),
    response=answers({200: OrganizationLinkOut}, 401, 404, 422),
    summary="Một tổ chức tôi đại diện",
)
def my_organization(request: HttpRequest, link_id: Id) -> OrganizationLinkOut:
    return _link(owned_or_404(OrganizationLink.objects.all(), request.user, owner_field="user", pk=link_id))
