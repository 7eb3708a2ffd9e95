"""The shared page layout of official slips (Nghị định 30/2020/NĐ-CP, thể thức văn bản): the
issuing agency top left, the national motto top right with the place and date line in italics
under it, the title in bold capitals centred, then the body, signatures and a QR code to the
dossier's public tracking page. A5 portrait for slips, A4 landscape for the log book.

Vietnamese needs a TrueType font with its glyphs: DejaVu Serif from Debian's fonts-dejavu-core
(regular, bold) and fonts-dejavu-extra (italics). A missing file raises ``SlipFontMissing``
naming the package to install.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from common.formats import official_date

# --- Where the QR code points -----------------------------------------------------------------

# The public tracking page (tra cứu hồ sơ, dossiers.views.track) with the code filled in. The
# check digits are not in it: the page asks for them, so a lost slip alone reveals nothing.
TRACKING_PATH = "/tra-cuu-ho-so/?ma={code}"
# A dossier refused at intake never gets a code: its QR code points to the portal itself.
NO_CODE_PATH = "/"


def tracking_url(code: str | None, base_url: str | None = None) -> str:
    """The public tracking address of a dossier: ``base_url`` (or the setting
    ``PORTAL_PUBLIC_URL``, e.g. https://dichvucong.khanhhoa.gov.vn; empty: a relative path)
    followed by ``TRACKING_PATH``."""
    base = base_url if base_url is not None else getattr(settings, "PORTAL_PUBLIC_URL", "")
    path = TRACKING_PATH.format(code=quote(code, safe="")) if code else NO_CODE_PATH
    return base.rstrip("/") + path


# --- Fonts ------------------------------------------------------------------------------------

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FAMILY = "SlipSerif"
# reportlab name: (file, the Debian package that ships it)
FONT_FILES = {
    FAMILY: ("DejaVuSerif.ttf", "fonts-dejavu-core"),
    f"{FAMILY}-Bold": ("DejaVuSerif-Bold.ttf", "fonts-dejavu-core"),
    f"{FAMILY}-Italic": ("DejaVuSerif-Italic.ttf", "fonts-dejavu-extra"),
    f"{FAMILY}-BoldItalic": ("DejaVuSerif-BoldItalic.ttf", "fonts-dejavu-extra"),
}


class SlipFontMissing(ImproperlyConfigured):
    """A font file the slips need is not installed."""


def missing_fonts(font_dir: Path | None = None) -> list[str]:
    """What is missing, one message per file (empty: all there)."""
    directory = font_dir or Path(getattr(settings, "SLIP_FONT_DIR", FONT_DIR))
    return [
        f"{directory / file} is missing: install the Debian package {package} (apt-get install {package})"
        for file, package in FONT_FILES.values()
        if not (directory / file).is_file()
    ]


_registered = False


def register_fonts(font_dir: Path | None = None) -> None:
    """Register the slip fonts with reportlab once; ``SlipFontMissing`` names the package."""
    global _registered
    if _registered:
        return
    problems = missing_fonts(font_dir)
    if problems:
        raise SlipFontMissing("Slips need DejaVu Serif for Vietnamese text. " + "; ".join(problems))
    directory = font_dir or Path(getattr(settings, "SLIP_FONT_DIR", FONT_DIR))
    for name, (file, _package) in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(directory / file)))
    pdfmetrics.registerFontFamily(
        FAMILY, normal=FAMILY, bold=f"{FAMILY}-Bold", italic=f"{FAMILY}-Italic", boldItalic=f"{FAMILY}-BoldItalic"
    )
    _registered = True


# --- Styles -----------------------------------------------------------------------------------

SIZE = 9.5


def style(name: str, **kwargs: Any) -> ParagraphStyle:
    values: dict[str, Any] = {"fontName": FAMILY, "fontSize": SIZE, "leading": SIZE * 1.3}
    values.update(kwargs)
    return ParagraphStyle(name, **values)


BODY = style("body", alignment=TA_LEFT, spaceAfter=2)
CELL = style("cell", fontSize=8, leading=10, alignment=TA_LEFT)
CELL_CENTER = style("cell_center", fontSize=8, leading=10, alignment=TA_CENTER)
CELL_HEAD = style("cell_head", fontName=f"{FAMILY}-Bold", fontSize=8, leading=10, alignment=TA_CENTER)
BOOK_CELL = style("book_cell", fontSize=7, leading=8.8, alignment=TA_LEFT)
BOOK_CELL_CENTER = style("book_cell_center", fontSize=7, leading=8.8, alignment=TA_CENTER)
BOOK_HEAD = style("book_head", fontName=f"{FAMILY}-Bold", fontSize=7, leading=8.8, alignment=TA_CENTER)
HEAD_LEFT = style("head_left", fontSize=8, leading=10.5, alignment=TA_CENTER)
HEAD_LEFT_BOLD = style("head_left_bold", fontName=f"{FAMILY}-Bold", fontSize=8, leading=10.5, alignment=TA_CENTER)
MOTTO = style("motto", fontName=f"{FAMILY}-Bold", fontSize=7.5, leading=10, alignment=TA_CENTER)
MOTTO_2 = style("motto_2", fontName=f"{FAMILY}-Bold", fontSize=8.5, leading=11, alignment=TA_CENTER)
PLACE_DATE = style("place_date", fontName=f"{FAMILY}-Italic", fontSize=8.5, leading=11, alignment=TA_CENTER)
NUMBER = style("number", fontSize=8.5, leading=11, alignment=TA_CENTER)
TITLE = style("title", fontName=f"{FAMILY}-Bold", fontSize=11, leading=14, alignment=TA_CENTER, spaceBefore=8)
SUBTITLE = style("subtitle", fontName=f"{FAMILY}-Bold", fontSize=9.5, leading=12.5, alignment=TA_CENTER)
SIGN_TITLE = style("sign_title", fontName=f"{FAMILY}-Bold", fontSize=9, leading=11.5, alignment=TA_CENTER)
SIGN_NOTE = style("sign_note", fontName=f"{FAMILY}-Italic", fontSize=8, leading=10, alignment=TA_CENTER)
SIGN_NAME = style("sign_name", fontName=f"{FAMILY}-Bold", fontSize=9, leading=11.5, alignment=TA_CENTER)
FORM_NUMBER = style("form_number", fontName=f"{FAMILY}-Bold", fontSize=8, leading=10, alignment=TA_RIGHT)
SMALL = style("small", fontName=f"{FAMILY}-Italic", fontSize=7.5, leading=9.5, alignment=TA_LEFT)

GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
)
PLAIN = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]
)


def text(value: object) -> str:
    """Plain text made safe for a reportlab paragraph."""
    return escape(str(value))


def para(markup: str, paragraph_style: ParagraphStyle = BODY) -> Paragraph:
    register_fonts()  # a paragraph resolves its fonts when it is made
    return Paragraph(markup, paragraph_style)


def field(label: str, value: object) -> Paragraph:
    """``Label: value`` with the value in bold."""
    return para(f"{text(label)}: <b>{text(value)}</b>")


# --- Page parts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """Who issues the slip, its number, where and when (Nghị định 30/2020, Phụ lục I)."""

    superior: str  # cơ quan chủ quản, in capitals, regular
    issuer: str  # cơ quan ban hành, in capitals, bold
    place: str
    day: datetime.date
    number: str = ""  # "Số: …"


def place_date(place: str, day: datetime.date) -> str:
    """ "Nha Trang, ngày 07 tháng 11 năm 2022"."""
    return f"{place}, {official_date(day)}"


def header(h: Header, width: float, *, left_share: float = 0.44) -> list[Flowable]:
    left_width = width * left_share
    right_width = width - left_width
    left: list[Flowable] = []
    if h.superior:
        left.append(para(text(h.superior.upper()), HEAD_LEFT))
    left.append(para(text(h.issuer.upper()), HEAD_LEFT_BOLD))
    left.append(
        HRFlowable(width="35%", thickness=0.6, color=colors.black, spaceBefore=1, spaceAfter=3, hAlign="CENTER")
    )
    if h.number:
        left.append(para(f"Số: {text(h.number)}", NUMBER))
    right: list[Flowable] = [
        para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", MOTTO),
        para("Độc lập - Tự do - Hạnh phúc", MOTTO_2),
        HRFlowable(width="62%", thickness=0.6, color=colors.black, spaceBefore=1, spaceAfter=3, hAlign="CENTER"),
        para(text(place_date(h.place, h.day)), PLACE_DATE),
    ]
    table = Table([[left, right]], colWidths=[left_width, right_width], hAlign="LEFT")
    table.setStyle(PLAIN)
    table.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER")]))  # the rules under the names
    return [table]


def title(*lines: str) -> list[Flowable]:
    """The name of the slip in bold capitals, centred; further lines as a bold subtitle."""
    first, *rest = lines
    flowables: list[Flowable] = [para(text(first.upper()), TITLE)]
    flowables += [para(text(line), SUBTITLE) for line in rest]
    flowables.append(Spacer(1, 3 * mm))
    return flowables


def signatures(blocks: Sequence[tuple[str, str, str]], width: float) -> Flowable:
    """Signature blocks side by side: (title, note in italics, name)."""
    cells = []
    for heading, note, name in blocks:
        cell: list[Flowable] = [para(text(heading.upper()), SIGN_TITLE)]
        if note:
            cell.append(para(text(note), SIGN_NOTE))
        cell.append(Spacer(1, 14 * mm))
        cell.append(para(text(name), SIGN_NAME))
        cells.append(cell)
    columns = max(len(cells), 1)
    if len(cells) == 1:
        # A single signer signs on the right, as on every official document.
        cells.insert(0, [])
        columns = 2
    table = Table([cells], colWidths=[width / columns] * columns)
    table.setStyle(PLAIN)
    return KeepTogether([Spacer(1, 4 * mm), table])


def qr_code(url: str, caption: str, width: float) -> Flowable:
    """A QR code image (PNG) to ``url`` with a caption beside it."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    size = 22 * mm
    image = Image(buffer, width=size, height=size)
    table = Table(
        [[image, para(f"{text(caption)}<br/>{text(url)}", SMALL)]],
        colWidths=[size + 2 * mm, width - size - 2 * mm],
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return KeepTogether([Spacer(1, 3 * mm), table])


def grid(rows: list[list[Any]], widths: Sequence[float], *, repeat: int = 1) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=repeat)
    table.setStyle(GRID)
    return table


# --- Documents --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    size: tuple[float, float]
    left: float
    right: float
    top: float
    bottom: float

    @property
    def width(self) -> float:
        return self.size[0] - self.left - self.right


SLIP_PAGE = Page(A5, left=14 * mm, right=10 * mm, top=10 * mm, bottom=12 * mm)
BOOK_PAGE = Page(landscape(A4), left=15 * mm, right=12 * mm, top=12 * mm, bottom=12 * mm)


def _page_number(canvas: Any, doc: Any) -> None:
    if doc.page > 1 or getattr(doc, "_multipage", False):
        canvas.saveState()
        canvas.setFont(FAMILY, 7.5)
        canvas.drawCentredString(doc.pagesize[0] / 2, 6 * mm, f"Trang {doc.page}")
        canvas.restoreState()


def render(story: list[Flowable], *, page: Page = SLIP_PAGE, pdf_title: str, subject: str = "") -> bytes:
    """The PDF bytes of ``story``. Output is invariant (no creation time, fixed ids), so a
    reprint of the same slip is the same file."""
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=page.size,
        leftMargin=page.left,
        rightMargin=page.right,
        topMargin=page.top,
        bottomMargin=page.bottom,
        title=pdf_title,
        subject=subject,
        author="motcua",
        creator="motcua",
        invariant=1,
    )
    doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()
