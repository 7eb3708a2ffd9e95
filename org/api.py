"""Staff of the caller's agencies over the API (/api/v1/staff/…), for administrators
("org.manage"); scoped like everything else by org.permissions."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from common.api import Id, PageOut, PageParams, answers

from .models import AdministrativeUnit, Membership, UnitLevel
from .permissions import ApiAccess, get_scoped_or_404, scope

router = Router(tags=["org"])


class MembershipOut(Schema):
    id: int
    officer: str
    officer_name: str
    agency_code: str
    agency_name: str
    role: str
    valid_from: datetime.date
    valid_to: datetime.date | None


class MembershipPage(PageOut):
    results: list[MembershipOut]


def _memberships(request: HttpRequest) -> QuerySet[Membership]:
    return scope(
        Membership.objects.select_related("user", "agency").order_by("agency__code", "user__username", "role"),
        request.user,
        agency_field="agency",
        capability="org.manage",
    )


def _out(m: Membership) -> MembershipOut:
    return MembershipOut(
        id=m.pk,
        officer=m.user.get_username(),
        officer_name=str(m.user),
        agency_code=m.agency.code,
        agency_name=m.agency.name,
        role=m.role,
        valid_from=m.valid_from,
        valid_to=m.valid_to,
    )


@router.get(
    "/staff/memberships",
    auth=ApiAccess("org.manage"),
    response=answers({200: MembershipPage}, 400, 401, 403, 422),
    summary="Phân công cán bộ",
)
def list_memberships(request: HttpRequest, page: Query[PageParams]) -> MembershipPage:
    """Memberships (roles of officers) in the agencies the caller manages."""
    memberships = _memberships(request)
    return MembershipPage(
        count=memberships.count(),
        limit=page.limit,
        offset=page.offset,
        results=[_out(m) for m in memberships[page.window()]],
    )


@router.get(
    "/staff/memberships/{membership_id}",
    auth=ApiAccess("org.manage"),
    response=answers({200: MembershipOut}, 401, 403, 404, 422),
    summary="Một phân công cán bộ",
)
def get_membership(request: HttpRequest, membership_id: Id) -> MembershipOut:
    membership = get_scoped_or_404(
        Membership.objects.select_related("user", "agency"),
        request.user,
        agency_field="agency",
        capability="org.manage",
        pk=membership_id,
    )
    return _out(membership)


class CommuneOut(Schema):
    code: str
    name: str
    province: str


class CommunePage(PageOut):
    results: list[CommuneOut]


@router.get("/communes", response=answers({200: CommunePage}, 400, 422), summary="Xã, phường, đặc khu đang có hiệu lực")
def list_communes(request: HttpRequest, page: Query[PageParams]) -> CommunePage:
    """The communes (xã, phường, đặc khu) in force today, by province then name: the codes a
    dossier's postal address names (``postal.commune``)."""
    communes = (
        AdministrativeUnit.valid_on(timezone.localdate())
        .filter(level=UnitLevel.COMMUNE)
        .select_related("parent")
        .order_by("parent__name", "name", "code")
    )
    return CommunePage(
        count=communes.count(),
        limit=page.limit,
        offset=page.offset,
        results=[
            CommuneOut(code=u.code, name=u.name, province=u.parent.name if u.parent is not None else "")
            for u in communes[page.window()]
        ],
    )
