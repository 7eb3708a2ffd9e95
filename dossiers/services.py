"""Writes of dossiers: one function per transition of the lifecycle (DESIGN.md), each one atomic
call that

1. checks the dossier has not changed since the caller read it (its ``version``),
2. checks the actor's role: the applicant themself, or an officer whose membership in the
   processing agency is in force (``org.permissions.memberships_held``); a counter officer's
   membership, when it names a one-stop unit, must name the receiving one. Superusers have no
   role in dossiers: a decision on a dossier is always an officer's. A system named explicitly
   (``SystemActor``: the payment platform confirming an online payment) acts without a person,
   where the transition table lists its role,
3. checks the current state against ``rules.TRANSITIONS``,
4. claims the row with ``UPDATE … SET version = version + 1 WHERE id = … AND version = …``
   (0 rows: another action won, ``DossierChanged``): before any other write when the
   transition opens or closes a clock stop, else together with the change in one statement,
5. applies the change, writes a ``DossierEvent``, opens or closes clock stops and recomputes the
   due date,
6. writes the citizen's notifications to the outbox in the same transaction (the integrations
   app delivers them once it commits).

The caller passes the dossier it read; its ``version`` is the expected one, so two officers who
opened the same dossier and act at once cannot both succeed. Each function returns the dossier as
it is after the transition.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalog.models import OnlineLevel, ProcedureVersion, VersionStatus
from catalog.selectors import version_documents
from common.prepared import Prepared
from common.sequences import next_number
from common.text import fold
from common.transactions import inner_atomic
from org.models import AdministrativeUnit, Agency, OneStopUnit, UnitLevel
from org.permissions import memberships_held
from workdays.calendar import WorkCalendar
from workdays.rules import ClockStop as Span
from workdays.rules import due_date
from workdays.selectors import work_calendar

from . import rules
from .delivery import PostalAddress, postal_address_problems
from .errors import ActionForbidden, DossierChanged, DossierInvalid, IdempotencyKeyReused, TransitionNotAllowed
from .models import (
    ClockStop,
    DailySequence,
    Dossier,
    DossierDocument,
    DossierEvent,
    Handed,
    Notification,
    NotificationChannel,
    ProcedureForm,
    StopReason,
)
from .rules import APPLICANT, Action, Channel, Clock, Outcome, ResultDelivery, State
from .signals import dossier_transitioned

# --- Intake -----------------------------------------------------------------------------------


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


def _form_schema(version: ProcedureVersion) -> list[Any]:
    form = ProcedureForm.objects.filter(procedure_id=version.procedure_id).first()
    return form.schema if form is not None else []


def _check_intake(intake: Intake, *, today: datetime.date, complete: bool) -> dict[str, Any]:
    """Validate a submission; return the cleaned form data or raise ``DossierInvalid``."""
    errors: dict[str, str] = {}
    version = intake.procedure_version
    public = version.status == VersionStatus.PUBLISHED and version.decision.effective_on <= today
    if not public:
        errors["procedure"] = _("Thủ tục không tồn tại hoặc chưa được công bố.")
    elif intake.channel == Channel.ONLINE and (
        version.online_level == OnlineLevel.NONE or "online" not in version.channels
    ):
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
    form_data, form_problems = rules.form_data_clean(_form_schema(version), dict(intake.form_data), complete=complete)
    errors.update({f"form.{key}": problem for key, problem in form_problems.items()})
    errors.update(_document_problems(version, intake.documents))
    errors.update(_postal_problems(intake, today=today, complete=complete))
    if errors:
        raise DossierInvalid(errors)
    return form_data


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


def _document_problems(version: ProcedureVersion, documents: Sequence[HandedDocument]) -> dict[str, str]:
    errors: dict[str, str] = {}
    known = {document.pk for document in version_documents(version)}
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


def _values(intake: Intake, form_data: dict[str, Any]) -> dict[str, Any]:
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
        "form_data": form_data,
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


def _new_dossier(intake: Intake, *, applicant: Any, form_data: dict[str, Any], **extra: Any) -> Dossier:
    dossier = Dossier.objects.create(applicant=applicant, **_values(intake, form_data), **extra)
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
    draft._read_version = draft.version  # type: ignore[attr-defined]
    return _apply(Action.SUBMIT, actor=actor, dossier=draft, now=now, prepare=_submitted)


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
        form_data = _check_intake(intake, today=timezone.localdate(), complete=False)
        if draft is None:
            return _new_dossier(intake, applicant=applicant, form_data=form_data)
        current = _own_draft(applicant, draft)
        updated = Dossier.objects.filter(pk=current.pk, version=current.version).update(
            **_values(intake, form_data), version=F("version") + 1, updated_at=timezone.now()
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
        form_data = _check_intake(intake, today=timezone.localdate(now), complete=True)
        return _apply(
            Action.SUBMIT,
            actor=applicant,
            dossier=draft,
            now=now,
            prepare=lambda step: {"form_data": form_data, "submitted_at": step.now},
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
            form_data = _check_intake(intake, today=timezone.localdate(now), complete=True)
            draft = _new_dossier(
                intake,
                applicant=applicant,
                form_data=form_data,
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
        form_data = _check_intake(intake, today=timezone.localdate(now), complete=True)
        draft = _new_dossier(intake, applicant=applicant, form_data=form_data)
        return _submit_new(draft, actor=actor, now=now)


# --- The transition machinery -----------------------------------------------------------------


# What a transition reads with the dossier: the processing time and the procedure's name, the
# unit that gives the code, the applicant the notifications go to; not the long texts and lists
# of the procedure, the applicant's account details or the dossier's form (a quarter of the
# columns, and all of the JSON to decode).
_TRANSITION_RELATED = ("procedure_version", "receiving_unit", "applicant")
_TRANSITION_DEFERRED = (
    "form_data",
    *(
        f"procedure_version__{name}"
        for name in (
            "agency_text", "levels", "channels", "processing_time_text", "fee_text", "conditions", "steps",
            "legal_bases", "result", "source_url", "review_notes",
        )
    ),
    *(
        f"applicant__{name}"
        for name in (
            "password", "last_login", "is_superuser", "first_name", "last_name", "is_staff", "date_joined",
            "birth_date", "oidc_subject",
        )
    ),
)  # fmt: skip


def _transition_read(**lookup: Any) -> QuerySet[Dossier]:
    return Dossier.objects.select_related(*_TRANSITION_RELATED).defer(*_TRANSITION_DEFERRED).filter(**lookup).order_by()


# Every action reads its dossier so: built by the ORM once (common.prepared). A unique lookup,
# with no ORDER BY to plan.
_read_by_pk = Prepared(lambda pk: _transition_read(pk=pk), examples=(-987654321,))
_read_by_code = Prepared(lambda code: _transition_read(code=code), examples=("\x00",))


def read_for_transition(*, pk: int | None = None, code: str | None = None) -> Dossier | None:
    """The dossier with ``pk`` (or ``code``), read with what a transition needs and marked so
    that the next transition on it starts from this read instead of reading it again. That is as
    safe as a second read: the transition claims the dossier by its version, so a change made in
    between answers ``DossierChanged`` all the same. The mark is used once. Whether the reader
    may open it is the caller's to check."""
    if code is None and not 0 < (pk or 0) < 2**63:
        return None  # no such id (and none the database could be asked for)
    found = _read_by_pk.objects(pk) if code is None else _read_by_code.objects(code)
    if not found:
        return None
    dossier: Dossier = found[0]
    dossier._read_version = dossier.version  # type: ignore[attr-defined]
    return dossier


