"""Every figure of the reports, computed one way, for any period, agency (with the agencies under
it), field, procedure, channel and administrative unit. Dashboards, the API, the scorecard and
the report documents all read here, so that no two pages disagree.

A figure whose source is not there (an app not installed) is ``None``: "no data", never zero.

Every figure is read from the streaming replica while one is configured and answers
(``common.db.reading_for_reports``: the selectors below run their queries there; the reports'
writes, their own figure tables and report documents, go to the primary). Who may read which
agencies (``viewer_agencies``) is asked of the primary: a role just withdrawn is withdrawn.
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from common.db import reading_for_reports
from org.models import AdministrativeUnit, Agency
from org.permissions import agencies_overseen, agency_tree, is_superuser  # noqa: F401 (agency_tree: one import for callers)

from . import dashboard, indices, rules
from .models import DailyFigure, DossierFact

CAPABILITY = "reports.view"


# --- Scope ------------------------------------------------------------------------------------


def _descendants(parents: Mapping[int, int | None], roots: Iterable[int]) -> frozenset[int]:
    children: dict[int, list[int]] = {}
    for child, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(child)
    found: set[int] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        if node in found:
            continue
        found.add(node)
        stack.extend(children.get(node, ()))
    return frozenset(found)


@reading_for_reports()
def area_tree(ids: Iterable[int]) -> frozenset[int]:
    """The administrative units given and every unit under them (tỉnh → xã)."""
    return _descendants(dict(AdministrativeUnit.objects.values_list("id", "parent_id")), ids)


def viewer_agencies(user: Any) -> frozenset[int] | None:
    """The agencies whose figures ``user`` may read: those where they hold ``reports.view`` and
    every agency under them (the province's analyst sees its wards). None: the whole province
    (superusers)."""
    if is_superuser(user):
        return None
    return frozenset(agencies_overseen(user, CAPABILITY).values_list("id", flat=True))


@dataclass(frozen=True)
class Scope:
    """What the figures are counted over; None everywhere is the whole province."""

    agencies: frozenset[int] | None = None  # already expanded to children
    procedure_id: int | None = None
    field_id: int | None = None
    channel: str | None = None
    areas: frozenset[int] | None = None  # administrative units of the receiving one-stop units

    def narrowed(self, **changes: Any) -> Scope:
        values = {**self.__dict__, **changes}
        return Scope(**values)

    def within(self, allowed: frozenset[int] | None) -> Scope:
        """This scope inside what a viewer may see."""
        if allowed is None:
            return self
        mine = allowed if self.agencies is None else self.agencies & allowed
        return self.narrowed(agencies=frozenset(mine))


def _filtered(scope: Scope) -> QuerySet[DailyFigure]:
    rows = DailyFigure.objects.all()
    if scope.agencies is not None:
        rows = rows.filter(agency_id__in=sorted(scope.agencies))
    if scope.procedure_id is not None:
        rows = rows.filter(procedure_id=scope.procedure_id)
    if scope.field_id is not None:
        rows = rows.filter(field_id=scope.field_id)
    if scope.channel is not None:
        rows = rows.filter(channel=scope.channel)
    if scope.areas is not None:
        rows = rows.filter(area_id__in=sorted(scope.areas))
    return rows


def _aggregates(start: datetime.date) -> dict[str, Any]:
    during = Q(day__gte=start)
    out: dict[str, Any] = {f"sum_{m}": Sum(m, filter=during) for m in rules.MEASURES}
    out["open_before"] = Sum(F("received") - F("ended"), filter=Q(day__lt=start))
    out["open_at_end"] = Sum(F("received") - F("ended"))
    out["overdue_at_end"] = Sum(F("overdue_in") - F("overdue_out"))
    return out


def _sums(values: dict[str, Any]) -> rules.Sums:
    return rules.Sums(
        period={m: int(values.get(f"sum_{m}") or 0) for m in rules.MEASURES},
        open_before=int(values.get("open_before") or 0),
        open_at_end=int(values.get("open_at_end") or 0),
        overdue_at_end=int(values.get("overdue_at_end") or 0),
    )


@reading_for_reports()
def dossier_figures(*, start: datetime.date, end: datetime.date, scope: Scope = Scope()) -> rules.Figures:
    """Số liệu giải quyết hồ sơ from ``start`` to ``end`` (both included) in ``scope``."""
    rules.check_period(start, end)
    return rules.figures_from(_sums(_filtered(scope).filter(day__lte=end).aggregate(**_aggregates(start))))


BREAKDOWNS = ("agency_id", "procedure_id", "field_id", "channel", "area_id")


@reading_for_reports()
def dossier_figures_by(
    *, start: datetime.date, end: datetime.date, by: str, scope: Scope = Scope()
) -> dict[Any, rules.Figures]:
    """The same figures for each agency (procedure, field, channel, administrative unit) in
    ``scope`` that has any."""
    if by not in BREAKDOWNS:
        raise ValueError(by)
    rules.check_period(start, end)
    rows = _filtered(scope).filter(day__lte=end).values(by).annotate(**_aggregates(start)).order_by(by)
    return {row[by]: rules.figures_from(_sums(row)) for row in rows}


@reading_for_reports()
def daily_series(
    *, start: datetime.date, end: datetime.date, scope: Scope = Scope(), measures: Sequence[str] = ("received",)
) -> list[tuple[datetime.date, dict[str, int]]]:
    """Each month's sums of ``measures`` (for charts), in order."""
    rules.check_period(start, end)
    months: dict[datetime.date, dict[str, int]] = {}
    rows = _filtered(scope).filter(day__gte=start, day__lte=end).values("day", *measures)
    for row in rows.iterator():
        month = row["day"].replace(day=1)
        target = months.setdefault(month, dict.fromkeys(measures, 0))
        for m in measures:
            target[m] += row[m]
    return sorted(months.items())


# --- Figures from the other contexts ----------------------------------------------------------


def _agency_queryset(scope: Scope) -> QuerySet[Agency] | None:
    return None if scope.agencies is None else Agency.objects.filter(pk__in=sorted(scope.agencies))


@reading_for_reports()
def feedback_figures(*, start: datetime.date, end: datetime.date, scope: Scope = Scope()) -> Any | None:
    """Phản ánh, kiến nghị và mức độ hài lòng (``surveys.figures``); None without those apps."""
    if not (apps.is_installed("surveys") and apps.is_installed("feedback")):
        return None
    from surveys import figures

    return figures.figures(start=start, end=end, agencies=_agency_queryset(scope))


@dataclass(frozen=True)
class NewsCounts:
    """Tin, bài: articles and infographics first published in the period, and legal documents
    issued in it (the library)."""

    articles: int
    infographics: int
    documents: int

    @property
    def items(self) -> int:
        return self.articles + self.infographics


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=zone),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone),
    )


