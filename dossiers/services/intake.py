"""Intake (nộp hồ sơ, tiếp nhận hồ sơ giấy): what a submission contains, how it is checked, and
the dossier it writes, submitted online by the citizen or registered at the counter."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalog import declaration
from catalog.models import DeclarationForm, ProcedureVersion, RequiredDocument, VersionStatus
from catalog.selectors import declaration_form_in_force, version_documents
from common.text import fold
from org.models import AdministrativeUnit, Agency, OneStopUnit, UnitLevel

from .. import rules
from ..delivery import PostalAddress, postal_address_problems
from ..errors import DossierInvalid, IdempotencyKeyReused
from ..models import (
    Dossier,
    DossierDocument,
    Handed,
)
from ..rules import Action, Channel, ResultDelivery
from .machinery import _apply, _Step


@dataclass(frozen=True)
class Applicant:
    """Người nộp hồ sơ as written on the dossier."""

    name: str
    personal_id: str
    address: str
    phone: str = ""
    email: str = ""
    tax_code: str = ""
    organization_name: str = ""


@dataclass(frozen=True)
class HandedDocument:
    """A required document handed in (``required_document`` is a catalog.RequiredDocument id)."""

    required_document: int
    handed_in: str = Handed.ORIGINAL
    quantity: int = 1
    note: str = ""


@dataclass(frozen=True)
class Intake:
    """What a submission contains, online or at the counter."""

    procedure_version: ProcedureVersion
    processing_agency: Agency
    receiving_unit: OneStopUnit
    applicant: Applicant
    result_delivery: str
    channel: str = Channel.ONLINE
    form_data: Mapping[str, Any] = field(default_factory=dict)
    documents: Sequence[HandedDocument] = ()
    # Where the result goes by post; read only when ``result_delivery`` is post.
    postal: PostalAddress | None = None
    # The agency and the unit come from ``selectors.submission_place``, which has just checked
    # them against the procedure: the transaction does not ask again.
    place_checked: bool = False
    # The version's required documents, when the caller has just read them (a submission with
    # files checks its uploads against them): the handed-in list is checked against the same rows.
    required_documents: Sequence[RequiredDocument] | None = None

    @property
    def postal_address(self) -> PostalAddress | None:
        """The postal address, stripped, when the result goes by post; None otherwise."""
        if self.result_delivery != ResultDelivery.POST or self.postal is None:
            return None
        return self.postal.stripped()

    def fingerprint(self) -> str:
        """What makes two submissions the same request, for Idempotency-Key replays."""
        body = {
            "procedure_version": self.procedure_version.pk,
            "processing_agency": self.processing_agency.pk,
            "receiving_unit": self.receiving_unit.pk,
            "applicant": asdict(self.applicant),
            "result_delivery": self.result_delivery,
            "channel": self.channel,
            "form_data": dict(self.form_data),
            "documents": sorted(json.dumps(asdict(d), sort_keys=True) for d in self.documents),
            "postal": asdict(postal) if (postal := self.postal_address) is not None else None,
        }
        return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class Checked:
    """A submission checked: its declaration's data as stored, and the form it was filled with."""

    form_data: dict[str, Any]
    declaration_form: DeclarationForm | None


def declaration_problems(
    form: DeclarationForm | None, data: Any, *, today: datetime.date, complete: bool
) -> tuple[dict[str, Any], dict[str, str]]:
    """The declaration's data normalized (``07/11/2022`` to ISO, numbers typed as text) and
    every problem at once, as ``form.<path>``: the one check of the web form and the API."""
    if form is None:
        if data:
            return {}, {"form": _("Thủ tục này không có tờ khai điện tử; không gửi thông tin tờ khai.")}
        return {}, {}
    if not isinstance(data, dict):
        return {}, {"form": _("Thông tin tờ khai phải là một đối tượng JSON.")}
    cleaned = declaration.normalize(form.schema, data)
    # Labels and messages in the request's language (the form's translation, when it has one).
    problems = declaration.validate(form.localized(get_language())[0], cleaned, today=today, complete=complete)
    return cleaned, {f"form.{e.path}" if e.path else "form": e.text for e in problems}


