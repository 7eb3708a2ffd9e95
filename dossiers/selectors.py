"""Reads of dossiers: officers' work queues (scoped to their agencies), a citizen's own
dossiers, and the public tracking lookup. Lists run a fixed number of queries whatever their
length, and show the remaining working time of each dossier."""

from __future__ import annotations

import datetime
import hmac
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import ProcedureVersion
from catalog.selectors import catalog_token, public_versions
from common.text import fold
from org.models import AdministrativeUnit, Agency, OneStopUnit, UnitLevel
from org.permissions import is_superuser, memberships_held, owned
from workdays.calendar import WorkCalendar
from workdays.rules import remaining_working_days
from workdays.selectors import work_calendar

from .errors import DossierInvalid
from .models import ClockStop, Dossier, DossierEvent
from .rules import (
    AGENCY_ROLES,
    COUNTER,
    DUE_SOON_WORKING_DAYS,
    LEADER,
    PROCESSOR,
    UNIT_ROLES,
    WAITING_STATES,
    State,
    TimeLeft,
    national_status,
    time_left,
)


class Queue:
    """Hàng đợi công việc: which dossiers, for which capability, scoped where."""

    TO_RECEIVE = "to_receive"  # submitted or received, not yet handed to the agency
    TO_PROCESS = "to_process"  # in progress, assigned to me or to nobody yet
    TO_APPROVE = "to_approve"  # in progress, forwarded to me as leader
    TO_RETURN = "to_return"  # decided, the result to hand back
    WAITING = "waiting"  # waiting for the citizen (supplement, payment)

    ALL = (TO_RECEIVE, TO_PROCESS, TO_APPROVE, TO_RETURN, WAITING)


@dataclass(frozen=True)
class QueueItem:
    dossier: Dossier
    remaining_days: int | None  # working days until the due date; negative when overdue
    waiting_since: datetime.date | None  # the open clock stop, if the clock stands still
    time_left: TimeLeft  # the label that follows the state (rules.time_left)

    @property
    def overdue(self) -> bool:
        return self.remaining_days is not None and self.remaining_days < 0

    @property
    def overdue_days(self) -> int:
        return -self.remaining_days if self.remaining_days is not None and self.remaining_days < 0 else 0

    @property
    def due_soon(self) -> bool:
        return self.remaining_days is not None and 0 <= self.remaining_days <= DUE_SOON_WORKING_DAYS


@dataclass(frozen=True)
class Page:
    total: int
    items: list[QueueItem]


def _held(user: Any, roles: frozenset[str]) -> QuerySet[Dossier]:
    """The dossiers on which ``user`` holds one of ``roles`` today: the same rule as
    ``services`` applies to act on them (superusers see all; they act on none). The agencies and
    desks are named in the query, so that it runs on the queue indexes (a correlated EXISTS over
    the memberships read every dossier of the table)."""
    if is_superuser(user):
        return Dossier.objects.all()
    rows = [(agency, unit) for role, agency, unit in memberships_held(user) if role in roles]
    if not rows:
        return Dossier.objects.none()
    if not roles <= UNIT_ROLES:
        return Dossier.objects.filter(processing_agency__in=sorted({agency for agency, _unit in rows}))
    anywhere = sorted({agency for agency, unit in rows if unit is None})
    desks: dict[int, set[int]] = {}
    for agency, unit in rows:
        if unit is not None:
            desks.setdefault(unit, set()).add(agency)
    condition = Q(processing_agency__in=anywhere) if anywhere else Q(pk__in=[])
    for unit, agencies in sorted(desks.items()):
        condition |= Q(receiving_unit=unit, processing_agency__in=sorted(agencies))
    return Dossier.objects.filter(condition)


def queue_dossiers(user: Any, queue: str) -> QuerySet[Dossier]:
    """The dossiers of one of ``user``'s queues, unordered and unpaged."""
    if queue == Queue.TO_RECEIVE:
        return _held(user, frozenset({COUNTER})).filter(state__in=[State.SUBMITTED, State.RECEIVED])
    if queue == Queue.TO_RETURN:
        return _held(user, frozenset({COUNTER})).filter(state=State.DONE)
    if queue == Queue.TO_PROCESS:
        return _held(user, frozenset({PROCESSOR})).filter(
            Q(assignee=user) | Q(assignee__isnull=True), state=State.IN_PROGRESS
        )
    if queue == Queue.TO_APPROVE:
        return _held(user, frozenset({LEADER})).filter(assignee=user, state=State.IN_PROGRESS)
    if queue == Queue.WAITING:
        mine = _held(user, frozenset({COUNTER})) | _held(user, AGENCY_ROLES)
        return mine.filter(state__in=WAITING_STATES)
    raise ValueError(f"unknown queue {queue!r}")