@reading_for_reports()
def news_counts(*, start: datetime.date, end: datetime.date) -> NewsCounts | None:
    """None when the news section is not installed."""
    if not apps.is_installed("news"):
        return None
    from news.models import ArticlePage, InfographicPage, LegalDocument

    since, until = _bounds(start, end)
    published = {"live": True, "first_published_at__gte": since, "first_published_at__lt": until}
    return NewsCounts(
        articles=ArticlePage.objects.filter(**published).count(),
        infographics=InfographicPage.objects.filter(**published).count(),
        documents=LegalDocument.objects.filter(issued_on__gte=start, issued_on__lte=end).count(),
    )


@dataclass(frozen=True)
class ContestCounts:
    contests: int
    participants: int


@reading_for_reports()
def contest_counts(*, start: datetime.date, end: datetime.date) -> ContestCounts | None:
    """Cuộc thi và lượt dự thi; None (no data) until the contest app is installed and says how to
    count them (``contest.selectors.participation``)."""
    if not apps.is_installed("contest"):
        return None
    try:
        contest_selectors = importlib.import_module("contest.selectors")
    except ImportError:
        return None
    participation = getattr(contest_selectors, "participation", None)
    if participation is None:
        return None
    found = participation(start=start, end=end)
    return ContestCounts(contests=int(found.contests), participants=int(found.participants))


# --- Everything a dashboard or a report shows -------------------------------------------------


@dataclass(frozen=True)
class Statistics:
    start: datetime.date
    end: datetime.date
    scope: Scope
    dossiers: rules.Figures
    feedback: Any | None
    news: NewsCounts | None
    contests: ContestCounts | None
    extras: dict[str, Any] = field(default_factory=dict)


@reading_for_reports()
def statistics(*, start: datetime.date, end: datetime.date, scope: Scope = Scope()) -> Statistics:
    return Statistics(
        start=start,
        end=end,
        scope=scope,
        dossiers=dossier_figures(start=start, end=end, scope=scope),
        feedback=feedback_figures(start=start, end=end, scope=scope),
        news=news_counts(start=start, end=end),
        contests=contest_counts(start=start, end=end),
    )


