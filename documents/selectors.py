"""Reads of the documents app: who may see which file, what a citizen may reuse from their
store, the slots of a dossier to digitize, and the digitization figures of the index."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.officer_services import is_officer
from catalog.models import RequiredDocument
from common.text import fold
from dossiers.models import Dossier, DossierDocument
from org.models import Agency
from org.permissions import owned, scope

from . import rules
from .models import DigitizedDossier, DocumentType, DossierFile, Purpose, StoreItem

# An officer reads the files of the dossiers their agencies process or receive.
VIEW_CAPABILITY = "dossier.view"


def _officer_dossiers(user: Any, capability: str = VIEW_CAPABILITY) -> QuerySet[Dossier]:
    processing = scope(Dossier.objects.all(), user, agency_field="processing_agency", capability=capability)
    receiving = scope(
        Dossier.objects.all(), user, agency_field="receiving_unit__served_agencies", capability=capability
    )
    return Dossier.objects.filter(Q(pk__in=processing.values("pk")) | Q(pk__in=receiving.values("pk")))


def visible_dossiers(user: Any, capability: str = VIEW_CAPABILITY) -> QuerySet[Dossier]:
    """Dossiers whose files ``user`` may read: their own as a citizen; their agencies' as an
    officer (processing them, or received by a one-stop unit serving them)."""
    if is_officer(user):
        return _officer_dossiers(user, capability)
    return owned(Dossier.objects.all(), user, owner_field="applicant")


def dossier_file_get_or_404(*, user: Any, pk: int) -> DossierFile:
    """A dossier file ``user`` may download, or 404 exactly as if it did not exist."""
    found = DossierFile.objects.select_related("stored_file").filter(pk=pk, dossier__in=visible_dossiers(user)).first()
    if found is None:
        raise Http404
    return found


def store_items_of(*, user: Any) -> QuerySet[StoreItem]:
    """Kho dữ liệu của công dân: their own items not removed, newest first."""
    return owned(StoreItem.objects.select_related("kind", "stored_file"), user, owner_field="owner").filter(
        removed_at__isnull=True
    )


def store_item_get_or_404(*, user: Any, pk: int) -> StoreItem:
    """An item of ``user``'s own store. Officers reach stored documents only through the files
    of their agencies' dossiers (``dossier_file_get_or_404``)."""
    found = store_items_of(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def store_items_for_officer(*, user: Any) -> QuerySet[StoreItem]:
    """The stored documents used by the dossiers of the officer's agencies, and nothing else."""
    used = DossierFile.objects.filter(dossier__in=_officer_dossiers(user), store_item__isnull=False)
    return StoreItem.objects.filter(pk__in=used.values("store_item_id"))


def document_type_of(required_document: RequiredDocument) -> DocumentType | None:
    """The type a required document of the catalog asks for, by the types' keywords."""
    pairs = [(kind, [kind.name, *kind.keyword_list()]) for kind in DocumentType.objects.all()]
    found = rules.matching_type(required_document.name, pairs)
    return found if isinstance(found, DocumentType) else None


def reusable_items(
    *, user: Any, required_document: RequiredDocument, on: datetime.date | None = None
) -> QuerySet[StoreItem]:
    """The items of ``user``'s store that may fill ``required_document``: same type, still valid
    on ``on`` (default today), not removed. Empty when the required document has no known type."""
    kind = document_type_of(required_document)
    if kind is None:
        return StoreItem.objects.none()
    day = on or timezone.localdate()
    return (
        store_items_of(user=user)
        .filter(kind=kind)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("-issued_on", "-created_at")
    )


def scans_search(*, user: Any, text: str, limit: int = 20) -> QuerySet[DossierFile]:
    """Tìm trong bản quét: the current files of the officer's agencies' dossiers whose recognized
    text holds every word of ``text`` (no case, no diacritics), newest first."""
    words = fold(text).split()[:10]
    if not words:
        return DossierFile.objects.none()
    found = DossierFile.objects.filter(dossier__in=_officer_dossiers(user), replaced_at__isnull=True)
    for word in words:
        found = found.filter(stored_file__search_text__contains=word)
    return found.select_related("dossier", "stored_file").order_by("-uploaded_at", "-id")[:limit]


# --- Digitization of a dossier -----------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """A document the dossier was handed in with (thành phần hồ sơ) and its current file."""

    required_document: RequiredDocument
    handed_in: str
    current: DossierFile | None
    suggested_type: DocumentType | None

    @property
    def digitized(self) -> bool:
        return self.current is not None and self.current.digitized


def dossier_slots(dossier: Dossier) -> list[Slot]:
    """The slots to digitize: every required document the dossier was handed in with, then the
    other required documents of its procedure that already have a file."""
    handed = {
        row.required_document_id: row.get_handed_in_display()
        for row in DossierDocument.objects.filter(dossier=dossier).order_by("id")
    }
    current = {
        f.required_document_id: f
        for f in DossierFile.objects.select_related("stored_file", "document_type")
        .filter(dossier=dossier, replaced_at__isnull=True, required_document__isnull=False)
        .exclude(purpose=Purpose.RESULT)
    }
    required = RequiredDocument.objects.filter(pk__in=set(handed) | set(current)).order_by("position", "pk")
    pairs = [(kind, [kind.name, *kind.keyword_list()]) for kind in DocumentType.objects.all()]
    slots = []
    for document in required:
        found = rules.matching_type(document.name, pairs)
        slots.append(
            Slot(
                required_document=document,
                handed_in=handed.get(document.pk, ""),
                current=current.get(document.pk),
                suggested_type=found if isinstance(found, DocumentType) else None,
            )
        )
    return slots


def dossier_is_digitized(dossier: Dossier) -> bool:
    return DigitizedDossier.objects.filter(dossier=dossier).exists()


# --- Figures for the index ---------------------------------------------------------------------


@dataclass(frozen=True)
class DigitizationFigures:
    """Per period (and agency): dossiers received, how many were digitized and how many reused
    stored data, as counts and shares (0..1; None when nothing was received)."""

    received: int
    digitized: int
    reused: int

    @property
    def digitized_share(self) -> float | None:
        return self.digitized / self.received if self.received else None

    @property
    def reused_share(self) -> float | None:
        return self.reused / self.received if self.received else None


def digitization_figures(
    *, start: datetime.date, end: datetime.date, agency: Agency | None = None
) -> DigitizationFigures:
    """Dossiers received from ``start`` to ``end`` (both included, Asia/Ho_Chi_Minh days), by
    their processing agency when given."""
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    received = Dossier.objects.filter(received_at__gte=since, received_at__lt=until)
    if agency is not None:
        received = received.filter(processing_agency=agency)
    return DigitizationFigures(
        received=received.count(),
        digitized=received.filter(digitization__isnull=False).count(),
        reused=received.filter(
            pk__in=DossierFile.objects.filter(purpose=Purpose.REUSED, store_item__isnull=False).values("dossier_id")
        ).count(),
    )
