"""Reads of the catalog."""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from .models import ProcedureVersion, VersionStatus


def today() -> datetime.date:
    return timezone.localdate()


def public_versions(*, on: datetime.date | None = None) -> QuerySet[ProcedureVersion]:
    """The version of each procedure that the public sees on ``on``: the newest published version
    whose announcement decision is already in effect."""
    day = on or today()
    in_effect = ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED, decision__effective_on__lte=day)
    newest = (
        in_effect.filter(procedure=OuterRef("procedure")).order_by("-decision__effective_on", "-id").values("id")[:1]
    )
    return in_effect.filter(id=Subquery(newest))


def public_version_by_code(code: str, *, on: datetime.date | None = None) -> ProcedureVersion | None:
    return (
        public_versions(on=on)
        .filter(procedure__code=code)
        .select_related("procedure", "field", "field__category", "decision")
        .prefetch_related("agencies", "fee_items", "documents", "translations", "procedure__life_events")
        .first()
    )