def _check_intake(intake: Intake, *, today: datetime.date, complete: bool) -> Checked:
    """Validate a submission; return the cleaned form data or raise ``DossierInvalid``."""
    errors: dict[str, str] = {}
    version = intake.procedure_version
    public = version.status == VersionStatus.PUBLISHED and version.decision.effective_on <= today
    if not public:
        errors["procedure"] = _("Thủ tục không tồn tại hoặc chưa được công bố.")
    elif intake.channel == Channel.ONLINE and not version.offered_online:
        errors["procedure"] = _("Thủ tục này không tiếp nhận hồ sơ trực tuyến.")
    if intake.channel not in Channel.values:
        errors["channel"] = _("Cách thức nộp không hợp lệ.")
    if intake.result_delivery not in ResultDelivery.values:
        errors["result_delivery"] = _("Hình thức nhận kết quả không hợp lệ.")
    if not intake.place_checked:
        agency = intake.processing_agency
        if not Agency.objects.filter(catalog_roles__versions=version, pk=agency.pk, is_active=True).exists():
            errors["agency"] = _("Cơ quan này không giải quyết thủ tục đã chọn.")
        elif not intake.receiving_unit.served_agencies.filter(pk=agency.pk).exists():
            errors["unit"] = _("Bộ phận Một cửa này không tiếp nhận hồ sơ của cơ quan đã chọn.")
    a = intake.applicant
    applicant_problems = rules.applicant_problems(
        name=a.name, personal_id=a.personal_id, phone=a.phone, address=a.address, email=a.email, tax_code=a.tax_code
    )
    if not complete and not a.address.strip():
        del applicant_problems["address"]
    errors.update({f"applicant.{key}": problem for key, problem in applicant_problems.items()})
    form = declaration_form_in_force(version.procedure_id, on=today)
    form_data, form_problems = declaration_problems(form, intake.form_data, today=today, complete=complete)
    errors.update(form_problems)
    errors.update(_document_problems(version, intake.documents, intake.required_documents))
    errors.update(_postal_problems(intake, today=today, complete=complete))
    if errors:
        raise DossierInvalid(errors)
    return Checked(form_data, form)


def _communes(today: datetime.date) -> Any:
    return AdministrativeUnit.valid_on(today).filter(level=UnitLevel.COMMUNE)


def _postal_problems(intake: Intake, *, today: datetime.date, complete: bool) -> dict[str, str]:
    """The postal address's problems, as ``postal.<field>``, when the result goes by post."""
    if intake.result_delivery != ResultDelivery.POST:
        return {}
    postal = intake.postal_address or PostalAddress()
    communes = _communes(today)
    problems = postal_address_problems(
        postal,
        result_delivery=intake.result_delivery,
        complete=complete,
        commune_known=bool(postal.commune) and communes.filter(code=postal.commune).exists(),
        communes_offered=communes.exists(),
    )
    return {f"postal.{key}": problem for key, problem in problems.items()}