# --- The national index and the unit evaluation -------------------------------------------------


def _facts(scope: Scope) -> QuerySet[DossierFact]:
    rows = DossierFact.objects.all()
    if scope.agencies is not None:
        rows = rows.filter(agency_id__in=sorted(scope.agencies))
    if scope.procedure_id is not None:
        rows = rows.filter(procedure_id=scope.procedure_id)
    if scope.field_id is not None:
        rows = rows.filter(field_id=scope.field_id)
    if scope.channel is not None:
        rows = rows.filter(channel=scope.channel)
    if scope.areas is not None:
        rows = rows.filter(area_id__in=sorted(scope.areas))
    return rows


def _synced_facts(*, start: datetime.date, end: datetime.date, scope: Scope) -> QuerySet[DossierFact]:
    from integrations.models import SyncMessage

    sent = SyncMessage.objects.filter(dossier_id=OuterRef("dossier_id"))
    return (
        _facts(scope)
        .filter(received_on__gte=start, received_on__lte=end)
        .filter(Exists(sent.filter(delivered_at__isnull=False)), ~Exists(sent.filter(delivered_at__isnull=True)))
    )


def _synced(*, start: datetime.date, end: datetime.date, scope: Scope) -> int | None:
    """Dossiers received in the period whose every transition reached the national portal."""
    if not apps.is_installed("integrations"):
        return None
    return _synced_facts(start=start, end=end, scope=scope).count()


def _synced_by_agency(*, start: datetime.date, end: datetime.date, scope: Scope) -> dict[int, int] | None:
    """``_synced`` of each agency alone, in one pass over the dossiers' facts."""
    if not apps.is_installed("integrations"):
        return None
    rows = _synced_facts(start=start, end=end, scope=scope).values("agency_id").annotate(n=Count("dossier_id"))
    return {row["agency_id"]: row["n"] for row in rows.order_by()}


def _procedure_counts(*, end: datetime.date, scope: Scope) -> dict[str, int]:
    """Procedures public on ``end`` (those carried out by the scope's agencies): how many, how
    many with complete information (documents, time limit, fees, legal bases), how many fully
    online."""
    from catalog.models import FeeItem, OnlineLevel, RequiredDocument
    from catalog.selectors import public_versions

    versions = public_versions(on=end)
    if scope.agencies is not None:
        versions = versions.filter(agencies__agencies__in=sorted(scope.agencies)).distinct()
    if scope.procedure_id is not None:
        versions = versions.filter(procedure_id=scope.procedure_id)
    if scope.field_id is not None:
        versions = versions.filter(field_id=scope.field_id)
    documented = Exists(RequiredDocument.objects.filter(version=OuterRef("pk")))
    fees = Exists(FeeItem.objects.filter(version=OuterRef("pk")))
    complete = (
        versions.filter(documented, processing_days__isnull=False)
        .filter(fees | ~Q(fee_text=""))
        .exclude(legal_bases=[])
    )
    return {
        "procedures_public": versions.count(),
        "procedures_complete": complete.count(),
        "procedures_full_online": versions.filter(online_level=OnlineLevel.FULL).count(),
    }


def _feedback_published(*, start: datetime.date, end: datetime.date, scope: Scope) -> int:
    from feedback.models import FeedbackItem

    since, until = _bounds(start, end)
    answered = FeedbackItem.objects.filter(answered_at__gte=since, answered_at__lt=until, published_at__isnull=False)
    if scope.agencies is not None:
        answered = answered.filter(answered_by_agency__in=sorted(scope.agencies))
    return answered.count()


def inputs_from(figures: rules.Figures) -> dict[str, int | None]:
    """The scorecard's inputs that the dossier figures give."""
    return {
        "received_new": figures.received_new,
        "received_online": figures.received_online,
        "digitized": figures.digitized,
        "reused": figures.reused,
        "finished": figures.finished,
        "finished_in_time": figures.finished_early + figures.finished_on_time,
        "in_progress": figures.in_progress,
        "in_progress_on_time": figures.in_progress_on_time,
        "decided": figures.decided,
        "e_results": figures.e_results,
        "paid_dossiers": figures.paid_dossiers,
        "paid_online_dossiers": figures.paid_online_dossiers,
    }


