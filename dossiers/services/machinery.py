"""The transition machinery: every transition of the lifecycle (DESIGN.md) is one atomic call of
``_apply`` that

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
6. writes the citizen's notifications to the outbox in the same transaction
   (``notifications.notify``: delivered once it commits).

The caller passes the dossier it read; its ``version`` is the expected one, so two officers who
opened the same dossier and act at once cannot both succeed. A caller that has just read the
dossier with ``read_for_transition`` passes ``expected_version`` (the version the officer saw)
instead, and the transition starts from that read. Each function returns the dossier as
it is after the transition.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone, translation

from common.prepared import Prepared
from common.sequences import next_number
from common.tasks import enqueue_on_commit
from common.transactions import inner_atomic
from org.models import OneStopUnit
from org.permissions import memberships_held
from workdays.calendar import WorkCalendar
from workdays.rules import ClockStop as Span
from workdays.rules import due_date
from workdays.selectors import work_calendar

from .. import rules
from ..errors import ActionForbidden, DossierChanged, TransitionNotAllowed
from ..models import (
    ClockStop,
    DailySequence,
    Dossier,
    DossierEvent,
    StopReason,
)
from ..rules import APPLICANT, Action, Clock, State
from ..signals import dossier_transitioned
from ..slips.store import SLIP_ACTIONS
from ..tasks import store_slip
from .notifications import _write_notifications

# What a transition reads with the dossier: the processing time and the procedure's name, the
# unit that gives the code, the applicant the notifications go to; not the dossier's form (all of
# its JSON to decode). Other apps' columns are read whole: naming them here would tie this read
# to their models (measured: deferring them saved about 3 % of a reception's CPU).
_TRANSITION_RELATED = ("procedure_version", "receiving_unit", "applicant")
_TRANSITION_DEFERRED = ("form_data",)


def _transition_read(**lookup: Any) -> QuerySet[Dossier]:
    return Dossier.objects.select_related(*_TRANSITION_RELATED).defer(*_TRANSITION_DEFERRED).filter(**lookup).order_by()


# Every action reads its dossier so: built by the ORM once (common.prepared). A unique lookup,
# with no ORDER BY to plan.
_read_by_pk = Prepared(lambda pk: _transition_read(pk=pk), examples=(-987654321,))
_read_by_code = Prepared(lambda code: _transition_read(code=code), examples=("\x00",))


def read_for_transition(*, pk: int | None = None, code: str | None = None) -> Dossier | None:
    """The dossier with ``pk`` (or ``code``), read with what a transition needs. A transition
    given it with ``expected_version`` (the version the caller saw) starts from this read instead
    of reading it again. That is as safe as a second read: the transition claims the dossier by
    its version, so a change made in between answers ``DossierChanged`` all the same. Whether the
    reader may open it is the caller's to check."""
    if code is None and not 0 < (pk or 0) < 2**63:
        return None  # no such id (and none the database could be asked for)
    found = _read_by_pk.objects(pk) if code is None else _read_by_code.objects(code)
    return found[0] if found else None


def _load(dossier: Dossier, expected_version: int | None) -> Dossier:
    """The dossier as stored, if it is still the version the caller saw. With
    ``expected_version``, ``dossier`` is the caller's instance as it has just read it
    (``read_for_transition``) and ``expected_version`` the version the caller saw; without it,
    ``dossier.version`` is the version the caller saw and the dossier is read again."""
    if expected_version is not None:
        if dossier.version != expected_version:
            raise DossierChanged
        return dossier
    found = _read_by_pk.objects(dossier.pk)
    if not found:
        raise Dossier.DoesNotExist
    current: Dossier = found[0]
    if current.version != dossier.version:
        raise DossierChanged
    return current


def next_daily_number(unit: OneStopUnit, day: datetime.date) -> int:
    """The unit's next number of the day, inside the caller's transaction (``common.sequences``:
    one statement; the unit's row for the day stays locked until the caller commits), so
    concurrent submissions get consecutive numbers, and a rolled-back submission gives its number
    back instead of leaving a gap."""
    return next_number(DailySequence, unit=unit.pk, day=day)


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
    """``due_on`` and ``original_due_on`` from reception, the processing time of the channel the
    dossier came by (or the one the counter set: ``Dossier.processing_days``), clock stops and the
    extension (which moves only ``due_on``)."""
    days = dossier.processing_days()
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
    expected_version: int | None = None,
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
        current = _load(dossier, expected_version)
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
        if rules.gives_code(action, has_code=bool(current.code)):
            # Mã hồ sơ at submission (the receiving unit's number of the day), kept from then on.
            unit = current.receiving_unit
            values["code"] = rules.dossier_code(unit.code, today, next_daily_number(unit, today))
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
        if action in SLIP_ACTIONS:
            # Recorded with the transition itself: a web process dying after the commit cannot
            # lose the citizen's slip (the local cluster found that loss when it was asked later).
            enqueue_on_commit(store_slip, event.pk)
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
