"""Reads of the catalog."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from .models import (
    TRANSLATED_LANGUAGES,
    CatalogRevision,
    DeclarationForm,
    FormStatus,
    OnlineLevel,
    ProcedureTranslation,
    ProcedureVersion,
    RequiredDocument,
    TranslationStatus,
    VersionStatus,
)

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


MOST_USED = 100


@dataclass(frozen=True)
class TranslationCoverage:
    """How much of the public catalog a language has in a reviewed translation (bản dịch đã duyệt)."""

    language: str
    most_used_translated: int
    most_used: int
    translated: int
    public: int

    @property
    def most_used_share(self) -> float:
        return self.most_used_translated / self.most_used if self.most_used else 0.0

    @property
    def share(self) -> float:
        return self.translated / self.public if self.public else 0.0


def translation_coverage(*, most_used: int = MOST_USED) -> list[TranslationCoverage]:
    """For each translated language: of the ``most_used`` most used public procedures and of all
    public procedures, how many have a reviewed translation of the version the public sees."""
    public = list(public_versions().order_by("-procedure__popularity", "procedure__code").values_list("id", flat=True))
    top = set(public[:most_used])
    reviewed = ProcedureTranslation.objects.filter(version_id__in=public, status=TranslationStatus.REVIEWED)
    by_language: dict[str, set[int]] = {lang: set() for lang in TRANSLATED_LANGUAGES}
    for language, version_id in reviewed.values_list("language", "version_id"):
        by_language.setdefault(language, set()).add(version_id)
    return [
        TranslationCoverage(
            language=lang,
            most_used_translated=len(by_language[lang] & top),
            most_used=len(top),
            translated=len(by_language[lang]),
            public=len(public),
        )
        for lang in TRANSLATED_LANGUAGES
    ]


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


def declaration_form_in_force(procedure_id: int, *, on: datetime.date | None = None) -> DeclarationForm | None:
    """Tờ khai in force for a procedure on a day: the published form with the latest
    ``effective_from`` on or before it (None: the procedure has no electronic form)."""
    return (
        DeclarationForm.objects.filter(
            procedure_id=procedure_id, status=FormStatus.PUBLISHED, effective_from__lte=on or today()
        )
        .order_by("-effective_from", "-id")
        .first()
    )


def _reviewed_translation(version_id: int, language: str) -> ProcedureTranslation | None:
    return ProcedureTranslation.objects.filter(
        version_id=version_id, language=language, status=TranslationStatus.REVIEWED
    ).first()


def procedure_name_in(version: ProcedureVersion, language: str) -> str | None:
    """The reviewed translation of a version's name (``None``: there is none)."""
    translated = _reviewed_translation(version.pk, language)
    return translated.name if translated is not None and translated.name else None


def document_name_in(document: RequiredDocument, language: str) -> str | None:
    """The reviewed translation of a required document's name: the translation's documents are
    kept in the order of the version's (``None`` when there is none or they are out of step)."""
    translated = _reviewed_translation(document.version_id, language)
    if translated is None or not isinstance(translated.documents, list):
        return None
    order = [d.pk for d in version_documents_of(document.version_id)]
    if len(order) != len(translated.documents) or document.pk not in order:
        return None
    row = translated.documents[order.index(document.pk)]
    name = row.get("name") if isinstance(row, dict) else None
    return str(name) if name else None


def version_documents_of(version_id: int) -> list[RequiredDocument]:
    """A version's required documents in the order its page and its translations list them."""
    return list(RequiredDocument.objects.filter(version_id=version_id))