def _feedback_inputs(found: Any | None) -> dict[str, int | None]:
    if found is None:
        names = ("feedback_answered", "feedback_answered_on_time", "ratings", "ratings_satisfied", "invited")
        return {**dict.fromkeys(names), "returned": None, "returned_without_complaint": None}
    overall = found.satisfaction["overall"].distribution
    return {
        "feedback_answered": found.answered.on_time + found.answered.late,
        "feedback_answered_on_time": found.answered.on_time,
        "ratings": found.ratings,
        "ratings_satisfied": overall.get(4, 0) + overall.get(5, 0),
        "invited": found.invited,
        "returned": found.dossiers_returned,
        "returned_without_complaint": found.dossiers_returned - found.dossiers_with_complaint,
    }


_NOT_GIVEN = -1


@reading_for_reports()
def scorecard_inputs(
    *,
    start: datetime.date,
    end: datetime.date,
    scope: Scope = Scope(),
    figures: rules.Figures | None = None,
    synced: int | None = _NOT_GIVEN,
) -> dict[str, int | None]:
    """Every input the QĐ 766 scorecard names, counted for the period and scope (None: the source
    is not installed); ``figures`` and ``synced``, when given, are the scope's, counted already."""
    counted = figures if figures is not None else dossier_figures(start=start, end=end, scope=scope)
    found = feedback_figures(start=start, end=end, scope=scope)
    inputs = {
        **inputs_from(counted),
        **_procedure_counts(end=end, scope=scope),
        **_feedback_inputs(found),
        "received_synced": _synced(start=start, end=end, scope=scope) if synced == _NOT_GIVEN else synced,
    }
    inputs["feedback_published"] = _feedback_published(start=start, end=end, scope=scope) if found is not None else None
    return inputs


@reading_for_reports()
def scorecard(*, start: datetime.date, end: datetime.date, scope: Scope = Scope()) -> indices.Scorecard:
    """The QĐ 766 scorecard of the period (by the index in force on its last day)."""
    rules.check_period(start, end)
    return indices.score(indices.index_on(end), scorecard_inputs(start=start, end=end, scope=scope))


@reading_for_reports()
def what_if(*, start: datetime.date, end: datetime.date, scope: Scope = Scope(), dossiers: int) -> indices.WhatIf:
    rules.check_period(start, end)
    return indices.what_if_overdue_finished(
        indices.index_on(end), scorecard_inputs(start=start, end=end, scope=scope), dossiers
    )


def overdue_dossiers(*, end: datetime.date, scope: Scope = Scope()) -> QuerySet[DossierFact]:
    """The dossiers received by ``end`` and still open after their due date at its close (the
    what-if's candidates), oldest due date first."""
    with reading_for_reports() as alias:
        rows = _facts(scope).using(alias)
    return (
        rows.filter(received_on__lte=end, due_on__lt=end)
        .filter(Q(finished_on__isnull=True) | Q(finished_on__gt=end))
        .order_by("due_on", "dossier_id")
    )


@reading_for_reports()
def evaluation_profiles(
    *, start: datetime.date, end: datetime.date, scope: Scope = Scope()
) -> dict[indices.DossierProfile, int]:
    """The dossiers finished in the period (done or returned), grouped by what the evaluation
    reads of them, with their counts: counted by the database, a few hundred groups for a year."""
    finish = Case(
        When(due_on__isnull=True, then=Value("on_time")),
        When(finished_on__lt=F("due_on"), then=Value("early")),
        When(finished_on=F("due_on"), then=Value("on_time")),
        default=Value("late"),
        output_field=CharField(),
    )
    rows = (
        _facts(scope)
        .filter(state__in=sorted(rules.DONE_STATES), finished_on__gte=start, finished_on__lte=end)
        .annotate(finish=finish)
    )
    if apps.is_installed("surveys"):
        from surveys.models import Rating

        rows = rows.annotate(
            attitude=Subquery(Rating.objects.filter(dossier_id=OuterRef("dossier_id")).values("attitude")[:1])
        )
    else:
        rows = rows.annotate(attitude=Value(None, output_field=IntegerField()))
    if apps.is_installed("feedback"):
        from feedback.models import FeedbackItem

        about = FeedbackItem.objects.filter(dossier_id=OuterRef("dossier_id"), duplicate_of__isnull=True)
        complaint: Case | Value = Case(
            When(Exists(about.filter(answered_at__isnull=True)), then=Value("open")),
            When(Exists(about), then=Value("answered")),
            default=Value("none"),
            output_field=CharField(),
        )
    else:
        complaint = Value("none", output_field=CharField())
    rows = rows.annotate(complaint=complaint)
    grouped = rows.values(
        "finish", "supplement_requests", "channel", "attitude", "complaint", "digitized", "e_result"
    ).annotate(n=Count("dossier_id"))
    return {
        indices.DossierProfile(
            finish=row["finish"],
            supplement_requests=row["supplement_requests"],
            channel=row["channel"],
            attitude=row["attitude"],
            complaint=row["complaint"],
            digitized=row["digitized"],
            e_result=row["e_result"],
        ): row["n"]
        for row in grouped.order_by()
    }


