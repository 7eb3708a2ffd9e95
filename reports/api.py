"""Figures API of the reports: the dossier figures of a period, in the caller's agencies and the
agencies under them, optionally narrowed to one agency, procedure, field, channel or
administrative unit (``reports.selectors``, the one place they are counted)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Router, Schema

from catalog.models import Field, Procedure
from common.i18n import request_language
from common.problems import Problem
from org.models import AdministrativeUnit, Agency
from org.permissions import ApiAccess

from . import rules, selectors
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
