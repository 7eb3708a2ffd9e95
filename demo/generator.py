"""Sinh dữ liệu hồ sơ mẫu: a realistic year of a province's one-stop shop over the real procedures,
agencies and one-stop units of the demo, for demonstrations and benchmarks (``manage.py
generate_dossiers``). It lives in the ``demo`` app, above the domain apps: no domain app imports it.

Each dossier is first planned as a timeline of transitions (who, when, why), then replayed
through the rules that ``dossiers.services`` applies (``rules.TRANSITIONS``, the clock, the
due dates of ``workdays.rules``), so the stored history, clock stops, due dates and states are
what the services would have written. Events after ``now`` are left out: the dossiers of the last
days are still open. Codes are given at submission (``dossiers.rules.gives_code``), numbered per
one-stop unit and day in order of submission, after the unit's ``DailySequence`` of that day, which
is moved on in the same transaction; generating again adds on top and later submissions continue
the sequence.

Rows are written with ``bulk_create``, one transaction per batch of whole days, so that a
million dossiers take minutes. The same seed over the same database gives the same dossiers.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import OperationalError, connection, models, transaction
from django.utils import timezone

from catalog.models import OnlineLevel, ProcedureVersion
from catalog.rules import working_days_for
from common.text import fold
from dossiers import rules
from dossiers.models import ClockStop, DailySequence, Dossier, DossierDocument, DossierEvent, Handed, StopReason
from dossiers.rules import APPLICANT, COUNTER, LEADER, PROCESSOR, Action, Channel, Clock, Outcome, ResultDelivery, State
from org.models import Agency, Membership, OneStopUnit
from payments.models import Method as PaymentMethod
from payments.models import Payment
from payments.models import State as PaymentState
from workdays.calendar import WorkCalendar
from workdays.rules import ClockStop as Span
from workdays.rules import counting_day, due_date, timeliness
from workdays.selectors import work_calendar

# Giờ làm việc: 07:00–11:30 and 13:30–17:00, as the demo one-stop units announce.
MORNING = (7 * 60, 11 * 60 + 30)
AFTERNOON = (13 * 60 + 30, 17 * 60)
OFFICE_MINUTES = (MORNING[1] - MORNING[0]) + (AFTERNOON[1] - AFTERNOON[0])
MAX_DOCUMENTS = 3
DEFAULT_BATCH = 2000
_TZ = ZoneInfo(settings.TIME_ZONE)


def _day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(_TZ).date()


# --- Working days, indexed ---------------------------------------------------------------------


class IndexedCalendar(WorkCalendar):
    """The real calendar with its working days of a few years listed once, so that the millions
    of due-date computations of a large run are look-ups. Outside the listed span it answers
    as ``WorkCalendar`` does."""

    _days: list[datetime.date]
    _set: frozenset[datetime.date]
    _first: datetime.date
    _last: datetime.date

    def __init__(self, base: WorkCalendar, first: datetime.date, last: datetime.date) -> None:
        super().__init__(base.days_off, base.makeup_days, base.official_years)
        days = []
        day = first
        while day <= last:
            if super().is_working_day(day):
                days.append(day)
            day += datetime.timedelta(days=1)
        object.__setattr__(self, "_days", days)
        object.__setattr__(self, "_set", frozenset(days))
        object.__setattr__(self, "_first", first)
        object.__setattr__(self, "_last", last)

    def _covers(self, *days: datetime.date) -> bool:
        return all(self._first <= day <= self._last for day in days)

    def is_working_day(self, day: datetime.date) -> bool:
        if self._covers(day):
            return day in self._set
        return super().is_working_day(day)

    def next_working_day(self, day: datetime.date) -> datetime.date:
        index = bisect.bisect_right(self._days, day)
        if self._covers(day) and index < len(self._days):
            return self._days[index]
        return super().next_working_day(day)

    def add_working_days(self, day: datetime.date, count: int) -> datetime.date:
        if count <= 0:
            return super().add_working_days(day, count)
        index = bisect.bisect_right(self._days, day) + count - 1
        if self._covers(day) and index < len(self._days):
            return self._days[index]
        return super().add_working_days(day, count)

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        if not self._covers(start, end):
            return super().working_days_between(start, end)
        if end < start:
            return -self.working_days_between(end, start)
        return bisect.bisect_right(self._days, end) - bisect.bisect_right(self._days, start)

    @property
    def working_days(self) -> list[datetime.date]:
        return self._days


# --- What the dossiers are drawn from ----------------------------------------------------------


@dataclass(frozen=True)
class Person:
    id: int
    label: str
    name: str = ""
    personal_id: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class Place:
    """An agency that processes a procedure, with the one-stop units that receive for it."""

    agency_id: int
    units: tuple[int, ...]


@dataclass(frozen=True)
class ProcedureChoice:
    version_id: int
    name: str
    processing_days: int | None
    days_by_channel: dict[str, int]
    online: bool
    counter: bool
    postal: bool
    fee_vnd: int
    documents: tuple[tuple[int, int, int], ...]  # (id, originals, copies)
    places: tuple[Place, ...]


@dataclass
class Context:
    procedures: list[ProcedureChoice]
    cumulative_weights: list[float]
    online_share: float  # chance that a dossier of a procedure open online is sent online
    counters: dict[tuple[int, int], list[Person]]  # (unit, agency) -> counter officers
    processors: dict[int, list[Person]]
    leaders: dict[int, list[Person]]
    citizens: list[Person]
    unit_codes: dict[int, str]


FAMILY_NAMES = (
    ["Nguyễn"] * 8
    + ["Trần"] * 3
    + ["Lê"] * 2
    + [
        "Phạm",
        "Hoàng",
        "Huỳnh",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
    ]
)
MIDDLE_NAMES = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Hoài", "Gia", "Xuân", "Kim"]
GIVEN_NAMES = [
    "An",
    "Bình",
    "Châu",
    "Cường",
    "Dũng",
    "Duyên",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Minh",
    "Nam",
    "Nga",
    "Nhung",
    "Phong",
    "Phúc",
    "Phương",
    "Quân",
    "Quang",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Trang",
    "Trung",
    "Tuấn",
    "Vân",
    "Việt",
    "Yến",
]
STREETS = [
    "Trần Phú",
    "Lê Thánh Tôn",
    "Thống Nhất",
    "Yersinia",
    "Nguyễn Thiện Thuật",
    "Hùng Vương",
    "2 Tháng 4",
    "Lê Hồng Phong",
    "Phạm Văn Đồng",
    "Hoàng Văn Thụ",
    "Nguyễn Trãi",
    "Quang Trung",
]
WARDS = ["phường Nha Trang", "phường Bắc Nha Trang", "phường Nam Nha Trang", "xã Cam Lâm", "phường Cam Ranh"]
COMPANIES = ["Công ty TNHH Thương mại Biển Xanh", "Công ty Cổ phần Du lịch Vịnh Ngọc", "Hợp tác xã Nông nghiệp Diên An"]
MISSING = [
    "Bản sao giấy khai sinh",
    "Tờ khai ký chưa đúng mẫu",
    "Ảnh 4x6 chụp trong vòng 6 tháng",
    "Bản sao chứng thực giấy tờ nhà đất",
    "Văn bản ủy quyền có chứng thực",
    "Sơ đồ vị trí thửa đất",
]
REFUSE_INTAKE = [
    "Thủ tục không thuộc thẩm quyền giải quyết của cơ quan",
    "Hồ sơ đã được giải quyết trước đây",
    "Người nộp không đủ điều kiện theo quy định",
]
REFUSE = ["Không đủ điều kiện theo quy định", "Kết quả thẩm định thực địa không phù hợp"]
STOP = ["Người nộp không bổ sung hồ sơ trong thời hạn", "Người nộp đề nghị dừng giải quyết"]
WITHDRAW = ["Không còn nhu cầu", "Nộp nhầm thủ tục", "Cần chuẩn bị lại hồ sơ"]
RETURN_STEP = ["Dự thảo kết quả cần chỉnh sửa", "Cần làm rõ ý kiến thẩm định"]
EXTEND = ["Cần xác minh thêm với cơ quan liên quan; thành thật xin lỗi ông/bà."]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"


def _phone(rng: random.Random) -> str:
    return (
        rng.choice(["090", "091", "093", "097", "098", "035", "038", "070", "079", "085"])
        + f"{rng.randrange(10**7):07d}"
    )


def _personal_id(rng: random.Random, serial: int) -> str:
    """Số định danh cá nhân in the official shape: province of birth (056: Khánh Hòa), century
    and sex, year of birth, then six digits (here the serial, which keeps them distinct)."""
    born = rng.randrange(1950, 2006)
    century_sex = (0 if born < 2000 else 2) + rng.randrange(2)
    return f"056{century_sex}{born % 100:02d}{serial % 10**6:06d}"


def _address(rng: random.Random) -> str:
    return f"{rng.randrange(1, 300)} {rng.choice(STREETS)}, {rng.choice(WARDS)}, tỉnh Khánh Hòa"


# --- Set-up: staff and citizens ----------------------------------------------------------------

CITIZEN_PREFIX = "hs-congdan-"
OFFICER_PREFIX = "hs-canbo-"


def _ensure_member(user: Any, agency_id: int, role: str, unit_id: int | None, since: datetime.date) -> None:
    membership = Membership.objects.filter(user=user, agency_id=agency_id, role=role).first()
    if membership is None:
        Membership.objects.create(
            user=user, agency_id=agency_id, role=role, one_stop_unit_id=unit_id, valid_from=since, valid_to=None
        )


def _staff_user(username: str, rng: random.Random) -> Any:
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model.objects.create(
            username=username,
            full_name=_name(rng),
            kind="officer",
            email=f"{username}@motcua.example",
            password=make_password(None),
        )
    return user


def _ensure_staff(places: set[tuple[int, int]], since: datetime.date, rng: random.Random) -> None:
    """Every (unit, agency) gets counter officers and every agency processing officers and a
    leader: the demo's officers where they hold the role, generated accounts (no password) elsewhere."""
    units = {unit for unit, _agency in places}
    agencies = {agency for _unit, agency in places}
    codes = dict(OneStopUnit.objects.filter(pk__in=units).values_list("pk", "code"))
    agency_codes = dict(Agency.objects.filter(pk__in=agencies).values_list("pk", "code"))
    covered = set(Membership.objects.filter(role=COUNTER, agency__in=agencies).values_list("one_stop_unit", "agency"))
    for unit in sorted(units):
        served = sorted(a for u, a in places if u == unit)
        if all((unit, a) in covered or (None, a) in covered for a in served):
            continue
        for n in (1, 2):
            user = _staff_user(f"{OFFICER_PREFIX}tn-{codes[unit]}-{n}", rng)
            for agency_id in served:
                _ensure_member(user, agency_id, COUNTER, unit, since)
    held = set(Membership.objects.filter(role__in=[PROCESSOR, LEADER]).values_list("agency", "role"))
    for agency_id in sorted(agencies):
        for role, short, n_users in ((PROCESSOR, "cv", 2), (LEADER, "ld", 1)):
            if (agency_id, role) in held:
                continue
            for n in range(1, n_users + 1):
                user = _staff_user(f"{OFFICER_PREFIX}{short}-{agency_codes[agency_id]}-{n}", rng)
                _ensure_member(user, agency_id, role, None, since)


