"""Vietnamese formats of the contest pages: a moment as "08:00 ngày 02/03/2026" (the portal's time
zone) and a time taken as "12 phút 05 giây"."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def moment(value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    return _("%(time)s ngày %(date)s") % {"time": local.strftime("%H:%M"), "date": local.strftime("%d/%m/%Y")}


@register.filter
def duration_ms(value: int | None) -> str:
    if value is None:
        return ""
    seconds = int(value) // 1000
    minutes, seconds = divmod(seconds, 60)
    if minutes:
        return _("%(m)d phút %(s)02d giây") % {"m": minutes, "s": seconds}
    return _("%(s)d giây") % {"s": seconds}


@register.filter
def clock(seconds: int | None) -> str:
    """A countdown as mm:ss."""
    seconds = max(0, int(seconds or 0))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


@register.filter
def div60(seconds: int | None) -> int:
    return int(seconds or 0) // 60


@register.filter
def score100(value: Any) -> str:
    """A score out of 100 with two decimals, the Vietnamese way: 72,50."""
    if value is None:
        return "—"
    return f"{value:.2f}".replace(".", ",")