@reading_for_reports()
def unit_evaluation(*, start: datetime.date, end: datetime.date, scope: Scope = Scope()) -> indices.UnitEvaluation:
    """Đánh giá việc giải quyết TTHC of the scope's agencies (the circular in force on ``end``)."""
    rules.check_period(start, end)
    return indices.evaluate_unit(indices.evaluation_on(end), evaluation_profiles(start=start, end=end, scope=scope))


@reading_for_reports()
def agency_scorecards(
    *, start: datetime.date, end: datetime.date, allowed: frozenset[int] | None
) -> list[tuple[Agency, indices.Scorecard]]:
    """The scorecard of every agency the viewer may see (each with the agencies under it), in the
    order of their codes: the dossier figures in one query, rolled up the tree."""
    rules.check_period(start, end)
    index = indices.index_on(end)
    agencies = Agency.objects.order_by("code")
    if allowed is not None:
        agencies = agencies.filter(pk__in=sorted(allowed))
    by_agency = dossier_figures_by(start=start, end=end, by="agency_id", scope=Scope(agencies=allowed))
    synced = _synced_by_agency(start=start, end=end, scope=Scope(agencies=allowed))
    parents = dict(Agency.objects.values_list("id", "parent_id"))
    out = []
    for agency in agencies:
        tree = _descendants(parents, [agency.pk])
        if allowed is not None:
            tree = tree & allowed
        scope = Scope(agencies=tree)
        rolled = rules.added(by_agency[a] for a in tree if a in by_agency)
        sent = None if synced is None else sum(synced.get(a, 0) for a in tree)
        inputs = scorecard_inputs(start=start, end=end, scope=scope, figures=rolled, synced=sent)
        out.append((agency, indices.score(index, inputs)))
    return out


# --- The officers' dashboard and the public figures ----------------------------------------------


@reading_for_reports()
def monthly(
    *, start: datetime.date, end: datetime.date, scope: Scope = Scope(), measures: Sequence[str], by: str | None = None
) -> dict[Any, dict[datetime.date, dict[str, int]]]:
    """The sums of ``measures`` for each month of the period (the first of the month as key); with
    ``by`` (a breakdown of ``BREAKDOWNS``) one such table per value of it, else one under the key
    None. The database sums each day (a few hundred rows a year per value of ``by``), the months
    are added up here: truncating every row's date to its month costs SQLite four times more."""
    rules.check_period(start, end)
    if by is not None and by not in BREAKDOWNS:
        raise ValueError(by)
    keys = ["day", by] if by is not None else ["day"]
    rows = (
        _filtered(scope)
        .filter(day__gte=start, day__lte=end)
        .values(*keys)
        .annotate(**{f"sum_{m}": Sum(m) for m in measures})
        .order_by()
    )
    out: dict[Any, dict[datetime.date, dict[str, int]]] = {}
    for row in rows:
        by_month = out.setdefault(row[by] if by is not None else None, {})
        sums = by_month.setdefault(row["day"].replace(day=1), dict.fromkeys(measures, 0))
        for m in measures:
            sums[m] += int(row[f"sum_{m}"] or 0)
    return {key: dict(sorted(months.items())) for key, months in out.items()}


@reading_for_reports()
def dossier_figures_grid(
    *, start: datetime.date, end: datetime.date, by: Sequence[str], scope: Scope = Scope()
) -> dict[tuple[Any, ...], rules.Figures]:
    """The figures for each combination of the breakdowns ``by`` (agency and channel, say) that
    has any, in one pass over the daily table: every figure is a sum, so the figures of one
    breakdown, or of the whole scope, are these added up (``rules.added``)."""
    if not by or any(b not in BREAKDOWNS for b in by):
        raise ValueError(by)
    rules.check_period(start, end)
    rows = _filtered(scope).filter(day__lte=end).values(*by).annotate(**_aggregates(start)).order_by(*by)
    return {tuple(row[b] for b in by): rules.figures_from(_sums(row)) for row in rows}