def _ensure_citizens(size: int, rng: random.Random) -> list[Person]:
    """A pool of citizens with e-ID accounts who submit online (people submit more than once)."""
    user_model = get_user_model()
    existing = set(user_model.objects.filter(username__startswith=CITIZEN_PREFIX).values_list("username", flat=True))
    unusable = make_password(None)
    new = []
    for serial in range(1, size + 1):
        username = f"{CITIZEN_PREFIX}{serial:06d}"
        person_rng = random.Random(f"citizen-{serial}")
        name, personal_id, phone = _name(person_rng), _personal_id(person_rng, serial), _phone(person_rng)
        if username in existing:
            continue
        new.append(
            user_model(
                username=username,
                full_name=name,
                kind="citizen",
                personal_id=personal_id,
                phone=phone,
                email=f"{username}@example.vn" if person_rng.random() < 0.6 else "",
                password=unusable,
            )
        )
    user_model.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    rows = (
        user_model.objects.filter(username__startswith=CITIZEN_PREFIX, personal_id__isnull=False)
        .order_by("username")
        .values_list("pk", "full_name", "personal_id", "phone", "email")[:size]
    )
    return [Person(pk, name, name, pid or "", phone, email) for pk, name, pid, phone, email in rows]


def _persons(role: str) -> dict[tuple[int, int | None], list[Person]]:
    found: dict[tuple[int, int | None], list[Person]] = defaultdict(list)
    rows = (
        Membership.objects.filter(role=role, user__is_active=True, valid_to__isnull=True)
        .select_related("user")
        .order_by("user__username", "agency_id")
    )
    for m in rows:
        found[(m.agency_id, m.one_stop_unit_id)].append(Person(m.user.pk, str(m.user)[:200]))
    return found


