"""Specification of ``manage.py generate_dossiers``: a year of dossiers over the demo's real
procedures whose every row is what the services would have written — transitions allowed by the
table, codes given at submission gap-free per unit and day and continued by later submissions, due dates by the
working-day arithmetic, received in office hours — with a plausible mix of channels and outcomes.
The demo is loaded and a year generated once for this module, inside a transaction rolled back at
the end."""

from __future__ import annotations

import datetime
import io
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count

from demo.generator import IndexedCalendar, generate_dossiers
from dossiers import rules, services
from dossiers.models import ClockStop, DailySequence, Dossier, DossierEvent
from dossiers.rules import Action, Clock, State
from org.models import OneStopUnit
from workdays.calendar import WorkCalendar
from workdays.rules import ClockStop as Span
from workdays.rules import due_date
from workdays.selectors import work_calendar

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# Wednesday 5 November 2025, 10:20: dossiers of the last weeks are still open.
NOW = datetime.datetime(2025, 11, 5, 10, 20, tzinfo=TZ)
COUNT = 600


def _office_hours(moment: datetime.datetime) -> bool:
    t = moment.astimezone(TZ).time()
    return datetime.time(7) <= t <= datetime.time(11, 30) or datetime.time(13, 30) <= t <= datetime.time(17)


def history_problems(dossiers: Iterable[Dossier], calendar: WorkCalendar) -> list[str]:
    """What in the dossiers' stored rows the services could not have written (empty: none)."""
    dossiers = list(dossiers)
    events: dict[int, list[DossierEvent]] = defaultdict(list)
    for event in DossierEvent.objects.filter(dossier__in=dossiers).order_by("at", "id"):
        events[event.dossier_id].append(event)
    stops: dict[int, list[ClockStop]] = defaultdict(list)
    for stop in ClockStop.objects.filter(dossier__in=dossiers).order_by("started_on", "id"):
        stops[stop.dossier_id].append(stop)
    problems = []
    for d in dossiers:
        state, received, last_clock = State.DRAFT, False, None
        for e in events[d.pk]:
            if e.from_state != state:
                problems.append(f"{d.pk}: {e.action} from {e.from_state}, was {state}")
            if not rules.can(e.action, e.from_state, e.actor_role):
                problems.append(f"{d.pk}: {e.actor_role} may not {e.action} from {e.from_state}")
            if e.to_state != rules.next_state(e.action, e.from_state, received=received):
                problems.append(f"{d.pk}: {e.action} led to {e.to_state}")
            if e.actor_id is None:
                problems.append(f"{d.pk}: {e.action} without an actor")
            received = received or e.action == Action.RECEIVE
            if rules.TRANSITIONS[Action(e.action)].clock is not Clock.NONE or e.action == Action.EXTEND:
                last_clock = e.at.astimezone(TZ).date()
            state = State(e.to_state)
        if state != d.state:
            problems.append(f"{d.pk}: history ends in {state}, dossier is {d.state}")
        if d.version != 1 + len(events[d.pk]):
            problems.append(f"{d.pk}: version {d.version} after {len(events[d.pk])} transitions")
        if d.received_at is not None:
            local = d.received_at.astimezone(TZ)
            if not calendar.is_working_day(local.date()) or not _office_hours(local):
                problems.append(f"{d.pk}: received {local} outside office hours")
            if d.submitted_at is None or d.submitted_at > d.received_at:
                problems.append(f"{d.pk}: received before it was submitted")
        days = d.procedure_version.working_days(d.channel)
        if d.received_at is not None and days is not None:
            spans = [Span(s.started_on, s.ended_on) for s in stops[d.pk]]
            local = d.received_at.astimezone(TZ)
            expected = due_date(local, days + d.extension_days, calendar, stops=spans, today=last_clock)
            original = due_date(local, days, calendar, stops=spans, today=last_clock)
            if (d.due_on, d.original_due_on) != (expected, original):
                problems.append(f"{d.pk}: due {d.due_on}/{d.original_due_on}, expected {expected}/{original}")
        elif d.due_on is not None:
            problems.append(f"{d.pk}: a due date without reception or processing time")
        open_stops = [s for s in stops[d.pk] if s.ended_on is None]
        if len(open_stops) > (1 if d.state in rules.WAITING_STATES else 0):
            problems.append(f"{d.pk}: {len(open_stops)} open clock stops in {d.state}")
    return problems


