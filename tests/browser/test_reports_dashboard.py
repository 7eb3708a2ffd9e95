"""The province's analyst at the end of the year, in Chromium: signs in with password and
authenticator code, opens "Báo cáo, thống kê" from the menu, chooses last year, reads the figures
(the sum of the wards under the province) with their charts, downloads the XLSX file, whose
figures are the page's, drills down to a ward, its procedure and its dossiers (and downloads
their list), then writes the annual report and downloads it. Then the public "Số liệu" page on a
phone. No CSP violation and no serious accessibility violation."""

from __future__ import annotations

import datetime
import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from docx import Document
from openpyxl import load_workbook

from accounts.tests.officers import PASSWORD
from dossiers.models import Dossier
from dossiers.rules import State
from dossiers.tests.factories import at, walk_to, world
from org.models import Agency, Role
from org.tests.factories import agency, officer
from reports import selectors
from tests.browser.test_officer_dossiers import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("MOTCUA_SCREENSHOTS", "/tmp"))


def _a_monday_of_november(year: int) -> datetime.date:
    day = datetime.date(year, 11, 3)
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


@pytest.fixture
def analyst(django_capture_on_commit_callbacks: Any) -> Any:
    """Two wards under the province with dossiers received last November, and the province's
    analyst who has an authenticator."""
    last_year = timezone.localdate().year - 1
    monday = _a_monday_of_november(last_year)
    province = agency("Văn phòng Ủy ban nhân dân tỉnh", code="000.00.00.H41")
    for states in ([State.RETURNED, State.RETURNED, State.IN_PROGRESS], [State.RETURNED, State.WITHDRAWN]):
        w = world()
        w.agency.parent = province
        w.agency.save()
        for state in states:
            with django_capture_on_commit_callbacks(execute=True):
                walk_to(w, state, now=at(monday.year, monday.month, monday.day))
    person = officer("phantich-tinh", {province: [Role.ANALYST]}, full_name="Trần Thị Phân Tích")
    person.set_password(PASSWORD)
    person.save()
    TOTPDevice.objects.create(user=person, name="Điện thoại", confirmed=True)
    return person


