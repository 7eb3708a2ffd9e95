"""Report documents in the layout of Nghị định 30/2020/NĐ-CP (thể thức văn bản hành chính):
A4, margins 20 mm top and bottom, 30 mm left, 20 mm right, Times New Roman 13–14; the header
of two columns (the issuing body and its số, ký hiệu on the left; quốc hiệu and tiêu ngữ, then
place and date on the right), the title, the body, nơi nhận on the left and the signer on the
right.

The templates are DOCX files in ``reports/templates_docx/`` that the office edits in Word;
placeholders are Jinja (``{{ ho_so_tiep_nhan }}``), filled by docxtpl from ``context_for``,
every figure already written the Vietnamese way (37.448; 50%; hơn 18 tỷ đồng; ngày 07 tháng 11
năm 2022). A placeholder the data does not know stops the report with its name and where it is
(``PlaceholderError``). ``write_templates`` writes the shipped templates afresh (``manage.py
write_report_templates``); ``to_pdf`` converts with LibreOffice when it is installed.
"""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, UndefinedError

from common.formats import approximately, group_thousands, official_date, percent

TEMPLATES = Path(__file__).resolve().parent / "templates_docx"
FONT = "Times New Roman"
PAGE = {"width": Mm(210), "height": Mm(297), "top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(20)}


class PlaceholderError(ValueError):
    """A template asks for a figure the data does not have."""

    def __init__(self, name: str, where: str) -> None:
        super().__init__(f"{name} ({where})")
        self.name = name
        self.where = where


# --- Writing the figures the Vietnamese way --------------------------------------------------


def period_words(start: datetime.date, end: datetime.date) -> str:
    """ "năm 2022", "quý III năm 2022", "6 tháng đầu năm 2022", else "từ ngày 01/3/2022 đến ngày …"."""
    if start.year == end.year and start.day == 1:
        last = (end + datetime.timedelta(days=1)).day == 1
        if last and (start.month, end.month) == (1, 12):
            return f"năm {start.year}"
        if last and start.month % 3 == 1 and end.month == start.month + 2:
            return f"quý {('I', 'II', 'III', 'IV')[start.month // 3]} năm {start.year}"
        if last and (start.month, end.month) == (1, 6):
            return f"6 tháng đầu năm {start.year}"
    return f"từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"


def _n(value: int | None) -> str:
    return "chưa có số liệu" if value is None else group_thousands(value)


def _p(value: float | None) -> str:
    return "chưa có số liệu" if value is None else percent(value)


@dataclass(frozen=True)
class Heading:
    """What the analyst says of the document itself."""

    parent_body: str  # tên cơ quan chủ quản
    body: str  # tên cơ quan ban hành
    number: str  # số, ký hiệu: "…/BC-UBND"
    place: str  # địa danh
    day: datetime.date
    signer_title: str  # "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    signer_name: str
    recipients: tuple[str, ...] = ()


def context_for(statistics: Any, heading: Heading) -> dict[str, Any]:
    """Every placeholder of the shipped templates, from ``selectors.statistics`` (figures of an
    app that is not installed read "chưa có số liệu")."""
    f = statistics.dossiers
    news = statistics.news
    contests = statistics.contests
    feedback = statistics.feedback
    signer = heading.signer_title.split("\n")
    return {
        "co_quan_chu_quan": heading.parent_body.upper(),
        "co_quan": heading.body.upper(),
        "so_ky_hieu": heading.number,
        "dia_danh": heading.place,
        "ngay_thang": official_date(heading.day),
        "ky_bao_cao": period_words(statistics.start, statistics.end),
        "tu_ngay": f"{statistics.start:%d/%m/%Y}",
        "den_ngay": f"{statistics.end:%d/%m/%Y}",
        "nam": str(statistics.end.year),
        "chuc_vu_ky": signer[0].upper(),
        "chuc_danh_ky": "\n".join(signer[1:]).upper(),
        "nguoi_ky": heading.signer_name,
        "noi_nhan": list(heading.recipients) or ["Như trên;", "Lưu: VT."],
        "ho_so_tiep_nhan": _n(f.received_total),
        "ho_so_ky_truoc": _n(f.carried_over),
        "ho_so_moi": _n(f.received_new),
        "ho_so_truc_tuyen": _n(f.received_online),
        "ty_le_truc_tuyen": _p(f.online_share),
        "ho_so_da_giai_quyet": _n(f.finished),
        "ho_so_truoc_han": _n(f.finished_early),
        "ho_so_dung_han": _n(f.finished_on_time),
        "ho_so_qua_han": _n(f.finished_late),
        "ty_le_dung_han": _p(f.on_time_share),
        "ho_so_dang_giai_quyet": _n(f.in_progress),
        "ho_so_dang_trong_han": _n(f.in_progress_on_time),
        "ho_so_dang_qua_han": _n(f.in_progress_overdue),
        "ho_so_rut": _n(f.withdrawn),
        "ho_so_so_hoa": _n(f.digitized),
        "ty_le_so_hoa": _p(f.digitized_share),
        "ket_qua_dien_tu": _n(f.e_results),
        "ty_le_ket_qua_dien_tu": _p(f.e_result_share),
        "ho_so_thanh_toan_truc_tuyen": _n(f.paid_online_dossiers),
        "ty_le_thanh_toan_truc_tuyen": _p(f.paid_online_share),
        "tien_thanh_toan_truc_tuyen": approximately(f.paid_online_vnd, "đồng"),
        "tien_thanh_toan_truc_tuyen_dong": f"{group_thousands(f.paid_online_vnd)} đồng",
        "tin_bai": _n(news.items) if news else "chưa có số liệu",
        "tin": _n(news.articles) if news else "chưa có số liệu",
        "infographic": _n(news.infographics) if news else "chưa có số liệu",
        "van_ban": _n(news.documents) if news else "chưa có số liệu",
        "cuoc_thi": _n(contests.contests) if contests else "chưa có số liệu",
        "luot_du_thi": approximately(contests.participants) if contests else "chưa có số liệu",
        "phan_anh_tiep_nhan": _n(feedback.received) if feedback else "chưa có số liệu",
        "phan_anh_da_tra_loi": (
            _n(feedback.answered.on_time + feedback.answered.late) if feedback else "chưa có số liệu"
        ),
        "phan_anh_dung_han": _n(feedback.answered.on_time) if feedback else "chưa có số liệu",
    }


# --- Filling a template ----------------------------------------------------------------------


def _places(document: Any) -> list[tuple[str, str]]:
    """Each paragraph's text with where it is, in the words the analyst sees in Word."""
    found: list[tuple[str, str]] = []
    for number, paragraph in enumerate(document.paragraphs, 1):
        found.append((f"đoạn thứ {number}", paragraph.text))
    for t, table in enumerate(document.tables, 1):
        for r, row in enumerate(table.rows, 1):
            for c, cell in enumerate(row.cells, 1):
                found.append((f"bảng {t}, dòng {r}, cột {c}", cell.text))
    for s, section in enumerate(document.sections, 1):
        for label, part in (("đầu trang", section.header), ("chân trang", section.footer)):
            for paragraph in part.paragraphs:
                found.append((f"{label} phần {s}", paragraph.text))
    return found


def _where(document: Any, name: str) -> str:
    pattern = re.compile(r"{[{%][^}]*\b" + re.escape(name) + r"\b")
    for place, text in _places(document):
        if pattern.search(text):
            return place
    return "không rõ vị trí"


def render(template: Path, context: dict[str, Any]) -> bytes:
    """The template filled with ``context``; ``PlaceholderError`` names the first placeholder
    it does not know and where it is."""
    document = DocxTemplate(str(template))
    environment = Environment(undefined=StrictUndefined, autoescape=True)
    unknown = sorted(document.get_undeclared_template_variables(environment, context))
    if unknown:
        raise PlaceholderError(unknown[0], _where(Document(str(template)), unknown[0]))
    try:
        document.render(context, environment)
    except UndefinedError as error:
        name = re.findall(r"'([^']+)'", str(error))
        missing = name[-1] if name else str(error)
        raise PlaceholderError(missing, _where(Document(str(template)), missing)) from error
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes, *, timeout: float = 120) -> bytes | None:
    """The same document as PDF (LibreOffice headless); None when LibreOffice is not installed."""
    program = soffice()
    if program is None:
        return None
    with tempfile.TemporaryDirectory(prefix="motcua-report-") as folder:
        source = Path(folder) / "bao-cao.docx"
        source.write_bytes(docx)
        subprocess.run(
            [
                program,
                f"-env:UserInstallation=file://{folder}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                folder,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
        return (Path(folder) / "bao-cao.pdf").read_bytes()


# --- The shipped templates --------------------------------------------------------------------


def _font(run: Any, size: float, *, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _line(
    container: Any,
    text: str,
    size: float = 14,
    *,
    bold: bool = False,
    italic: bool = False,
    align: Any = WD_ALIGN_PARAGRAPH.CENTER,
    indent: bool = False,
    after: float = 0,
) -> Any:
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.space_before = Pt(0)
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.27)
        paragraph.paragraph_format.space_after = Pt(6)
        paragraph.paragraph_format.line_spacing = 1.15
    _font(paragraph.add_run(text), size, bold=bold, italic=italic)
    return paragraph


def _no_borders(table: Any) -> None:
    borders = table._tbl.tblPr.first_child_found_in("w:tblBorders")
    if borders is not None:
        table._tbl.tblPr.remove(borders)


def _widths(table: Any, *widths: Any) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _cell(cell: Any) -> Any:
    cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    return cell


def _skeleton(title: str, summary: str) -> Any:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = PAGE["width"], PAGE["height"]
    section.top_margin, section.bottom_margin = PAGE["top"], PAGE["bottom"]
    section.left_margin, section.right_margin = PAGE["left"], PAGE["right"]
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)

    header = document.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(header)
    _widths(header, Cm(6.3), Cm(9.7))
    left, right = (_cell(c) for c in header.rows[0].cells)
    _line(left, "{{ co_quan_chu_quan }}", 12)
    _line(left, "{{ co_quan }}", 12, bold=True)
    _line(left, "───────", 12)
    _line(left, "Số: {{ so_ky_hieu }}", 13)
    _line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True)
    _line(right, "Độc lập - Tự do - Hạnh phúc", 14, bold=True)
    _line(right, "───────────────", 14)
    _line(right, "{{ dia_danh }}, {{ ngay_thang }}", 14, italic=True)

    _line(document, "", 14)
    _line(document, "BÁO CÁO", 14, bold=True)
    _line(document, title, 14, bold=True)
    _line(document, summary, 14, bold=True, after=12)
    return document