def _load(dossier: Dossier) -> Dossier:
    """The dossier as stored, if it is still the version the caller read: the caller's own
    instance when ``read_for_transition`` has just read it (at the version the caller names),
    else read again."""
    read = dossier.__dict__.pop("_read_version", None)
    if read is not None:
        if dossier.version != read:
            raise DossierChanged
        return dossier
    found = _read_by_pk.objects(dossier.pk)
    if not found:
        raise Dossier.DoesNotExist
    current: Dossier = found[0]
    if current.version != dossier.version:
        raise DossierChanged
    return current


@dataclass(frozen=True)
class SystemActor:
    """A system that takes a transition by itself, with no person behind it: ``role`` is one of
    ``rules.SYSTEM_ROLES`` (the transition table says what it may do), ``name`` says which one
    (a gateway's name) in the history."""

    role: str
    name: str = ""

    def __post_init__(self) -> None:
        if self.role not in rules.SYSTEM_ROLES:
            raise ValueError(f"{self.role!r} is not a system role (dossiers.rules.SYSTEM_ROLES)")

    @property
    def label(self) -> str:
        """What the history's "who" says, in the site's language: "Nền tảng thanh toán (VNPay)"."""
        with translation.override(settings.LANGUAGE_CODE):
            role = rules.system_role_label(self.role)
        return f"{role} ({self.name})" if self.name else role


