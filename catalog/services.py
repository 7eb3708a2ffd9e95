"""Writes to the catalog. Every write ends with ``catalog_revision_bump`` so that search indexes
in every process rebuild."""

from __future__ import annotations

import uuid

from .models import CatalogRevision


def catalog_revision_bump() -> None:
    """Mark the catalog as changed (call inside the writing transaction)."""
    CatalogRevision.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})
