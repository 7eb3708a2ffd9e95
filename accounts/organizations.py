"""Business representatives (người đại diện tổ chức, doanh nghiệp): a citizen declares that they
act for an organization identified by its tax code; the link counts only once an officer with
"org.manage" has confirmed it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from org.permissions import has_capability

from .models import OrganizationLink, User
from .rules import normalize_tax_code, tax_code_problems


def organization_link_request(*, user: User, tax_code: str, organization_name: str) -> OrganizationLink:
    """Record a pending link. Raises ValidationError naming the rule a tax code breaks."""
    problems = tax_code_problems(tax_code)
    if problems:
        raise ValidationError({"tax_code": problems})
    code = normalize_tax_code(tax_code)
    name = " ".join(organization_name.split())
    if not name:
        raise ValidationError({"organization_name": [_("Hãy nhập tên tổ chức.")]})
    if OrganizationLink.objects.filter(user=user, tax_code=code).exists():
        raise ValidationError({"tax_code": [_("Bạn đã khai báo tổ chức có mã số thuế này.")]})
    return OrganizationLink.objects.create(user=user, tax_code=code, organization_name=name)


def organization_link_confirm(*, link: OrganizationLink, actor: Any, request: HttpRequest | None = None) -> bool:
    """Confirm a pending link (who, when) and audit it. False when it was already confirmed.
    Nobody confirms their own link."""
    if not has_capability(actor, "org.manage") or link.user_id == actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        locked = OrganizationLink.objects.select_for_update().get(pk=link.pk)
        if locked.confirmed_at is not None:
            return False
        locked.confirmed_by = actor
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["confirmed_by", "confirmed_at"])
        audit_record(
            action="organization_linked",
            request=request,
            actor=actor,
            target=locked,
            details={"change": "confirmed", "user_id": locked.user_id, "organization": locked.organization_name},
        )
    link.confirmed_by, link.confirmed_at = locked.confirmed_by, locked.confirmed_at
    return True


def organization_link_withdraw(*, link: OrganizationLink, request: HttpRequest | None = None) -> None:
    """The representative withdraws a link (pending or confirmed); a confirmed one is audited."""
    with transaction.atomic():
        if link.confirmed_at is not None:
            audit_record(
                action="organization_linked",
                request=request,
                actor=link.user,
                target=link,
                details={"change": "withdrawn", "user_id": link.user_id, "organization": link.organization_name},
            )
        link.delete()


def acting_organizations(user: Any) -> QuerySet[OrganizationLink]:
    """The organizations the user may act for: confirmed links only."""
    if user is None or not user.is_authenticated or not user.is_active:
        return OrganizationLink.objects.none()
    return OrganizationLink.objects.filter(user=user, confirmed_at__isnull=False).order_by("organization_name")
