"""Bulletin issues (Bản tin CCHC): one publication gives the page and the PDF for printing."""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from pypdf import PdfReader
from wagtail.documents.models import Document

from news.services import clean_rich_text
from news.tests import factories as f
from news.tests.test_library import document

pytestmark = pytest.mark.django_db


def pdf_text(doc: Document) -> str:
    with doc.file.open("rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


def test_publishing_an_issue_makes_its_page_and_its_printed_pdf_with_the_same_contents():
    article = f.article(
        "Một cửa liên thông cấp xã",
        summary="Tóm tắt tin một cửa.",
        body=[("paragraph", clean_rich_text("<p>Đoạn văn đầy đủ của tin.</p>"))],
    )
    graphic = f.infographic("Tỷ lệ hồ sơ trực tuyến quý I")
    decree = document("118/2025/NĐ-CP", title="Về thực hiện thủ tục hành chính", issued_on=datetime.date(2025, 6, 9))
    draft = f.bulletin(3, items=[article, graphic], documents=[decree], publish=False)
    assert draft.pdf is None
    assert Client().get("/tin-tuc/ban-tin/").content.decode().count("Bản tin Cải cách hành chính số 3/2026") == 0

    draft.save_revision().publish()
    draft.refresh_from_db()
    assert draft.pdf is not None
    text = pdf_text(draft.pdf)
    for expected in (
        "BẢN TIN CẢI CÁCH HÀNH CHÍNH",
        "Bản tin Cải cách hành chính số 3/2026",
        "Một cửa liên thông cấp xã",
        "Đoạn văn đầy đủ của tin.",
        "Tỷ lệ hồ sơ trực tuyến quý I",
        "40.000 hồ sơ",  # the infographic's text alternative: print carries the same information
        "118/2025/NĐ-CP",
    ):
        assert expected in text, expected

    page = Client().get(draft.url).content.decode()
    assert "Một cửa liên thông cấp xã" in page and "118/2025/NĐ-CP" in page
    assert draft.pdf.url in page
    listing = Client().get("/tin-tuc/ban-tin/").content.decode()
    assert "Bản tin Cải cách hành chính số 3/2026" in listing and draft.pdf.url in listing
    assert Client().get(draft.pdf.url).status_code == 200


def test_publishing_again_reprints_the_issue_and_keeps_one_print():
    first = f.article("Tin đầu tiên")
    issue = f.bulletin(4, items=[first])
    issue.refresh_from_db()
    old = issue.pdf
    issue.items.add(issue.items.model(page=f.article("Tin bổ sung")))
    issue.save_revision().publish()
    issue.refresh_from_db()
    assert issue.pdf.pk != old.pk and not Document.objects.filter(pk=old.pk).exists()
    assert "Tin bổ sung" in pdf_text(issue.pdf)
