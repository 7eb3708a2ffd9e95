"""Reads for the officers' side: the dossiers an officer may open, the roles they act in, the
people a dossier may be handed to, the procedure's processing steps, and the procedures the
counter registers. Queues themselves are in ``selectors``."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone

from catalog.models import ProcedureVersion
from catalog.search import search
from catalog.selectors import catalog_token, public_versions
from documents.models import DossierFile, Purpose
from org.models import Agency, Membership, Role
from org.permissions import agencies_of, capabilities_of, has_capability, memberships_held, scope
from workdays.calendar import WorkCalendar
from workdays.selectors import work_calendar

from .models import ClockStop, Dossier, DossierEvent, ProcessingStep
from .routing import Step, steps_or_default
from .rules import AGENCY_ROLES, COUNTER, UNIT_ROLES
from .selectors import QueueItem, _item

QUEUE_PROCEDURES_SECONDS = 3600
# What lets an officer open a dossier: in the list, one by one, and for the queues' filters alike.
_OPEN = "dossier.view"


def officer_dossiers(user: Any) -> QuerySet[Dossier]:
    """The dossiers an officer may open, with what the dossier's page shows: those processed by
    their agencies (the same scope as the slips and the admin); another agency's answer 404."""
    dossiers = Dossier.objects.select_related(
        "procedure_version",
        "procedure_version__procedure",
        "receiving_unit",
        "processing_agency",
        "assignee",
        "applicant",
        "postal_commune__parent",
    )
    return scope(dossiers, user, agency_field="processing_agency", capability=_OPEN)


def may_open(user: Any, dossier: Dossier) -> bool:
    """Whether ``user`` may open ``dossier``, already read: the rule of ``officer_dossiers`` for
    one dossier (its processing agency is one of the officer's), without a query of its own."""
    return has_capability(user, _OPEN, dossier.processing_agency_id)


def dossier_files(dossier: Dossier) -> dict[int | None, list[DossierFile]]:
    """The files the citizen (or the counter) gave with the dossier, current ones only, by the
    required document they fill (None: not tied to one); results are not among them. Each opens
    through ``documents:dossier_file``, which checks who asks."""
    files: dict[int | None, list[DossierFile]] = {}
    rows = (
        DossierFile.objects.filter(dossier=dossier, replaced_at__isnull=True)
        .exclude(purpose=Purpose.RESULT)
        .order_by("id")
    )
    for row in rows:
        files.setdefault(row.required_document_id, []).append(row)
    return files


# The officer pages next to a dossier's, and the capability each asks in its processing agency
# (documents.views.digitize, payments.views.counter_payment, results.views.draft): a link is
# shown only to who may open it.
RELATED_PAGES = (
    ("documents:digitize", "dossier.receive"),
    ("payments:counter_payment", "dossier.receive"),
    ("results:draft", "dossier.process"),
)


def related_pages(user: Any, dossier: Dossier) -> frozenset[str]:
    """The names of the related officer pages ``user`` may open for ``dossier``."""
    held = capabilities_of(user, dossier.processing_agency_id)
    return frozenset(name for name, capability in RELATED_PAGES if capability in held)


def roles_today(user: Any) -> set[str]:
    """The roles ``user`` holds in force today, in any agency (read once per request)."""
    return {role for role, _agency, _unit in memberships_held(user)}


def queue_procedures(user: Any) -> list[tuple[str, str]]:
    """The procedures an officer may filter their queues by (code and name): the public ones of
    their agencies. Kept in the cache under the catalog's revision, the day (a procedure becomes
    public on its decision's date) and the officer's memberships, so that a change to any of
    them is seen on the next page."""
    memberships = sorted(memberships_held(user), key=str)
    fingerprint = hashlib.sha256(repr((user.pk, memberships)).encode()).hexdigest()[:24]
    key = f"dossiers:queue-procedures:{catalog_token()}:{timezone.localdate()}:{fingerprint}"
    found = cache.get(key)
    if found is None:
        found = list(
            public_versions()
            .filter(agencies__agencies__in=agencies_of(user, _OPEN))
            .values_list("procedure__code", "name")
            .distinct()
            .order_by("procedure__code")
        )
        cache.set(key, found, QUEUE_PROCEDURES_SECONDS)
    return found