def _acting_role(
    actor: Any, dossier: Dossier, action: Action, today: datetime.date, system: SystemActor | None = None
) -> str:
    """The role in which ``actor`` may take ``action`` on ``dossier``: the applicant themself,
    or an officer with a membership in force today, in the processing agency, at the receiving
    unit for counter officers bound to one. A ``system`` acts alone (``actor`` None), only where
    the transition table lists its role."""
    allowed = rules.TRANSITIONS[action].actors
    if system is not None:
        if actor is not None or system.role not in allowed:
            raise ActionForbidden(action)
        return system.role
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise ActionForbidden(action)
    if APPLICANT in allowed and dossier.applicant_id is not None and dossier.applicant_id == actor.pk:
        return APPLICANT
    held = {
        membership.role
        for membership in memberships_held(actor, on=today)
        if membership.agency_id == dossier.processing_agency_id
        and membership.role in allowed
        and (
            membership.role in rules.AGENCY_ROLES
            or (
                membership.role in rules.UNIT_ROLES and membership.one_stop_unit_id in (None, dossier.receiving_unit_id)
            )
        )
    }
    for role in rules.STAFF_ROLES_IN_ORDER:
        if role in held:
            return role
    raise ActionForbidden(action)


def _deadlines(
    dossier: Dossier, stops: Sequence[ClockStop], calendar: WorkCalendar, today: datetime.date
) -> dict[str, datetime.date | None]:
    """``due_on`` and ``original_due_on`` from reception, processing time, clock stops and the
    extension (which moves only ``due_on``)."""
    days = dossier.procedure_version.processing_days
    if dossier.received_at is None or days is None:
        return {"due_on": None, "original_due_on": None}
    received = timezone.localtime(dossier.received_at)
    spans = [Span(stop.started_on, stop.ended_on) for stop in stops]
    return {
        "original_due_on": due_date(received, days, calendar, stops=spans, today=today),
        "due_on": due_date(received, days + dossier.extension_days, calendar, stops=spans, today=today),
    }


@dataclass(frozen=True)
class _Step:
    """A transition under way, as ``prepare`` hooks see it: the dossier as stored (already
    claimed), the role the actor acts in, and the time."""

    dossier: Dossier
    role: str
    now: datetime.datetime

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)


Prepare = Callable[[_Step], Mapping[str, Any]]
_HAND_OVERS = frozenset({Action.ASSIGN, Action.FORWARD, Action.RETURN_STEP})


