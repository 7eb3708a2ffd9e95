"""Every figure of the reports, computed one way, for any period, agency (with the agencies under
it), field, procedure, channel and administrative unit. Dashboards, the API, the scorecard and
the report documents all read here, so that no two pages disagree.

A figure whose source is not there (an app not installed) is ``None``: "no data", never zero.
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone

from org.models import AdministrativeUnit, Agency
from org.permissions import agencies_overseen, agency_tree, is_superuser  # noqa: F401 (agency_tree: one import for callers)

from . import rules
from .models import DailyFigure

CAPABILITY = "reports.view"


# --- Scope ------------------------------------------------------------------------------------


def _descendants(parents: dict[int, int | None], roots: Iterable[int]) -> frozenset[int]:
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


def dossier_figures(*, start: datetime.date, end: datetime.date, scope: Scope = Scope()) -> rules.Figures:
    """Số liệu giải quyết hồ sơ from ``start`` to ``end`` (both included) in ``scope``."""
    rules.check_period(start, end)
    return rules.figures_from(_sums(_filtered(scope).filter(day__lte=end).aggregate(**_aggregates(start))))


BREAKDOWNS = ("agency_id", "procedure_id", "field_id", "channel", "area_id")


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
