"""The figures of feedback and satisfaction for the reports (Quyết định 766/QĐ-TTg, nhóm 5), per
period and agencies: items received by channel and topic (a linked duplicate is not counted
again), refused, forwarded and answered on time and late, the median working days to answer and
the median minutes an item waited before reaching its competent agency, satisfaction per criterion
with the response rate, and the share of returned dossiers that drew no complaint (chỉ số 5.4).

The rows are read once; the arithmetic is in ``compute`` (pure), so the same numbers come out
wherever they are shown."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from dossiers.models import Dossier
from dossiers.rules import State as DossierState
from feedback.models import FeedbackItem
from feedback.rules import Channel, Topic
from org.models import Agency
from workdays.calendar import WorkCalendar
from workdays.selectors import work_calendar

from . import rules
from .models import Rating


@dataclass(frozen=True)
class ItemRow:
    channel: str
    topic: str
    duplicate: bool
    received_at: datetime.datetime
    classify_by: datetime.date
    forward_by: datetime.date
    answer_by: datetime.date
    refused_at: datetime.datetime | None
    reached_agency_at: datetime.datetime | None
    forwarded: bool
    answered_at: datetime.datetime | None


@dataclass(frozen=True)
class Timeliness:
    on_time: int
    late: int


@dataclass(frozen=True)
class Figures:
    received: int
    duplicates: int
    by_channel: dict[str, int]
    by_topic: dict[str, int]
    refused: Timeliness
    forwarded: Timeliness
    answered: Timeliness
    median_working_days_to_answer: float | None
    median_minutes_to_reach_agency: float | None
    ratings: int
    invited: int
    response_rate: float | None
    satisfaction: dict[str, rules.Summary]
    dossiers_returned: int
    dossiers_with_complaint: int
    share_without_complaint: float | None


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _split(pairs: Iterable[tuple[datetime.date, datetime.date]]) -> Timeliness:
    done = list(pairs)
    on_time = sum(1 for day, due in done if day <= due)
    return Timeliness(on_time=on_time, late=len(done) - on_time)


def compute(
    *,
    items: Sequence[ItemRow],
    ratings: Sequence[dict[str, Any]],
    invited: int,
    dossiers_returned: int,
    dossiers_with_complaint: int,
    calendar: WorkCalendar,
) -> Figures:
    counted = [i for i in items if not i.duplicate]
    answered = [i for i in counted if i.answered_at is not None]
    reached = [i for i in counted if i.reached_agency_at is not None]
    return Figures(
        received=len(counted),
        duplicates=len(items) - len(counted),
        by_channel={c: n for c in Channel.values if (n := Counter(i.channel for i in counted)[c])},
        by_topic={t: n for t in Topic.values if (n := Counter(i.topic for i in counted)[t])},
        refused=_split((_local_day(i.refused_at), i.classify_by) for i in counted if i.refused_at is not None),
        forwarded=_split(
            (_local_day(i.reached_agency_at), i.forward_by)
            for i in counted
            if i.forwarded and i.reached_agency_at is not None
        ),
        answered=_split((_local_day(i.answered_at), i.answer_by) for i in answered if i.answered_at is not None),
        median_working_days_to_answer=rules.median_days(
            calendar.working_days_between(_local_day(i.received_at), _local_day(i.answered_at))
            for i in answered
            if i.answered_at is not None
        ),
        median_minutes_to_reach_agency=rules.median_days(
            (i.reached_agency_at - i.received_at).total_seconds() / 60 for i in reached if i.reached_agency_at
        ),
        ratings=len(ratings),
        invited=invited,
        response_rate=rules.response_rate(len(ratings), invited),
        satisfaction={
            "overall": rules.summarize(r["overall"] for r in ratings),
            **{key: rules.summarize(r[key] for r in ratings) for key in rules.CRITERIA},
        },
        dossiers_returned=dossiers_returned,
        dossiers_with_complaint=dossiers_with_complaint,
        share_without_complaint=(
            round((dossiers_returned - dossiers_with_complaint) / dossiers_returned, 4) if dossiers_returned else None
        ),
    )


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    return first, datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)


def figures(*, start: datetime.date, end: datetime.date, agencies: QuerySet[Agency] | None) -> Figures:
    """The figures of items received, and of dossiers returned and items answered, from ``start``
    to ``end`` (both included); ``agencies`` None is the whole province. An item counts for the
    agency holding it now (the competent one, once routed)."""
    since, until = _bounds(start, end)
    items = FeedbackItem.objects.filter(received_at__gte=since, received_at__lt=until)
    answered_items = FeedbackItem.objects.filter(answered_at__gte=since, answered_at__lt=until)
    returned = Dossier.objects.filter(state=DossierState.RETURNED, returned_at__gte=since, returned_at__lt=until)
    rated = Rating.objects.filter(created_at__gte=since, created_at__lt=until)
    if agencies is not None:
        items = items.filter(agency__in=agencies)
        answered_items = answered_items.filter(answered_by_agency__in=agencies)
        returned = returned.filter(processing_agency__in=agencies)
        rated = rated.filter(agency__in=agencies)
    refused = dict(items.filter(events__action="refuse").values_list("id", "events__at"))
    forwarded = set(items.filter(events__action="forward").values_list("id", flat=True))
    rows = [
        ItemRow(
            channel=v["channel"],
            topic=v["topic"],
            duplicate=v["duplicate_of_id"] is not None,
            received_at=v["received_at"],
            classify_by=v["classify_by"],
            forward_by=v["forward_by"],
            answer_by=v["answer_by"],
            refused_at=refused.get(v["id"]),
            reached_agency_at=v["reached_agency_at"],
            forwarded=v["id"] in forwarded,
            answered_at=v["answered_at"],
        )
        for v in items.values(
            "id",
            "channel",
            "topic",
            "duplicate_of_id",
            "received_at",
            "classify_by",
            "forward_by",
            "answer_by",
            "reached_agency_at",
            "answered_at",
        )
    ]
    returned_count = returned.count()
    with_complaint = returned.filter(feedback_items__isnull=False).distinct().count()
    return compute(
        items=rows,
        ratings=list(rated.values("overall", *rules.CRITERIA)),
        invited=returned_count + answered_items.count(),
        dossiers_returned=returned_count,
        dossiers_with_complaint=with_complaint,
        calendar=work_calendar(),
    )