def _apply(
    action: Action,
    *,
    actor: Any,
    dossier: Dossier,
    now: datetime.datetime | None,
    prepare: Prepare | None = None,
    note: str = "",
    details: Mapping[str, Any] | None = None,
    attachments: Sequence[Mapping[str, Any]] = (),
    notice: Mapping[str, Any] | None = None,
    system: SystemActor | None = None,
) -> Dossier:
    """Take one transition atomically (see the module docstring). ``prepare`` returns the
    dossier's other changes once the actor and the state are checked and the dossier claimed; it
    may raise ``TransitionNotAllowed`` or ``DossierInvalid``, which roll everything back. A
    ``system`` acts instead of a person (``actor`` None)."""
    now = now or timezone.now()
    with inner_atomic():
        current = _load(dossier)
        today = timezone.localdate(now)
        role = _acting_role(actor, current, action, today, system)
        source = State(current.state)
        if not rules.can(action, source, role):
            raise TransitionNotAllowed(action, source)
        seen_version = current.version
        clock = rules.TRANSITIONS[action].clock
        # A transition that opens or closes a clock stop (or writes the handed-in documents with
        # it) claims the dossier before touching those rows, so that two transitions of one
        # dossier meet on the dossier's row first, as every caller takes it (a payment at the
        # counter locks the dossier, then marks it paid): they can never lock each other out.
        # The others (a reception takes only its unit's number of the day) claim it with the
        # change itself, in one statement.
        claim_first = clock not in (Clock.NONE, Clock.START)
        if claim_first:
            _claim(current.pk, seen_version, now)
        values: dict[str, Any] = dict(prepare(_Step(current, role, now))) if prepare is not None else {}
        values["state"] = rules.next_state(action, source, received=current.received_at is not None)
        for key, value in values.items():
            setattr(current, key, value)
        if clock is Clock.FINISH:
            current.finished_at = values["finished_at"] = now
        if clock is not Clock.NONE or "extension_days" in values:
            for key, value in _move_clock(current, clock, today).items():
                setattr(current, key, value)
                values[key] = value
        if claim_first:
            Dossier.objects.filter(pk=current.pk).update(**values)
        else:
            # Of two concurrent transitions the second matches no row here (PostgreSQL re-reads
            # the row once the first commits), and its number of the day rolls back with it.
            _claim(current.pk, seen_version, now, **values)
        current.version, current.updated_at = seen_version + 1, now
        event = DossierEvent.objects.create(
            dossier=current,
            at=now,
            actor=actor,
            actor_label=(str(actor) if system is None else system.label)[:200],
            actor_role=role,
            action=action,
            from_state=source,
            to_state=values["state"],
            handed_to=values.get("assignee") if action in _HAND_OVERS else None,
            note=note,
            details=dict(details or {}),
            attachments=list(attachments),
        )
        if rules.TRANSITIONS[action].notifies:
            _write_notifications(current, action, notice or {})
        dossier_transitioned.send(sender=Dossier, dossier=current, event=event, action=action)
        current.latest_event = event  # type: ignore[attr-defined]  # for the caller (slips), not stored
        return current


def _claim(pk: int, version: int, now: datetime.datetime, **values: Any) -> None:
    """``UPDATE … SET version = version + 1, … WHERE id = … AND version = …``: 0 rows means
    another transition came first."""
    claimed = Dossier.objects.filter(pk=pk, version=version).update(version=F("version") + 1, updated_at=now, **values)
    if claimed != 1:
        raise DossierChanged


def _move_clock(dossier: Dossier, clock: Clock, today: datetime.date) -> dict[str, Any]:
    """Open or close the clock stop that ``clock`` calls for (only once the dossier has been
    received: before that there is no clock), and the due dates that follow."""
    if dossier.received_at is None:
        return {}
    if clock in (Clock.STOP_SUPPLEMENT, Clock.STOP_PAYMENT):
        reason = StopReason.SUPPLEMENT if clock is Clock.STOP_SUPPLEMENT else StopReason.PAYMENT
        ClockStop.objects.create(dossier=dossier, reason=reason, started_on=today)
    elif clock in (Clock.RESUME, Clock.FINISH):
        ClockStop.objects.filter(dossier=dossier, ended_on__isnull=True).update(ended_on=today)
    # The clock starts at reception: no stop can have been opened before it.
    stops = [] if clock is Clock.START else list(ClockStop.objects.filter(dossier=dossier))
    return _deadlines(dossier, stops, work_calendar(), today)


# --- Notifications ----------------------------------------------------------------------------


def _write_notifications(dossier: Dossier, action: Action, extra: Mapping[str, Any]) -> None:
    """Tell the citizen, by e-mail and SMS where there is an address: the outbox rows are written
    in the transition's transaction, so they commit with it (a rolled-back transition tells
    nobody) and a process that dies after the commit loses none; a worker delivers them. The
    payload names the dossier, never the applicant's identification number."""
    payload = {
        "dossier_id": dossier.pk,
        "code": dossier.code,
        "procedure": dossier.procedure_version.name,
        "state": dossier.state,
        "national_status": dossier.national_status,
        "due_on": dossier.due_on.isoformat() if dossier.due_on else None,
        **extra,
    }
    user = dossier.applicant
    language = getattr(user, "preferred_language", "") or "vi"
    email = dossier.applicant_email or getattr(user, "email", "")
    rows = []
    if email:
        rows.append((NotificationChannel.EMAIL, email))
    if dossier.applicant_phone:
        rows.append((NotificationChannel.SMS, dossier.applicant_phone))
    notifications = [
        Notification(
            dossier_id=dossier.pk,
            recipient=user,
            channel=channel,
            address=address,
            language=language,
            template_key=f"dossier.{action.value}",
            payload=payload,
        )
        for channel, address in rows
    ]
    if notifications:
        Notification.objects.bulk_create(notifications)


