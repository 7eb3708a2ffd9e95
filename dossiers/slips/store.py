"""Slips kept with the dossier: each slip issued at a transition (receipt, supplement request,
refusal, apology, stop notice) is rendered once, from the history as it stood at that transition,
and stored in the default storage under a name nobody can guess, with its SHA-256. A reprint
hands out the stored file, the very document the citizen was given."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q

from ..models import Dossier, DossierEvent, DossierSlip, SlipKind
from ..rules import Action
from . import forms

SLIP_ACTIONS: Mapping[Action, SlipKind] = {
    Action.RECEIVE: SlipKind.RECEIPT,
    Action.REQUEST_SUPPLEMENT: SlipKind.SUPPLEMENT,
    Action.REFUSE_INTAKE: SlipKind.REFUSAL,
    Action.EXTEND: SlipKind.APOLOGY,
    Action.STOP: SlipKind.STOP,
}
KIND_ACTIONS: Mapping[str, Action] = {kind.value: action for action, kind in SLIP_ACTIONS.items()}

MAKERS: Mapping[str, Callable[..., bytes]] = {
    SlipKind.RECEIPT: forms.receipt,
    SlipKind.SUPPLEMENT: forms.supplement_request,
    SlipKind.REFUSAL: forms.refusal,
    SlipKind.APOLOGY: forms.apology,
    SlipKind.STOP: forms.stop_notice,
}


def slip_store(*, event: DossierEvent) -> DossierSlip:
    """The slip issued by ``event``, rendered and stored the first time (idempotent: a retried
    task or two printers at once still give one stored slip)."""
    found = DossierSlip.objects.filter(event_id=event.pk).first()
    if found is not None:
        return found
    kind = SLIP_ACTIONS[Action(event.action)]
    dossier = Dossier.objects.select_related(
        "procedure_version",
        "procedure_version__procedure",
        "receiving_unit",
        "receiving_unit__administrative_unit",
        "processing_agency",
        "processing_agency__administrative_unit",
        "processing_agency__parent",
    ).get(pk=event.dossier_id)
    # The history up to this transition: a later step must not change what was issued here.
    history = list(
        dossier.events.select_related("handed_to")
        .filter(Q(at__lt=event.at) | Q(at=event.at, id__lte=event.pk))
        .order_by("at", "id")
    )
    content = MAKERS[kind](dossier, history)
    slip = DossierSlip(dossier=dossier, event_id=event.pk, kind=kind, sha256=hashlib.sha256(content).hexdigest())
    slip.file.save(f"{kind}.pdf", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            slip.save()
    except IntegrityError:
        slip.file.delete(save=False)
        return DossierSlip.objects.get(event_id=event.pk)
    return slip


def slip_content(slip: DossierSlip) -> bytes:
    with slip.file.open("rb") as stored:
        return stored.read()
