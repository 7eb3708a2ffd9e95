"""Figures API of the reports: the dossier figures of a period, in the caller's agencies and the
agencies under them, optionally narrowed to one agency, procedure, field, channel or
administrative unit (``reports.selectors``, the one place they are counted)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from catalog.models import Field, Procedure
from common.i18n import request_language
from common.problems import Problem
from org.models import AdministrativeUnit, Agency
from org.permissions import ApiAccess

from . import indices, rules, selectors
from .selectors import CAPABILITY, Scope

router = Router(tags=["reports"])


class DossierFiguresOut(Schema):
    start: datetime.date
    end: datetime.date
    agency: str | None
    received_total: int
    received_new: int
    carried_over: int
    received_online: int
    online_share: float | None
    finished: int
    finished_early: int
    finished_on_time: int
    finished_late: int
    on_time_share: float | None
    in_progress_on_time: int
    in_progress_overdue: int
    withdrawn: int
    stopped: int
    not_received: int
    digitized: int
    digitized_share: float | None
    reused: int
    reused_share: float | None
    e_results: int
    e_result_share: float | None
    paid_dossiers: int
    paid_online_dossiers: int
    paid_online_share: float | None
    paid_vnd: int
    paid_online_vnd: int


def _not_found() -> Problem:
    return Problem(404, "not_found", _("Không tìm thấy"), _("Không có đối tượng này, hoặc bạn không được xem."))


def scope_for(
    user: Any,
    *,
    agency: str = "",
    procedure: str = "",
    field: int | None = None,
    channel: str = "",
    area: str = "",
) -> Scope:
    """The scope a request asks for, inside what ``user`` may see; an agency outside it is not
    found (404, exactly as one that does not exist)."""
    allowed = selectors.viewer_agencies(user)
    scope = Scope(agencies=allowed)
    if agency:
        found = Agency.objects.filter(code=agency).values_list("id", flat=True).first()
        if found is None or (allowed is not None and found not in allowed):
            raise _not_found()
        scope = scope.narrowed(agencies=selectors.agency_tree([found])).within(allowed)
    if procedure:
        procedure_id = Procedure.objects.filter(code=procedure).values_list("id", flat=True).first()
        if procedure_id is None:
            raise _not_found()
        scope = scope.narrowed(procedure_id=procedure_id)
    if field is not None:
        if not Field.objects.filter(pk=field).exists():
            raise _not_found()
        scope = scope.narrowed(field_id=field)
    if channel:
        scope = scope.narrowed(channel=channel)
    if area:
        area_id = AdministrativeUnit.objects.filter(code=area).values_list("id", flat=True).first()
        if area_id is None:
            raise _not_found()
        scope = scope.narrowed(areas=selectors.area_tree([area_id]))
    return scope


def period_problem(error: rules.PeriodError) -> Problem:
    if str(error) == "reversed":
        detail = _("Ngày kết thúc phải sau ngày bắt đầu.")
    else:
        detail = _("Khoảng thời gian tối đa là 5 năm.")
    return Problem(400, "invalid_period", _("Khoảng thời gian không hợp lệ"), detail)


@router.get(
    "/figures/dossiers",
    auth=ApiAccess(CAPABILITY),
    response=DossierFiguresOut,
    url_name="dossier_figures",
    summary="Số liệu giải quyết hồ sơ theo kỳ, cơ quan, thủ tục, lĩnh vực, kênh, địa bàn",
)
def dossier_figures(
    request: HttpRequest,
    start: datetime.date,
    end: datetime.date,
    agency: str = "",
    procedure: str = "",
    field: int | None = None,
    channel: str = "",
    area: str = "",
    lang: str | None = None,
) -> DossierFiguresOut:
    """From `start` to `end` (ISO dates, both included, at most 5 years): dossiers received (new
    and carried over), finished early / on time / late, in progress on time / overdue at the end,
    withdrawn, stopped, refused at intake, online, digitized, reusing stored data, electronic
    results and online payments. Shares are 0..1, null when there is nothing to divide by. Only
    the caller's agencies and the agencies under them; `agency` (a code) narrows to one of them
    and those under it, `procedure` (a national code), `field` (its id), `channel`
    (online, counter, postal) and `area` (an administrative unit's code) narrow further."""
    with translation.override(request_language(request, lang)):
        scope = scope_for(request.user, agency=agency, procedure=procedure, field=field, channel=channel, area=area)
        try:
            f = selectors.dossier_figures(start=start, end=end, scope=scope)
        except rules.PeriodError as error:
            raise period_problem(error) from error
        return DossierFiguresOut(
            start=start,
            end=end,
            agency=agency or None,
            received_total=f.received_total,
            received_new=f.received_new,
            carried_over=f.carried_over,
            received_online=f.received_online,
            online_share=f.online_share,
            finished=f.finished,
            finished_early=f.finished_early,
            finished_on_time=f.finished_on_time,
            finished_late=f.finished_late,
            on_time_share=f.on_time_share,
            in_progress_on_time=f.in_progress_on_time,
            in_progress_overdue=f.in_progress_overdue,
            withdrawn=f.withdrawn,
            stopped=f.stopped,
            not_received=f.not_received,
            digitized=f.digitized,
            digitized_share=f.digitized_share,
            reused=f.reused,
            reused_share=f.reused_share,
            e_results=f.e_results,
            e_result_share=f.e_result_share,
            paid_dossiers=f.paid_dossiers,
            paid_online_dossiers=f.paid_online_dossiers,
            paid_online_share=f.paid_online_share,
            paid_vnd=f.paid_vnd,
            paid_online_vnd=f.paid_online_vnd,
        )


class IndicatorOut(Schema):
    code: str
    name: str
    formula: str
    numerator_input: str
    denominator_input: str
    numerator: int | None
    denominator: int | None
    ratio: float | None
    points: float | None
    max_points: float


class GroupOut(Schema):
    code: str
    number: int
    name: str
    points: float
    available: float
    max_points: float
    indicators: list[IndicatorOut]


class WhatIfOut(Schema):
    dossiers: int
    progress_before: float
    progress_after: float
    progress_gain: float
    total_gain: float


class ScorecardOut(Schema):
    start: datetime.date
    end: datetime.date
    agency: str | None
    index: str
    effective_from: datetime.date
    points: float
    available: float
    groups: list[GroupOut]
    what_if: WhatIfOut | None = None


def scorecard_out(card: indices.Scorecard) -> dict[str, Any]:
    return {
        "index": card.rules.name,
        "effective_from": card.rules.effective_from,
        "points": card.points,
        "available": card.available,
        "groups": [
            GroupOut(
                code=g.rule.code,
                number=g.rule.number,
                name=g.rule.name,
                points=g.points,
                available=g.available,
                max_points=g.rule.points,
                indicators=[
                    IndicatorOut(
                        code=i.rule.code,
                        name=i.rule.name,
                        formula=i.rule.formula,
                        numerator_input=i.rule.numerator,
                        denominator_input=i.rule.denominator,
                        numerator=i.numerator,
                        denominator=i.denominator,
                        ratio=i.ratio,
                        points=i.points,
                        max_points=i.rule.points,
                    )
                    for i in g.indicators
                ],
            )
            for g in card.groups
        ],
    }


@router.get(
    "/figures/scorecard",
    auth=ApiAccess(CAPABILITY),
    response=ScorecardOut,
    url_name="scorecard",
    summary="Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)",
)
def scorecard(
    request: HttpRequest,
    start: datetime.date,
    end: datetime.date,
    agency: str = "",
    overdue_finished: int | None = Query(None, ge=0, le=1_000_000),
    lang: str | None = None,
) -> ScorecardOut:
    """The five groups (công khai minh bạch 18, tiến độ 20, số hóa 22, dịch vụ trực tuyến 22,
    hài lòng 18) and their indicators, each with its formula, inputs and points, for the caller's
    agencies (or `agency` and those under it), by the index in force on `end`. An indicator with
    nothing to count has `points` null (no data), and its points leave `available`.
    `overdue_finished=N` adds what the scorecard would be if N of the overdue dossiers had been
    finished on time."""
    with translation.override(request_language(request, lang)):
        scope = scope_for(request.user, agency=agency)
        try:
            card = selectors.scorecard(start=start, end=end, scope=scope)
            found = (
                selectors.what_if(start=start, end=end, scope=scope, dossiers=overdue_finished)
                if overdue_finished is not None
                else None
            )
        except rules.PeriodError as error:
            raise period_problem(error) from error
        what_if = (
            WhatIfOut(
                dossiers=found.dossiers,
                progress_before=found.before.group("progress").points,
                progress_after=found.after.group("progress").points,
                progress_gain=found.progress_gain,
                total_gain=found.total_gain,
            )
            if found is not None
            else None
        )
        return ScorecardOut(start=start, end=end, agency=agency or None, what_if=what_if, **scorecard_out(card))


class EvaluationIndicatorOut(Schema):
    code: str
    name: str
    dossiers_2: int
    dossiers_1: int
    dossiers_0: int


class EvaluationOut(Schema):
    start: datetime.date
    end: datetime.date
    agency: str | None
    circular: str
    effective_from: datetime.date
    dossiers: int
    score: float | None
    grade: str | None
    grade_name: str
    indicators: list[EvaluationIndicatorOut]


@router.get(
    "/figures/evaluation",
    auth=ApiAccess(CAPABILITY),
    response=EvaluationOut,
    url_name="unit_evaluation",
    summary="Đánh giá việc giải quyết TTHC của đơn vị (Thông tư 01/2018, Thông tư 03/2025)",
)
def evaluation(
    request: HttpRequest,
    start: datetime.date,
    end: datetime.date,
    agency: str = "",
    lang: str | None = None,
) -> EvaluationOut:
    """The dossiers finished in the period scored 2/1/0 on each indicator of the circular in force
    on `end`; the unit's score (0..100, the mean of its dossiers') and grade: excellent (xuất
    sắc), good (tốt), fair (khá), average (trung bình), weak (yếu); null without finished
    dossiers. `indicators` counts the dossiers given 2, 1 and 0 points on each."""
    with translation.override(request_language(request, lang)):
        scope = scope_for(request.user, agency=agency)
        try:
            unit = selectors.unit_evaluation(start=start, end=end, scope=scope)
        except rules.PeriodError as error:
            raise period_problem(error) from error
        return EvaluationOut(
            start=start,
            end=end,
            agency=agency or None,
            circular=unit.rules.name,
            effective_from=unit.rules.effective_from,
            dossiers=unit.dossiers,
            score=unit.score,
            grade=unit.grade,
            grade_name=unit.grade_name,
            indicators=[
                EvaluationIndicatorOut(
                    code=i.code,
                    name=i.name,
                    dossiers_2=unit.points_count[i.code][2],
                    dossiers_1=unit.points_count[i.code][1],
                    dossiers_0=unit.points_count[i.code][0],
                )
                for i in unit.rules.indicators
            ],
        )