def code_problems() -> list[str]:
    """Codes are ``<unit code>-YYMMDD-NNNN`` of the submission day, numbered 1..n per unit and day,
    n being the unit's daily sequence."""
    numbers: dict[tuple[int, datetime.date], list[int]] = defaultdict(list)
    problems = []
    for pk, code, unit, unit_code, submitted in Dossier.objects.filter(code__isnull=False).values_list(
        "pk", "code", "receiving_unit", "receiving_unit__code", "submitted_at"
    ):
        assert code is not None and submitted is not None
        parsed = rules.parse_dossier_code(code)
        day = submitted.astimezone(TZ).date()
        if parsed is None or parsed[:2] != (unit_code, day):
            problems.append(f"{pk}: code {code} for {unit_code} on {day}")
            continue
        numbers[(unit, day)].append(parsed[2])
    sequences = {(s.unit_id, s.day): s.last_number for s in DailySequence.objects.all()}
    for key, found in numbers.items():
        if sorted(found) != list(range(1, len(found) + 1)):
            problems.append(f"{key}: numbers {sorted(found)[:5]}… are not 1..{len(found)}")
        if sequences.get(key) != len(found):
            problems.append(f"{key}: sequence at {sequences.get(key)}, {len(found)} codes")
    return problems


@pytest.fixture(scope="module")
def year(django_db_setup, django_db_blocker) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        summary = generate_dossiers(year=2025, count=COUNT, seed=7, now=NOW, batch_size=150)
        yield summary
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_it_creates_the_count_asked_with_their_history(year):
    assert year.dossiers == COUNT == Dossier.objects.count()
    assert year.events == DossierEvent.objects.count() > 5 * COUNT
    assert not Dossier.objects.filter(state=State.DRAFT).exists()


def test_every_history_follows_the_transition_table_and_the_clock_rules(year):
    dossiers = Dossier.objects.select_related("procedure_version")
    assert history_problems(dossiers, work_calendar()) == []


def test_codes_are_unique_and_gap_free_per_unit_and_day(year):
    assert code_problems() == []
    # Every submitted dossier has its code, the ones still waiting for reception and the ones
    # refused at intake included.
    assert Dossier.objects.filter(code__isnull=False).count() == Dossier.objects.exclude(submitted_at=None).count()
    assert not Dossier.objects.filter(state__in=[State.SUBMITTED, State.NOT_RECEIVED], code__isnull=True).exists()


def test_a_later_submission_continues_the_day_s_sequence(year):
    unit, day, last = DailySequence.objects.order_by("-last_number").values_list("unit", "day", "last_number").first()
    with transaction.atomic():
        assert services.next_daily_number(OneStopUnit.objects.get(pk=unit), day) == last + 1
        transaction.set_rollback(True)


def test_the_mix_is_that_of_a_province_year(year):
    states = Counter(Dossier.objects.values_list("state", flat=True))
    channels = Counter(Dossier.objects.values_list("channel", flat=True))
    assert 0.4 <= channels["online"] / COUNT <= 0.65
    assert channels["counter"] > 0
    assert states[State.RETURNED] / COUNT > 0.7
    for state in (State.WITHDRAWN, State.NOT_RECEIVED, State.IN_PROGRESS, State.SUBMITTED):
        assert states[state] > 0, state
    assert 0.8 <= year.on_time_share <= 0.98
    assert year.late > 0
    assert Dossier.objects.filter(supplement_request_count__gte=1).exists()
    assert Dossier.objects.filter(outcome=rules.Outcome.REFUSED).exists()
    assert DossierEvent.objects.filter(action=Action.MARK_PAID).exists()
    assert Dossier.objects.filter(applicant__isnull=False).exclude(channel="online").count() == 0