def _by_agency(found: dict[tuple[int, int | None], list[Person]]) -> dict[int, list[Person]]:
    merged: dict[int, list[Person]] = defaultdict(list)
    for (agency_id, _unit), people in sorted(found.items(), key=lambda item: (item[0][0], item[0][1] or 0)):
        merged[agency_id] += people
    return dict(merged)


def build_context(*, year: int, rng: random.Random, citizens: int) -> Context:
    """Read the procedures, their agencies and units, and make sure every place has staff."""
    versions = list(
        ProcedureVersion.objects.filter(procedure__code__regex=r"^\d\.\d{6}$")
        .select_related("procedure")
        .prefetch_related("documents", "fee_items", "agencies__agencies")
        .order_by("procedure__code", "pk")
    )
    served: dict[int, list[int]] = defaultdict(list)
    for unit_id, agency_id in OneStopUnit.served_agencies.through.objects.order_by("onestopunit_id").values_list(
        "onestopunit_id", "agency_id"
    ):
        served[agency_id].append(unit_id)
    choices: list[ProcedureChoice] = []
    weights: list[float] = []
    for version in versions:
        agency_ids = sorted({a.pk for ia in version.agencies.all() for a in ia.agencies.all() if a.is_active})
        places = tuple(Place(a, tuple(served[a])) for a in agency_ids if served[a])
        if not places:
            continue
        channels = set(version.channels)
        online = version.online_level != OnlineLevel.NONE and "online" in channels
        documents = sorted(version.documents.all(), key=lambda d: (d.position, d.pk))[:MAX_DOCUMENTS]
        choices.append(
            ProcedureChoice(
                version_id=version.pk,
                name=version.name,
                processing_days=version.processing_days,
                days_by_channel=dict(version.days_by_channel or {}),
                online=online,
                counter=not online or "in_person" in channels,
                postal="postal" in channels,
                fee_vnd=sum(f.amount_vnd for f in version.fee_items.all()),
                documents=tuple((d.pk, d.original_count, d.copy_count) for d in documents),
                places=places,
            )
        )
        weights.append(float(max(version.procedure.popularity, 1)))
    if not choices:
        raise ValueError("no published procedure is linked to an agency with a one-stop unit (run load_demo)")
    total = sum(weights)
    online_weight = sum(w for c, w in zip(choices, weights, strict=True) if c.online) / total
    cumulative, running = [], 0.0
    for w in weights:
        running += w
        cumulative.append(running)
    _ensure_staff(
        {(u, p.agency_id) for c in choices for p in c.places for u in p.units}, datetime.date(year, 1, 1), rng
    )
    counters_by = _persons(COUNTER)
    counters: dict[tuple[int, int], list[Person]] = {}
    for c in choices:
        for p in c.places:
            for u in p.units:
                counters[(u, p.agency_id)] = counters_by.get((p.agency_id, u), []) + counters_by.get(
                    (p.agency_id, None), []
                )
    processors, leaders = _by_agency(_persons(PROCESSOR)), _by_agency(_persons(LEADER))
    return Context(
        procedures=choices,
        cumulative_weights=cumulative,
        online_share=min(0.95, 0.5 / online_weight) if online_weight else 0.0,
        counters=counters,
        processors=processors,
        leaders=leaders,
        citizens=_ensure_citizens(citizens, rng),
        unit_codes=dict(OneStopUnit.objects.values_list("pk", "code")),
    )


# --- Planning one dossier ----------------------------------------------------------------------


@dataclass
class Step:
    action: Action
    at: datetime.datetime
    actor: Person
    role: str
    handed_to: Person | None = None
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    extension_days: int = 0


@dataclass
class Plan:
    procedure: ProcedureChoice
    agency_id: int
    unit_id: int
    channel: str
    result_delivery: str
    applicant: Person | None
    snapshot: dict[str, Any]
    documents: list[tuple[int, str, int]]
    steps: list[Step] = field(default_factory=list)

    @property
    def working_days(self) -> int | None:
        """Thời hạn giải quyết of the channel the dossier came by, as the services count it."""
        return working_days_for(self.channel, self.procedure.days_by_channel, self.procedure.processing_days)