def notification_mark_sent(*, notification: Notification, at: datetime.datetime | None = None) -> bool:
    """Record that ``notification`` has been delivered. Only the first of two workers that race
    on one row marks it (a conditional update); returns whether this call did."""
    at = at or timezone.now()
    marked = Notification.objects.filter(pk=notification.pk, sent_at__isnull=True).update(sent_at=at)
    if marked:
        notification.sent_at = at
    return marked == 1


# --- Codes ------------------------------------------------------------------------------------


def next_daily_number(unit: OneStopUnit, day: datetime.date) -> int:
    """The unit's next number of the day, inside the caller's transaction (``common.sequences``:
    one statement; the unit's row for the day stays locked until the caller commits), so
    concurrent receptions get consecutive numbers, and a rolled-back reception gives its number
    back instead of leaving a gap."""
    return next_number(DailySequence, unit=unit.pk, day=day)


# --- Transitions ------------------------------------------------------------------------------


def _required(text: str, field_name: str, message: str) -> str:
    text = text.strip()
    if not text:
        raise DossierInvalid({field_name: message})
    return text


def _required_list(items: Sequence[str], field_name: str, message: str) -> list[str]:
    cleaned = [item.strip() for item in items if item.strip()]
    if not cleaned:
        raise DossierInvalid({field_name: message})
    return cleaned


def dossier_receive(*, actor: Any, dossier: Dossier, now: datetime.datetime | None = None, note: str = "") -> Dossier:
    """Tiếp nhận: the dossier gets its code and its due date (Giấy tiếp nhận hồ sơ và hẹn trả
    kết quả)."""

    def prepare(step: _Step) -> dict[str, Any]:
        unit = step.dossier.receiving_unit
        number = next_daily_number(unit, step.today)
        return {"code": rules.dossier_code(unit.code, step.today, number), "received_at": step.now}

    return _apply(Action.RECEIVE, actor=actor, dossier=dossier, now=now, prepare=prepare, note=note)


def dossier_refuse_intake(
    *, actor: Any, dossier: Dossier, reason: str, now: datetime.datetime | None = None
) -> Dossier:
    """Từ chối tiếp nhận, with the reason written on the refusal slip."""
    reason = _required(reason, "reason", _("Cần ghi lý do từ chối tiếp nhận."))
    return _apply(Action.REFUSE_INTAKE, actor=actor, dossier=dossier, now=now, note=reason, notice={"reason": reason})


def dossier_request_supplement(
    *, actor: Any, dossier: Dossier, missing: Sequence[str], note: str = "", now: datetime.datetime | None = None
) -> Dossier:
    """Yêu cầu bổ sung, hoàn thiện hồ sơ: ``missing`` lists exactly what is missing, so that the
    citizen is told everything at once. After reception it stops the clock and counts towards
    the index (more than one request: late)."""
    items = _required_list(missing, "missing", _("Cần liệt kê đầy đủ những giấy tờ, nội dung cần bổ sung."))

    def prepare(step: _Step) -> dict[str, Any]:
        if step.dossier.received_at is None:
            return {}
        return {"supplement_request_count": step.dossier.supplement_request_count + 1}

    return _apply(
        Action.REQUEST_SUPPLEMENT,
        actor=actor,
        dossier=dossier,
        now=now,
        prepare=prepare,
        note=note,
        details={"missing": items},
        notice={"missing": items},
    )


def dossier_supplement(
    *,
    actor: Any,
    dossier: Dossier,
    documents: Sequence[HandedDocument] = (),
    note: str = "",
    attachments: Sequence[Mapping[str, Any]] = (),
    now: datetime.datetime | None = None,
) -> Dossier:
    """Bổ sung hồ sơ, online by the citizen or at the counter: the clock runs again."""
    errors = _document_problems(dossier.procedure_version, documents)
    if errors:
        raise DossierInvalid(errors)

    def prepare(step: _Step) -> dict[str, Any]:
        _save_documents(step.dossier, documents)
        return {}

    return _apply(
        Action.SUPPLEMENT,
        actor=actor,
        dossier=dossier,
        now=now,
        prepare=prepare,
        note=note,
        attachments=attachments,
        details={"documents": [d.required_document for d in documents]},
    )