def acting_roles(user: Any, dossier: Dossier, *, on: datetime.date | None = None) -> frozenset[str]:
    """The staff roles in which ``user`` may act on ``dossier`` today: the rule of
    ``services._acting_role`` (roles in the processing agency; counter officers bound to a
    one-stop unit only at the receiving one)."""
    return frozenset(
        held.role
        for held in memberships_held(user, on=on)
        if held.agency_id == dossier.processing_agency_id
        and (
            held.role in AGENCY_ROLES
            or (held.role in UNIT_ROLES and held.one_stop_unit_id in (None, dossier.receiving_unit_id))
        )
    )


@dataclass(frozen=True)
class Handler:
    """Someone a dossier may be handed to inside its processing agency."""

    user: Any
    role: str

    @property
    def label(self) -> str:
        return f"{self.user} — {Role(self.role).label}"


def agency_handlers(dossier: Dossier, *, on: datetime.date | None = None) -> list[Handler]:
    """The processing officers and leaders of the dossier's agency today, one query."""
    day = on or timezone.localdate()
    memberships = (
        Membership.objects.filter(
            agency=dossier.processing_agency_id, role__in=AGENCY_ROLES, valid_from__lte=day, user__is_active=True
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .select_related("user")
        .order_by("role", "user__full_name", "user_id")
    )
    return [Handler(m.user, m.role) for m in memberships]


def procedure_steps(procedure_id: int) -> tuple[Step, ...]:
    """The processing steps configured for the procedure, or the default ones."""
    configured = [
        Step(order, name, role)
        for order, name, role in ProcessingStep.objects.filter(procedure_id=procedure_id).values_list(
            "order", "name", "role"
        )
    ]
    return steps_or_default(configured)


def dossier_history(dossier: Dossier) -> list[DossierEvent]:
    """The dossier's history, oldest first, with who acted and to whom it was handed."""
    return list(dossier.events.select_related("actor", "handed_to").order_by("at", "id"))


def dossier_remaining(dossier: Dossier, *, today: datetime.date | None = None) -> QueueItem:
    """The remaining working time of one dossier, as a queue row shows it."""
    open_stop = (
        ClockStop.objects.filter(dossier=dossier, ended_on__isnull=True).values_list("started_on", flat=True).first()
    )
    dossier.waiting_since = open_stop  # type: ignore[attr-defined]
    calendar = work_calendar() if dossier.due_on is not None else WorkCalendar()
    return _item(dossier, today or timezone.localdate(), calendar)


def _counter_versions(user: Any) -> QuerySet[ProcedureVersion]:
    counters = sorted({held.agency_id for held in memberships_held(user) if held.role == COUNTER})
    agencies = Agency.objects.filter(pk__in=counters, is_active=True)
    return public_versions().filter(agencies__agencies__in=agencies).distinct().select_related("procedure")


def counter_procedure(user: Any, code: str) -> ProcedureVersion | None:
    """The public version of the procedure ``code``, if an agency where ``user`` is a counter
    officer processes it."""
    return _counter_versions(user).filter(procedure__code=code).first()


def counter_procedures(user: Any, query: str = "", *, limit: int = 30) -> list[ProcedureVersion]:
    """Public procedures that the agencies where ``user`` is a counter officer process, for the
    counter's registration: matching ``query`` (the catalog's search: codes, diacritics, typos)
    or, without one, the most used."""
    versions = _counter_versions(user)
    if not query.strip():
        return list(versions.order_by("-procedure__popularity", "procedure__code")[:limit])
    hits = [hit.version_id for hit in search(query)[: limit * 4]]
    found = {version.pk: version for version in versions.filter(pk__in=hits)}
    return [found[pk] for pk in hits if pk in found][:limit]
