"""The official slips as real PDFs: dossiers built through the services, each slip generated and
read back with poppler (pdftotext, pdfimages): page size, Vietnamese text with its diacritics,
the dossier code, dates in the official format, and the QR code image.

Without the DejaVu fonts or poppler-utils the tests skip, saying what to install; under CI=true
they fail instead."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from common.formats import official_date
from dossiers import services, slips
from dossiers.models import DossierEvent
from dossiers.rules import ResultDelivery, State
from dossiers.slips import layout

from .factories import MONDAY, World, at, walk_to, world

A5 = (419.53, 595.28)
A4_LANDSCAPE = (841.89, 595.28)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _tools() -> None:
    problems = layout.missing_fonts()
    if problems:
        _unavailable("; ".join(problems))
    for tool in ("pdftotext", "pdfimages"):
        if shutil.which(tool) is None:
            _unavailable(f"{tool} is not installed: apt-get install poppler-utils")


def _write(pdf: bytes, tmp_path: Path) -> Path:
    path = tmp_path / "slip.pdf"
    path.write_bytes(pdf)
    return path


def pdf_text(pdf: bytes, tmp_path: Path, *, physical: bool = False) -> str:
    """The text of the PDF, NFC-normalised, with whitespace runs made single spaces; in reading
    order, or ``physical``: line by line as laid out (a table row on one line)."""
    path = _write(pdf, tmp_path)
    mode = ["-layout"] if physical else []
    out = subprocess.run(["pdftotext", *mode, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return " ".join(unicodedata.normalize("NFC", out.stdout.decode("utf-8")).split())


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [
        (round(float(w), 2), round(float(h), 2))
        for w, h in re.findall(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    ]


def images(pdf: bytes, tmp_path: Path) -> list[list[str]]:
    """``pdfimages -list`` rows (page, num, type, width, height, …) of the embedded images."""
    out = subprocess.run(["pdfimages", "-list", str(_write(pdf, tmp_path))], capture_output=True, check=True, text=True)
    return [line.split() for line in out.stdout.splitlines()[2:] if line.strip()]


def assert_slip(pdf: bytes, tmp_path: Path, title: str, *expected: str | None) -> str:
    assert pdf.startswith(b"%PDF-")
    assert page_sizes(pdf) and all(size == A5 for size in page_sizes(pdf))
    found = pdf_text(pdf, tmp_path)
    for wanted in (title, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", *expected):
        assert wanted is not None and wanted in found, f"{wanted!r} not in {found!r}"
    qr = images(pdf, tmp_path)
    assert len(qr) == 1 and qr[0][2] == "image", qr
    assert int(qr[0][3]) == int(qr[0][4]), "a QR code is square"
    return found


# --- Receipt ------------------------------------------------------------------------------------


def test_receipt_is_an_a5_pdf_with_the_code_due_date_documents_and_qr(w: World, tmp_path: Path) -> None:
    d = walk_to(w, State.RECEIVED)
    assert d.due_on == datetime.date(2025, 11, 6)  # Monday 09:00 + 3 working days
    found = assert_slip(
        slips.receipt(d),
        tmp_path,
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        d.code,
        "ngày 06 tháng 11 năm 2025",
        "Khánh Hòa, ngày 03 tháng 11 năm 2025",
        "09 giờ 00 phút, ngày 03 tháng 11 năm 2025",
        w.version.name,
        w.citizen.full_name,
        "Tờ khai theo mẫu",
        w.counter.full_name,
        w.unit.name,
        "03 ngày làm việc",
        f"/tra-cuu-ho-so/?ma={d.code}",
    )
    assert "Nhận kết quả tại: " + w.unit.name in found


def test_receipt_after_the_cutoff_counts_from_the_next_working_day(w: World, tmp_path: Path) -> None:
    friday_late = at(2025, 11, 7, 16, 30)
    d = walk_to(w, State.RECEIVED, now=friday_late)
    due = datetime.date(2025, 11, 13)  # counted from Monday 10: Thursday 13
    assert d.due_on == due
    found = pdf_text(slips.receipt(d), tmp_path)
    assert official_date(due) in found and "16 giờ 30 phút, ngày 07 tháng 11 năm 2025" in found


def test_receipt_counts_originals_and_copies(tmp_path: Path, db: None) -> None:
    w = world(documents=["Đơn đề nghị", "Giấy khai sinh"])
    first, second = w.version.documents.all()
    handed = [
        services.HandedDocument(first.pk, "original", 1),
        services.HandedDocument(second.pk, "certified_copy", 2),
    ]
    d = services.dossier_submit(applicant=w.citizen, intake=w.intake(documents=handed), now=MONDAY)[0]
    d = services.dossier_receive(actor=w.counter, dossier=d, now=MONDAY)
    found = pdf_text(slips.receipt(d), tmp_path)
    assert re.search(r"1 Đơn đề nghị 01 —", found), found
    assert re.search(r"2 Giấy khai sinh — 02", found), found


def test_the_same_receipt_reprints_identically(w: World) -> None:
    d = walk_to(w, State.RECEIVED)
    assert slips.receipt(d) == slips.receipt(d)


def test_receipt_of_a_dossier_not_received_yet_is_refused(w: World) -> None:
    with pytest.raises(slips.SlipUnavailable):
        slips.receipt(walk_to(w, State.SUBMITTED))


# --- Supplement, refusal, apology, stop -------------------------------------------------------


def test_supplement_request_lists_exactly_what_is_missing(w: World, tmp_path: Path) -> None:
    d = walk_to(w, State.IN_PROGRESS)
    missing = ["Bản sao giấy khai sinh có chứng thực", "Tờ khai ghi đủ nơi cư trú"]
    d = services.dossier_request_supplement(
        actor=w.processor, dossier=d, missing=missing, note="Hồ sơ thiếu giấy tờ", now=MONDAY
    )
    found = assert_slip(
        slips.supplement_request(d),
        tmp_path,
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        d.code,
        "1. " + missing[0],
        "2. " + missing[1],
        "Lý do: Hồ sơ thiếu giấy tờ",
        w.processor.full_name,
        w.agency.name.upper(),
    )
    assert "3. " not in found


def test_supplement_request_uses_the_last_request(w: World, tmp_path: Path) -> None:
    d = walk_to(w, State.IN_PROGRESS)
    d = services.dossier_request_supplement(actor=w.processor, dossier=d, missing=["Giấy tờ cũ"], now=MONDAY)
    d = services.dossier_supplement(actor=w.citizen, dossier=d, now=MONDAY)
    d = services.dossier_request_supplement(actor=w.processor, dossier=d, missing=["Giấy tờ mới"], now=MONDAY)
    found = pdf_text(slips.supplement_request(d), tmp_path)
    assert "Giấy tờ mới" in found and "Giấy tờ cũ" not in found


def test_refusal_at_intake_has_the_reason_and_the_code_given_at_submission(w: World, tmp_path: Path) -> None:
    d = walk_to(w, State.NOT_RECEIVED)
    assert d.code is not None
    assert_slip(
        slips.refusal(d),
        tmp_path,
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        d.code,
        "1. Không thuộc thẩm quyền",
        w.unit.name.upper(),
        w.counter.full_name,
    )


def test_refusal_after_processing_lists_every_reason(w: World, tmp_path: Path) -> None:
    d = walk_to(w, State.IN_PROGRESS)
    d = services.dossier_refuse(actor=w.leader, dossier=d, reasons=["Đất đang tranh chấp", "Sai mục đích"], now=MONDAY)
    assert_slip(slips.refusal(d), tmp_path, "PHIẾU TỪ CHỐI", d.code, "1. Đất đang tranh chấp", "2. Sai mục đích")


def test_apology_gives_the_old_and_the_new_date(w: World, tmp_path: Path) -> None:
    d = walk_to(w, State.IN_PROGRESS)
    new = datetime.date(2025, 11, 10)
    d = services.dossier_extend(
        actor=w.processor, dossier=d, new_due_on=new, apology="Cần xác minh thực địa", now=at(2025, 11, 4)
    )
    assert_slip(
        slips.apology(d),
        tmp_path,
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        "Mẫu số 04",
        d.code,
        "ngày 06 tháng 11 năm 2025",
        "ngày 10 tháng 11 năm 2025",
        "Cần xác minh thực địa",
        "Khánh Hòa, ngày 04 tháng 11 năm 2025",
    )


def test_stop_notice_gives_the_reason(w: World, tmp_path: Path) -> None:
    d = walk_to(w, State.STOPPED)
    assert_slip(
        slips.stop_notice(d), tmp_path, "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "Mẫu số 05", d.code, "Người nộp đề nghị dừng"
    )


def test_a_dossier_of_2022_prints_the_forms_of_thong_tu_01_2018(w: World, tmp_path: Path) -> None:
    """Thông tư 03/2025/TT-VPCP took effect on 15/9/2025: a slip of a step before follows the
    forms of Thông tư 01/2018/TT-VPCP, one after it the new ones."""
    old = at(2022, 11, 7, 9)
    d = walk_to(w, State.STOPPED)
    # Its history as of 2022 (the history is append-only, and the test world's officers joined
    # later: the slips are given the events as read).
    events = list(DossierEvent.objects.filter(dossier=d).order_by("at", "id"))
    for event in events:
        event.at = old
    d.submitted_at = d.received_at = d.finished_at = old
    notice = assert_slip(slips.stop_notice(d, events), tmp_path, "THÔNG BÁO", "Về việc dừng xử lý hồ sơ")
    assert "ngày 07 tháng 11 năm 2022" in notice and "Mẫu số" not in notice
    found = assert_slip(
        slips.control_sheet(d, events), tmp_path, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Mẫu số 05"
    )
    assert "Mẫu số 06" not in found
    book = pdf_text(slips.log_book(w.unit, datetime.date(2022, 11, 1), datetime.date(2022, 11, 30)), tmp_path)
    assert "Mẫu số 06" in book and "SỔ THEO DÕI HỒ SƠ" in book
    new = walk_to(w, State.IN_PROGRESS)
    assert "Mẫu số 06" in pdf_text(slips.control_sheet(new), tmp_path)


def test_each_edition_has_every_slip_and_the_newer_one_starts_on_its_day() -> None:
    from dossiers.slips.editions import EDITIONS, edition_on

    assert all(set(e.forms) == set(EDITIONS[0].forms) for e in EDITIONS)
    assert edition_on(datetime.date(2025, 9, 14)).circular == "Thông tư số 01/2018/TT-VPCP"
    assert edition_on(datetime.date(2025, 9, 15)).circular == "Thông tư số 03/2025/TT-VPCP"
    assert edition_on(datetime.date(2010, 1, 1)) == EDITIONS[0]


def test_slips_need_their_event(w: World) -> None:
    d = walk_to(w, State.IN_PROGRESS)
    for slip in (slips.supplement_request, slips.refusal, slips.apology, slips.stop_notice):
        with pytest.raises(slips.SlipUnavailable):
            slip(d)


# --- Control sheet and log book ---------------------------------------------------------------


def test_control_sheet_has_every_hand_over_on_time_or_late(w: World, tmp_path: Path) -> None:
    d = walk_to(w, State.IN_PROGRESS)  # submitted, received, assigned on Monday
    d = services.dossier_forward(actor=w.processor, dossier=d, to=w.leader, now=at(2025, 11, 5, 10))
    d = services.dossier_approve(actor=w.leader, dossier=d, now=at(2025, 11, 6, 14))
    d = services.dossier_return_result(
        actor=w.counter, dossier=d, method=ResultDelivery.COUNTER, now=at(2025, 11, 7, 8, 30)
    )
    found = assert_slip(
        slips.control_sheet(d),
        tmp_path,
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        d.code,
        "Ngày hẹn trả kết quả: ngày 06 tháng 11 năm 2025",
        f"Nhận: {w.leader.full_name}",
        f"Nhận: {w.processor.full_name}",
        "10 giờ 00 05/11/2025",
        "08 giờ 30 07/11/2025",
    )
    events = d.events.count()
    assert events == 6
    assert re.search(rf"\b{events} Giao:", found)
    assert found.count("Trước hạn") == 4  # Monday's three steps and Wednesday's
    assert found.count("Đúng hạn") == 1  # approved on the due date
    assert found.count("Quá hạn") == 1  # returned the day after


def test_log_book_lists_a_units_dossiers_of_the_period_on_a4_landscape(w: World, tmp_path: Path) -> None:
    first = walk_to(w, State.IN_PROGRESS)
    second = walk_to(w, State.RECEIVED, now=at(2025, 11, 5, 10))
    outside = walk_to(w, State.RECEIVED, now=at(2025, 11, 10, 10))
    other = walk_to(world(), State.RECEIVED)
    pdf = slips.log_book(
        w.unit, datetime.date(2025, 11, 3), datetime.date(2025, 11, 9), today=datetime.date(2025, 11, 10)
    )
    assert page_sizes(pdf) == [A4_LANDSCAPE]
    found = pdf_text(pdf, tmp_path)
    for wanted in (
        "SỔ THEO DÕI HỒ SƠ",
        "Từ ngày 03/11/2025 đến ngày 09/11/2025",
        str(first.code),
        str(second.code),
        "Tổng số hồ sơ: 2",
    ):
        assert wanted in found, wanted
    assert str(outside.code) not in found and str(other.code) not in found
    rows = pdf_text(pdf, tmp_path, physical=True)
    assert "03/11/2025 06/11/2025 03/11/2025" in rows  # received, due, handed to the agency


def test_log_book_runs_over_pages(w: World, tmp_path: Path) -> None:
    for _ in range(30):
        walk_to(w, State.RECEIVED)
    pdf = slips.log_book(w.unit, datetime.date(2025, 11, 3), datetime.date(2025, 11, 3))
    assert len(page_sizes(pdf)) >= 2
    found = pdf_text(pdf, tmp_path)
    assert "Tổng số hồ sơ: 30" in found and "Trang 2" in found


# --- QR target and fonts ----------------------------------------------------------------------


def test_tracking_url_from_the_caller_or_the_setting(settings: object) -> None:
    settings.PORTAL_PUBLIC_URL = ""  # type: ignore[attr-defined]
    assert slips.tracking_url("000.00.01.H41-251103-0001") == "/tra-cuu-ho-so/?ma=000.00.01.H41-251103-0001"
    assert (
        slips.tracking_url("X-251103-0001", "https://dvc.example.vn/")
        == "https://dvc.example.vn/tra-cuu-ho-so/?ma=X-251103-0001"
    )
    settings.PORTAL_PUBLIC_URL = "https://dichvucong.khanhhoa.gov.vn"  # type: ignore[attr-defined]
    assert slips.tracking_url(None) == "https://dichvucong.khanhhoa.gov.vn/"


def test_a_missing_font_names_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layout, "_registered", False)
    with pytest.raises(slips.SlipFontMissing, match="fonts-dejavu-core") as raised:
        layout.register_fonts(tmp_path)
    assert "fonts-dejavu-extra" in str(raised.value)


def test_log_book_reads_a_fixed_number_of_queries(w: World, django_assert_max_num_queries: Any) -> None:
    for _ in range(5):
        walk_to(w, State.IN_PROGRESS)
    unit = type(w.unit).objects.select_related("administrative_unit").get(pk=w.unit.pk)
    with django_assert_max_num_queries(2):
        slips.log_book(unit, datetime.date(2025, 11, 3), datetime.date(2025, 11, 3))


def test_a_missing_tool_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="poppler-utils"):
        _unavailable("pdftotext is not installed: apt-get install poppler-utils")
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        _unavailable("pdftotext is not installed: apt-get install poppler-utils")