@reading_for_reports()
def dashboard_period(*, start: datetime.date, end: datetime.date, scope: Scope = Scope()) -> dashboard.Period:
    """The figures of the dashboard for one period: the dossier figures of the whole scope, by
    channel and by agency (one pass over the daily table), and the satisfaction figures when the
    surveys are there."""
    grid = dossier_figures_grid(start=start, end=end, by=("agency_id", "channel"), scope=scope)
    agencies: dict[int, list[rules.Figures]] = {}
    channels: dict[str, list[rules.Figures]] = {}
    for (agency_id, channel), figures in grid.items():
        agencies.setdefault(agency_id, []).append(figures)
        channels.setdefault(channel, []).append(figures)
    return dashboard.Period(
        figures=rules.added(grid.values()),
        received_by_channel={channel: rules.added(found).received_new for channel, found in channels.items()},
        feedback=feedback_figures(start=start, end=end, scope=scope),
        by_agency={agency_id: rules.added(found) for agency_id, found in agencies.items()},
    )


@reading_for_reports()
def agencies_named(ids: Iterable[int]) -> dict[int, Agency]:
    return {a.pk: a for a in Agency.objects.filter(pk__in=sorted(ids))}


# --- The drill-down: procedures and dossiers -------------------------------------------------------


@reading_for_reports()
def procedures_named(ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Each procedure's code and name (its newest version's)."""
    from catalog.models import ProcedureVersion

    out: dict[int, tuple[str, str]] = {}
    rows = (
        ProcedureVersion.objects.filter(procedure_id__in=sorted(ids))
        .order_by("procedure_id", "-id")
        .values_list("procedure_id", "procedure__code", "name")
    )
    for pk, code, name in rows:
        out.setdefault(pk, (code, name))
    return out


@dataclass(frozen=True)
class DossierLine:
    """One dossier of the drill-down's list, where it stood at the end of the period."""

    dossier_id: int
    code: str
    agency_id: int
    procedure_id: int
    channel: str
    received_on: datetime.date | None
    due_on: datetime.date | None
    finished_on: datetime.date | None
    standing: rules.Standing


def counted_dossiers(*, start: datetime.date, end: datetime.date, scope: Scope = Scope()) -> QuerySet[DossierFact]:
    """The dossiers the period's figures count in ``scope``: received by its end and not ended
    before its start (new, carried over, finished in it, in progress at its end), and those refused
    at intake or withdrawn before reception during it; in the order of reception."""
    rules.check_period(start, end)
    handled = Q(received_on__lte=end) & (Q(finished_on__isnull=True) | Q(finished_on__gte=start))
    turned_away = Q(received_on__isnull=True, closed_on__gte=start, closed_on__lte=end)
    return _facts(scope).filter(handled | turned_away).order_by("received_on", "dossier_id")


_LINE_FIELDS = (
    "dossier_id",
    "agency_id",
    "procedure_id",
    "channel",
    "state",
    "received_on",
    "finished_on",
    "closed_on",
    "due_on",
    "supplement_requests",
)


def dossier_lines(
    facts: QuerySet[DossierFact],
    *,
    end: datetime.date,
    offset: int = 0,
    limit: int | None = None,
    chunk: int = 2000,
) -> Iterator[DossierLine]:
    """The rows of ``facts`` (from ``offset``, at most ``limit``) as lines of the list, each with
    its dossier's code, read ``chunk`` at a time: a million are never held at once."""
    from dossiers.models import Dossier

    code = Subquery(Dossier.objects.filter(pk=OuterRef("dossier_id")).values("code")[:1])
    rows = facts.annotate(code=code).values_list(*_LINE_FIELDS, "code")
    if offset or limit is not None:
        rows = rows[offset : None if limit is None else offset + limit]
    for (
        pk,
        agency_id,
        procedure_id,
        channel,
        state,
        received,
        finished,
        closed,
        due,
        supplements,
        found,
    ) in rows.iterator(chunk_size=chunk):
        facts_now = rules.DossierFacts(
            state=state,
            channel=channel,
            received_on=received,
            finished_on=finished,
            closed_on=closed,
            due_on=due,
            supplement_requests=supplements,
        )
        yield DossierLine(
            dossier_id=pk,
            code=found or "",
            agency_id=agency_id,
            procedure_id=procedure_id,
            channel=channel,
            received_on=received,
            due_on=due,
            finished_on=finished if finished is not None and finished <= end else None,
            standing=rules.standing(facts_now, end),
        )