def _check_handler(dossier: Dossier, user: Any, today: datetime.date) -> None:
    """``user`` may take the dossier over: a processing officer or leader of its agency."""
    holds = user is not None and any(
        held.agency_id == dossier.processing_agency_id and held.role in rules.AGENCY_ROLES
        for held in memberships_held(user, on=today)
    )
    if not holds:
        raise DossierInvalid({"to": _("Người nhận không phải chuyên viên hoặc lãnh đạo của cơ quan giải quyết.")})


def dossier_assign(
    *, actor: Any, dossier: Dossier, to: Any = None, note: str = "", now: datetime.datetime | None = None
) -> Dossier:
    """Chuyển hồ sơ: the one-stop unit hands the received dossier to the processing agency, to
    one of its officers when ``to`` is given."""

    def prepare(step: _Step) -> dict[str, Any]:
        if to is not None:
            _check_handler(step.dossier, to, step.today)
        return {"assignee": to}

    return _apply(Action.ASSIGN, actor=actor, dossier=dossier, now=now, prepare=prepare, note=note)


def dossier_forward(
    *, actor: Any, dossier: Dossier, to: Any, note: str = "", now: datetime.datetime | None = None
) -> Dossier:
    """Chuyển bước: inside the processing agency, from officer to officer or to the leader."""

    def prepare(step: _Step) -> dict[str, Any]:
        _check_handler(step.dossier, to, step.today)
        return {"assignee": to}

    return _apply(Action.FORWARD, actor=actor, dossier=dossier, now=now, prepare=prepare, note=note)


def dossier_return_step(*, actor: Any, dossier: Dossier, reason: str, now: datetime.datetime | None = None) -> Dossier:
    """Trả lại bước trước, with the reason: the dossier goes back to whoever forwarded it to its
    current handler."""
    reason = _required(reason, "reason", _("Cần ghi lý do trả lại."))

    def prepare(step: _Step) -> dict[str, Any]:
        last = (
            DossierEvent.objects.filter(dossier=step.dossier, action=Action.FORWARD, handed_to=step.dossier.assignee_id)
            .select_related("actor")
            .order_by("-at", "-id")
            .first()
        )
        if last is None or last.actor is None:
            raise TransitionNotAllowed(
                Action.RETURN_STEP,
                State(step.dossier.state),
                _("Hồ sơ đang ở bước xử lý đầu tiên, không có bước trước."),
            )
        return {"assignee": last.actor}

    return _apply(Action.RETURN_STEP, actor=actor, dossier=dossier, now=now, prepare=prepare, note=reason)


def dossier_request_payment(
    *, actor: Any, dossier: Dossier, amount_vnd: int, note: str = "", now: datetime.datetime | None = None
) -> Dossier:
    """Yêu cầu thực hiện nghĩa vụ tài chính: the clock stops until the fees are paid."""
    if amount_vnd <= 0:
        raise DossierInvalid({"amount_vnd": _("Số tiền phải lớn hơn 0 đồng.")})
    return _apply(
        Action.REQUEST_PAYMENT,
        actor=actor,
        dossier=dossier,
        now=now,
        note=note,
        details={"amount_vnd": amount_vnd},
        notice={"amount_vnd": amount_vnd},
    )


def dossier_mark_paid(
    *,
    actor: Any,
    dossier: Dossier,
    receipt_number: str = "",
    now: datetime.datetime | None = None,
    system: SystemActor | None = None,
) -> Dossier:
    """Đã thực hiện nghĩa vụ tài chính: the clock runs again. Confirmed by an officer (paid at
    the counter), or by the payment platform for an online payment: ``actor=None,
    system=SystemActor(rules.PAYMENT_PLATFORM, "VNPay")``; the history then names the platform
    and no person."""
    return _apply(
        Action.MARK_PAID,
        actor=actor,
        dossier=dossier,
        now=now,
        details={"receipt_number": receipt_number.strip()},
        system=system,
    )


def dossier_withdraw(
    *, actor: Any, dossier: Dossier, reason: str = "", now: datetime.datetime | None = None
) -> Dossier:
    """Rút hồ sơ at the citizen's request, from any open state."""
    return _apply(Action.WITHDRAW, actor=actor, dossier=dossier, now=now, note=reason.strip())


