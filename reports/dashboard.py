"""What the officers' dashboard (bảng số liệu, /can-bo/bao-cao/) shows, as plain functions with no
I/O: the periods offered as presets, the lines of its table (the figures the province reports,
each with its kind so that the page and the XLSX file write it the same way), and the series of
its charts. The numbers come from ``reports.selectors``; here they are only arranged."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from common import formats

from . import rules


class Kind(StrEnum):
    COUNT = "count"  # hồ sơ, lượt: 37.448
    SHARE = "share"  # 0..1, written 95,4 %
    VND = "vnd"  # 18.427.000.000 đồng


# --- Periods ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preset:
    key: str
    label: str | Promise
    start: datetime.date
    end: datetime.date


def _quarter_start(day: datetime.date) -> datetime.date:
    return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)


def presets(today: datetime.date) -> list[Preset]:
    """Tháng này, quý này, năm nay (each up to today) and the whole of last year."""
    return [
        Preset("thang-nay", _("Tháng này"), today.replace(day=1), today),
        Preset("quy-nay", _("Quý này"), _quarter_start(today), today),
        Preset("nam-nay", _("Năm nay"), today.replace(month=1, day=1), today),
        Preset(
            "nam-truoc",
            _("Năm trước"),
            datetime.date(today.year - 1, 1, 1),
            datetime.date(today.year - 1, 12, 31),
        ),
    ]


# --- The table ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One row of the table: a figure of the period, and of the same period a year before."""

    key: str
    label: str | Promise
    kind: Kind
    value: int | float | None  # None: no data (the source is not there), never zero
    before: int | float | None
    level: int = 0  # 1: a part of the line above it ("trong đó")


def satisfaction(feedback: Any | None) -> tuple[int | None, float | None]:
    """Lượt đánh giá and the share satisfied (4 or 5 of 5 overall), from ``surveys.figures``;
    (None, None) without those apps."""
    if feedback is None:
        return None, None
    overall = feedback.satisfaction["overall"].distribution
    ratings = int(feedback.ratings)
    satisfied = overall.get(4, 0) + overall.get(5, 0)
    return ratings, rules.share(satisfied, sum(overall.values()))


@dataclass(frozen=True)
class Period:
    """What the table is made of for one period."""

    figures: rules.Figures
    received_by_channel: Mapping[str, int]
    feedback: Any | None
    by_agency: Mapping[int, rules.Figures] = field(default_factory=dict)  # each agency alone


def _values(p: Period) -> dict[str, int | float | None]:
    f = p.figures
    ratings, satisfied = satisfaction(p.feedback)
    return {
        "received_new": f.received_new,
        "received_online": f.received_online,
        "received_counter": p.received_by_channel.get("counter", 0),
        "received_postal": p.received_by_channel.get("postal", 0),
        "online_share": f.online_share,
        "carried_over": f.carried_over,
        "finished": f.finished,
        "finished_early": f.finished_early,
        "finished_on_time": f.finished_on_time,
        "finished_late": f.finished_late,
        "on_time_share": f.on_time_share,
        "in_progress": f.in_progress,
        "in_progress_on_time": f.in_progress_on_time,
        "in_progress_overdue": f.in_progress_overdue,
        "withdrawn": f.withdrawn,
        "paid_online_vnd": f.paid_online_vnd,
        "paid_online_share": f.paid_online_share,
        "ratings": ratings,
        "satisfied_share": satisfied,
    }


# (key, label, kind, level): the order of the province's report.
LINES: tuple[tuple[str, str | Promise, Kind, int], ...] = (
    ("received_new", _("Hồ sơ tiếp nhận mới"), Kind.COUNT, 0),
    ("received_online", _("Trực tuyến"), Kind.COUNT, 1),
    ("received_counter", _("Trực tiếp tại Bộ phận Một cửa"), Kind.COUNT, 1),
    ("received_postal", _("Qua dịch vụ bưu chính"), Kind.COUNT, 1),
    ("online_share", _("Tỷ lệ hồ sơ trực tuyến"), Kind.SHARE, 0),
    ("carried_over", _("Hồ sơ kỳ trước chuyển qua"), Kind.COUNT, 0),
    ("finished", _("Hồ sơ đã giải quyết"), Kind.COUNT, 0),
    ("finished_early", _("Trước hạn"), Kind.COUNT, 1),
    ("finished_on_time", _("Đúng hạn"), Kind.COUNT, 1),
    ("finished_late", _("Quá hạn"), Kind.COUNT, 1),
    ("on_time_share", _("Tỷ lệ giải quyết đúng hạn (gồm trước hạn)"), Kind.SHARE, 0),
    ("in_progress", _("Hồ sơ đang giải quyết (cuối kỳ)"), Kind.COUNT, 0),
    ("in_progress_on_time", _("Trong hạn"), Kind.COUNT, 1),
    ("in_progress_overdue", _("Quá hạn"), Kind.COUNT, 1),
    ("withdrawn", _("Hồ sơ rút"), Kind.COUNT, 0),
    ("paid_online_vnd", _("Số tiền phí, lệ phí thanh toán trực tuyến"), Kind.VND, 0),
    ("paid_online_share", _("Tỷ lệ hồ sơ thanh toán trực tuyến"), Kind.SHARE, 0),
    ("ratings", _("Lượt đánh giá sự hài lòng"), Kind.COUNT, 0),
    ("satisfied_share", _("Tỷ lệ hài lòng"), Kind.SHARE, 0),
)


