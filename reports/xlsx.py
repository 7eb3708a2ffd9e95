"""The dashboard's tables as an XLSX workbook (openpyxl): a title row, the period written the
Vietnamese way, the figures as numbers (not text) with formats that write them as the page does,
and column widths set. One sheet for the figures, one per table of the dashboard; the dossiers of
the drill-down in a file of their own, written row by row to disk and streamed."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from common import formats
from dossiers.rules import Channel

from . import dashboard
from .selectors import DossierLine

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


def _rows_sheet(
    book: Workbook,
    title: str,
    heading: str,
    what: str,
    start: datetime.date,
    end: datetime.date,
    scope_text: str,
    rows: Sequence[dashboard.Row],
) -> None:
    sheet = book.create_sheet(title[:31])
    columns = [
        (what, 48),
        (_("Mã"), 20),
        (_("Hồ sơ tiếp nhận mới"), 16),
        (_("Trực tuyến"), 14),
        (_("Tỷ lệ hồ sơ trực tuyến"), 14),
        (_("Hồ sơ đã giải quyết"), 16),
        (_("Tỷ lệ giải quyết đúng hạn"), 16),
        (_("Đang giải quyết quá hạn"), 16),
        (_("Tiếp nhận mới cùng kỳ năm trước"), 18),
    ]
    first = _heading(sheet, heading, [period_text(start, end), scope_text], [name for name, _width in columns])
    count, share = dashboard.Kind.COUNT, dashboard.Kind.SHARE
    for row, line in enumerate(rows, start=first):
        sheet.cell(row=row, column=1, value=line.name)
        sheet.cell(row=row, column=2, value=line.code)
        f = line.now
        for column, (value, kind) in enumerate(
            [
                (f.received_new, count),
                (f.received_online, count),
                (f.online_share, share),
                (f.finished, count),
                (f.on_time_share, share),
                (f.in_progress_overdue, count),
                (line.received_before, count),
            ],
            start=3,
        ):
            _put(sheet, row, column, value, kind)
    for index, (_name, width) in enumerate(columns):
        sheet.column_dimensions[chr(ord("A") + index)].width = width


def _chart_sheet(
    book: Workbook, chart: dashboard.Chart, start: datetime.date, end: datetime.date, scope_text: str
) -> None:
    title = str(chart.title)
    sheet = book.create_sheet(_("Theo tháng - %(key)s") % {"key": chart.key})
    first = _heading(
        sheet,
        title.upper(),
        [period_text(start, end), scope_text],
        [_("Tháng"), *(str(name) for name, _data in chart.series)],
    )
    for row, (label, values) in enumerate(chart.rows, start=first):
        sheet.cell(row=row, column=1, value=label)
        for column, value in enumerate(values, start=2):
            _put(sheet, row, column, value, dashboard.Kind.COUNT)
    sheet.column_dimensions["A"].width = 12
    for index in range(len(chart.series)):
        sheet.column_dimensions[chr(ord("B") + index)].width = 22


def dashboard_workbook(
    *,
    lines: Sequence[dashboard.Line],
    start: datetime.date,
    end: datetime.date,
    before: tuple[datetime.date, datetime.date],
    scope_text: str,
    by_agency: Sequence[dashboard.Row],
    by_procedure: Sequence[dashboard.Row] = (),
    charts: Sequence[dashboard.Chart] = (),
) -> bytes:
    """Every table of the dashboard: the figures with the same period a year before, the table
    by agency, by procedure (when the dashboard shows one) and the monthly table of each chart."""
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

    _rows_sheet(book, _("Theo cơ quan"), _("SỐ LIỆU THEO CƠ QUAN"), _("Cơ quan"), start, end, scope_text, by_agency)
    if by_procedure:
        _rows_sheet(
            book, _("Theo thủ tục"), _("SỐ LIỆU THEO THỦ TỤC"), _("Thủ tục"), start, end, scope_text, by_procedure
        )
    for chart in charts:
        _chart_sheet(book, chart, start, end, scope_text)

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- The dossiers of the drill-down, streamed ----------------------------------------------------
#
# openpyxl takes about a millisecond a row even in its write-only mode (six minutes for a million
# dossiers), so this file is written as the few XML parts an XLSX needs, row by row into a ZIP
# that goes out as it is made: nothing but the current rows is held in memory.

ROWS_PER_SHEET = 1_000_000  # under Excel's 1,048,576 rows a sheet, with its heading
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
_EPOCH = datetime.date(1899, 12, 30)
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))
# Styles: 0 plain, 1 a date dd/mm/yyyy, 2 bold (the column names), 3 the title.
_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{_MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>
<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font>
<font><b/><sz val="14"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""


class _Pipe(io.RawIOBase):
    """Where the ZIP is written: what it holds is taken out by the response as it grows."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._written = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._chunks.append(chunk)
        self._written += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self._written

    def take(self) -> bytes:
        out = b"".join(self._chunks)
        self._chunks.clear()
        return out


