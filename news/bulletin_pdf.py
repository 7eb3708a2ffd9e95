"""The printed Bản tin CCHC (A4, PDF): masthead with the issue's number and date, the
introduction, each article (title, date, summary, text) and infographic (title and its text
alternative: the print carries the same information), then the documents of the issue as a
table. ``render_bulletin`` takes plain data and returns the file's bytes (no database).

Vietnamese needs a TrueType font with its glyphs: DejaVu Serif from Debian's fonts-dejavu-core.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.core.exceptions import ImproperlyConfigured
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Table, TableStyle

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FAMILY = "BulletinSerif"
FONT_FILES = {FAMILY: "DejaVuSerif.ttf", f"{FAMILY}-Bold": "DejaVuSerif-Bold.ttf"}


@dataclass(frozen=True)
class PrintedItem:
    kind: str  # "Tin, bài" / "Infographic"
    title: str
    published: datetime.date | None
    summary: str
    text: str


@dataclass(frozen=True)
class PrintedDocument:
    number: str
    kind: str
    issued_on: datetime.date
    title: str


@dataclass(frozen=True)
class PrintedIssue:
    masthead: str
    label: str
    issued_on: datetime.date
    intro: str
    items: Sequence[PrintedItem]
    documents: Sequence[PrintedDocument]
    headings: dict[str, str]  # translated headings: "documents", "number", "type", "date", "title"


def _register_fonts() -> None:
    if FAMILY in pdfmetrics.getRegisteredFontNames():
        return
    missing = [file for file in FONT_FILES.values() if not (FONT_DIR / file).is_file()]
    if missing:
        raise ImproperlyConfigured(f"The bulletin needs {missing} (apt-get install fonts-dejavu-core)")
    for name, file in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily(FAMILY, normal=FAMILY, bold=f"{FAMILY}-Bold")


def _style(name: str, **kwargs: Any) -> ParagraphStyle:
    values: dict[str, Any] = {"fontName": FAMILY, "fontSize": 11, "leading": 15}
    values.update(kwargs)
    return ParagraphStyle(name, **values)


def _paragraphs(text: str, style: ParagraphStyle) -> list[Paragraph]:
    return [Paragraph(escape(part.strip()), style) for part in text.split("\n") if part.strip()]


def render_bulletin(issue: PrintedIssue) -> bytes:
    _register_fonts()
    masthead = _style("masthead", fontName=f"{FAMILY}-Bold", fontSize=22, leading=28, alignment=TA_CENTER)
    subtitle = _style("subtitle", alignment=TA_CENTER, textColor=colors.HexColor("#6b1010"))
    heading = _style("heading", fontName=f"{FAMILY}-Bold", fontSize=14, leading=18, spaceBefore=10, spaceAfter=4)
    meta = _style("meta", fontSize=9, textColor=colors.HexColor("#555555"))
    body = _style("body", spaceAfter=4)
    lead = _style("lead", fontName=f"{FAMILY}-Bold", spaceAfter=4)
    cell = _style("cell", fontSize=9, leading=12)

    story: list[Any] = [
        Paragraph(escape(issue.masthead.upper()), masthead),
        Paragraph(escape(f"{issue.label} — {issue.issued_on:%d/%m/%Y}"), subtitle),
        HRFlowable(width="100%", thickness=2, color=colors.HexColor("#a81414"), spaceBefore=6, spaceAfter=8),
        *_paragraphs(issue.intro, body),
    ]
    for item in issue.items:
        story.append(Paragraph(escape(item.title), heading))
        when = f" · {item.published:%d/%m/%Y}" if item.published else ""
        story.append(Paragraph(escape(item.kind + when), meta))
        story += _paragraphs(item.summary, lead)
        story += _paragraphs(item.text, body)
    if issue.documents:
        h = issue.headings
        story.append(Paragraph(escape(h["documents"]), heading))
        rows = [[Paragraph(escape(h[key]), cell) for key in ("number", "type", "date", "title")]]
        rows += [
            [Paragraph(escape(text), cell) for text in (d.number, d.kind, f"{d.issued_on:%d/%m/%Y}", d.title)]
            for d in issue.documents
        ]
        table = Table(rows, colWidths=[32 * mm, 28 * mm, 22 * mm, None], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3e6e6")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(FAMILY, 8)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"{issue.label} — {document.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=issue.label,
        author=issue.masthead,
    ).build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
