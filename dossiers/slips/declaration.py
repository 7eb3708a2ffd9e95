"""Tờ khai in print: the filled declaration form of a dossier as the official form lays it out
(A4: the national motto, the form's number at the top right, its title, "Kính gửi" the agency,
each part with its fields, a repeating group as a table, the declarant's pledge and signature),
from the form the dossier was filled with (``Dossier.declaration_form``) and its data."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from catalog import declaration
from common.formats import group_thousands

from ..models import Dossier
from . import layout
from .forms import SlipUnavailable, _day, place_of
from .layout import BODY, CELL, CELL_HEAD, para, text

PAGE = layout.Page(A4, left=20 * mm, right=15 * mm, top=15 * mm, bottom=15 * mm)


def _value(field: declaration.Field) -> str:
    if field.widget == "checkbox":
        return "Có" if field.value == "true" else "Không"
    if field.widget == "number" and field.value.isdigit() and int(field.value) >= 10_000:
        return group_thousands(int(field.value))  # an amount or an area: 300.000.000
    return field.value or "…………………"


def declaration_form(dossier: Dossier) -> bytes:
    """The dossier's tờ khai as PDF; ``SlipUnavailable`` when it was filled with none."""
    form = dossier.declaration_form
    if form is None:
        raise SlipUnavailable("hồ sơ không có tờ khai điện tử")
    width = PAGE.width
    day = _day(dossier.submitted_at or dossier.created_at)
    story: list[Flowable] = []
    if form.form_number:
        story.append(para(text(form.form_number), layout.FORM_NUMBER))
    story += [
        para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", layout.TITLE),
        para("Độc lập - Tự do - Hạnh phúc", layout.SUBTITLE),
        Spacer(1, 4 * mm),
        *layout.title(form.title),
        para(f"Kính gửi: <b>{text(dossier.processing_agency.name)}</b>"),
        Spacer(1, 2 * mm),
    ]
    for section in declaration.sections(form.schema, form.layout, dossier.form_data):
        if not section.shown:
            continue
        story.append(Paragraph(f"<b>{text(section.title)}</b>", BODY))
        for field in section.fields:
            story.append(para(f"{text(field.label)}: {text(_value(field))}"))
        if section.repeat:
            if not section.rows:
                story.append(para("Không có."))
                continue
            labels = [f.label for f in section.rows[0].fields]
            widths = [8 * mm] + [(width - 8 * mm) / len(labels)] * len(labels)
            rows = [[Paragraph("TT", CELL_HEAD), *(Paragraph(text(label), CELL_HEAD) for label in labels)]]
            for number, row in enumerate(section.rows, start=1):
                rows.append([Paragraph(str(number), CELL), *(Paragraph(text(_value(f)), CELL) for f in row.fields)])
            story.append(layout.grid(rows, widths))
        story.append(Spacer(1, 2 * mm))
    story.append(
        para(
            "Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước pháp luật "
            "về cam đoan của mình."
        )
    )
    place = place_of(dossier.receiving_unit)
    story.append(para(text(layout.place_date(place, day)), layout.PLACE_DATE))
    note = "(Nộp trực tuyến, đã xác thực định danh điện tử)"
    named = declaration.signers(form.layout, dossier.form_data)
    blocks = [(title, "", name) for title, name in named] or [("Người yêu cầu", note, dossier.applicant_name)]
    story.append(layout.signatures(blocks, width))
    return layout.render(story, page=PAGE, pdf_title=form.title, subject=dossier.code or "")