def test_the_analyst_reads_last_years_figures_and_downloads_them(live_server: Any, browser: Any, analyst: Any) -> None:
    csp: list[str] = []
    page = sign_in(browser, live_server.url, analyst, csp)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("details.account-menu summary").click()  # the officer's own menu (common.shell)
    page.locator("details.account-menu").get_by_role("link", name="Báo cáo, thống kê").click()
    page.wait_for_url(re.compile(r"/can-bo/bao-cao/"))
    page.get_by_role("heading", level=1, name="Số liệu giải quyết thủ tục hành chính").wait_for()

    page.get_by_role("navigation", name="Kỳ báo cáo có sẵn").get_by_role("link", name="Năm trước").click()
    last_year = timezone.localdate().year - 1
    page.get_by_role("heading", name=f"Từ ngày 01/01/{last_year} đến ngày 31/12/{last_year}").wait_for()
    start, end = datetime.date(last_year, 1, 1), datetime.date(last_year, 12, 31)
    figures = selectors.dossier_figures(start=start, end=end)
    assert figures.received_new == 4  # 3 + 1 received (one withdrawn before reception)

    def cell(key: str) -> str:
        return page.locator(f'tr[data-figure="{key}"] td').first.inner_text()

    assert cell("received_new") == "4"
    assert cell("finished") == "3"
    assert cell("in_progress") == "1"
    assert cell("on_time_share").replace("\u00a0", " ") == "100,0 %"
    page.locator("canvas[data-report-chart]").first.wait_for()
    assert page.locator("canvas[data-report-chart]").count() == 2
    page.wait_for_function("() => window.Chart && Object.keys(window.Chart.instances).length === 2")
    page.screenshot(path=str(SHOTS / "reports-dashboard.png"), full_page=True)
    assert_accessible(page)

    with page.expect_download() as downloading:
        page.get_by_role("link", name="Tải bảng số liệu (XLSX)").click()
    download = downloading.value
    assert download.suggested_filename == f"so-lieu-{last_year}0101-{last_year}1231.xlsx"
    book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    sheet = book["Số liệu"]
    assert sheet["A2"].value == f"Từ ngày 01/01/{last_year} đến ngày 31/12/{last_year}"
    values = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=6) if row[0].value}
    assert values["Hồ sơ tiếp nhận mới"] == figures.received_new
    assert values["Hồ sơ đã giải quyết"] == figures.finished

    # Drilling down: a ward, then its procedure, then the dossiers behind the figures.
    ward = Agency.objects.filter(parent__code="000.00.00.H41").order_by("code").first()
    assert ward is not None
    page.locator(f'tr[data-row="{ward.code}"] a').click()
    page.get_by_role("navigation", name="Phạm vi đang xem").get_by_text(ward.name).wait_for()
    page.get_by_role("heading", name="Theo thủ tục").wait_for()
    page.locator("section[aria-labelledby=theo-thu-tuc] tbody tr a").first.click()
    page.locator("table.dossier-list").wait_for()
    codes = set(Dossier.objects.filter(processing_agency=ward).exclude(code=None).values_list("code", flat=True))
    shown = set(page.locator("table.dossier-list tbody tr").evaluate_all("rows => rows.map(r => r.dataset.dossier)"))
    assert shown == codes
    page.screenshot(path=str(SHOTS / "reports-drill-down.png"), full_page=True)
    assert_accessible(page)
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Tải danh sách hồ sơ (XLSX)").click()
    listed = load_workbook(io.BytesIO(Path(downloading.value.path()).read_bytes()))["Hồ sơ"]
    assert {row[0] for row in listed.iter_rows(min_row=4, values_only=True)} == codes
    page.get_by_role("navigation", name="Phạm vi đang xem").get_by_role("link", name="Toàn bộ phạm vi được xem").click()
    page.get_by_role("heading", name="Theo cơ quan").wait_for()

    # The same page on a phone, then the year's report written from it.
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / "reports-dashboard-phone.png"), full_page=True)
    page.get_by_role("link", name="Lập báo cáo (DOCX, PDF)").click()
    page.get_by_text(f"Kỳ báo cáo: từ ngày 01/01/{last_year} đến ngày 31/12/{last_year}").wait_for()
    page.get_by_label("Loại báo cáo").select_option(label="Báo cáo tình hình giải quyết TTHC (quý)")
    page.get_by_label("Cơ quan chủ quản").fill("ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA")
    page.get_by_label("Cơ quan ban hành").fill("VĂN PHÒNG")
    page.get_by_label("Số, ký hiệu").fill("15/BC-VP")
    page.get_by_label("Địa danh").fill("Khánh Hòa")
    page.get_by_label("Chức vụ người ký").fill("CHÁNH VĂN PHÒNG")
    page.get_by_label("Họ và tên người ký").fill("Nguyễn Văn An")
    page.get_by_role("button", name="Lập báo cáo").click()
    page.get_by_text("Đã lập báo cáo.").wait_for(timeout=120_000)
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Tải báo cáo (PDF)").click()  # LibreOffice: installed by .ci/run
    report = Path(downloading.value.path()).read_bytes()
    assert report.startswith(b"%PDF")
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Tải báo cáo (DOCX)").click()
    written = Document(io.BytesIO(Path(downloading.value.path()).read_bytes()))
    assert "15/BC-VP" in "".join(written.element.body.itertext())
    (SHOTS / "reports-report.pdf").write_bytes(report)
    page.screenshot(path=str(SHOTS / "reports-report-written.png"), full_page=True)
    assert csp == []


def test_the_public_figures_on_a_phone(live_server: Any, page: Any, analyst: Any) -> None:
    cache.clear()
    csp: list[str] = []
    page.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Số liệu").click()
    page.get_by_role("heading", level=1, name="Số liệu giải quyết thủ tục hành chính").wait_for()
    last_year = timezone.localdate().year - 1
    table = page.get_by_role("table")
    assert f"Năm {last_year}" in table.inner_text()
    row = table.get_by_role("row", name=re.compile("^Hồ sơ tiếp nhận mới"))
    assert row.locator("td").nth(1).inner_text() == "4"
    page.screenshot(path=str(SHOTS / "reports-public.png"), full_page=True)
    assert_accessible(page)
    assert csp == []
