"""The annual report written from data: a DOCX in the layout of Nghị định 30/2020 (checked by
opening it with python-docx), every figure written the Vietnamese way, an unknown placeholder
named with where it is, the PDF of the same document, and the report kept with its figures."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from django.test import Client
from docx import Document

from dossiers.rules import State
from dossiers.tests.factories import World, walk_to, world
from reports import documents, rules, services
from reports.models import ReportDocument
from reports.selectors import ContestCounts, NewsCounts, Scope, Statistics

HEADING = documents.Heading(
    parent_body="Ủy ban nhân dân tỉnh Khánh Hòa",
    body="Văn phòng Ủy ban nhân dân tỉnh",
    number="125/BC-VP",
    place="Khánh Hòa",
    day=datetime.date(2022, 11, 7),
    signer_title="KT. Chánh Văn phòng\nPhó Chánh Văn phòng",
    signer_name="Nguyễn Văn An",
    recipients=("Sở Nội vụ;", "Lưu: VT, KSTT."),
)


def year_2022() -> Statistics:
    """The figures the office wrote by hand for 2022."""
    period = dict.fromkeys(rules.MEASURES, 0)
    period.update(
        received=37_448,
        received_online=18_724,
        early=30_000,
        on_time=6_000,
        late=448,
        paid_dossiers=20_000,
        paid_online_dossiers=12_000,
        paid_vnd=30_000_000_000,
        paid_online_vnd=18_427_350_000,
    )
    figures = rules.figures_from(rules.Sums(period=period, open_before=0, open_at_end=1_000, overdue_at_end=10))
    return Statistics(
        start=datetime.date(2022, 1, 1),
        end=datetime.date(2022, 12, 31),
        scope=Scope(),
        dossiers=figures,
        feedback=None,
        news=NewsCounts(articles=49, infographics=33, documents=90),
        contests=ContestCounts(contests=2, participants=11_950),
    )


def text_of(docx: bytes) -> str:
    document = Document(BytesIO(docx))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_2022_figures_are_written_the_vietnamese_way():
    docx = documents.render(documents.template_path("propaganda"), documents.context_for(year_2022(), HEADING))
    text = " ".join(text_of(docx).split())
    assert "Đã có 37.448 hồ sơ được tiếp nhận, tỷ lệ nộp hồ sơ trực tuyến đạt 50%" in text
    assert "Cổng Dịch vụ công quốc gia là hơn 18 tỷ đồng" in text
    assert "82 tin, bài (trong đó có 49 tin, bài và 33 Infographic) và 90 văn bản" in text
    assert "gần 12.000 lượt người tham gia dự thi" in text
    assert "Trong năm 2022" in text
    assert "{{" not in text and "{%" not in text


def test_the_layout_of_nghi_dinh_30_2020():
    document = Document(
        BytesIO(
            documents.render(documents.template_path("one_stop_quarterly"), documents.context_for(year_2022(), HEADING))
        )
    )
    section = document.sections[0]
    mm = [round(length.mm) for length in (section.page_width, section.page_height)]
    assert mm == [210, 297]  # A4
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(length.mm) for length in margins] == [20, 20, 30, 20]
    header, closing = document.tables
    left, right = (cell.text.split("\n") for cell in header.rows[0].cells)
    assert left[:2] == ["ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", "VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH"]
    assert "Số: 125/BC-VP" in left
    assert right[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]  # quốc hiệu, tiêu ngữ
    assert "Khánh Hòa, ngày 07 tháng 11 năm 2022" in right
    quoc_hieu = header.rows[0].cells[1].paragraphs[0].runs[0]
    assert quoc_hieu.bold and quoc_hieu.font.name == "Times New Roman"
    date = next(p for p in header.rows[0].cells[1].paragraphs if "ngày 07" in p.text)
    assert date.runs[0].italic
    titles = [p.text for p in document.paragraphs if p.text]
    assert titles[:3] == ["BÁO CÁO", "Tình hình, kết quả giải quyết thủ tục hành chính", "năm 2022"]
    recipients, signer = (cell.text.split("\n") for cell in closing.rows[0].cells)
    assert recipients == ["Nơi nhận:", "- Sở Nội vụ;", "- Lưu: VT, KSTT."]
    assert [line for line in signer if line] == ["KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "Nguyễn Văn An"]
    body = " ".join(titles)
    assert "tổng số hồ sơ tiếp nhận là 37.448 hồ sơ" in body
    assert "tỷ lệ giải quyết trước hạn và đúng hạn đạt 98,8%" in body  # 36.000 / 36.448
    assert "số tiền 18.427.350.000 đồng" in body
    assert "Tiếp nhận chưa có số liệu phản ánh" in body  # feedback not counted: no data, never 0


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        ((2022, 1, 1), (2022, 12, 31), "năm 2022"),
        ((2022, 7, 1), (2022, 9, 30), "quý III năm 2022"),
        ((2023, 1, 1), (2023, 6, 30), "6 tháng đầu năm 2023"),
        ((2022, 3, 5), (2022, 4, 30), "từ ngày 05/03/2022 đến ngày 30/04/2022"),
    ],
)
def test_the_period_in_words(start, end, words):
    assert documents.period_words(datetime.date(*start), datetime.date(*end)) == words


def test_an_unknown_placeholder_is_named_with_where_it_is(tmp_path: Path):
    template = Document(str(documents.template_path("propaganda")))
    template.add_paragraph("Xếp hạng: đứng vị trí thứ {{ thu_hang_quoc_gia }} trong cả nước.")
    path = tmp_path / "mau.docx"
    template.save(str(path))
    where = f"đoạn thứ {len(template.paragraphs)}"
    with pytest.raises(documents.PlaceholderError) as raised:
        documents.render(path, documents.context_for(year_2022(), HEADING))
    assert (raised.value.name, raised.value.where) == ("thu_hang_quoc_gia", where)


# --- Through the API, on the database ---------------------------------------------------------

BODY = {
    "parent_body": HEADING.parent_body,
    "body": HEADING.body,
    "number": HEADING.number,
    "place": HEADING.place,
    "day": "2025-12-01",
    "signer_title": HEADING.signer_title,
    "signer_name": HEADING.signer_name,
    "pdf": False,
}
PERIOD = {"start": "2025-10-01", "end": "2025-12-31"}


@pytest.fixture
def w(db) -> World:
    w = world()
    for state in (State.RETURNED, State.IN_PROGRESS):
        walk_to(w, state)
    services.figures_rebuild()
    return w


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_report_is_kept_with_the_figures_it_was_written_from(w):
    client = _client(w.leader)
    answer = client.post(
        "/api/v1/reports", {"kind": "one_stop_quarterly", **PERIOD, **BODY}, content_type="application/json"
    )
    assert answer.status_code == 201, answer.content
    written = answer.json()
    assert written["figures"]["ho_so_moi"] == "2" and written["figures"]["ky_bao_cao"] == "quý IV năm 2025"
    first = client.get(written["docx_url"])
    assert first["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "mới tiếp nhận 2 hồ sơ" in text_of(first.content)
    for _ in range(3):  # a year later the data has changed…
        walk_to(w, State.RETURNED)
    services.figures_rebuild()
    again = client.get(f"/api/v1/reports/{written['id']}").json()
    assert again["figures"] == written["figures"]  # …and the report still says what it said
    assert client.get(written["docx_url"]).content == first.content
    stored = ReportDocument.objects.get(pk=written["id"])
    assert stored.snapshot["figures"]["dossiers"]["received_new"] == 2
    assert stored.created_by == w.leader


@pytest.mark.django_db
def test_another_agencys_officer_cannot_open_it(w):
    written = (
        _client(w.leader)
        .post("/api/v1/reports", {"kind": "propaganda", **PERIOD, **BODY}, content_type="application/json")
        .json()
    )
    stranger = _client(world().leader)
    assert stranger.get(f"/api/v1/reports/{written['id']}").status_code == 404
    assert stranger.get(written["docx_url"]).status_code == 404
    answer = stranger.post(
        "/api/v1/reports",
        {"kind": "propaganda", **PERIOD, **BODY, "agency": w.agency.code},
        content_type="application/json",
    )
    assert answer.status_code == 404


@pytest.mark.django_db
def test_the_api_names_the_unknown_placeholder(w, tmp_path, monkeypatch):
    template = Document(str(documents.template_path("propaganda")))
    template.paragraphs[5].add_run(" {{ so_lieu_khong_co }}")
    template.save(str(tmp_path / documents.TEMPLATE_FILES["propaganda"][0]))
    monkeypatch.setattr(documents, "TEMPLATES", tmp_path)  # the office's edited copy
    answer = _client(w.leader).post(
        "/api/v1/reports", {"kind": "propaganda", **PERIOD, **BODY}, content_type="application/json"
    )
    assert answer.status_code == 422 and answer["Content-Type"].startswith("application/problem+json")
    problem = answer.json()
    assert (problem["placeholder"], problem["where"]) == ("so_lieu_khong_co", "đoạn thứ 6")
    assert "so_lieu_khong_co" in problem["detail"] and "đoạn thứ 6" in problem["detail"]
    assert not ReportDocument.objects.exists()


# --- The PDF --------------------------------------------------------------------------------


def _pdf_tools() -> bool:
    return documents.soffice() is not None and shutil.which("pdftoppm") is not None


@pytest.mark.skipif(not _pdf_tools() and os.environ.get("CI") != "true", reason="LibreOffice and poppler are needed")
def test_the_pdf_is_the_same_document_on_a4(tmp_path: Path):
    docx = documents.render(documents.template_path("propaganda"), documents.context_for(year_2022(), HEADING))
    pdf = documents.to_pdf(docx)
    assert pdf is not None and pdf.startswith(b"%PDF")
    (tmp_path / "bao-cao.pdf").write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(tmp_path / "bao-cao.pdf")], capture_output=True, text=True, check=True).stdout
    assert "595.304 x 841.89 pts (A4)" in info
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "bao-cao.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat and "37.448 hồ sơ" in flat and "hơn 18 tỷ đồng" in flat
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(tmp_path / "bao-cao.pdf"), str(tmp_path / "p")],
        check=True,
    )
    page = next(tmp_path.glob("p*.png"))
    assert page.stat().st_size > 5_000  # a page with text on it, not a blank one
