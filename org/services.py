"""Writes about the organisation that need more than a save."""

from __future__ import annotations

from django.http import HttpRequest

from audit.services import audit_record

from .models import Membership


def membership_change_record(*, request: HttpRequest | None, membership: Membership, change: str) -> None:
    """Audit a staff role change (thay đổi vai trò): ``change`` is "added", "changed" or
    "removed". The row's full history is also kept by django-simple-history."""
    audit_record(
        action="role_changed",
        request=request,
        target=membership,
        details={
            "change": change,
            "user_id": membership.user_id,
            "officer": membership.user.get_username(),
            "agency": membership.agency.code,
            "role": membership.role,
            "valid_from": membership.valid_from.isoformat() if membership.valid_from else None,
            "valid_to": membership.valid_to.isoformat() if membership.valid_to else None,
        },
    )