def _with_clock(queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
    open_stop = ClockStop.objects.filter(dossier=OuterRef("pk"), ended_on__isnull=True).values("started_on")[:1]
    return queryset.select_related(
        "procedure_version", "procedure_version__procedure", "receiving_unit", "processing_agency", "assignee"
    ).annotate(waiting_since=Subquery(open_stop))


def _item(dossier: Dossier, today: datetime.date, calendar: WorkCalendar) -> QueueItem:
    waiting_since: datetime.date | None = getattr(dossier, "waiting_since", None)
    remaining = None
    finished = dossier.finished_at is not None and dossier.state in (State.DONE, State.RETURNED)
    if dossier.due_on is not None and not finished:
        # While the clock stands still the time left is what it was when it stopped.
        remaining = remaining_working_days(dossier.due_on, waiting_since or today, calendar)
    label = time_left(
        state=dossier.state,
        received=dossier.received_at is not None,
        due_on=dossier.due_on,
        finished_on=timezone.localdate(dossier.finished_at) if dossier.finished_at is not None else None,
        waiting_since=waiting_since,
        today=today,
        calendar=calendar,
    )
    return QueueItem(dossier, remaining, waiting_since, label)


def _page(queryset: QuerySet[Dossier], *, limit: int, offset: int, today: datetime.date | None) -> Page:
    total = queryset.count()
    rows = list(_with_clock(queryset)[offset : offset + limit]) if total > offset else []
    calendar = work_calendar() if rows else WorkCalendar()
    day = today or timezone.localdate()
    return Page(total, [_item(row, day, calendar) for row in rows])


@dataclass(frozen=True)
class QueueFilter:
    """Bộ lọc hàng đợi: a procedure code, a state, and a search for a dossier code or the
    applicant's name (typed with or without diacritics: ``common.text.fold``)."""

    procedure: str = ""
    state: str = ""
    search: str = ""


def _filtered(queryset: QuerySet[Dossier], filters: QueueFilter | None) -> QuerySet[Dossier]:
    if filters is None:
        return queryset
    if filters.procedure:
        queryset = queryset.filter(procedure_version__procedure__code=filters.procedure)
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    text = filters.search.strip()
    if text:
        folded = fold(text)
        by_name = Q(applicant_folded__contains=folded) if folded else Q(pk__in=[])
        queryset = queryset.filter(Q(code__icontains=text) | by_name)
    return queryset


def officer_queue(
    *,
    user: Any,
    queue: str,
    limit: int = 20,
    offset: int = 0,
    today: datetime.date | None = None,
    filters: QueueFilter | None = None,
) -> Page:
    """One page of an officer's queue, the least time left first (the due date orders dossiers as
    their remaining working days would), dossiers without a due date last."""
    queryset = _filtered(queue_dossiers(user, queue), filters).order_by(
        F("due_on").asc(nulls_last=True), "received_at", "submitted_at", "id"
    )
    return _page(queryset, limit=limit, offset=offset, today=today)


def queue_counts(*, user: Any) -> dict[str, int]:
    """How many dossiers wait in each of the officer's queues (the dashboard)."""
    return {queue: queue_dossiers(user, queue).count() for queue in Queue.ALL}


def citizen_dossiers(*, user: Any, limit: int = 20, offset: int = 0, today: datetime.date | None = None) -> Page:
    """Hồ sơ của tôi: the citizen's own dossiers, newest first."""
    queryset = owned(Dossier.objects.all(), user, owner_field="applicant").order_by("-created_at", "-id")
    return _page(queryset, limit=limit, offset=offset, today=today)


# --- Submission ------------------------------------------------------------------------------


Place = tuple[ProcedureVersion, Agency, OneStopUnit]
# The places found, in this process, under the catalog's revision token and the day: any write to
# the catalog or to the agencies and one-stop units gives a new token (``catalog_revision_bump``,
# also sent by ``catalog.apps`` on a change of an agency or unit), so a place is never used after a
# change. The objects are shared: nothing may change them.
_places: dict[tuple[str, datetime.date, str, str | None, str | None], Place] = {}


def submission_place(*, procedure: str, agency: str | None, unit: str | None) -> Place:
    """The public version of a procedure, the agency that will process the dossier and the
    one-stop unit that receives it, from their codes; either may be left out when there is only
    one choice. ``DossierInvalid`` says what is missing or wrong. Kept per catalog revision when
    ``settings.SUBMISSION_PLACE_CACHE`` is on (one small query instead of three)."""
    if not settings.SUBMISSION_PLACE_CACHE:
        return _submission_place(procedure=procedure, agency=agency, unit=unit)
    key = (catalog_token(), timezone.localdate(), procedure, agency, unit)
    place = _places.get(key)
    if place is None:
        place = _submission_place(procedure=procedure, agency=agency, unit=unit)
        if len(_places) >= 2000:
            _places.clear()
        _places[key] = place
    return place


def _submission_place(*, procedure: str, agency: str | None, unit: str | None) -> Place:
    version = public_versions().filter(procedure__code=procedure).select_related("procedure", "decision").first()
    if version is None:
        raise DossierInvalid({"procedure": _("Không có thủ tục công khai mã %(code)s.") % {"code": procedure}})
    agencies = Agency.objects.filter(catalog_roles__versions=version, is_active=True).distinct().order_by("code")
    if agency is not None:
        agencies = agencies.filter(code=agency)
    found = list(agencies[:2])
    if len(found) != 1:
        problem = _("Cần chọn cơ quan giải quyết.") if len(found) > 1 else _("Cơ quan này không giải quyết thủ tục.")
        raise DossierInvalid({"agency": problem})
    units = OneStopUnit.objects.filter(served_agencies=found[0]).order_by("code")
    if unit is not None:
        units = units.filter(code=unit)
    places = list(units[:2])
    if len(places) != 1:
        problem = _("Cần chọn nơi tiếp nhận.") if len(places) > 1 else _("Nơi này không tiếp nhận hồ sơ của cơ quan.")
        raise DossierInvalid({"unit": problem})
    return version, found[0], places[0]


# --- Public tracking --------------------------------------------------------------------------


@dataclass(frozen=True)
class TrackingView:
    """What anyone holding the code and the check value may see: status and dates, never the
    applicant."""

    code: str
    procedure: str
    status: State
    national_status: int | None
    received_at: datetime.datetime | None
    due_date: datetime.date | None
    finished_at: datetime.datetime | None
    history: list[tuple[State, datetime.datetime]]


_CHECK = re.compile(r"[0-9]{4}")
_DUMMY_CHECK = "\x00" * 4


def _check_values(dossier: Dossier | None) -> tuple[str, str]:
    """The two accepted check values (never empty: an empty check value must match nothing)."""
    if dossier is None:
        return _DUMMY_CHECK, _DUMMY_CHECK
    by_id, by_phone = dossier.applicant_personal_id[-4:], dossier.applicant_phone[-4:]
    return (by_id if len(by_id) == 4 else _DUMMY_CHECK), (by_phone if len(by_phone) == 4 else _DUMMY_CHECK)


def dossier_track(*, code: str, check: str) -> TrackingView | None:
    """The public status of the dossier with this code, if ``check`` is the last four digits of
    the applicant's identification or phone number; None otherwise. An unknown code and a wrong
    check value take the same path and run the same two queries, so that the answer and its
    timing do not tell which it was."""
    found = (
        Dossier.objects.filter(code=code)  # unique: no ORDER BY
        .order_by()
        .select_related("procedure_version")
        .only(
            "code",
            "state",
            "received_at",
            "due_on",
            "finished_at",
            "applicant_personal_id",
            "applicant_phone",
            "procedure_version__name",
        )[:1]
    )
    dossier = next(iter(found), None)
    by_id, by_phone = _check_values(dossier)
    given = check.encode()[:16]
    matches = hmac.compare_digest(given, by_id.encode()) | hmac.compare_digest(given, by_phone.encode())
    matches &= _CHECK.fullmatch(check) is not None
    # Run for an unknown code too (no row has id 0), so both answers cost the same.
    changes = DossierEvent.objects.filter(dossier_id=dossier.pk if dossier is not None else 0).exclude(
        from_state=F("to_state")
    )
    history = [(State(state), at) for state, at in changes.order_by("at", "id").values_list("to_state", "at")]
    if dossier is None or not matches:
        return None
    return TrackingView(
        code=code,
        procedure=dossier.procedure_version.name,
        status=State(dossier.state),
        national_status=national_status(dossier.state),
        received_at=dossier.received_at,
        due_date=dossier.due_on,
        finished_at=dossier.finished_at,
        history=history,
    )


# --- The citizen's side ----------------------------------------------------------------------


def submission_places(*, version: ProcedureVersion) -> list[tuple[Agency, OneStopUnit]]:
    """Where a dossier of ``version`` may be submitted online: each active agency that processes
    it, with each one-stop unit that receives its dossiers, in two queries."""
    agencies = list(Agency.objects.filter(catalog_roles__versions=version, is_active=True).distinct().order_by("code"))
    units = (
        OneStopUnit.objects.filter(served_agencies__in=agencies).annotate(served=F("served_agencies")).order_by("code")
    )
    by_agency: dict[int, list[OneStopUnit]] = {}
    for unit in units:
        by_agency.setdefault(unit.served, []).append(unit)  # type: ignore[attr-defined]
    return [(agency, unit) for agency in agencies for unit in by_agency.get(agency.pk, [])]


def citizen_submitted_dossiers(
    *, user: Any, limit: int = 20, offset: int = 0, today: datetime.date | None = None
) -> Page:
    """Hồ sơ đã nộp: the citizen's dossiers without the drafts, the last submitted first."""
    queryset = (
        owned(Dossier.objects.all(), user, owner_field="applicant")
        .exclude(state=State.DRAFT)
        .order_by(F("submitted_at").desc(nulls_last=True), "-id")
    )
    return _page(queryset, limit=limit, offset=offset, today=today)


def citizen_drafts(*, user: Any, limit: int = 20) -> list[Dossier]:
    """Bản nháp: the citizen's unsubmitted dossiers, the last edited first."""
    return list(
        owned(Dossier.objects.all(), user, owner_field="applicant")
        .filter(state=State.DRAFT)
        .select_related("procedure_version", "procedure_version__procedure")
        .order_by("-updated_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class CitizenRequest:
    """What the administration asks of the citizen while the clock stands still: the documents
    to supplement, or the fees to pay."""

    action: str  # Action.REQUEST_SUPPLEMENT or Action.REQUEST_PAYMENT
    at: datetime.datetime
    missing: list[str]
    note: str
    amount_vnd: int | None
    fee: dict[str, Any] | None = None  # the assessment asked for (payments.rules.Assessment.as_dict)


def citizen_requests(*, dossiers: list[Dossier]) -> dict[int, CitizenRequest]:
    """The open request of each waiting dossier (supplement or payment), in one query."""
    waiting = [d.pk for d in dossiers if d.state in WAITING_STATES]
    if not waiting:
        return {}
    events = DossierEvent.objects.filter(
        dossier_id__in=waiting, action__in=["request_supplement", "request_payment"]
    ).order_by("dossier_id", "at", "id")
    found: dict[int, CitizenRequest] = {}
    for event in events.only("dossier_id", "action", "at", "note", "details"):
        found[event.dossier_id] = CitizenRequest(
            action=event.action,
            at=event.at,
            missing=[str(item) for item in event.details.get("missing", [])],
            note=event.note,
            amount_vnd=event.details.get("amount_vnd"),
            fee=event.details.get("fee") if isinstance(event.details.get("fee"), dict) else None,
        )
    return found


def citizen_timeline(*, dossier: Dossier) -> list[DossierEvent]:
    """The dossier's history in order, for the citizen's timeline (what they see of each step is
    worded by the page; officers' names are not shown)."""
    return list(DossierEvent.objects.filter(dossier=dossier).order_by("at", "id"))


# --- Postal delivery of results ------------------------------------------------------------------


@dataclass(frozen=True)
class Commune:
    """A commune (xã, phường, đặc khu) in force, to choose where a result is sent by post."""

    code: str
    name: str
    province: str


def postal_communes(*, today: datetime.date | None = None) -> list[Commune]:
    """The communes in force ``today``, by province then name (one query)."""
    day = today or timezone.localdate()
    units = (
        AdministrativeUnit.valid_on(day)
        .filter(level=UnitLevel.COMMUNE)
        .select_related("parent")
        .order_by("parent__name", "name", "code")
    )
    return [Commune(u.code, u.name, u.parent.name if u.parent is not None else "") for u in units]