def _document_problems(
    version: ProcedureVersion,
    documents: Sequence[HandedDocument],
    required: Sequence[RequiredDocument] | None = None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    known = {document.pk for document in (version_documents(version) if required is None else required)}
    seen: set[tuple[int, str]] = set()
    for position, document in enumerate(documents):
        key = f"documents.{position}"
        if document.required_document not in known:
            errors[key] = _("Giấy tờ này không thuộc thành phần hồ sơ của thủ tục.")
        elif document.handed_in not in Handed.values:
            errors[key] = _("Hình thức giấy tờ không hợp lệ.")
        elif not 1 <= document.quantity <= 99:
            errors[key] = _("Số lượng phải từ 1 đến 99.")
        elif (document.required_document, document.handed_in) in seen:
            errors[key] = _("Giấy tờ này được kê hai lần.")
        seen.add((document.required_document, document.handed_in))
    return errors


def _save_documents(dossier: Dossier, documents: Sequence[HandedDocument]) -> None:
    for document in documents:
        DossierDocument.objects.update_or_create(
            dossier=dossier,
            required_document_id=document.required_document,
            handed_in=document.handed_in,
            defaults={"quantity": document.quantity, "note": document.note[:500]},
        )


def _values(intake: Intake, checked: Checked) -> dict[str, Any]:
    a = intake.applicant
    return {
        "procedure_version": intake.procedure_version,
        "applicant_name": a.name.strip(),
        "applicant_folded": fold(a.name)[:200],
        "applicant_personal_id": a.personal_id,
        "applicant_phone": rules.normalize_phone(a.phone),
        "applicant_email": a.email,
        "applicant_address": a.address.strip(),
        "organization_tax_code": a.tax_code,
        "organization_name": a.organization_name.strip(),
        "channel": intake.channel,
        "result_delivery": intake.result_delivery,
        "receiving_unit": intake.receiving_unit,
        "processing_agency": intake.processing_agency,
        "form_data": checked.form_data,
        "declaration_form": checked.declaration_form,
        **_postal_values(intake),
    }


def _postal_values(intake: Intake) -> dict[str, Any]:
    """The postal address's columns: filled when the result goes by post, emptied otherwise (a
    draft that no longer asks for it keeps nothing of it)."""
    postal = intake.postal_address or PostalAddress()
    commune = AdministrativeUnit.objects.filter(code=postal.commune).first() if postal.commune else None
    return {
        "postal_recipient_name": postal.recipient_name,
        "postal_recipient_phone": postal.phone,
        "postal_address": postal.address,
        "postal_commune": commune,
    }


def _new_dossier(intake: Intake, *, applicant: Any, checked: Checked, **extra: Any) -> Dossier:
    dossier = Dossier.objects.create(applicant=applicant, **_values(intake, checked), **extra)
    # A new dossier has no documents yet, and ``_document_problems`` refused any listed twice.
    DossierDocument.objects.bulk_create(
        DossierDocument(
            dossier=dossier,
            required_document_id=document.required_document,
            handed_in=document.handed_in,
            quantity=document.quantity,
            note=document.note[:500],
        )
        for document in intake.documents
    )
    return dossier


def _submit_new(draft: Dossier, *, actor: Any, now: datetime.datetime) -> Dossier:
    """Submit a dossier written in the same transaction: the submission starts from the instance
    just written instead of reading it back."""
    return _apply(
        Action.SUBMIT, actor=actor, dossier=draft, expected_version=draft.version, now=now, prepare=_submitted
    )


def _submitted(step: _Step) -> dict[str, Any]:
    return {"submitted_at": step.now}


def dossier_submit(
    *, applicant: Any, intake: Intake, idempotency_key: str | None = None, now: datetime.datetime | None = None
) -> tuple[Dossier, bool]:
    """Nộp hồ sơ trực tuyến in one call. Returns the dossier and whether it was created now: the
    same applicant with the same ``idempotency_key`` gets the first dossier back (a double click,
    a retry), even when both requests arrive at once; the same key with a different content is
    refused."""
    now = now or timezone.now()
    fingerprint = intake.fingerprint()

    def replay() -> tuple[Dossier, bool] | None:
        first = Dossier.objects.filter(applicant=applicant, idempotency_key=idempotency_key).first()
        if first is None:
            return None
        if first.idempotency_fingerprint != fingerprint:
            raise IdempotencyKeyReused
        return first, False

    if idempotency_key is not None and (found := replay()) is not None:
        return found
    try:
        with transaction.atomic():
            checked = _check_intake(intake, today=timezone.localdate(now), complete=True)
            draft = _new_dossier(
                intake,
                applicant=applicant,
                checked=checked,
                idempotency_key=idempotency_key,
                idempotency_fingerprint=fingerprint if idempotency_key is not None else "",
            )
            return _submit_new(draft, actor=applicant, now=now), True
    except IntegrityError:
        # Another request with the same key committed first (the unique constraint said so).
        if idempotency_key is None or (found := replay()) is None:
            raise
        return found


def dossier_register(
    *, actor: Any, intake: Intake, applicant: Any = None, now: datetime.datetime | None = None
) -> Dossier:
    """Tiếp nhận hồ sơ giấy: a counter officer registers a dossier handed in at the counter or
    by post (``applicant`` is the citizen's account, if they have one). It is then received,
    sent back for supplement or refused like an online one."""
    now = now or timezone.now()
    if intake.channel == Channel.ONLINE:
        raise DossierInvalid({"channel": _("Hồ sơ trực tuyến do công dân tự nộp.")})
    with transaction.atomic():
        checked = _check_intake(intake, today=timezone.localdate(now), complete=True)
        draft = _new_dossier(intake, applicant=applicant, checked=checked)
        return _submit_new(draft, actor=actor, now=now)