LINE_INFO: dict[str, tuple[str | Promise, Kind, int]] = {key: (label, kind, level) for key, label, kind, level in LINES}


def lines(now: Period, before: Period) -> list[Line]:
    """The table's rows for the period and the same period of the year before."""
    current, previous = _values(now), _values(before)
    return [
        Line(key=key, label=label, kind=kind, value=current[key], before=previous[key], level=level)
        for key, label, kind, level in LINES
    ]


# --- The drill-down ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """A row of a table by agency or by procedure: what it is (its code, the link's value), the
    figures of the period and of the same period a year before (None: none then)."""

    code: str
    name: str
    now: rules.Figures
    before: rules.Figures | None
    url: str = ""  # the dashboard narrowed to it

    @property
    def received_before(self) -> int:
        return self.before.received_new if self.before is not None else 0


def rows_of(
    now: Mapping[Any, rules.Figures],
    before: Mapping[Any, rules.Figures],
    named: Mapping[Any, tuple[str, str]],
) -> list[Row]:
    """One row per key of ``now`` that has a name, the most dossiers received first."""
    rows = [Row(code=named[k][0], name=named[k][1], now=f, before=before.get(k)) for k, f in now.items() if k in named]
    return sorted(rows, key=lambda row: (-row.now.received_new, row.name))


STANDING_LABELS: dict[rules.Standing, str | Promise] = {
    rules.Standing.EARLY: _("Đã giải quyết trước hạn"),
    rules.Standing.ON_TIME: _("Đã giải quyết đúng hạn"),
    rules.Standing.LATE: _("Đã giải quyết quá hạn"),
    rules.Standing.OPEN_ON_TIME: _("Đang giải quyết trong hạn"),
    rules.Standing.OPEN_OVERDUE: _("Đang giải quyết quá hạn"),
    rules.Standing.STOPPED: _("Dừng xử lý"),
    rules.Standing.WITHDRAWN: _("Rút hồ sơ"),
    rules.Standing.NOT_RECEIVED: _("Không được tiếp nhận"),
}


# --- How a figure is written ----------------------------------------------------------------------


def share_text(value: float, language: str = "vi") -> str:
    """0.9541 → "95,4 %" (one decimal, decimal comma, a no-break space before the sign); "95.4%"
    in the other languages."""
    if language != "vi":
        return f"{value * 100:.1f}%"
    return f"{value * 100:.1f}".replace(".", ",") + "\u00a0%"


def written(value: int | float | None, kind: Kind, language: str = "vi") -> str:
    """A figure as the page writes it (37.448 in Vietnamese, 37,448 in the other languages); "—"
    for no data."""
    if value is None:
        return "—"
    if kind is Kind.SHARE:
        return share_text(float(value), language)
    if kind is Kind.VND:
        return formats.format_vnd(int(value), language)
    return formats.group_thousands(int(value), "." if language == "vi" else ",")


def xlsx_format(value: int | float | None, kind: Kind) -> str:
    """The Excel number format that writes ``value`` the Vietnamese way whatever the reader's
    settings: thousands grouped with dots (the format is chosen for the value's size, since a
    format's literal dot cannot be made conditional beyond two sizes), shares in per cent."""
    if kind is Kind.SHARE:
        return "0.0%"
    digits = len(str(abs(int(value or 0))))
    groups = (digits - 1) // 3
    pattern = "0" + "\\.000" * groups
    return pattern + '" đồng"' if kind is Kind.VND else pattern


# --- Charts -------------------------------------------------------------------------------------


def month_label(month: datetime.date) -> str:
    return f"{month.month:02d}/{month.year}"


def months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first day of each month the period touches."""
    out = []
    month = start.replace(day=1)
    while month <= end:
        out.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return out


@dataclass(frozen=True)
class Chart:
    """A chart and the table beside it: one row per month, one column per series."""

    key: str
    title: str | Promise
    labels: list[str]
    series: list[tuple[str | Promise, list[int]]]

    def as_json(self) -> dict[str, Any]:
        return {"labels": self.labels, "series": [{"label": str(name), "data": data} for name, data in self.series]}

    @property
    def rows(self) -> list[tuple[str, list[int]]]:
        return [(label, [data[i] for _name, data in self.series]) for i, label in enumerate(self.labels)]


def monthly_chart(
    key: str,
    title: str | Promise,
    month_list: Sequence[datetime.date],
    series: Sequence[tuple[str | Promise, Mapping[datetime.date, int]]],
) -> Chart:
    return Chart(
        key=key,
        title=title,
        labels=[month_label(m) for m in month_list],
        series=[(name, [int(values.get(m, 0)) for m in month_list]) for name, values in series],
    )
