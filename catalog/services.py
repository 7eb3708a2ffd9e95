"""Writes to the catalog. Every write ends with ``catalog_revision_bump`` so that search indexes
in every process rebuild."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from .models import CatalogRevision


def catalog_revision_bump() -> None:
    """Mark the catalog as changed (call inside the writing transaction)."""
    updated = CatalogRevision.objects.filter(pk=1).update(number=F("number") + 1)
    if not updated:
        with transaction.atomic():
            CatalogRevision.objects.get_or_create(pk=1, defaults={"number": 1})
