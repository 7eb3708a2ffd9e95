"""Writes to the catalog. Every write ends with ``catalog_revision_bump`` so that search indexes
in every process rebuild."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction

from .models import CatalogRevision, ProcedureVersion, VersionStatus

# The history's change reason is a varchar(100) (django-simple-history).
REASON_MAX_LENGTH = 100


def catalog_revision_bump() -> None:
    """Mark the catalog as changed (call inside the writing transaction)."""
    CatalogRevision.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


def procedure_version_publish(*, version: ProcedureVersion, actor: Any) -> ProcedureVersion:
    """Công bố: make a version public from its decision's effective date. The change is recorded
    in the version's history with the actor."""
    with transaction.atomic():
        version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != VersionStatus.PUBLISHED:
            version.status = VersionStatus.PUBLISHED
            version._history_user = actor  # type: ignore[attr-defined]
            version.save(update_fields=["status", "updated_at"])
            catalog_revision_bump()
    return version


def procedure_version_set_working_days(
    *, version: ProcedureVersion, days: int, by_channel: dict[str, int] | None = None, actor: Any, reason: str
) -> ProcedureVersion:
    """A controller sets the working days of a version whose published text gives none (a bare
    number, calendar days), citing why; the version's history keeps who, when and why."""
    if days <= 0 or any(not isinstance(d, int) or d <= 0 for d in (by_channel or {}).values()):
        raise ValueError("working days are positive")
    if not reason.strip() or len(reason.strip()) > REASON_MAX_LENGTH:
        raise ValueError(f"a reason of 1 to {REASON_MAX_LENGTH} characters is needed")
    with transaction.atomic():
        version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
        version.processing_days = days
        version.days_by_channel = dict(by_channel or {})
        version._history_user = actor  # type: ignore[attr-defined]
        version._change_reason = reason.strip()  # type: ignore[attr-defined]
        version.save(update_fields=["processing_days", "days_by_channel", "updated_at"])
        catalog_revision_bump()
    return version
