"""The dashboard's tables as an XLSX workbook (openpyxl): a title row, the period written the
Vietnamese way, the figures as numbers (not text) with formats that write them as the page does,
and column widths set. One sheet for the figures, one for the agencies."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from common import formats

from . import dashboard, rules

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)


def period_text(start: datetime.date, end: datetime.date) -> str:
    """ "Từ ngày 01/01/2025 đến ngày 31/12/2025"."""
    return _("Từ ngày %(start)s đến ngày %(end)s") % {
        "start": formats.short_date(start),
        "end": formats.short_date(end),
    }


def _put(sheet: Worksheet, row: int, column: int, value: int | float | None, kind: dashboard.Kind) -> None:
    cell = sheet.cell(row=row, column=column)
    if value is None:
        cell.value = "—"  # no data, never zero
        cell.alignment = Alignment(horizontal="right")
        return
    cell.value = value
    cell.number_format = dashboard.xlsx_format(value, kind)


def _heading(sheet: Worksheet, title: str, lines: Sequence[str], columns: Sequence[str]) -> int:
    sheet.cell(row=1, column=1, value=title).font = TITLE_FONT
    for offset, text in enumerate(lines, start=2):
        sheet.cell(row=offset, column=1, value=text)
    header = len(lines) + 3
    for column, text in enumerate(columns, start=1):
        cell = sheet.cell(row=header, column=column, value=text)
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
    return header + 1


def dashboard_workbook(
    *,
    lines: Sequence[dashboard.Line],
    start: datetime.date,
    end: datetime.date,
    before: tuple[datetime.date, datetime.date],
    scope_text: str,
    by_agency: Sequence[tuple[object, rules.Figures]],
) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Số liệu")
    first = _heading(
        sheet,
        _("SỐ LIỆU GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"),
        [period_text(start, end), scope_text],
        [_("Chỉ tiêu"), _("Kỳ này"), _("Cùng kỳ năm trước (%(period)s)") % {"period": period_text(*before)}],
    )
    for row, line in enumerate(lines, start=first):
        label = sheet.cell(row=row, column=1, value=str(line.label))
        label.alignment = Alignment(indent=2 * line.level)
        if line.level == 0:
            label.font = BOLD
        _put(sheet, row, 2, line.value, line.kind)
        _put(sheet, row, 3, line.before, line.kind)
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 22
    sheet.column_dimensions["C"].width = 28

    agencies = book.create_sheet(_("Theo cơ quan"))
    columns = [
        (_("Cơ quan"), 48),
        (_("Hồ sơ tiếp nhận mới"), 16),
        (_("Trực tuyến"), 14),
        (_("Tỷ lệ hồ sơ trực tuyến"), 14),
        (_("Hồ sơ đã giải quyết"), 16),
        (_("Tỷ lệ giải quyết đúng hạn"), 16),
        (_("Đang giải quyết quá hạn"), 16),
    ]
    first = _heading(
        agencies,
        _("SỐ LIỆU THEO CƠ QUAN"),
        [period_text(start, end), scope_text],
        [name for name, _width in columns],
    )
    count, share = dashboard.Kind.COUNT, dashboard.Kind.SHARE
    for row, (agency, f) in enumerate(by_agency, start=first):
        agencies.cell(row=row, column=1, value=str(getattr(agency, "name", agency)))
        for column, (value, kind) in enumerate(
            [
                (f.received_new, count),
                (f.received_online, count),
                (f.online_share, share),
                (f.finished, count),
                (f.on_time_share, share),
                (f.in_progress_overdue, count),
            ],
            start=2,
        ):
            _put(agencies, row, column, value, kind)
    for index, (_name, width) in enumerate(columns):
        agencies.column_dimensions[chr(ord("A") + index)].width = width

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