class Clockwork:
    """Office time as minutes counted over working days: ``t = index * OFFICE_MINUTES + m``
    lands on the ``index``-th working day, ``m`` minutes into its office hours."""

    def __init__(self, calendar: IndexedCalendar, tz: ZoneInfo) -> None:
        self.calendar = calendar
        self.days = calendar.working_days
        self.tz = tz

    def index(self, day: datetime.date) -> int:
        return bisect.bisect_left(self.days, day)

    def at(self, t: int, second: int = 0) -> datetime.datetime:
        day = self.days[t // OFFICE_MINUTES]
        minute = t % OFFICE_MINUTES
        span = MORNING[1] - MORNING[0]
        clock = MORNING[0] + minute if minute < span else AFTERNOON[0] + minute - span
        return datetime.datetime.combine(day, datetime.time(clock // 60, clock % 60, second), self.tz)

    def minute_of(self, moment: datetime.datetime) -> int:
        """Office minutes of a moment inside office hours."""
        local = moment.astimezone(self.tz)
        clock = local.hour * 60 + local.minute
        morning = MORNING[1] - MORNING[0]
        if clock < AFTERNOON[0]:
            minute = min(max(clock - MORNING[0], 0), morning)
        else:
            minute = morning + min(clock - AFTERNOON[0], AFTERNOON[1] - AFTERNOON[0])
        return self.index(local.date()) * OFFICE_MINUTES + minute


DAY = OFFICE_MINUTES


class Planner:
    """Draws dossiers: what, where, by whom, and the timeline of their transitions."""

    def __init__(self, context: Context, clock: Clockwork, rng: random.Random) -> None:
        self.c = context
        self.clock = clock
        self.rng = rng
        # With ``online_target``: dossiers received so far and those of them sent online.
        self.online_target: float | None = None
        self.planned = 0
        self.planned_online = 0

    def _pick(self, people: Sequence[Person]) -> Person:
        return people[self.rng.randrange(len(people))]

    def _procedure(self) -> ProcedureChoice:
        weights = self.c.cumulative_weights
        return self.c.procedures[bisect.bisect_left(weights, self.rng.random() * weights[-1])]

    def dossier(self, t_anchor: int, *, pending_after: datetime.datetime | None = None) -> Plan:
        """A dossier received (or turned away) at office time ``t_anchor``; with
        ``pending_after``, an online dossier submitted shortly before that moment and received
        only later (still waiting for reception then)."""
        rng = self.rng
        procedure = self._procedure()
        place = procedure.places[rng.randrange(len(procedure.places))]
        unit = place.units[rng.randrange(len(place.units))]
        online = procedure.online and (not procedure.counter or rng.random() < self.c.online_share)
        if self.online_target is not None and procedure.online and procedure.counter and pending_after is None:
            # Held to the target: online while the share received so far is below it.
            online = self.planned_online < self.online_target * (self.planned + 1)
        while pending_after is not None and not procedure.online:
            procedure = self._procedure()
            place = procedure.places[rng.randrange(len(procedure.places))]
            unit = place.units[rng.randrange(len(place.units))]
        if pending_after is not None:
            online = True
        channel = (
            Channel.ONLINE
            if online
            else (Channel.POSTAL if procedure.postal and rng.random() < 0.06 else Channel.COUNTER)
        )
        citizen = self._pick(self.c.citizens) if online and self.c.citizens else None
        if online and citizen is None:
            channel = Channel.COUNTER
        if citizen is not None:
            snapshot = {
                "applicant_name": citizen.name,
                "applicant_personal_id": citizen.personal_id,
                "applicant_phone": citizen.phone,
                "applicant_email": citizen.email,
            }
        else:
            serial = 500_000 + rng.randrange(500_000)
            snapshot = {
                "applicant_name": _name(rng),
                "applicant_personal_id": _personal_id(rng, serial),
                "applicant_phone": _phone(rng) if rng.random() < 0.8 else "",
                "applicant_email": "",
            }
        snapshot["applicant_address"] = _address(rng)
        if rng.random() < 0.06:
            snapshot["organization_tax_code"] = f"42{rng.randrange(10**8):08d}"
            snapshot["organization_name"] = rng.choice(COMPANIES)
        roll = rng.random()
        delivery = (
            ResultDelivery.ONLINE
            if online and roll < 0.3
            else ResultDelivery.POST
            if roll > 0.88
            else ResultDelivery.COUNTER
        )
        documents: list[tuple[int, str, int]] = []
        for doc_id, originals, copies in procedure.documents:
            if online:
                documents.append((doc_id, Handed.ELECTRONIC, 1))
            elif originals:
                documents.append((doc_id, Handed.ORIGINAL, originals))
            else:
                documents.append((doc_id, Handed.CERTIFIED_COPY if copies else Handed.COPY, max(copies, 1)))
        plan = Plan(procedure, place.agency_id, unit, channel, delivery, citizen, snapshot, documents)
        self._timeline(plan, t_anchor, pending_after)
        return plan

    # The timeline ------------------------------------------------------------------------------

    def _step(self, plan: Plan, action: Action, t: int, actor: Person, role: str, **extra: Any) -> int:
        plan.steps.append(Step(action, self.clock.at(t, self.rng.randrange(60)), actor, role, **extra))
        return t

    def _timeline(self, plan: Plan, anchor: int, pending_after: datetime.datetime | None) -> None:
        rng = self.rng
        counter = self._pick(self.c.counters[(plan.unit_id, plan.agency_id)])
        citizen = plan.applicant
        by_citizen = (citizen, APPLICANT) if citizen is not None else (counter, COUNTER)
        if pending_after is not None:
            assert citizen is not None
            submitted = pending_after - datetime.timedelta(minutes=rng.randrange(1, 600))
            plan.steps.append(Step(Action.SUBMIT, submitted, citizen, APPLICANT))
            self._received(plan, anchor, counter)
            return
        fate = rng.random()
        intake_supplement = rng.random() < (0.07 if citizen is not None else 0.03)
        if fate < 0.025:  # turned away at the counter
            self._submitted(plan, anchor - rng.randrange(5, 900), counter)
            self._step(plan, Action.REFUSE_INTAKE, anchor, counter, COUNTER, note=rng.choice(REFUSE_INTAKE))
            return
        if fate < 0.035 and citizen is not None:  # withdrawn before anyone received it
            self._submitted(plan, anchor - rng.randrange(5, 900), counter)
            self._step(plan, Action.WITHDRAW, anchor, citizen, APPLICANT, note=rng.choice(WITHDRAW))
            return
        if fate < 0.042:  # asked to complete at intake and never did
            self._submitted(plan, anchor - rng.randrange(5, 900), counter)
            missing = rng.sample(MISSING, 2)
            self._step(plan, Action.REQUEST_SUPPLEMENT, anchor, counter, COUNTER, details={"missing": missing})
            if rng.random() < 0.6:
                actor, role = by_citizen
                later = anchor + rng.randrange(5, 20) * DAY + rng.randrange(DAY)
                self._step(plan, Action.WITHDRAW, later, actor, role, note=rng.choice(WITHDRAW))
            return
        if intake_supplement:  # completed at intake, then received
            answered = anchor - rng.randrange(5, 60)
            asked = answered - rng.randrange(1, 6) * DAY - rng.randrange(DAY // 2)
            self._submitted(plan, asked - rng.randrange(5, 900), counter)
            missing = rng.sample(MISSING, rng.randrange(1, 3))
            self._step(plan, Action.REQUEST_SUPPLEMENT, asked, counter, COUNTER, details={"missing": missing})
            actor, role = by_citizen
            self._step(plan, Action.SUPPLEMENT, answered, actor, role, details={"documents": []})
        else:
            self._submitted(plan, anchor - rng.randrange(3, 20 if citizen is None else 900), counter)
        self._received(plan, anchor, counter)

    def _submitted(self, plan: Plan, t: int, counter: Person) -> None:
        if plan.applicant is None:
            self._step(plan, Action.SUBMIT, t, counter, COUNTER)
            return
        # Online: any hour of any day, some time before the counter sees it.
        moment = self.clock.at(t) - datetime.timedelta(minutes=self.rng.randrange(0, 14 * 60))
        plan.steps.append(Step(Action.SUBMIT, moment.replace(second=self.rng.randrange(60)), plan.applicant, APPLICANT))

    def _received(self, plan: Plan, t: int, counter: Person) -> None:
        rng = self.rng
        days = plan.working_days
        self._step(plan, Action.RECEIVE, t, counter, COUNTER)
        start = self.clock.index(counting_day(self.clock.at(t), self.clock.calendar))
        processor = self._pick(self.c.processors[plan.agency_id])
        leader = self._pick(self.c.leaders[plan.agency_id])
        citizen_actor = (plan.applicant, APPLICANT) if plan.applicant is not None else (counter, COUNTER)
        t = self._step(plan, Action.ASSIGN, t + rng.randrange(5, 240), counter, COUNTER, handed_to=processor)
        # Drawn whether needed or not, so that a controller setting a procedure's days does not
        # change the rest of the year.
        guessed = rng.randrange(3, 15)
        nominal = days if days is not None else guessed
        fate = rng.random()
        late = rng.random() < 0.05
        active = (nominal + 1 + rng.randrange(12)) if late else 1 + int(rng.betavariate(2.5, 1.6) * max(nominal - 1, 0))
        roll = rng.random()
        supplements = 0 if roll < 0.9 else 1 if roll < 0.983 else 2 if roll < 0.997 else 3
        stops: list[tuple[StopReason, int]] = [(StopReason.SUPPLEMENT, rng.randrange(1, 8)) for _ in range(supplements)]
        if plan.procedure.fee_vnd and rng.random() < 0.8:
            stops.append((StopReason.PAYMENT, rng.randrange(0, 3)))
        rng.shuffle(stops)
        if fate < 0.006 and not any(reason == StopReason.SUPPLEMENT for reason, _length in stops):
            stops.insert(0, (StopReason.SUPPLEMENT, 0))
        offsets = sorted(rng.randrange(0, max(active, 1)) for _ in stops)
        paused = 0
        for (reason, length), offset in zip(stops, offsets, strict=True):
            t = max(t + rng.randrange(10, 120), (start + offset + paused) * DAY + rng.randrange(DAY))
            if reason == StopReason.SUPPLEMENT:
                missing = rng.sample(MISSING, rng.randrange(1, 3))
                self._step(plan, Action.REQUEST_SUPPLEMENT, t, processor, PROCESSOR, details={"missing": missing})
                if fate < 0.006:  # never answered: the leader stops the dossier
                    t += rng.randrange(10, 20) * DAY + rng.randrange(DAY)
                    self._step(plan, Action.STOP, t, leader, LEADER, note=rng.choice(STOP))
                    return
                t += length * DAY + rng.randrange(DAY)
                actor, role = citizen_actor
                self._step(plan, Action.SUPPLEMENT, t, actor, role, details={"documents": []})
            else:
                amount = plan.procedure.fee_vnd
                self._step(plan, Action.REQUEST_PAYMENT, t, processor, PROCESSOR, details={"amount_vnd": amount})
                t += length * DAY + rng.randrange(30, DAY)
                receipt = f"BL{self.clock.at(t):%y}-{rng.randrange(10**6):06d}"
                payer = counter if rng.random() < 0.5 else processor
                self._step(
                    plan,
                    Action.MARK_PAID,
                    t,
                    payer,
                    COUNTER if payer is counter else PROCESSOR,
                    details={"receipt_number": receipt},
                )
            paused += length + 1
        finish = max(t + rng.randrange(30, 240), (start + active + paused) * DAY + rng.randrange(DAY))
        if fate < 0.016:  # withdrawn during processing
            t = max(t + 10, finish - rng.randrange(DAY, 3 * DAY))
            actor, role = citizen_actor
            self._step(plan, Action.WITHDRAW, t, actor, role, note=rng.choice(WITHDRAW))
            return
        if late and days is not None and rng.random() < 0.35:
            t = self._extension(plan, t, finish, processor, days, paused)
        forwarded = max(t + 10, finish - rng.randrange(60, 2 * DAY))
        if rng.random() < 0.04:
            self._step(plan, Action.FORWARD, forwarded, processor, PROCESSOR, handed_to=leader)
            back = forwarded + rng.randrange(10, DAY)
            self._step(
                plan, Action.RETURN_STEP, back, leader, LEADER, handed_to=processor, note=rng.choice(RETURN_STEP)
            )
            forwarded = back + rng.randrange(30, DAY)
            finish = max(finish, forwarded + rng.randrange(30, DAY))
        self._step(plan, Action.FORWARD, forwarded, processor, PROCESSOR, handed_to=leader)
        if fate < 0.041:
            self._step(plan, Action.REFUSE, finish, leader, LEADER, details={"reasons": [rng.choice(REFUSE)]})
        else:
            self._step(plan, Action.APPROVE, finish, leader, LEADER)
        ready = finish + rng.randrange(10, DAY)
        self._step(plan, Action.RESULT_READY, ready, processor, PROCESSOR)
        if rng.random() < 0.03:  # not collected yet
            return
        method = plan.result_delivery
        tracking = f"EB{rng.randrange(10**9):09d}VN" if method == ResultDelivery.POST else ""
        returned = ready + rng.randrange(0, 4) * DAY + rng.randrange(10, DAY)
        self._step(
            plan,
            Action.RETURN_RESULT,
            returned,
            counter,
            COUNTER,
            details={"method": method, "tracking_number": tracking},
        )

    def _extension(self, plan: Plan, t: int, finish: int, actor: Person, days: int, paused: int) -> int:
        """Phiếu xin lỗi và hẹn lại ngày trả: issued on the last day allowed, if processing is
        still under way then, to a date that covers the delay."""
        calendar = self.clock.calendar
        receive = next(s for s in plan.steps if s.action == Action.RECEIVE)
        stops = _spans(plan.steps, calendar)
        due = due_date(receive.at.astimezone(self.clock.tz), days, calendar, stops=stops)
        latest = rules.last_day_to_extend(due, calendar)
        when = max(self.clock.index(latest) * DAY + self.rng.randrange(DAY), t + 10)
        if self.clock.index(latest) * DAY + DAY <= when or when >= finish - 60:
            return t
        finish_day = self.clock.days[finish // DAY]
        new_due = calendar.add_working_days(max(finish_day, due), self.rng.randrange(0, 3))
        if new_due <= due:
            new_due = calendar.next_working_day(due)
        self._step(
            plan,
            Action.EXTEND,
            when,
            actor,
            PROCESSOR,
            note=EXTEND[0],
            details={"previous_due_on": due.isoformat(), "new_due_on": new_due.isoformat()},
            extension_days=calendar.working_days_between(due, new_due),
        )
        return when


def _spans(steps: Sequence[Step], calendar: WorkCalendar) -> list[Span]:
    """The clock stops of the steps planned so far (after reception)."""
    spans: list[Span] = []
    received = False
    for step in steps:
        clock = rules.TRANSITIONS[step.action].clock
        received = received or step.action == Action.RECEIVE
        if not received:
            continue
        day = _day(step.at)
        if clock in (Clock.STOP_SUPPLEMENT, Clock.STOP_PAYMENT):
            spans.append(Span(day))
        elif clock in (Clock.RESUME, Clock.FINISH) and spans and spans[-1].end is None:
            spans[-1] = Span(spans[-1].start, day)
    return spans


# --- Replaying a plan through the rules -------------------------------------------------------


@dataclass
class Replayed:
    values: dict[str, Any]
    events: list[dict[str, Any]]
    stops: list[dict[str, Any]]


_HAND_OVERS = frozenset({Action.ASSIGN, Action.FORWARD, Action.RETURN_STEP})
# Officers find dossiers by the folded name when the model keeps one (as the services write it).
_HAS_FOLDED_NAME = any(f.name == "applicant_folded" for f in Dossier._meta.get_fields())


@functools.lru_cache(maxsize=4096)
def _folded(name: str) -> str:
    return fold(name)[:200]


def replay(plan: Plan, *, now: datetime.datetime, calendar: WorkCalendar) -> Replayed | None:
    """The dossier as the services would have left it after the plan's steps up to ``now``
    (None when it was not submitted yet). A step the transition table forbids is a bug of the
    planner: it raises."""
    values: dict[str, Any] = {
        "procedure_version_id": plan.procedure.version_id,
        "applicant_id": plan.applicant.id if plan.applicant is not None else None,
        "organization_tax_code": "",
        "organization_name": "",
        **plan.snapshot,
        "channel": plan.channel,
        "result_delivery": plan.result_delivery,
        "receiving_unit_id": plan.unit_id,
        "processing_agency_id": plan.agency_id,
        "assignee_id": None,
        "state": State.DRAFT,
        "outcome": "",
        "code": None,
        "submitted_at": None,
        "received_at": None,
        "due_on": None,
        "original_due_on": None,
        "extended": False,
        "extension_days": 0,
        "finished_at": None,
        "result_ready_at": None,
        "returned_at": None,
        "result_returned_by": "",
        "postal_tracking_number": "",
        "supplement_request_count": 0,
        "version": 1,
        "form_data": {},
    }
    events: list[dict[str, Any]] = []
    stops: list[dict[str, Any]] = []
    days = plan.working_days
    for step in plan.steps:
        if step.at > now:
            break
        action, source = step.action, State(values["state"])
        if not rules.can(action, source, step.role):
            raise AssertionError(f"planned {action} from {source} as {step.role}")
        received = values["received_at"] is not None
        target = rules.next_state(action, source, received=received)
        today = _day(step.at)
        if action == Action.SUBMIT:
            values["submitted_at"] = step.at
        elif action == Action.RECEIVE:
            values["received_at"] = step.at
        elif action == Action.REQUEST_SUPPLEMENT and received:
            values["supplement_request_count"] += 1
        elif action in (Action.APPROVE, Action.REFUSE):
            values["outcome"] = Outcome.APPROVED if action == Action.APPROVE else Outcome.REFUSED
        elif action == Action.EXTEND:
            values["extended"] = True
            values["extension_days"] = step.extension_days
        elif action == Action.RESULT_READY:
            values["result_ready_at"] = step.at
        elif action == Action.RETURN_RESULT:
            values["returned_at"] = step.at
            values["result_returned_by"] = step.details["method"]
            values["postal_tracking_number"] = step.details["tracking_number"]
        if action in _HAND_OVERS:
            values["assignee_id"] = step.handed_to.id if step.handed_to is not None else None
        values["state"] = target
        clock = rules.TRANSITIONS[action].clock
        if clock is Clock.FINISH:
            values["finished_at"] = step.at
        if values["received_at"] is not None and (clock is not Clock.NONE or action == Action.EXTEND):
            if clock in (Clock.STOP_SUPPLEMENT, Clock.STOP_PAYMENT):
                reason = StopReason.SUPPLEMENT if clock is Clock.STOP_SUPPLEMENT else StopReason.PAYMENT
                stops.append({"reason": reason, "started_on": today, "ended_on": None})
            elif clock in (Clock.RESUME, Clock.FINISH) and stops and stops[-1]["ended_on"] is None:
                stops[-1]["ended_on"] = today
            if days is not None:
                received_at = values["received_at"].astimezone(_TZ)
                spans = [Span(s["started_on"], s["ended_on"]) for s in stops]
                values["original_due_on"] = due_date(received_at, days, calendar, stops=spans, today=today)
                values["due_on"] = due_date(
                    received_at, days + values["extension_days"], calendar, stops=spans, today=today
                )
        values["version"] += 1
        events.append(
            {
                "at": step.at,
                "actor_id": step.actor.id,
                "actor_label": step.actor.label,
                "actor_role": step.role,
                "action": action,
                "from_state": source,
                "to_state": target,
                "handed_to_id": step.handed_to.id if action in _HAND_OVERS and step.handed_to is not None else None,
                "note": step.note,
                "details": step.details,
            }
        )
    if not events:
        return None
    if _HAS_FOLDED_NAME:
        values["applicant_folded"] = _folded(values["applicant_name"])
    values["created_at"] = plan.steps[0].at
    values["updated_at"] = events[-1]["at"]
    return Replayed(values, events, stops)


# --- Writing -----------------------------------------------------------------------------------


@dataclass
class Summary:
    dossiers: int = 0
    events: int = 0
    documents: int = 0
    clock_stops: int = 0
    states: Counter[str] = field(default_factory=Counter)
    channels: Counter[str] = field(default_factory=Counter)
    on_time: int = 0
    late: int = 0
    seconds: float = 0.0

    @property
    def on_time_share(self) -> float:
        judged = self.on_time + self.late
        return self.on_time / judged if judged else 0.0


class _Table:
    """Rows of one model written with ``executemany``: the ORM's per-value preparation costs
    more than the database itself at millions of rows. Values are prepared as the ORM would
    (``get_db_prep_save``), with a quicker path for the common types."""

    def __init__(self, model: type[models.Model], *, with_pk: bool) -> None:
        fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        quote = connection.ops.quote_name
        self.fields = fields
        self.sql = (
            f"INSERT INTO {quote(str(model._meta.db_table))} ({', '.join(quote(str(f.column)) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )
        self.defaults = {f.attname: f.get_default() for f in fields if not f.primary_key}
        self.converters = [self._converter(f) for f in fields]

    @staticmethod
    def _converter(f: models.Field[Any, Any]) -> Callable[[Any], Any]:
        if isinstance(f, models.DateTimeField) and connection.vendor == "sqlite":
            # What the SQLite backend stores: UTC, naive, ISO with a space.
            return lambda v: None if v is None else str(v.astimezone(datetime.UTC).replace(tzinfo=None))
        if isinstance(f, models.DateTimeField | models.ForeignKey | models.CharField | models.IntegerField):
            return lambda v: v
        if isinstance(f, models.BooleanField):
            return bool
        if isinstance(f, models.JSONField):
            adapt = connection.ops.adapt_json_value
            return lambda v: adapt(v, f.encoder)
        return lambda v: f.get_db_prep_save(v, connection)

    def insert(self, rows: Sequence[dict[str, Any]]) -> None:
        names = [f.attname for f in self.fields]
        defaults = self.defaults
        pairs = list(zip(names, self.converters, strict=True))
        params = [[convert(row[name] if name in row else defaults[name]) for name, convert in pairs] for row in rows]
        with connection.cursor() as cursor:
            for start in range(0, len(params), 5000):
                cursor.executemany(self.sql, params[start : start + 5000])


def _reserve_ids(model: type[models.Model], n: int) -> list[int]:
    """``n`` new primary keys of ``model``'s table, inside the batch's transaction."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n])
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            # The write lock is held from the batch's first write (DailySequence) to its commit.
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
            top = cursor.fetchone()[0]
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            found = cursor.fetchone()
            first = max(top, found[0] if found else 0) + 1
            return list(range(first, first + n))
    raise NotImplementedError(f"generate_dossiers supports SQLite and PostgreSQL, not {connection.vendor}")


def _daily_counts(days: Sequence[datetime.date], count: int, rng: random.Random) -> list[int]:
    """``count`` dossiers over ``days``: more on Mondays, fewer on make-up Saturdays, some noise;
    exactly ``count`` in all."""
    weights = [(1.25 if d.weekday() == 0 else 0.6 if d.weekday() == 5 else 1.0) * rng.uniform(0.8, 1.2) for d in days]
    total = sum(weights)
    shares = [count * w / total for w in weights]
    counts = [int(s) for s in shares]
    rest = count - sum(counts)
    for i in sorted(range(len(days)), key=lambda i: shares[i] - counts[i], reverse=True)[:rest]:
        counts[i] += 1
    return counts


def _tables() -> dict[type[models.Model], _Table]:
    return {
        Dossier: _Table(Dossier, with_pk=True),
        DossierEvent: _Table(DossierEvent, with_pk=False),
        DossierDocument: _Table(DossierDocument, with_pk=False),
        ClockStop: _Table(ClockStop, with_pk=False),
    }


def _write_batch_patiently(
    replayed: list[tuple[Plan, Replayed]], calendar: WorkCalendar, unit_codes: dict[int, str], summary: Summary
) -> None:
    """SQLite lets one writer in at a time: when runs over separate days go at once, a batch
    that waited too long for the lock is rolled back whole and written again."""
    for attempt in range(10):
        try:
            _write_batch(replayed, calendar, unit_codes, summary)
            return
        except OperationalError as error:
            if "locked" not in str(error) or attempt == 9:
                raise
            time.sleep(1 + attempt)


def _write_batch(
    replayed: list[tuple[Plan, Replayed]], calendar: WorkCalendar, unit_codes: dict[int, str], summary: Summary
) -> None:
    """One transaction: numbers from the units' daily sequences, then the rows."""
    # A dossier has its code from its submission (dossiers.rules.gives_code), numbered in the order
    # of submission within its unit's day.
    submitted = sorted(
        (r for r in replayed if r[1].values["submitted_at"] is not None),
        key=lambda r: (r[1].values["submitted_at"], r[1].values["receiving_unit_id"]),
    )
    with transaction.atomic():
        pairs = {(r.values["receiving_unit_id"], _day(r.values["submitted_at"])) for _p, r in submitted}
        sequences = {
            (s.unit_id, s.day): s
            for s in DailySequence.objects.select_for_update().filter(
                unit_id__in={u for u, _d in pairs}, day__in={d for _u, d in pairs}
            )
        }
        new_sequences: dict[tuple[int, datetime.date], DailySequence] = {}
        for _plan, r in submitted:
            key = (r.values["receiving_unit_id"], _day(r.values["submitted_at"]))
            sequence = sequences.get(key) or new_sequences.get(key)
            if sequence is None:
                sequence = new_sequences[key] = DailySequence(unit_id=key[0], day=key[1], last_number=0)
            sequence.last_number += 1
            r.values["code"] = rules.dossier_code(unit_codes[key[0]], key[1], sequence.last_number)
        DailySequence.objects.bulk_update(list(sequences.values()), ["last_number"], batch_size=500)
        DailySequence.objects.bulk_create(list(new_sequences.values()), batch_size=500)
        ids = _reserve_ids(Dossier, len(replayed))
        tables = _tables()
        events: list[dict[str, Any]] = []
        documents: list[dict[str, Any]] = []
        stops: list[dict[str, Any]] = []
        for pk, (plan, r) in zip(ids, replayed, strict=True):
            values = r.values
            values["id"] = pk
            for e in r.events:
                e["dossier_id"] = pk
            events += r.events
            for s in r.stops:
                s["dossier_id"] = pk
            stops += r.stops
            documents += [
                {"dossier_id": pk, "required_document_id": doc, "handed_in": handed, "quantity": quantity}
                for doc, handed, quantity in plan.documents
            ]
        tables[Dossier].insert([r.values for _p, r in replayed])
        tables[DossierEvent].insert(events)
        tables[DossierDocument].insert(documents)
        tables[ClockStop].insert(stops)
    for _plan, r in replayed:
        values = r.values
        summary.states[values["state"]] += 1
        summary.channels[values["channel"]] += 1
        if values["finished_at"] is not None and values["original_due_on"] is not None and values["outcome"]:
            verdict = timeliness(
                _day(values["finished_at"]),
                values["original_due_on"],
                supplement_requests=values["supplement_request_count"],
            )
            if verdict == "on_time":
                summary.on_time += 1
            else:
                summary.late += 1
    summary.dossiers += len(replayed)
    summary.events += len(events)
    summary.documents += len(documents)
    summary.clock_stops += len(stops)


def generate_dossiers(
    *,
    year: int,
    count: int,
    seed: int = 0,
    now: datetime.datetime | None = None,
    batch_size: int = DEFAULT_BATCH,
    progress: Callable[[Summary], None] | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    online_share: float | None = None,
    count_received: bool = False,
) -> Summary:
    """Create ``count`` dossiers received (or turned away) on the working days of ``year`` up to
    ``now`` (or from ``since`` to ``until`` in it), with their history. Adds to what is there;
    codes continue the daily sequences, so that separate runs over separate days may go at once.
    With ``online_share`` (0..1) the dossiers of procedures open both online and at the counter
    are sent online so as to hold the run's online share to it, not drawn at random. With
    ``count_received``, ``count`` is of the dossiers received (as a report counts "hồ sơ được tiếp
    nhận"): those refused at intake or withdrawn before reception come on top."""
    started = time.perf_counter()
    now = now or timezone.now()
    tz = ZoneInfo(settings.TIME_ZONE)
    first = max(datetime.date(year, 1, 1), since or datetime.date.min)
    last = min(datetime.date(year, 12, 31), timezone.localdate(now), until or datetime.date.max)
    if count < 0:
        raise ValueError("count must not be negative")
    if last < first:
        raise ValueError(f"{year} has not begun on {now:%Y-%m-%d}")
    calendar = IndexedCalendar(work_calendar(), datetime.date(year - 1, 1, 1), datetime.date(year + 3, 12, 31))
    clock = Clockwork(calendar, tz)
    rng = random.Random(seed)
    context = build_context(year=year, rng=random.Random(seed + 1), citizens=max(50, min(count // 8, 20000)))
    days = [d for d in calendar.working_days if first <= d <= last]
    if not days:
        raise ValueError(f"no working day in {year} up to {last:%Y-%m-%d}")
    planner = Planner(context, clock, rng)
    planner.online_target = online_share
    summary = Summary()
    pending: list[tuple[Plan, Replayed]] = []
    now_minute = clock.minute_of(now) if calendar.is_working_day(timezone.localdate(now)) else None
    for day, n in zip(days, _daily_counts(days, count, rng), strict=True):
        base = clock.index(day) * DAY
        limit = DAY
        if day == timezone.localdate(now) and now_minute is not None:
            limit = max(1, min(DAY, now_minute - base))
        is_last = day == days[-1] and last == timezone.localdate(now)
        after = clock.index(calendar.next_working_day(last)) * DAY + 30
        i = received = 0
        while (received if count_received else i) < n:
            # Sent online since the counter last worked: waiting to be received (the first of the
            # last day always, so that a small year has some whatever its draws).
            if is_last and (rng.random() < 0.3 or i == 0):
                plan = planner.dossier(after, pending_after=now)
            else:
                plan = planner.dossier(base + rng.randrange(limit))
            i += 1
            done = replay(plan, now=now, calendar=calendar)
            if done is not None:
                pending.append((plan, done))
                if done.values["received_at"] is not None:
                    received += 1
                    planner.planned += 1
                    planner.planned_online += done.values["channel"] == Channel.ONLINE
            elif count_received:
                break  # nothing happened before ``now``: the last day is over
        if len(pending) >= batch_size or day == days[-1]:
            _write_batch_patiently(pending, calendar, context.unit_codes, summary)
            pending = []
            summary.seconds = time.perf_counter() - started
            if progress is not None:
                progress(summary)
    summary.seconds = time.perf_counter() - started
    return summary


def generate_awaiting_reception(*, count: int, seed: int = 0, now: datetime.datetime | None = None) -> list[int]:
    """``count`` online dossiers submitted in the hours before ``now`` and waiting at the
    counters of their one-stop units (the reception benchmark receives them). Returns their ids."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    calendar = IndexedCalendar(
        work_calendar(), today - datetime.timedelta(days=400), today + datetime.timedelta(days=400)
    )
    clock = Clockwork(calendar, _TZ)
    rng = random.Random(seed)
    context = build_context(year=today.year, rng=random.Random(seed + 1), citizens=max(50, min(count, 20000)))
    planner = Planner(context, clock, rng)
    after = clock.index(calendar.next_working_day(today)) * DAY + 30
    planned = []
    for _ in range(count):
        plan = planner.dossier(after, pending_after=now)
        done = replay(plan, now=now, calendar=calendar)
        assert done is not None
        planned.append((plan, done))
    summary = Summary()
    for start in range(0, len(planned), DEFAULT_BATCH):
        _write_batch_patiently(planned[start : start + DEFAULT_BATCH], calendar, context.unit_codes, summary)
    return [done.values["id"] for _plan, done in planned]


# --- Online payments -----------------------------------------------------------------------------

PAYMENT_PREFIX = "SINH"


def generate_online_payments(*, year: int, target_vnd: int | None = None, seed: int = 0) -> tuple[int, int]:
    """Thanh toán trực tuyến: a paid payment (Cổng Dịch vụ công quốc gia mostly, else VNPay) for
    every online dossier of ``year`` that paid its fee (its ``mark_paid`` step), paid when that
    step was taken. The amount is the fee asked for (the ``request_payment`` step), or, with
    ``target_vnd``, that fee's share of the target rounded up to the thousand dong, so that the
    payments written by this call come just over the target (dossiers paid already are left
    alone: after separate runs over separate days, give the target to the last one only).
    Written as the other generated rows, through the payments model's table; ``rebuild_figures``
    then counts them. Returns the payments written and their total."""
    paid_at = dict(
        DossierEvent.objects.filter(action=Action.MARK_PAID, dossier__channel=Channel.ONLINE, at__year=year)
        .exclude(dossier__payments__state=PaymentState.PAID)
        .order_by("dossier_id", "at")
        .values_list("dossier_id", "at")
    )
    if not paid_at:
        return 0, 0
    fees: dict[int, int] = {}
    for dossier_id, details in DossierEvent.objects.filter(
        action=Action.REQUEST_PAYMENT, dossier_id__in=list(paid_at)
    ).values_list("dossier_id", "details"):
        fees[dossier_id] = int((details or {}).get("amount_vnd") or 0)
    ids = sorted(paid_at)
    weights = [max(fees.get(pk, 0), 1) for pk in ids]
    if target_vnd is None:
        amounts = weights
    else:
        total_weight = sum(weights)
        amounts = [max(1000, -(-target_vnd * w // total_weight // 1000) * 1000) for w in weights]
    rng = random.Random(f"payments-{year}-{seed}")
    now = timezone.now()
    rows = []
    for pk, amount in zip(ids, amounts, strict=True):
        at = paid_at[pk]
        method = PaymentMethod.PAYGOV if rng.random() < 0.7 else PaymentMethod.VNPAY
        rows.append(
            {
                "dossier_id": pk,
                "reference": f"{PAYMENT_PREFIX}{year}{pk:010d}",
                "method": method,
                "state": PaymentState.PAID,
                "amount_vnd": amount,
                "base_vnd": amount,
                "assessment": {"generated": True},
                "gateway_number": f"{rng.randrange(10**12):012d}",
                "expires_at": at + datetime.timedelta(days=1),
                "paid_at": at,
                "created_at": at - datetime.timedelta(minutes=rng.randrange(2, 60)),
                "updated_at": now,
            }
        )
    with transaction.atomic():
        _Table(Payment, with_pk=False).insert(rows)
    return len(rows), sum(amounts)
