"""Reads of the catalog."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from .models import CatalogRevision, OnlineLevel, ProcedureVersion, RequiredDocument, VersionStatus

if TYPE_CHECKING:
    from .presenters import ProcedureView
    from .search import Filters


def today() -> datetime.date:
    return timezone.localdate()


def catalog_token() -> str:
    """The catalog's revision token: it changes with every write to the catalog
    (``services.catalog_revision_bump``), so that what is derived from the catalog can be cached
    under it."""
    token = CatalogRevision.objects.filter(pk=1).values_list("token", flat=True).first()
    return str(token) if token is not None else ""


def version_documents(version: ProcedureVersion) -> list[RequiredDocument]:
    """The version's required documents (thành phần hồ sơ)."""
    return list(RequiredDocument.objects.filter(version=version))


def public_versions(*, on: datetime.date | None = None) -> QuerySet[ProcedureVersion]:
    """The version of each procedure that the public sees on ``on``: the newest published version
    whose announcement decision is already in effect."""
    day = on or today()
    in_effect = ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED, decision__effective_on__lte=day)
    newest = (
        in_effect.filter(procedure=OuterRef("procedure")).order_by("-decision__effective_on", "-id").values("id")[:1]
    )
    return in_effect.filter(id=Subquery(newest))


def versions_in_order(ids: list[int], *, with_documents: bool) -> list[ProcedureVersion]:
    """The versions with these ids, in the same order, with what ``present`` needs."""
    related = ["agencies", "fee_items", "translations"]
    if with_documents:
        related += ["documents", "agencies__agencies__one_stop_units"]
    qs = (
        ProcedureVersion.objects.filter(id__in=ids)
        .select_related("procedure", "field", "field__category", "decision")
        .prefetch_related(*related)
    )
    by_id = {v.id: v for v in qs}
    return [by_id[i] for i in ids if i in by_id]


def procedure_page(
    *, query: str, language: str, filters: Filters, limit: int, offset: int
) -> tuple[int, list[ProcedureView]]:
    """One page of public procedures as read in ``language``: ranked by relevance when there is
    a query, else the most used first. Returns the total count and the page."""
    from .presenters import present_many
    from .search import browse, rank

    if query.strip():
        ranking = rank(query, language=language, filters=filters, prefix=False)
        ids = [hit.version_id for hit in ranking.hits(offset, limit)]
        count = ranking.count
    else:
        all_ids = browse(filters=filters)
        ids, count = all_ids[offset : offset + limit], len(all_ids)
    return count, present_many(ids, language)


def awaiting_working_days(versions: QuerySet[ProcedureVersion] | None = None) -> QuerySet[ProcedureVersion]:
    """Versions published as online (fully or in part) that have no working days for the online
    channel, so cannot take online dossiers until a controller sets them; the most used first."""
    versions = ProcedureVersion.objects.all() if versions is None else versions
    return (
        versions.exclude(online_level=OnlineLevel.NONE)
        .filter(processing_days__isnull=True)
        .exclude(days_by_channel__has_key="online")
        .order_by("-procedure__popularity", "procedure__code")
    )
