"""Figures API of feedback and satisfaction, for the reports: aggregates only, never who rated
what, for the agencies where the caller may read reports."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Router, Schema

from common.api import answers, check_period
from common.i18n import request_language
from common.problems import Problem
from org.permissions import ApiAccess, agencies_overseen, is_superuser

from . import figures

router = Router(tags=["feedback"])
CAPABILITY = "reports.view"


class TimelinessOut(Schema):
    on_time: int
    late: int


class SummaryOut(Schema):
    count: int
    mean: float | None
    distribution: dict[int, int]


class FeedbackFiguresOut(Schema):
    start: datetime.date
    end: datetime.date
    agency: str | None
    received: int
    duplicates: int
    by_channel: dict[str, int]
    by_topic: dict[str, int]
    refused: TimelinessOut
    forwarded: TimelinessOut
    answered: TimelinessOut
    median_working_days_to_answer: float | None
    median_minutes_to_reach_agency: float | None
    ratings: int
    invited: int
    response_rate: float | None
    satisfaction: dict[str, SummaryOut]
    dossiers_returned: int
    dossiers_with_complaint: int
    share_without_complaint: float | None


@router.get(
    "/figures/feedback",
    auth=ApiAccess(CAPABILITY),
    response=answers({200: FeedbackFiguresOut}, 400, 401, 403, 404),
    url_name="feedback_figures",
    summary="Số liệu phản ánh, kiến nghị và sự hài lòng",
)
def feedback_figures(
    request: HttpRequest, start: datetime.date, end: datetime.date, agency: str = "", lang: str | None = None
) -> FeedbackFiguresOut:
    """Per period (`start`, `end`, ISO dates, both included) and optionally one agency (its code):
    items received by channel and topic (linked duplicates apart), refused/forwarded/answered on
    time and late, median working days to answer, median minutes before an item reached its
    competent agency, satisfaction (mean and distribution per criterion, response rate) and the
    share of returned dossiers with no complaint (index 5.4)."""
    with translation.override(request_language(request, lang)):
        check_period(start, end, max_years=3)
        mine = agencies_overseen(request.user, CAPABILITY)
        scoped = mine
        if agency:
            scoped = mine.filter(code=agency)
            if not scoped.exists():
                raise Problem(
                    404, "not_found", _("Không tìm thấy"), _("Không có cơ quan này, hoặc bạn không được xem.")
                )
        whole = not agency and is_superuser(request.user)
        found = figures.figures(start=start, end=end, agencies=None if whole else scoped)
        return FeedbackFiguresOut(start=start, end=end, agency=agency or None, **found.__dict__)
