"""Reads of the integrations: the sync messages due for delivery, and a dossier as the national
portal is told about it (from dossiers, documents, payments and results)."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from common.text import fold
from documents.models import DossierFile, Purpose
from dossiers.models import Dossier, DossierDocument, DossierEvent
from dossiers.rules import Action
from payments.models import ONLINE_METHODS
from payments.selectors import fees_of
from results.selectors import results_of

from .models import SyncMessage
from .rules import DossierSnapshot, Fee, ResultPaper, SubmittedDocument, SupplementRequest


def dossiers_with_due_sync(*, now: datetime.datetime, limit: int) -> list[int]:
    """Dossiers whose next sync message waits to be delivered (the head of each dossier's queue
    decides: messages behind it wait for it)."""
    waiting = SyncMessage.objects.filter(delivered_at__isnull=True)
    earlier = waiting.filter(dossier_id=OuterRef("dossier_id"), sequence__lt=OuterRef("sequence"))
    heads = waiting.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)).filter(~Exists(earlier))
    return list(heads.order_by("dossier_id").values_list("dossier_id", flat=True)[:limit])


def _supplements(events: list[DossierEvent]) -> list[SupplementRequest]:
    requests: list[SupplementRequest] = []
    for event in events:
        if event.action == Action.REQUEST_SUPPLEMENT:
            missing = event.details.get("missing") or []
            requests.append(
                SupplementRequest(
                    id=event.pk,
                    requested_by=event.actor_label,
                    content="; ".join(str(item) for item in missing) or event.note,
                    requested_at=event.at,
                )
            )
        elif event.action == Action.SUPPLEMENT and requests and requests[-1].supplemented_at is None:
            last = requests[-1]
            requests[-1] = SupplementRequest(last.id, last.requested_by, last.content, last.requested_at, event.at)
    return requests


def _lines(dossier: Dossier) -> list[Fee]:
    """DanhSachLePhi: the fee lines as charged (or assessed, while unpaid) by payments."""
    fees = fees_of(dossier)
    online = fees.paid and fees.method in ONLINE_METHODS
    return [
        Fee(
            name=str(line["description"]),
            amount_vnd=int(line["total_vnd"]),
            code=str(line.get("key", "")),
            # LoaiPhiLePhi: 1 phí, 2 lệ phí.
            kind=2 if fold(str(line["description"])).startswith("le phi") else 1,
            paid_online=online,
        )
        for line in fees.lines
    ]


def _files(dossier: Dossier) -> list[SubmittedDocument]:
    """TaiLieuNop: the current file of each document handed in (documents), else the document as
    recorded at intake (a paper dossier not digitized yet)."""
    names = {
        row.required_document_id: row.required_document.name
        for row in DossierDocument.objects.filter(dossier=dossier).select_related("required_document").order_by("id")
    }
    files = (
        DossierFile.objects.filter(dossier=dossier, replaced_at__isnull=True, required_document__isnull=False)
        .exclude(purpose=Purpose.RESULT)
        .order_by("id")
    )
    listed = [
        SubmittedDocument(
            required_document_id=f.required_document_id,
            name=names.get(f.required_document_id, f.name),
            file_id=str(f.pk),
            file_name=f.name,
        )
        for f in files
        if f.required_document_id is not None
    ]
    with_file = {d.required_document_id for d in listed}
    return listed + [
        SubmittedDocument(required_document_id=pk, name=name) for pk, name in names.items() if pk not in with_file
    ]


def _results(dossier: Dossier) -> list[ResultPaper]:
    """DanhSachGiayToKetQua: the signed electronic results, each with its public verification
    address (the page its QR code opens)."""
    verify = settings.PORTAL_PUBLIC_URL.rstrip("/") + reverse("results:verify")
    return [
        ResultPaper(id=r.code, name=r.name, url=f"{verify}?{urlencode({'ma': r.code})}") for r in results_of(dossier)
    ]


def dossier_snapshot(dossier: Dossier) -> DossierSnapshot:
    """``dossier`` as stored now, in the portal's terms: files from documents, fees from
    payments, results from results, supplement requests from the history."""
    names = (
        Dossier.objects.filter(pk=dossier.pk)
        .values("processing_agency__name", "procedure_version__procedure__code")
        .get()
    )
    events = list(
        DossierEvent.objects.filter(
            dossier=dossier, action__in=[Action.REQUEST_SUPPLEMENT, Action.SUPPLEMENT]
        ).order_by("at", "id")
    )
    return DossierSnapshot(
        code=dossier.code or "",
        procedure_code=names["procedure_version__procedure__code"],
        state=dossier.state,
        channel=dossier.channel,
        agency_name=names["processing_agency__name"],
        received_at=dossier.received_at,
        submitted_at=dossier.submitted_at,
        due_on=dossier.due_on,
        finished_at=dossier.finished_at,
        documents=_files(dossier),
        fees=_lines(dossier),
        supplements=_supplements(events),
        results=_results(dossier),
    )