def dossier_stop(*, actor: Any, dossier: Dossier, reason: str, now: datetime.datetime | None = None) -> Dossier:
    """Dừng xử lý, with the reason written on the stop notice."""
    reason = _required(reason, "reason", _("Cần ghi lý do dừng xử lý."))
    return _apply(Action.STOP, actor=actor, dossier=dossier, now=now, note=reason, notice={"reason": reason})


def dossier_approve(*, actor: Any, dossier: Dossier, note: str = "", now: datetime.datetime | None = None) -> Dossier:
    """Phê duyệt: the result is decided."""
    return _apply(
        Action.APPROVE,
        actor=actor,
        dossier=dossier,
        now=now,
        prepare=lambda step: {"outcome": Outcome.APPROVED},
        note=note,
    )


def dossier_refuse(
    *, actor: Any, dossier: Dossier, reasons: Sequence[str], now: datetime.datetime | None = None
) -> Dossier:
    """Từ chối giải quyết, with the reasons (Văn bản trả lời nêu rõ lý do)."""
    items = _required_list(reasons, "reasons", _("Cần nêu rõ lý do từ chối giải quyết."))
    return _apply(
        Action.REFUSE,
        actor=actor,
        dossier=dossier,
        now=now,
        prepare=lambda step: {"outcome": Outcome.REFUSED},
        details={"reasons": items},
        notice={"reasons": items},
    )


def dossier_extend(
    *, actor: Any, dossier: Dossier, new_due_on: datetime.date, apology: str, now: datetime.datetime | None = None
) -> Dossier:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả: once, at least one working day before the due
    date, to a later working day. ``original_due_on`` keeps the first date for statistics."""
    apology = _required(apology, "apology", _("Cần ghi lý do chậm trễ và lời xin lỗi."))

    def prepare(step: _Step) -> dict[str, Any]:
        current = step.dossier
        calendar = work_calendar()
        problem = rules.extension_problem(
            already_extended=current.extended,
            due=current.due_on,
            new_due=new_due_on,
            today=step.today,
            calendar=calendar,
        )
        if problem is not None:
            raise TransitionNotAllowed(Action.EXTEND, State(current.state), problem)
        assert current.due_on is not None
        return {"extended": True, "extension_days": calendar.working_days_between(current.due_on, new_due_on)}

    return _apply(
        Action.EXTEND,
        actor=actor,
        dossier=dossier,
        now=now,
        prepare=prepare,
        note=apology,
        details={
            "previous_due_on": dossier.due_on.isoformat() if dossier.due_on else None,
            "new_due_on": new_due_on.isoformat(),
        },
        notice={"new_due_on": new_due_on.isoformat(), "apology": apology},
    )


def dossier_result_ready(
    *, actor: Any, dossier: Dossier, note: str = "", now: datetime.datetime | None = None
) -> Dossier:
    """Kết quả đã có tại Bộ phận Một cửa (or in the citizen's data store): the citizen is told."""

    def prepare(step: _Step) -> dict[str, Any]:
        if step.dossier.result_ready_at is not None:
            raise TransitionNotAllowed(
                Action.RESULT_READY, State(step.dossier.state), _("Đã thông báo có kết quả cho hồ sơ này.")
            )
        return {"result_ready_at": step.now}

    return _apply(Action.RESULT_READY, actor=actor, dossier=dossier, now=now, prepare=prepare, note=note)


def dossier_return_result(
    *,
    actor: Any,
    dossier: Dossier,
    method: str,
    tracking_number: str = "",
    note: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """Trả kết quả: at the counter, by post (with the postal tracking number) or online."""
    if method not in ResultDelivery.values:
        raise DossierInvalid({"method": _("Hình thức trả kết quả không hợp lệ.")})
    tracking_number = tracking_number.strip()
    if method == ResultDelivery.POST and not tracking_number:
        raise DossierInvalid({"tracking_number": _("Cần ghi số hiệu bưu gửi khi trả kết quả qua bưu chính.")})
    return _apply(
        Action.RETURN_RESULT,
        actor=actor,
        dossier=dossier,
        now=now,
        prepare=lambda step: {
            "returned_at": step.now,
            "result_returned_by": method,
            "postal_tracking_number": tracking_number,
        },
        note=note,
        details={"method": method, "tracking_number": tracking_number},
        notice={"method": method, "tracking_number": tracking_number},
    )