def _closing(document: Any) -> None:
    _line(document, "", 14)
    closing = document.add_table(rows=1, cols=2)
    _no_borders(closing)
    _widths(closing, Cm(7), Cm(9))
    left, right = (_cell(c) for c in closing.rows[0].cells)
    _line(left, "Nơi nhận:", 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(left, "{%p for noi in noi_nhan %}", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(left, "- {{ noi }}", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(left, "{%p endfor %}", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(right, "{{ chuc_vu_ky }}", 14, bold=True)
    _line(right, "{{ chuc_danh_ky }}", 14, bold=True)
    for _ in range(3):
        _line(right, "", 14)
    _line(right, "{{ nguoi_ky }}", 14, bold=True)


def _body(document: Any, *paragraphs: str) -> None:
    for text in paragraphs:
        bold = text.startswith("**")
        _line(document, text.strip("*"), 14, bold=bold, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)


def propaganda_template() -> Any:
    document = _skeleton("Kết quả công tác tuyên truyền cải cách hành chính", "{{ ky_bao_cao }}")
    _body(
        document,
        "**I. KẾT QUẢ THỰC HIỆN",
        "**1. Tuyên truyền trên Cổng thông tin điện tử",
        "Trong {{ ky_bao_cao }}, đã đăng tải {{ tin_bai }} tin, bài (trong đó có {{ tin }} tin, bài và "
        "{{ infographic }} Infographic) và {{ van_ban }} văn bản về cải cách hành chính trên chuyên mục "
        "Cải cách hành chính của Cổng thông tin điện tử.",
        "**2. Kết quả giải quyết thủ tục hành chính",
        "Đã có {{ ho_so_moi }} hồ sơ được tiếp nhận, tỷ lệ nộp hồ sơ trực tuyến đạt {{ ty_le_truc_tuyen }}; "
        "tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn đạt {{ ty_le_dung_han }}. Tổng số tiền đã thanh toán "
        "qua Cổng Dịch vụ công quốc gia là {{ tien_thanh_toan_truc_tuyen }} "
        "({{ ho_so_thanh_toan_truc_tuyen }} hồ sơ thanh toán trực tuyến).",
        "**3. Cuộc thi tìm hiểu về cải cách hành chính",
        "Tổ chức {{ cuoc_thi }} cuộc thi trực tuyến, thu hút {{ luot_du_thi }} lượt người tham gia dự thi.",
        "**II. ĐÁNH GIÁ CHUNG VÀ PHƯƠNG HƯỚNG",
        "(Văn phòng bổ sung nhận xét, tồn tại, hạn chế và nhiệm vụ kỳ tới.)",
    )
    _closing(document)
    return document


def one_stop_template() -> Any:
    document = _skeleton("Tình hình, kết quả giải quyết thủ tục hành chính", "{{ ky_bao_cao }}")
    _body(
        document,
        "**I. TÌNH HÌNH TIẾP NHẬN VÀ GIẢI QUYẾT HỒ SƠ",
        "Từ ngày {{ tu_ngay }} đến ngày {{ den_ngay }}, tổng số hồ sơ tiếp nhận là {{ ho_so_tiep_nhan }} hồ sơ "
        "(kỳ trước chuyển qua {{ ho_so_ky_truoc }} hồ sơ, mới tiếp nhận {{ ho_so_moi }} hồ sơ, trong đó "
        "{{ ho_so_truc_tuyen }} hồ sơ trực tuyến, đạt {{ ty_le_truc_tuyen }}).",
        "Đã giải quyết {{ ho_so_da_giai_quyet }} hồ sơ: trước hạn {{ ho_so_truoc_han }}, đúng hạn "
        "{{ ho_so_dung_han }}, quá hạn {{ ho_so_qua_han }}; tỷ lệ giải quyết trước hạn và đúng hạn đạt "
        "{{ ty_le_dung_han }}. Đang giải quyết {{ ho_so_dang_giai_quyet }} hồ sơ (trong hạn "
        "{{ ho_so_dang_trong_han }}, quá hạn {{ ho_so_dang_qua_han }}); rút hồ sơ {{ ho_so_rut }}.",
        "**II. SỐ HÓA, KẾT QUẢ ĐIỆN TỬ VÀ THANH TOÁN TRỰC TUYẾN",
        "Số hóa {{ ho_so_so_hoa }} hồ sơ khi tiếp nhận ({{ ty_le_so_hoa }}); cấp {{ ket_qua_dien_tu }} kết quả "
        "điện tử ({{ ty_le_ket_qua_dien_tu }}); {{ ho_so_thanh_toan_truc_tuyen }} hồ sơ thanh toán trực tuyến "
        "({{ ty_le_thanh_toan_truc_tuyen }}), số tiền {{ tien_thanh_toan_truc_tuyen_dong }}.",
        "**III. TIẾP NHẬN, XỬ LÝ PHẢN ÁNH, KIẾN NGHỊ",
        "Tiếp nhận {{ phan_anh_tiep_nhan }} phản ánh, kiến nghị; đã trả lời {{ phan_anh_da_tra_loi }} "
        "(đúng hạn {{ phan_anh_dung_han }}).",
    )
    _closing(document)
    return document


TEMPLATE_FILES = {
    "propaganda": ("bao-cao-tuyen-truyen-cchc.docx", propaganda_template),
    "one_stop_quarterly": ("bao-cao-mot-cua-quy.docx", one_stop_template),
}


def template_path(kind: str) -> Path:
    return TEMPLATES / TEMPLATE_FILES[kind][0]


def write_templates(folder: Path = TEMPLATES) -> list[Path]:
    """Write the shipped templates (overwriting the office's edits: used to create them)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in TEMPLATE_FILES.values():
        path = folder / name
        build().save(str(path))
        written.append(path)
    return written
