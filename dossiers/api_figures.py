"""GET /api/v1/figures/today: today's figures of the one-stop shop (dossiers.figures), public,
for the centre's electronic board (news' signage page) and the portal's home."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from common.api import answers

from . import figures

router = Router(tags=["dossiers"])


class TodayFiguresOut(Schema):
    day: datetime.date
    received_today: int
    received_this_month: int
    online_this_month: int
    online_share: float | None
    finished_this_month: int
    on_time_this_month: int
    on_time_share: float | None
    as_of: datetime.datetime


@router.get(
    "/figures/today",
    response=answers({200: TodayFiguresOut}),
    url_name="today_figures",
    summary="Số liệu hồ sơ hôm nay (bảng điện tử)",
)
def today_figures(request: HttpRequest) -> dict[str, object]:
    """Dossiers received today, the online share of this month's receptions (percent) and the
    on-time share of this month's finished dossiers (original due date, at most one supplement
    request), as of `as_of` (at most a few seconds old: `MOTCUA_TODAY_FIGURES_CACHE_SECONDS`)."""
    return figures.today_figures()
