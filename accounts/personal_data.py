"""Everything the system holds about a person, for them to download (Nghị định 13/2023/NĐ-CP on
personal data protection: the data subject's right to access their data).

Each app contributes a section with a provider function, in a module named ``personal_data`` of
the app (found and imported on first use):

    # dossiers/personal_data.py
    from accounts.personal_data import register_section

    @register_section("dossiers")
    def dossiers_of(user):
        return [...]  # anything JSON can hold (dates and decimals are fine)

A provider returns the person's data in full: this export goes to the person only, never to a
URL or a log.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from audit.models import AuditEvent
from audit.services import audit_record
from org.models import Membership

from .models import User

FORMAT = "motcua.personal-data/1"

Provider = Callable[[User], Any]
SECTIONS: dict[str, Provider] = {}


def register_section(key: str) -> Callable[[Provider], Provider]:
    """Register ``provider(user)`` as the section ``key`` of the export."""

    def decorate(provider: Provider) -> Provider:
        existing = SECTIONS.get(key)
        if existing is not None and existing is not provider:
            raise ValueError(f"Personal-data section {key!r} is already registered by {existing.__module__}.")
        SECTIONS[key] = provider
        return provider

    return decorate


def personal_data_of(user: User) -> dict[str, Any]:
    """The export: every registered section, in registration order."""
    autodiscover_modules("personal_data")
    return {
        "format": FORMAT,
        "generated_at": timezone.now(),
        "sections": {key: provider(user) for key, provider in SECTIONS.items()},
    }


def personal_data_export(*, user: User, request: HttpRequest | None = None) -> dict[str, Any]:
    """The export, audited as data_exported (the audit event is itself part of the next one)."""
    data = personal_data_of(user)
    audit_record(action="data_exported", request=request, actor=user, target=user, details={"format": FORMAT})
    return data


# --- The sections accounts knows about -------------------------------------------------------------


@register_section("account")
def account_section(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "kind": user.kind,
        "full_name": user.full_name,
        "personal_id": user.personal_id,
        "birth_date": user.birth_date,
        "phone": user.phone,
        "email": user.email,
        "preferred_language": user.preferred_language,
        "signs_in_with_electronic_id": bool(user.oidc_subject),
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


@register_section("organization_links")
def organization_links_section(user: User) -> list[dict[str, Any]]:
    return [
        {
            "organization_name": link.organization_name,
            "tax_code": link.tax_code,
            "declared_at": link.created_at,
            "confirmed_at": link.confirmed_at,
            "confirmed_by": str(link.confirmed_by) if link.confirmed_by else None,
        }
        for link in user.organization_links.select_related("confirmed_by").order_by("created_at")
    ]


@register_section("staff_memberships")
def memberships_section(user: User) -> list[dict[str, Any]]:
    return [
        {
            "agency": m.agency.name,
            "agency_code": m.agency.code,
            "role": m.role,
            "valid_from": m.valid_from,
            "valid_to": m.valid_to,
        }
        for m in Membership.objects.filter(user=user).select_related("agency").order_by("valid_from", "pk")
    ]


@register_section("audit_events")
def audit_section(user: User) -> list[dict[str, Any]]:
    """What they did, and what was done about them: events whose target is their account or whose
    details name them (``details["user_id"]``, the convention for events about a person). Where
    and with what others acted from is those others' data and stays out."""
    events = AuditEvent.objects.filter(
        Q(actor=user) | Q(target_type=User._meta.label, target_id=str(user.pk)) | Q(details__user_id=user.pk)
    ).order_by("at", "id")
    return [
        {
            "at": event.at,
            "action": event.action,
            "by": "self" if event.actor_id == user.pk else event.actor_label,
            "target": f"{event.target_type}:{event.target_id}" if event.target_type else None,
            "ip_address": event.ip_address if event.actor_id == user.pk else None,
            "user_agent": event.user_agent if event.actor_id == user.pk else None,
            "details": event.details,
        }
        for event in events
    ]


def filename_for(day: datetime.date) -> str:
    return f"du-lieu-ca-nhan-{day.isoformat()}.json"
