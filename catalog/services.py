"""Writes to the catalog. Every write ends with ``catalog_revision_bump`` so that search indexes
in every process rebuild."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction

from .models import CatalogRevision, ProcedureVersion, VersionStatus


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
