"""The citizen's drafts (hồ sơ nháp): saved with required fields still empty, deleted, submitted."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..delivery import PostalAddress
from ..errors import ActionForbidden, DossierChanged, TransitionNotAllowed
from ..models import (
    Dossier,
)
from ..rules import Action, State
from .intake import Applicant, HandedDocument, Intake, _check_intake, _new_dossier, _save_documents, _values
from .machinery import _TRANSITION_RELATED, _apply


def _own_draft(applicant: Any, draft: Dossier, *related: str) -> Dossier:
    """The draft as stored, whole, with the ``related`` rows."""
    current = Dossier.objects.select_related(*related).get(pk=draft.pk)
    if applicant is None or current.applicant_id != applicant.pk:
        raise ActionForbidden(Action.SUBMIT)
    if current.state != State.DRAFT:
        raise TransitionNotAllowed(Action.SUBMIT, State(current.state))
    if current.version != draft.version:
        raise DossierChanged
    return current


def dossier_draft_save(*, applicant: Any, intake: Intake, draft: Dossier | None = None) -> Dossier:
    """Lưu nháp: create or update the citizen's draft. Required fields may still be empty; the
    rest is checked as on submission."""
    with transaction.atomic():
        checked = _check_intake(intake, today=timezone.localdate(), complete=False)
        if draft is None:
            return _new_dossier(intake, applicant=applicant, checked=checked)
        current = _own_draft(applicant, draft)
        updated = Dossier.objects.filter(pk=current.pk, version=current.version).update(
            **_values(intake, checked), version=F("version") + 1, updated_at=timezone.now()
        )
        if updated != 1:
            raise DossierChanged
        current.documents.all().delete()
        _save_documents(current, intake.documents)
        return Dossier.objects.get(pk=current.pk)


def dossier_draft_delete(*, applicant: Any, draft: Dossier) -> None:
    """Xóa bản nháp: only drafts, only by their author; a submitted dossier stays forever."""
    with transaction.atomic():
        current = _own_draft(applicant, draft)
        current.documents.all().delete()
        if Dossier.objects.filter(pk=current.pk, version=current.version).delete()[0] == 0:
            raise DossierChanged


def dossier_draft_submit(*, applicant: Any, draft: Dossier, now: datetime.datetime | None = None) -> Dossier:
    """Nộp hồ sơ from a saved draft: everything is checked as complete, then submitted."""
    now = now or timezone.now()
    with transaction.atomic():
        # Its form and its procedure (channels, decision in force) are checked again.
        current = _own_draft(applicant, draft, *_TRANSITION_RELATED, "procedure_version__decision")
        documents = [
            HandedDocument(d.required_document_id, d.handed_in, d.quantity, d.note) for d in current.documents.all()
        ]
        intake = _intake_of(current, documents)
        checked = _check_intake(intake, today=timezone.localdate(now), complete=True)
        return _apply(
            Action.SUBMIT,
            actor=applicant,
            dossier=draft,
            now=now,
            prepare=lambda step: {
                "form_data": checked.form_data,
                "declaration_form": checked.declaration_form,
                "submitted_at": step.now,
            },
        )


def _intake_of(dossier: Dossier, documents: Sequence[HandedDocument]) -> Intake:
    return Intake(
        procedure_version=dossier.procedure_version,
        processing_agency=dossier.processing_agency,
        receiving_unit=dossier.receiving_unit,
        applicant=Applicant(
            name=dossier.applicant_name,
            personal_id=dossier.applicant_personal_id,
            address=dossier.applicant_address,
            phone=dossier.applicant_phone,
            email=dossier.applicant_email,
            tax_code=dossier.organization_tax_code,
            organization_name=dossier.organization_name,
        ),
        result_delivery=dossier.result_delivery,
        channel=dossier.channel,
        form_data=dossier.form_data,
        documents=documents,
        postal=PostalAddress(
            recipient_name=dossier.postal_recipient_name,
            phone=dossier.postal_recipient_phone,
            address=dossier.postal_address,
            commune=dossier.postal_commune.code if dossier.postal_commune is not None else "",
        ),
    )
