"""Figures API of the reports: the dossier figures of a period, in the caller's agencies and the
agencies under them, optionally narrowed to one agency, procedure, field, channel or
administrative unit (``reports.selectors``, the one place they are counted)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field as SchemaField
from ninja import Query, Router, Schema, Status

from catalog.models import Field, Procedure
from common.api import answers
from common.i18n import request_language
from common.problems import Problem
from org.models import AdministrativeUnit, Agency
from org.permissions import ApiAccess

from . import documents, indices, rules, selectors, services
from .models import ReportDocument, ReportKind
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
    response=answers({200: DossierFiguresOut}, 400, 401, 403, 404, 422),
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
    response=answers({200: ScorecardOut}, 400, 401, 403, 404, 422),
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
    response=answers({200: EvaluationOut}, 400, 401, 403, 404, 422),
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


# --- Report documents -------------------------------------------------------------------------


class ReportIn(Schema):
    kind: ReportKind
    start: datetime.date
    end: datetime.date
    agency: str = ""
    parent_body: str = SchemaField(max_length=200)
    body: str = SchemaField(max_length=200)
    number: str = SchemaField(max_length=60)
    place: str = SchemaField(max_length=80)
    day: datetime.date
    signer_title: str = SchemaField(max_length=200)
    signer_name: str = SchemaField(max_length=120)
    recipients: list[str] = SchemaField(default_factory=list, max_length=20)
    pdf: bool = True  # also the PDF (LibreOffice), a few seconds more


class ReportOut(Schema):
    id: int
    kind: str
    start: datetime.date
    end: datetime.date
    created_at: datetime.datetime
    docx_url: str
    pdf_url: str | None
    figures: dict[str, Any]


def report_out(report: ReportDocument) -> ReportOut:
    return ReportOut(
        id=report.pk,
        kind=report.kind,
        start=report.start,
        end=report.end,
        created_at=report.created_at,
        docx_url=reverse("api:report_docx", args=[report.pk]),
        pdf_url=reverse("api:report_pdf", args=[report.pk]) if report.pdf else None,
        figures=report.snapshot.get("context", {}),
    )


def placeholder_problem(error: documents.PlaceholderError) -> Problem:
    return Problem(
        422,
        "unknown_placeholder",
        _("Mẫu báo cáo có trường không xác định"),
        _("Mẫu có trường «%(name)s» (%(where)s) mà hệ thống không có số liệu; hãy sửa mẫu trong Word.")
        % {"name": error.name, "where": error.where},
        placeholder=error.name,
        where=error.where,
    )


def readable_report(user: Any, pk: int) -> ReportDocument:
    """A report the user wrote, or one of an agency they oversee (the whole province's: only a
    viewer of the whole province); else 404."""
    report = ReportDocument.objects.filter(pk=pk).first()
    if report is None:
        raise _not_found()
    allowed = selectors.viewer_agencies(user)
    mine = report.created_by_id == user.pk
    if not mine and allowed is not None and (report.agency_id is None or report.agency_id not in allowed):
        raise _not_found()
    return report


@router.post(
    "/reports",
    auth=ApiAccess(CAPABILITY),
    response=answers({201: ReportOut}, 400, 401, 403, 404, 422),
    url_name="report_write",
    summary="Lập báo cáo (DOCX theo thể thức Nghị định 30/2020, kèm PDF)",
)
def report_write(request: HttpRequest, data: ReportIn, lang: str | None = None) -> Status:
    """Writes the report of `kind` (propaganda: công tác tuyên truyền CCHC; one_stop_quarterly:
    tình hình giải quyết TTHC) for the period and the caller's agencies (or `agency` and those
    under it) from the office's template, with every figure filled from the data, and keeps it
    with those figures. A template field the data does not know answers 422 with its name and
    where it is in the document."""
    with translation.override(request_language(request, lang)):
        scope = scope_for(request.user, agency=data.agency)
        agency_id = (
            Agency.objects.filter(code=data.agency).values_list("id", flat=True).first() if data.agency else None
        )
        heading = documents.Heading(
            parent_body=data.parent_body,
            body=data.body,
            number=data.number,
            place=data.place,
            day=data.day,
            signer_title=data.signer_title,
            signer_name=data.signer_name,
            recipients=tuple(data.recipients),
        )
        try:
            report = services.report_write(
                actor=request.user,
                kind=data.kind,
                start=data.start,
                end=data.end,
                scope=scope,
                agency_id=agency_id,
                heading=heading,
                pdf=data.pdf,
            )
        except rules.PeriodError as error:
            raise period_problem(error) from error
        except documents.PlaceholderError as error:
            raise placeholder_problem(error) from error
        return Status(201, report_out(report))


@router.get(
    "/reports/{report_id}",
    auth=ApiAccess(CAPABILITY),
    response=answers({200: ReportOut}, 401, 403, 404, 422),
    url_name="report",
)
def report_get(request: HttpRequest, report_id: int) -> ReportOut:
    """A report as written, with the figures it was written from."""
    return report_out(readable_report(request.user, report_id))


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _file(report: ReportDocument, content: bytes | memoryview, extension: str, content_type: str) -> HttpResponse:
    response = HttpResponse(bytes(content), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="bao-cao-{report.pk}-{report.start:%Y%m%d}.{extension}"'
    return response


# A file, not JSON: reached from the report's links (``ReportOut``), left out of the OpenAPI document.
@router.get("/reports/{report_id}/docx", auth=ApiAccess(CAPABILITY), url_name="report_docx", include_in_schema=False)
def report_docx(request: HttpRequest, report_id: int) -> HttpResponse:
    """The DOCX as written then."""
    report = readable_report(request.user, report_id)
    return _file(report, report.docx, "docx", DOCX_TYPE)


# A file, not JSON: reached from the report's links (``ReportOut``), left out of the OpenAPI document.
@router.get("/reports/{report_id}/pdf", auth=ApiAccess(CAPABILITY), url_name="report_pdf", include_in_schema=False)
def report_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    """The PDF of the same document (404 when LibreOffice was not there to write it)."""
    report = readable_report(request.user, report_id)
    if not report.pdf:
        raise _not_found()
    return _file(report, report.pdf, "pdf", "application/pdf")
