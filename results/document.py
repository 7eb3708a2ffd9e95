"""The result document generated when the processing officer uploaded no draft: a one-page
official notice (Thông báo kết quả giải quyết thủ tục hành chính) in the layout of Nghị định
30/2020/NĐ-CP on A4: the issuing agency and its number top left, the national motto with place
and date top right, the title, the body, "Nơi nhận" bottom left and the signature bottom right.

The signature block keeps an empty spot for the visible digital signature; ``render_result``
returns where it landed, so that ``results.signing.sign_pdf`` puts the box exactly there. The
fonts, paragraph helpers and page rendering are the slips' (``dossiers.slips.layout``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, Spacer, Table, TableStyle

from catalog.declaration import ResultDocument
from common.formats import official_date, short_date
from dossiers.slips import layout
from dossiers.slips.layout import FAMILY, PLAIN, Page, para, place_date, style, text

from .signing import BOX_HEIGHT, Box

# Nghị định 30/2020, Phụ lục I: margins top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
RESULT_PAGE = Page(A4, left=30 * mm, right=15 * mm, top=20 * mm, bottom=20 * mm)
SIGNATURE_WIDTH = 78 * mm

HEAD = style("r_head", fontSize=11, leading=14, alignment=TA_CENTER)
HEAD_BOLD = style("r_head_bold", fontName=f"{FAMILY}-Bold", fontSize=11, leading=14, alignment=TA_CENTER)
MOTTO = style("r_motto", fontName=f"{FAMILY}-Bold", fontSize=10.5, leading=14, alignment=TA_CENTER)
MOTTO_2 = style("r_motto_2", fontName=f"{FAMILY}-Bold", fontSize=12.5, leading=16, alignment=TA_CENTER)
NUMBER = style("r_number", fontSize=10, leading=13, alignment=TA_CENTER)
PLACE_DATE = style("r_place_date", fontName=f"{FAMILY}-Italic", fontSize=12.5, leading=16, alignment=TA_CENTER)
TITLE = style("r_title", fontName=f"{FAMILY}-Bold", fontSize=13.5, leading=18, alignment=TA_CENTER, spaceBefore=14)
SUBTITLE = style("r_subtitle", fontName=f"{FAMILY}-Bold", fontSize=12.5, leading=16, alignment=TA_CENTER)
BODY = style("r_body", fontSize=12.5, leading=17, alignment=TA_JUSTIFY, firstLineIndent=10 * mm, spaceAfter=4)
ITEM = style("r_item", fontSize=12.5, leading=17, alignment=TA_JUSTIFY, leftIndent=10 * mm, spaceAfter=2)
RECIPIENTS_TITLE = style("r_recipients_title", fontName=f"{FAMILY}-BoldItalic", fontSize=11, leading=14)
RECIPIENTS = style("r_recipients", fontSize=10, leading=13)
SIGN_TITLE = style("r_sign_title", fontName=f"{FAMILY}-Bold", fontSize=12.5, leading=16, alignment=TA_CENTER)
SIGN_NAME = style("r_sign_name", fontName=f"{FAMILY}-Bold", fontSize=12.5, leading=16, alignment=TA_CENTER)
PART = style("r_part", fontName=f"{FAMILY}-Bold", fontSize=12, leading=16, spaceBefore=4, spaceAfter=1)
LINE = style("r_line", fontSize=12, leading=16, leftIndent=6 * mm)
NOTE = style("r_note", fontName=f"{FAMILY}-Italic", fontSize=10.5, leading=14, alignment=TA_JUSTIFY)

TITLE_TEXT = "Thông báo"
SUBTITLE_TEXT = "Kết quả giải quyết thủ tục hành chính"
DOCUMENT_NAME = "Thông báo kết quả giải quyết thủ tục hành chính"


@dataclass(frozen=True)
class ResultContent:
    """What the notice says; ``results.services`` fills it from the dossier."""

    superior: str  # cơ quan chủ quản ("" when none)
    issuer: str  # the processing agency
    place: str
    day: datetime.date
    number: str  # the result code
    dossier_code: str
    received_on: datetime.date | None
    procedure_name: str
    procedure_code: str
    applicant_name: str
    organization_name: str
    applicant_address: str
    approval_note: str
    signer_name: str  # the leader who approved
    verify_url: str


class SignatureSpot(Flowable):
    """An empty rectangle that remembers where it was drawn (page and box in points)."""

    def __init__(self, width: float, height: float) -> None:
        super().__init__()
        self.width, self.height = width, height
        self.page: int | None = None
        self.box: Box | None = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 0)
        self.page = self.canv.getPageNumber()
        self.box = (x, y, x + self.width, y + self.height)


def _header(content: ResultContent, width: float) -> Flowable:
    left: list[Flowable] = []
    if content.superior:
        left.append(para(text(content.superior.upper()), HEAD))
    left.append(para(text(content.issuer.upper()), HEAD_BOLD))
    left.append(HRFlowable(width="35%", thickness=0.7, color=colors.black, spaceBefore=2, spaceAfter=4))
    left.append(para(f"Số: {text(content.number)}", NUMBER))
    right: list[Flowable] = [
        para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", MOTTO),
        para("Độc lập - Tự do - Hạnh phúc", MOTTO_2),
        HRFlowable(width="58%", thickness=0.7, color=colors.black, spaceBefore=2, spaceAfter=6),
        para(text(place_date(content.place, content.day)), PLACE_DATE),
    ]
    left_width = width * 0.44
    table = Table([[left, right]], colWidths=[left_width, width - left_width])
    table.setStyle(PLAIN)
    return table


def _body(content: ResultContent) -> list[Flowable]:
    received = f" tiếp nhận ngày {short_date(content.received_on)}" if content.received_on else ""
    applicant = f"Ông/Bà <b>{text(content.applicant_name)}</b>"
    if content.organization_name:
        applicant += f", đại diện {text(content.organization_name)}"
    flowables: list[Flowable] = [
        para(f"Căn cứ hồ sơ mã số <b>{text(content.dossier_code)}</b>{text(received)};", BODY),
        para(f"{text(content.issuer)} thông báo kết quả giải quyết thủ tục hành chính như sau:", BODY),
        para(f"1. Người nộp hồ sơ: {applicant}.", ITEM),
        para(f"Địa chỉ: {text(content.applicant_address)}.", ITEM),
        para(
            f"2. Thủ tục hành chính: <b>{text(content.procedure_name)}</b>"
            + (f" (mã {text(content.procedure_code)})" if content.procedure_code else "")
            + ".",
            ITEM,
        ),
        para("3. Kết quả giải quyết: hồ sơ đã được <b>phê duyệt</b>, kết quả được trả theo quy định.", ITEM),
    ]
    if content.approval_note.strip():
        flowables.append(para(f"Ý kiến phê duyệt: {text(content.approval_note.strip())}", ITEM))
    flowables.append(
        para(
            "Văn bản này là kết quả điện tử có chữ ký số của cơ quan giải quyết, có giá trị pháp lý như bản giấy. "
            f"Kiểm tra tính xác thực tại {text(content.verify_url)} (mã kết quả {text(content.number)}).",
            BODY,
        )
    )
    return flowables


def _closing(content: ResultContent, width: float, spot: SignatureSpot) -> Flowable:
    recipients = [
        para("Nơi nhận:", RECIPIENTS_TITLE),
        para(f"- {text(content.applicant_name)};", RECIPIENTS),
        para("- Bộ phận Một cửa;", RECIPIENTS),
        para("- Lưu: VT, hồ sơ.", RECIPIENTS),
    ]
    signature: list[Flowable] = [
        para(f"TM. {text(content.issuer.upper())}", SIGN_TITLE),
        Spacer(1, 2 * mm),
        spot,
        Spacer(1, 2 * mm),
        para(text(content.signer_name), SIGN_NAME),
    ]
    right_width = max(SIGNATURE_WIDTH + 4 * mm, width * 0.5)
    table = Table([[recipients, signature]], colWidths=[width - right_width, right_width])
    table.setStyle(PLAIN)
    table.setStyle(TableStyle([("ALIGN", (1, 0), (1, 0), "CENTER")]))
    return table


def render_result(content: ResultContent) -> tuple[bytes, int, Box]:
    """The notice as PDF, with the page index (from 0) and box of the signature spot."""
    width = RESULT_PAGE.width
    spot = SignatureSpot(SIGNATURE_WIDTH, BOX_HEIGHT)
    spot.hAlign = "CENTER"
    story: list[Any] = [
        _header(content, width),
        para(text(TITLE_TEXT.upper()), TITLE),
        para(text(SUBTITLE_TEXT), SUBTITLE),
        Spacer(1, 6 * mm),
        *_body(content),
        Spacer(1, 4 * mm),
        _closing(content, width, spot),
    ]
    data = layout.render(story, page=RESULT_PAGE, pdf_title=DOCUMENT_NAME, subject=content.number)
    assert spot.page is not None and spot.box is not None, "the signature spot was not drawn"
    return data, spot.page - 1, spot.box


# --- A result made from the declaration form (the birth certificate, the marriage certificate…) ---


def _certificate_lines(content: ResultContent, document: ResultDocument) -> list[Flowable]:
    flowables: list[Flowable] = []
    for part in document.parts:
        if part.title:
            flowables.append(para(text(part.title), PART))
        rows: list[list[str]] = []
        for line in part.lines:
            label = text(line.label).replace(" ", "&nbsp;")  # a label never breaks across lines
            shown = f"{label}: <b>{text(line.value)}</b>"
            if line.inline and rows:
                rows[-1].append(shown)
            else:
                rows.append([shown])
        flowables += [para("&nbsp;&nbsp;&nbsp;&nbsp;".join(row), LINE) for row in rows]
    if document.registered:
        flowables += [
            para(text("Nơi đăng ký"), PART),
            para(f"Cơ quan đăng ký: <b>{text(content.issuer)}</b>", LINE),
            para(f"Ngày, tháng, năm đăng ký: <b>{text(official_date(content.day))}</b>", LINE),
        ]
    return flowables


def render_certificate(content: ResultContent, document: ResultDocument) -> tuple[bytes, int, Box]:
    """The result the procedure gives (``document``: its title and lines filled from the
    declaration form) in the layout of Nghị định 30/2020: the issuing agency and the result's
    number, the national motto with place and date, the title, the lines, and the signer's block
    with the spot for the digital signature; returned as ``render_result`` returns the notice."""
    width = RESULT_PAGE.width
    spot = SignatureSpot(SIGNATURE_WIDTH, BOX_HEIGHT)
    spot.hAlign = "CENTER"
    signer_title = document.signer_title or f"TM. {content.issuer}"
    signature: list[Flowable] = [
        para(text(signer_title.upper()), SIGN_TITLE),
        Spacer(1, 2 * mm),
        spot,
        Spacer(1, 2 * mm),
        para(text(content.signer_name), SIGN_NAME),
    ]
    note = para(
        "Bản điện tử có chữ ký số của cơ quan đăng ký, có giá trị pháp lý như bản giấy. "
        f"Kiểm tra tính xác thực tại {text(content.verify_url)} (mã {text(content.number)}).",
        NOTE,
    )
    right_width = max(SIGNATURE_WIDTH + 4 * mm, width * 0.5)
    closing = Table([[[note], signature]], colWidths=[width - right_width, right_width])
    closing.setStyle(PLAIN)
    closing.setStyle(TableStyle([("ALIGN", (1, 0), (1, 0), "CENTER")]))
    story: list[Any] = [
        _header(content, width),
        para(text(document.title.upper()), TITLE),
        Spacer(1, 6 * mm),
        *_certificate_lines(content, document),
        Spacer(1, 6 * mm),
        closing,
    ]
    data = layout.render(story, page=RESULT_PAGE, pdf_title=document.name, subject=content.number)
    assert spot.page is not None and spot.box is not None, "the signature spot was not drawn"
    return data, spot.page - 1, spot.box
