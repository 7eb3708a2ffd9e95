"""Reads of electronic results: for the national sync, downloads, verification and figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.officer_services import is_officer
from documents.models import DossierFile, Purpose
from dossiers.models import Dossier
from dossiers.rules import Outcome
from org.models import Agency
from org.permissions import owned, scope

from .models import ElectronicResult, ResultDraft
from .signing import Verification

# Officers read the results of the dossiers their agencies process or received.
VIEW_CAPABILITY = "dossier.view"


@dataclass(frozen=True)
class ResultSummary:
    """One result as the national portal's sync lists it (DanhSachGiayToKetQua)."""

    code: str
    name: str
    signed_at: datetime.datetime


def results_of(dossier: Dossier) -> list[ResultSummary]:
    """The dossier's electronic results, oldest first."""
    return [
        ResultSummary(code=row.code, name=row.name, signed_at=row.signed_at)
        for row in ElectronicResult.objects.filter(dossier=dossier).order_by("n")
    ]


def dossier_results(dossier: Dossier) -> QuerySet[ElectronicResult]:
    return ElectronicResult.objects.filter(dossier=dossier).order_by("n")


def result_drafts(dossier: Dossier) -> QuerySet[ResultDraft]:
    return ResultDraft.objects.filter(dossier=dossier).select_related("uploaded_by", "stored_file")


def readable_dossiers(user: Any) -> QuerySet[Dossier]:
    """The dossiers whose results ``user`` may download: their own as a citizen; as an officer,
    those their agencies process or received (by the one-stop units serving them)."""
    dossiers = Dossier.objects.all()
    if is_officer(user):
        processed = scope(dossiers, user, agency_field="processing_agency", capability=VIEW_CAPABILITY)
        received = scope(dossiers, user, agency_field="receiving_unit__served_agencies", capability=VIEW_CAPABILITY)
        return dossiers.filter(pk__in=processed.values("pk")) | dossiers.filter(pk__in=received.values("pk"))
    return owned(dossiers, user, owner_field="applicant")


def result_for_download(*, user: Any, dossier_pk: int, code: str | None = None) -> ElectronicResult:
    """The result ``code`` (default: the latest) of dossier ``dossier_pk`` if ``user`` may read
    it; 404 otherwise."""
    rows = ElectronicResult.objects.select_related("stored_file").filter(
        dossier__in=readable_dossiers(user), dossier_id=dossier_pk
    )
    found = rows.filter(code=code).first() if code is not None else rows.order_by("-n").first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class PublicRecord:
    """What anyone may learn of a result from its code: who signed it, when, for which procedure.
    Nothing about the applicant."""

    code: str
    name: str
    signer: str
    signed_at: datetime.datetime
    procedure: str
    sha256: str


def public_record(code: str) -> PublicRecord | None:
    row = ElectronicResult.objects.select_related("dossier__procedure_version").filter(code__iexact=code).first()
    if row is None:
        return None
    return PublicRecord(
        code=row.code,
        name=row.name,
        signer=row.signer,
        signed_at=row.signed_at,
        procedure=row.dossier.procedure_version.name,
        sha256=row.sha256,
    )


def code_of(verification: Verification) -> str | None:
    """Our result the verified file is (the file itself, or its signed revision when something
    was appended after signing); None when it is none of ours."""
    if verification.signed_revision_sha256 is None:
        return None
    row = ElectronicResult.objects.filter(sha256=verification.signed_revision_sha256).order_by("id").first()
    return row.code if row is not None else None


def issued_count(*, start: datetime.date, end: datetime.date, agencies: QuerySet[Agency] | None) -> int:
    """Electronic results signed from ``start`` to ``end`` (both included, local days), by the
    processing agencies given (None: all)."""
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    rows = ElectronicResult.objects.filter(signed_at__gte=since, signed_at__lt=until)
    if agencies is not None:
        rows = rows.filter(dossier__processing_agency__in=agencies)
    return rows.count()


@dataclass(frozen=True)
class ResultFigures:
    """Kết quả giải quyết của các hồ sơ giải quyết xong trong kỳ: how many were approved with a
    result, how many of those results are digitized (held as a file: a signed electronic result
    or a scanned paper result) and how many are electronic results."""

    decided: int
    digitized: int
    electronic: int


def result_figures(*, start: datetime.date, end: datetime.date, agencies: QuerySet[Agency] | None) -> ResultFigures:
    """Dossiers approved and finished from ``start`` to ``end`` (both included, local days), by
    the processing agencies given (None: all)."""
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    decided = Dossier.objects.filter(outcome=Outcome.APPROVED, finished_at__gte=since, finished_at__lt=until)
    if agencies is not None:
        decided = decided.filter(processing_agency__in=agencies)
    electronic = Q(pk__in=ElectronicResult.objects.values("dossier_id"))
    scanned = Q(pk__in=DossierFile.objects.filter(purpose=Purpose.RESULT).values("dossier_id"))
    return ResultFigures(
        decided=decided.count(),
        digitized=decided.filter(electronic | scanned).count(),
        electronic=decided.filter(electronic).count(),
    )
