"""Writes of electronic results (kết quả điện tử).

- ``result_draft_upload``: the processing officer's draft of the result (dự thảo), a PDF.
- ``result_issue``: once a dossier is approved, its result (the latest draft, or the notice made
  from the template) signed by the processing agency, stored, recorded with its code and put
  into the citizen's data store. Run by the worker (``results.tasks.issue_result``); safe to run
  again for the same approval: the first result stands.
"""

from __future__ import annotations

import datetime
import logging
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.sign import timestamps

from catalog.declaration import ResultDocument, result_document
from documents.errors import UploadRejected
from documents.models import Source
from documents.services import file_read, file_store, store_item_add
from dossiers.models import Dossier, DossierEvent
from dossiers.rules import Action, State
from dossiers.slips.forms import place_of
from org.permissions import has_capability

from . import pki, rules
from .document import DOCUMENT_NAME, ResultContent, render_certificate, render_result
from .models import ElectronicResult, Origin, ResultDraft
from .signing import Box, NotAPdf, Stamp, sign_pdf

log = logging.getLogger(__name__)

DRAFT_CAPABILITY = "dossier.process"
# A draft may be uploaded while the dossier is being examined, up to its approval.
DRAFT_STATES = frozenset({State.IN_PROGRESS, State.SUPPLEMENT_REQUESTED, State.AWAITING_PAYMENT})
NAME_MAX = 200