def _text(value: str) -> str:
    return escape(value.translate(_CONTROL))


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def _cell(ref: str, value: object, style: int = 0) -> str:
    """One cell: text inline, numbers as numbers, dates as Excel's day numbers."""
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.date):
        return f'<c r="{ref}" s="1"><v>{(value - _EPOCH).days}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"{s}><is><t xml:space="preserve">{_text(str(value))}</t></is></c>'


def stream_workbook(
    *,
    title: str,
    subtitle: str,
    columns: Sequence[tuple[str, int]],
    rows: Iterable[Sequence[object]],
    sheet_name: str,
    rows_per_sheet: int = ROWS_PER_SHEET,
    flush_every: int = 500,
) -> Iterator[bytes]:
    """An XLSX file of ``rows`` under ``columns`` (name, width), as the bytes of its ZIP while it
    is written: a title, a subtitle and the column names on top of every sheet, frozen; a new
    sheet ("<sheet_name> (2)", …) every ``rows_per_sheet`` rows."""
    pipe = _Pipe()
    letters = [_column(i) for i in range(len(columns))]
    names: list[str] = []
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        sheet: Any = None
        written = 0

        def open_sheet() -> Any:
            names.append(sheet_name if not names else f"{sheet_name} ({len(names) + 1})")
            part = archive.open(f"xl/worksheets/sheet{len(names)}.xml", "w", force_zip64=True)
            widths = "".join(
                f'<col min="{i + 1}" max="{i + 1}" width="{width}" customWidth="1"/>'
                for i, (_name, width) in enumerate(columns)
            )
            heading = "".join(_cell(f"{letters[i]}3", name, 2) for i, (name, _width) in enumerate(columns))
            part.write(
                (
                    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
                    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="3" topLeftCell="A4" '
                    'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
                    f"<cols>{widths}</cols><sheetData>"
                    f'<row r="1">{_cell("A1", title, 3)}</row><row r="2">{_cell("A2", subtitle)}</row>'
                    f'<row r="3">{heading}</row>'
                ).encode()
            )
            return part

        def close_sheet(part: Any) -> None:
            part.write(b"</sheetData></worksheet>")
            part.close()

        pending: list[str] = []
        for values in rows:
            if sheet is None or written == rows_per_sheet:
                if sheet is not None:
                    sheet.write("".join(pending).encode())
                    pending = []
                    close_sheet(sheet)
                sheet, written = open_sheet(), 0
            r = written + 4
            cells = "".join(_cell(f"{letters[i]}{r}", v) for i, v in enumerate(values))
            pending.append(f'<row r="{r}">{cells}</row>')
            written += 1
            if len(pending) == flush_every:
                sheet.write("".join(pending).encode())
                pending = []
                yield pipe.take()
        if sheet is None:
            sheet = open_sheet()
        sheet.write("".join(pending).encode())
        close_sheet(sheet)
        sheets = "".join(
            f'<sheet name="{_text(name[:31])}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(names, start=1)
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" '
            f'xmlns:r="{_RELS}"><sheets>{sheets}</sheets></workbook>',
        )
        relations = "".join(
            f'<Relationship Id="rId{i}" Type="{_RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(names) + 1)
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PACKAGE}">'
            f'{relations}<Relationship Id="rId{len(names) + 1}" Type="{_RELS}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        archive.writestr("xl/styles.xml", _STYLES)
        archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PACKAGE}">'
            f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(names) + 1)
        )
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>",
        )
    yield pipe.take()


def dossier_rows(
    lines: Iterable[DossierLine], *, agency_names: Mapping[int, str], procedure_codes: Mapping[int, str]
) -> Iterator[tuple[object, ...]]:
    channels = {value: str(label) for value, label in Channel.choices}
    standing = {key: str(label) for key, label in dashboard.STANDING_LABELS.items()}
    for line in lines:
        yield (
            line.code,
            agency_names.get(line.agency_id, ""),
            procedure_codes.get(line.procedure_id, ""),
            channels.get(line.channel, line.channel),
            line.received_on,
            line.due_on,
            line.finished_on,
            standing[line.standing],
        )


def dossiers_workbook(
    lines: Iterable[DossierLine],
    *,
    start: datetime.date,
    end: datetime.date,
    scope_text: str,
    agency_names: Mapping[int, str],
    procedure_codes: Mapping[int, str],
    rows_per_sheet: int = ROWS_PER_SHEET,
) -> Iterator[bytes]:
    """The dossiers behind the figures as an XLSX file, streamed (``stream_workbook``)."""
    return stream_workbook(
        title=_("DANH SÁCH HỒ SƠ"),
        subtitle=f"{period_text(start, end)}; {scope_text}",
        columns=[
            (_("Mã hồ sơ"), 24),
            (_("Cơ quan giải quyết"), 40),
            (_("Mã thủ tục"), 16),
            (_("Kênh nộp"), 14),
            (_("Ngày tiếp nhận"), 14),
            (_("Hạn giải quyết"), 14),
            (_("Ngày kết thúc"), 14),
            (_("Tình hình cuối kỳ"), 28),
        ],
        rows=dossier_rows(lines, agency_names=agency_names, procedure_codes=procedure_codes),
        sheet_name=_("Hồ sơ"),
        rows_per_sheet=rows_per_sheet,
    )