def test_nothing_happens_after_now_and_recent_dossiers_are_still_open(year):
    assert not DossierEvent.objects.filter(at__gt=NOW).exists()
    assert Dossier.objects.filter(state=State.SUBMITTED, received_at__isnull=True).exists()
    assert Dossier.objects.filter(received_at__date__gte=datetime.date(2025, 11, 1), finished_at=None).exists()


def test_several_supplement_requests_make_a_dossier_late(year):
    judged = Dossier.objects.filter(supplement_request_count__gte=2, outcome__gt="", original_due_on__isnull=False)
    for d in judged:
        verdict = rules.dossier_timeliness(
            finished_on=d.finished_at.astimezone(TZ).date(),
            original_due_on=d.original_due_on,
            supplement_requests=d.supplement_request_count,
        )
        assert verdict == "late"


def test_the_same_seed_gives_the_same_dossiers_and_a_second_run_adds_on_top(year):
    def signature() -> list[tuple[Any, ...]]:
        return list(
            Dossier.objects.filter(pk__gt=top)
            .annotate(n=Count("events"))
            .order_by("pk")
            .values_list("code", "state", "applicant_name", "received_at", "due_on", "n")
        )

    top = Dossier.objects.order_by("-pk").values_list("pk", flat=True).first()
    with transaction.atomic():
        generate_dossiers(year=2025, count=80, seed=3, now=NOW)
        first = signature()
        transaction.set_rollback(True)
    with transaction.atomic():
        generate_dossiers(year=2025, count=80, seed=3, now=NOW)
        again = signature()
        assert code_problems() == []
        assert (
            history_problems(Dossier.objects.filter(pk__gt=top).select_related("procedure_version"), work_calendar())
            == []
        )
        transaction.set_rollback(True)
    assert len(first) == 80
    assert [row[1:] for row in first] == [row[1:] for row in again]


def test_the_indexed_calendar_answers_as_the_real_one():
    real = WorkCalendar.from_entries(
        [datetime.date(2025, 9, 1), datetime.date(2025, 9, 2)], [datetime.date(2025, 4, 26)], [2025]
    )
    fast = IndexedCalendar(real, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    day = datetime.date(2024, 12, 20)
    while day < datetime.date(2026, 1, 10):
        assert fast.is_working_day(day) == real.is_working_day(day)
        assert fast.next_working_day(day) == real.next_working_day(day)
        for n in (0, 1, 7, 40):
            assert fast.add_working_days(day, n) == real.add_working_days(day, n)
        for other in (day - datetime.timedelta(days=9), day + datetime.timedelta(days=30)):
            assert fast.working_days_between(day, other) == real.working_days_between(day, other)
        day += datetime.timedelta(days=1)


def test_the_command_reports_what_it_made_and_if_empty_adds_nothing(year):
    out = io.StringIO()
    call_command("generate_dossiers", year=2025, count=5, if_empty=True, stdout=out)
    assert "không sinh thêm" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("generate_dossiers", year=2031, count=5, now="2026-01-01T09:00", stdout=io.StringIO())


def test_runs_over_separate_days_keep_to_their_days(year):
    with transaction.atomic():
        top = Dossier.objects.order_by("-pk").values_list("pk", flat=True).first()
        since, until = datetime.date(2025, 3, 3), datetime.date(2025, 3, 7)
        generate_dossiers(year=2025, count=40, seed=5, now=NOW, since=since, until=until)
        days = {
            d.astimezone(TZ).date()
            for d in Dossier.objects.filter(pk__gt=top).exclude(received_at=None).values_list("received_at", flat=True)
        }
        assert days and min(days) >= since and max(days) <= until
        assert code_problems() == []
        transaction.set_rollback(True)