class ResultNotAllowed(Exception):
    """The actor may not do this to this dossier now; ``message`` says why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def identity_of(dossier: Dossier) -> pki.AgencyIdentity:
    agency = dossier.processing_agency
    return pki.AgencyIdentity(code=agency.code, name=agency.name)


def result_name_of(dossier: Dossier) -> str:
    """What the procedure gives back ("Giấy khai sinh"), as the catalog announces it."""
    announced = " ".join((dossier.procedure_version.result or "").split())
    return announced[:NAME_MAX] if announced else _("Kết quả giải quyết thủ tục hành chính")


# --- Drafts ------------------------------------------------------------------------------------


def result_draft_upload(
    *,
    actor: Any,
    dossier: Dossier,
    data: bytes | IO[bytes],
    file_name: str,
    name: str = "",
    now: datetime.datetime | None = None,
) -> ResultDraft:
    """Dự thảo kết quả: a PDF from a processing officer of the dossier's agency, while the dossier
    is being processed. ``UploadRejected`` for a file that is not an acceptable PDF."""
    if not has_capability(actor, DRAFT_CAPABILITY, dossier.processing_agency_id):
        raise ResultNotAllowed(_("Chỉ chuyên viên xử lý của cơ quan giải quyết được tải lên dự thảo kết quả."))
    if dossier.state not in DRAFT_STATES:
        raise ResultNotAllowed(_("Chỉ tải lên dự thảo kết quả khi hồ sơ đang được giải quyết."))
    stored = file_store(data=data, name=file_name, actor=actor)
    if stored.content_type != "application/pdf":
        raise UploadRejected("unsupported_type", _("Dự thảo kết quả phải là tệp PDF."))
    title = " ".join(name.split())[:NAME_MAX] or result_name_of(dossier)
    return ResultDraft.objects.create(
        dossier=dossier,
        stored_file=stored,
        name=title,
        uploaded_by=actor,
        uploaded_at=now or timezone.now(),
    )


# --- Issuing the signed result ---------------------------------------------------------------------


def _content(dossier: Dossier, approval: DossierEvent, code: str, day: datetime.date) -> ResultContent:
    agency = dossier.processing_agency
    version = dossier.procedure_version
    return ResultContent(
        superior=agency.parent.name if agency.parent_id and agency.parent else "",
        issuer=agency.name,
        place=place_of(agency),
        day=day,
        number=code,
        dossier_code=dossier.code or "",
        received_on=timezone.localtime(dossier.received_at).date() if dossier.received_at else None,
        procedure_name=version.name,
        procedure_code=version.procedure.code,
        applicant_name=dossier.applicant_name,
        organization_name=dossier.organization_name,
        applicant_address=dossier.applicant_address,
        approval_note=approval.note,
        signer_name=approval.actor_label,
        verify_url=rules.verify_url(code, settings.PORTAL_PUBLIC_URL),
    )


def timestamper() -> timestamps.TimeStamper | None:
    """PAdES-B-T when a time-stamp authority is configured (MOTCUA_RESULTS_TSA_URL): an RFC 3161
    server, or "local" for the development one of the local CA."""
    url = getattr(settings, "RESULTS_TSA_URL", "")
    if not url:
        return None
    if url == "local":
        return pki.local_timestamper()
    return timestamps.HTTPTimeStamper(url)


def _document(
    dossier: Dossier, approval: DossierEvent, code: str, signed_at: datetime.datetime
) -> tuple[bytes, str, str, int | None, Box | None]:
    """The PDF to sign, its name and origin, and where the signature box goes (None: the
    default spot of a document whose layout we do not know)."""
    draft = (
        ResultDraft.objects.filter(dossier=dossier)
        .select_related("stored_file")
        .order_by("-uploaded_at", "-id")
        .first()
    )
    if draft is not None:
        return file_read(draft.stored_file), draft.name, Origin.DRAFT, None, None
    content = _content(dossier, approval, code, timezone.localtime(signed_at).date())
    made = made_from_form(dossier)
    if made is not None:
        data, page, box = render_certificate(content, made)
        return data, made.name, Origin.FORM, page, box
    data, page, box = render_result(content)
    return data, DOCUMENT_NAME, Origin.TEMPLATE, page, box


def made_from_form(dossier: Dossier) -> ResultDocument | None:
    """The procedure's own result document (Giấy khai sinh…) filled from the dossier's declaration
    form, when the form describes one (``layout["result"]``) and the dossier was filled with it."""
    form = dossier.declaration_form
    if form is None or not dossier.form_data:
        return None
    return result_document(form.schema, form.layout, dossier.form_data)


def result_issue(*, approval_id: int, now: datetime.datetime | None = None) -> ElectronicResult:
    """The signed result of the approval ``approval_id`` (a DossierEvent with action approve):
    made, signed, stored and recorded once; a second call returns the first result."""
    existing = ElectronicResult.objects.filter(approval_id=approval_id).first()
    if existing is not None:
        return existing
    approval = DossierEvent.objects.select_related(
        "dossier__processing_agency__parent",
        "dossier__processing_agency__administrative_unit",
        "dossier__procedure_version__procedure",
        "dossier__applicant",
        "dossier__declaration_form",
    ).get(pk=approval_id, action=Action.APPROVE)
    dossier = approval.dossier
    if not dossier.code:
        raise ResultNotAllowed(_("Hồ sơ chưa có mã nên chưa có mã kết quả."))
    signed_at = (now or timezone.now()).astimezone(timezone.get_current_timezone()).replace(microsecond=0)
    n = (ElectronicResult.objects.filter(dossier=dossier).aggregate(last=Max("n"))["last"] or 0) + 1
    code = rules.result_code(dossier.code, n)
    identity = identity_of(dossier)
    stamp = Stamp(
        signer_name=identity.name,
        signed_at=signed_at,
        result_code=code,
        verify_url=rules.verify_url(code, settings.PORTAL_PUBLIC_URL),
    )
    signer = pki.signer_for(identity)

    def sign(data: bytes, page: int | None, box: Box | None) -> bytes:
        return sign_pdf(
            data,
            signer=signer,
            stamp=stamp,
            box=box,
            page=page,
            reason=f"Kết quả giải quyết hồ sơ {dossier.code}",
            location=place_of(dossier.processing_agency),
            timestamper=timestamper(),
        )

    data, name, origin, page, box = _document(dossier, approval, code, signed_at)
    try:
        signed = sign(data, page, box)
    except NotAPdf:
        if origin != Origin.DRAFT:
            raise
        # A draft that passed the upload checks but that pyHanko cannot sign (a broken
        # cross-reference table, say): the citizen still gets a signed result, from the template.
        log.warning("Result draft of dossier %s could not be signed; the template is used.", dossier.pk)
        data, page, box = render_result(_content(dossier, approval, code, signed_at.date()))
        name, origin = DOCUMENT_NAME, Origin.TEMPLATE
        signed = sign(data, page, box)
    try:
        with transaction.atomic():
            stored = file_store(data=signed, name=f"{code}.pdf", actor=None)
            result = ElectronicResult.objects.create(
                dossier=dossier,
                approval=approval,
                n=n,
                code=code,
                name=name,
                origin=origin,
                stored_file=stored,
                sha256=stored.sha256,
                signer=identity.name,
                signed_at=signed_at,
            )
            if dossier.applicant is not None:
                store_item_add(
                    owner=dossier.applicant,
                    stored_file=stored,
                    kind=result_name_of(dossier) if origin == Origin.TEMPLATE else name,
                    number=code,
                    issuer=identity.name,
                    issued_on=signed_at.date(),
                    source=Source.E_RESULT,
                    dossier=dossier,
                )
    except IntegrityError:
        # The same approval issued by a concurrent run (its row won), or the same number taken.
        found = ElectronicResult.objects.filter(approval_id=approval_id).first()
        if found is None:
            raise
        return found
    return result
