"""Reads of the integrations: what is due for delivery, and a dossier as the national portal is
told about it."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from dossiers.models import Dossier, DossierDocument, DossierEvent, Notification
from dossiers.rules import Action

from .models import SyncMessage
from .rules import DossierSnapshot, Fee, SubmittedDocument, SupplementRequest


def due_notifications(*, now: datetime.datetime, dossier_id: int | None = None) -> QuerySet[Notification]:
    """Unsent notifications whose next try has come (never tried, or waited out their backoff),
    oldest first; those given up wait for an administrator's retry."""
    rows = Notification.objects.filter(sent_at__isnull=True).filter(
        Q(delivery__isnull=True)
        | Q(delivery__gave_up=False, delivery__next_attempt_at__isnull=True)
        | Q(delivery__gave_up=False, delivery__next_attempt_at__lte=now)
    )
    if dossier_id is not None:
        rows = rows.filter(dossier_id=dossier_id)
    return rows.order_by("created_at", "id")


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


def dossier_snapshot(dossier: Dossier) -> DossierSnapshot:
    """``dossier`` as stored now, in the portal's terms. Fees are the payment requests of its
    history (the amount asked for)."""
    names = (
        Dossier.objects.filter(pk=dossier.pk)
        .values("processing_agency__name", "procedure_version__procedure__code")
        .get()
    )
    documents = [
        SubmittedDocument(required_document_id=d.required_document_id, name=d.required_document.name)
        for d in DossierDocument.objects.filter(dossier=dossier).select_related("required_document").order_by("id")
    ]
    events = list(
        DossierEvent.objects.filter(
            dossier=dossier, action__in=[Action.REQUEST_SUPPLEMENT, Action.SUPPLEMENT, Action.REQUEST_PAYMENT]
        ).order_by("at", "id")
    )
    fees = [
        Fee(name="Phí, lệ phí", amount_vnd=int(e.details["amount_vnd"]))
        for e in events
        if e.action == Action.REQUEST_PAYMENT and e.details.get("amount_vnd")
    ]
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
        documents=documents,
        fees=fees,
        supplements=_supplements(events),
    )
