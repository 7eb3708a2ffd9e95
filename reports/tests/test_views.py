"""The officers' dashboard (/can-bo/bao-cao/), its XLSX export and the public figures (/so-lieu/):
who may open them, that the province's analyst sees the sum of its agencies and an agency's
officer only theirs, and that the page and the file carry the selectors' figures written the
Vietnamese way."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from accounts.tests.officers import sign_in_verified
from catalog.models import Field
from dossiers.rules import State
from dossiers.tests.factories import World, at, walk_to, world
from org.models import Role
from org.tests.factories import agency, citizen, officer
from reports import dashboard, selectors
from reports.selectors import Scope

pytestmark = pytest.mark.django_db
URL = "/can-bo/bao-cao/"
XLSX = "/can-bo/bao-cao/xlsx/"
YEAR = 2025
PERIOD = {"tu": f"{YEAR}-01-01", "den": f"{YEAR}-12-31"}


class Province:
    def __init__(self, wards: list[World], province: Any) -> None:
        self.wards = wards
        self.province = province
        self.analyst = officer("phantich-tinh", {province: [Role.ANALYST]})


@pytest.fixture
def p(db: Any, django_capture_on_commit_callbacks: Callable[..., Any]) -> Province:
    """A province over two wards: the first received three dossiers (two finished, one in
    progress; a fourth was withdrawn before reception), the second two (one finished), all in
    November 2025, counted into the daily figures by the transitions."""
    province = agency("Văn phòng Ủy ban nhân dân tỉnh", code="000.00.00.H41")
    wards = [world(), world()]
    for w in wards:
        w.agency.parent = province
        w.agency.save()
    plan = [
        (wards[0], [State.RETURNED, State.RETURNED, State.IN_PROGRESS, State.WITHDRAWN]),
        (wards[1], [State.IN_PROGRESS, State.RETURNED]),
    ]
    for w, states in plan:
        for state in states:
            with django_capture_on_commit_callbacks(execute=True):
                walk_to(w, state, now=at(YEAR, 11, 3))
    return Province(wards, province)


def _client(user: Any) -> Client:
    client = Client()
    sign_in_verified(client, user)
    return client


def _cell(html: str, key: str) -> str:
    """The "this period" cell of the table's row ``key``."""
    row = html.split(f'data-figure="{key}"', 1)[1].split("</tr>", 1)[0]
    return row.split("<td>", 2)[1].split("</td>", 1)[0]


# --- Who may open it ------------------------------------------------------------------------------


def test_visitors_are_sent_to_the_officers_sign_in_and_citizens_refused(p):
    answer = Client().get(URL)
    assert answer.status_code == 302 and answer["Location"].startswith("/can-bo/dang-nhap/")
    assert Client().get(XLSX, PERIOD).status_code == 302
    person = Client()
    person.force_login(citizen("congdan-xem"))
    assert person.get(URL).status_code == 403
    assert person.get(XLSX, PERIOD).status_code == 403


def test_an_officer_without_the_figures_capability_is_refused(p):
    assert _client(p.wards[0].counter).get(URL).status_code == 403
    unverified = Client()
    unverified.force_login(p.analyst)  # no second step
    answer = unverified.get(URL)
    assert answer.status_code == 302 and "/can-bo/dang-nhap/" in answer["Location"]


# --- What the province and an agency see ----------------------------------------------------------


def test_the_provinces_analyst_sees_the_sum_of_the_agencies(p):
    html = _client(p.analyst).get(URL, PERIOD).content.decode()
    start, end = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
    by_ward = [
        selectors.dossier_figures(start=start, end=end, scope=Scope(agencies=frozenset({w.agency.pk}))) for w in p.wards
    ]
    # The walks above, counted by hand (the withdrawal came before reception).
    assert [f.received_new for f in by_ward] == [3, 2]
    assert _cell(html, "received_new") == dashboard.written(sum(f.received_new for f in by_ward), dashboard.Kind.COUNT)
    assert _cell(html, "received_new") == "5"
    assert _cell(html, "finished") == "3"
    assert _cell(html, "withdrawn") == "1"
    assert _cell(html, "in_progress") == "2"
    finished = sum(f.finished_early + f.finished_on_time for f in by_ward) / sum(f.finished for f in by_ward)
    assert _cell(html, "on_time_share") == dashboard.share_text(finished)
    for w in p.wards:  # every ward is a row of the agency table, with a link narrowing to it
        assert w.agency.name in html and f"co_quan={w.agency.code}" in html
    assert "chart.umd.min.js" in html and 'data-report-chart="du-lieu-tiep-nhan"' in html


def test_an_agencys_officer_sees_only_their_agency_and_cannot_pick_another(p):
    mine, other = p.wards
    client = _client(mine.leader)
    page = client.get(URL, PERIOD)
    html = page.content.decode()
    assert page.status_code == 200
    assert _cell(html, "received_new") == "3"
    assert f'value="{other.agency.code}"' not in html and f'value="{p.province.code}"' not in html
    assert client.get(URL, {**PERIOD, "co_quan": other.agency.code}).status_code == 404
    assert client.get(URL, {**PERIOD, "co_quan": p.province.code}).status_code == 404
    assert client.get(XLSX, {**PERIOD, "co_quan": other.agency.code}).status_code == 404
    narrowed = _client(p.analyst).get(URL, {**PERIOD, "co_quan": other.agency.code}).content.decode()
    assert _cell(narrowed, "received_new") == "2"


def test_channel_and_field_narrow_the_figures(p):
    client = _client(p.analyst)
    online = client.get(URL, {**PERIOD, "kenh": "online"}).content.decode()
    counter = client.get(URL, {**PERIOD, "kenh": "counter"}).content.decode()
    total = selectors.dossier_figures(start=datetime.date(YEAR, 1, 1), end=datetime.date(YEAR, 12, 31))
    assert int(_cell(online, "received_new")) + int(_cell(counter, "received_new")) == total.received_new
    field = p.wards[0].version.field_id
    narrowed = client.get(URL, {**PERIOD, "linh_vuc": field}).content.decode()
    assert _cell(narrowed, "received_new") == "5"  # both procedures are of this field
    other = Field.objects.create(slug="linh-vuc-khac", name="Lĩnh vực không có hồ sơ")
    assert _cell(client.get(URL, {**PERIOD, "linh_vuc": other.pk}).content.decode(), "received_new") == "0"


@pytest.mark.parametrize(("start", "end"), [("2025-03-02", "2025-03-01"), ("2020-01-01", "2025-01-01")])
def test_a_bad_period_is_explained_on_the_page(p, start, end):
    answer = _client(p.analyst).get(URL, {"tu": start, "den": end})
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "Ngày kết thúc phải sau ngày bắt đầu." in text or "Khoảng thời gian tối đa là 5 năm." in text
    assert _client(p.analyst).get(XLSX, {"tu": start, "den": end}).status_code == 400


def test_the_presets_and_the_links_of_the_page(p):
    today = timezone.localdate()
    html = _client(p.analyst).get(URL).content.decode()  # no period: this year up to today
    assert f'value="{today.year}-01-01"' in html
    last_year = f"tu={today.year - 1}-01-01&amp;den={today.year - 1}-12-31"
    assert last_year in html and "Năm trước" in html and "Quý này" in html
    assert "/api/v1/figures/scorecard?" in html and "/api/v1/figures/evaluation?" in html
    assert "/can-bo/bao-cao/lap-bao-cao/?" in html and "/can-bo/bao-cao/xlsx/?" in html


def test_the_menu_offers_the_dashboard_to_analysts_only(p):
    assert 'href="/can-bo/bao-cao/"' in _client(p.analyst).get("/phien-dang-nhap/").content.decode()
    assert 'href="/can-bo/bao-cao/"' in _client(p.wards[0].leader).get("/phien-dang-nhap/").content.decode()
    assert "/can-bo/bao-cao/" not in _client(p.wards[0].counter).get("/phien-dang-nhap/").content.decode()


# --- The XLSX file ------------------------------------------------------------------------------------


def test_the_xlsx_holds_the_table_as_shown_with_numbers_as_numbers(p):
    client = _client(p.analyst)
    answer = client.get(XLSX, PERIOD)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert answer["Content-Disposition"] == f'attachment; filename="so-lieu-{YEAR}0101-{YEAR}1231.xlsx"'
    book = load_workbook(io.BytesIO(answer.content))
    sheet = book["Số liệu"]
    assert sheet["A1"].value == "SỐ LIỆU GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    assert sheet["A2"].value == f"Từ ngày 01/01/{YEAR} đến ngày 31/12/{YEAR}"
    start, end = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
    before = selectors.dashboard_period(start=start.replace(year=YEAR - 1), end=end.replace(year=YEAR - 1))
    expected = dashboard.lines(selectors.dashboard_period(start=start, end=end), before)
    rows = {str(row[0].value): row for row in sheet.iter_rows(min_row=6) if row[0].value}
    assert len(rows) == len({str(line.label) for line in expected})  # "Quá hạn" twice: one key
    found = list(sheet.iter_rows(min_row=6, max_row=5 + len(expected)))
    for line, row in zip(expected, found, strict=True):
        assert row[0].value == str(line.label)
        if line.value is None:
            assert row[1].value == "—"
        else:
            assert row[1].value == pytest.approx(line.value)
            assert isinstance(row[1].value, int | float)
    received = found[0]
    assert received[1].value == 5 and received[1].number_format == "0"
    on_time = next(row for line, row in zip(expected, found, strict=True) if line.key == "on_time_share")
    assert on_time[1].number_format == "0.0%"
    assert sheet.column_dimensions["A"].width == 48 and sheet.column_dimensions["B"].width == 22
    agencies = book["Theo cơ quan"]
    names = {row[0].value: (row[1].value, row[2].value) for row in agencies.iter_rows(min_row=6) if row[0].value}
    assert names == {w.agency.name: (w.agency.code, n) for w, n in zip(p.wards, [3, 2], strict=True)}
    months = book["Theo tháng - tiep-nhan"]  # each chart's table too
    november = next(row for row in months.iter_rows(min_row=6, values_only=True) if row[0] == f"11/{YEAR}")
    assert sum(v for v in november[1:] if isinstance(v, int)) == 5
    assert "Theo thủ tục" not in book.sheetnames  # the province's table is by agency


def test_the_xlsx_formats_write_thousands_with_dots():
    assert dashboard.xlsx_format(37_448, dashboard.Kind.COUNT) == "0\\.000"
    assert dashboard.xlsx_format(999, dashboard.Kind.COUNT) == "0"
    assert dashboard.xlsx_format(18_427_000_000, dashboard.Kind.VND) == '0\\.000\\.000\\.000" đồng"'
    assert dashboard.written(37_448, dashboard.Kind.COUNT) == "37.448"
    assert dashboard.written(0.9541, dashboard.Kind.SHARE) == "95,4\u00a0%"
    assert dashboard.written(None, dashboard.Kind.SHARE) == "—"


def test_the_presets_are_this_month_quarter_year_and_last_year():
    found = {p.key: (p.start, p.end) for p in dashboard.presets(datetime.date(2026, 12, 7))}
    assert found == {
        "thang-nay": (datetime.date(2026, 12, 1), datetime.date(2026, 12, 7)),
        "quy-nay": (datetime.date(2026, 10, 1), datetime.date(2026, 12, 7)),
        "nam-nay": (datetime.date(2026, 1, 1), datetime.date(2026, 12, 7)),
        "nam-truoc": (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
    }


# --- The public figures -------------------------------------------------------------------------------


def test_the_public_page_shows_this_year_and_last_and_is_kept_in_the_cache(p, django_capture_on_commit_callbacks):
    cache.clear()
    today = timezone.localdate()
    answer = Client().get("/so-lieu/")
    assert answer.status_code == 200 and "public" in answer["Cache-Control"]
    html = answer.content.decode()
    assert f"Năm {today.year}" in html and f"Năm {today.year - 1}" in html
    last_year = today.year - 1
    last = selectors.dossier_figures(start=datetime.date(last_year, 1, 1), end=datetime.date(last_year, 12, 31))
    assert f"<td>{dashboard.written(last.received_new, dashboard.Kind.COUNT)}</td>" in html
    for w in p.wards:  # nobody's name, no agency's detail
        assert w.citizen.full_name not in html
    with django_capture_on_commit_callbacks(execute=True):
        walk_to(p.wards[1], State.RECEIVED, now=at(YEAR, 11, 4))
    assert Client().get("/so-lieu/").content.decode() == html  # not counted until the cache expires
    cache.clear()
    assert Client().get("/so-lieu/").content.decode() != html


def test_the_public_figures_are_in_the_portals_menu():
    cache.clear()
    assert 'href="/so-lieu/"' in Client().get("/").content.decode()


# --- Writing the report document from the dashboard --------------------------------------------------


def test_the_report_is_written_from_the_dashboards_period_and_downloaded(p):
    from docx import Document

    client = _client(p.analyst)
    url = f"/can-bo/bao-cao/lap-bao-cao/?tu={YEAR}-01-01&den={YEAR}-12-31&co_quan={p.province.code}"
    form = client.get(url)
    assert form.status_code == 200 and "Kỳ báo cáo: từ ngày 01/01/2025 đến ngày 31/12/2025" in form.content.decode()
    heading = {
        "kind": "one_stop_quarterly",
        "parent_body": "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA",
        "body": "VĂN PHÒNG",
        "number": "15/BC-VP",
        "place": "Khánh Hòa",
        "day": "2026-01-05",
        "signer_title": "CHÁNH VĂN PHÒNG",
        "signer_name": "Nguyễn Văn A",
        "recipients": "UBND tỉnh;\nLưu: VT.",
    }
    answer = client.post(url, heading)
    html = answer.content.decode()
    assert answer.status_code == 200 and "Đã lập báo cáo" in html
    docx_url = html.split('href="/api/v1/reports/', 1)[1].split('"', 1)[0]
    document = client.get("/api/v1/reports/" + docx_url)
    assert document.status_code == 200
    text = "".join(Document(io.BytesIO(document.content)).element.body.itertext())  # tables included
    assert "15/BC-VP" in text and "Nguyễn Văn A" in text and "năm 2025" in text
    assert client.post(url, {**heading, "signer_name": ""}).status_code == 400


def test_an_agencys_officer_cannot_write_another_agencys_report(p):
    url = f"/can-bo/bao-cao/lap-bao-cao/?tu={YEAR}-01-01&den={YEAR}-12-31&co_quan={p.wards[1].agency.code}"
    assert _client(p.wards[0].leader).get(url).status_code == 404
    assert _client(p.wards[0].counter).get(url).status_code == 403


def test_the_dashboards_one_pass_equals_the_figures_counted_each_way(p):
    start, end = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
    found = selectors.dashboard_period(start=start, end=end)
    assert found.figures == selectors.dossier_figures(start=start, end=end)
    assert found.by_agency == selectors.dossier_figures_by(start=start, end=end, by="agency_id")
    by_channel = selectors.dossier_figures_by(start=start, end=end, by="channel")
    assert found.received_by_channel == {channel: f.received_new for channel, f in by_channel.items()}
    assert found.figures.received_new == 5 and found.figures.finished == 3


def test_the_monthly_sums_are_the_days_added_up(p, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        walk_to(p.wards[1], State.RETURNED, now=at(YEAR, 12, 1))
    found = selectors.monthly(
        start=datetime.date(YEAR, 1, 1), end=datetime.date(YEAR, 12, 31), measures=["received", "early"]
    )
    assert found == {
        None: {
            datetime.date(YEAR, 11, 1): {"received": 5, "early": 3},
            datetime.date(YEAR, 12, 1): {"received": 1, "early": 1},
        }
    }


def test_the_public_page_in_english(p):
    cache.clear()
    html = Client().get("/en/so-lieu/").content.decode()
    assert "Figures on administrative procedures" in html and "New dossiers received" in html
    assert "Hồ sơ tiếp nhận mới" not in html


# --- Drilling down: province, agency, procedure, dossiers -------------------------------------------


def _procedure_code(w: World) -> str:
    return w.version.procedure.code


def test_the_analyst_drills_down_from_the_province_to_the_dossiers(p):
    from dossiers.models import Dossier

    client = _client(p.analyst)
    ward = p.wards[0]
    province = client.get(URL, PERIOD).content.decode()
    assert "Theo thủ tục" not in province
    step = province.split(f'data-row="{ward.agency.code}"', 1)[1].split('href="', 1)[1].split('"', 1)[0]
    assert f"co_quan={ward.agency.code}" in step
    agency_page = client.get(URL + step.replace("&amp;", "&"))
    html = agency_page.content.decode()
    assert agency_page.status_code == 200 and _cell(html, "received_new") == "3"
    assert "Theo thủ tục" in html and f'data-row="{_procedure_code(ward)}"' in html
    step = html.split(f'data-row="{_procedure_code(ward)}"', 1)[1].split('href="', 1)[1].split('"', 1)[0]
    assert f"thu_tuc={_procedure_code(ward)}" in step
    listed = client.get(URL + step.replace("&amp;", "&")).content.decode()
    mine = Dossier.objects.filter(processing_agency=ward.agency).exclude(code=None)
    assert mine.count() == 4  # three received, one withdrawn before reception
    for dossier in mine:
        assert f'data-dossier="{dossier.code}"' in listed
    for other in Dossier.objects.filter(processing_agency=p.wards[1].agency).exclude(code=None):
        assert other.code not in listed
    rows = listed.split('class="figures-table dossier-list"', 1)[1].split("</table>", 1)[0]
    assert rows.count("Đã giải quyết trước hạn") == 2  # returned the day they were received
    assert rows.count("Đang giải quyết quá hạn") == 1  # due 3 working days after 03/11, open on 31/12
    assert rows.count("Rút hồ sơ") == 1
    assert "4 hồ sơ được tính trong số liệu của kỳ" in listed


def test_no_drilling_outside_the_viewers_scope(p):
    mine, other = p.wards
    client = _client(mine.leader)
    assert client.get(URL, {**PERIOD, "co_quan": mine.agency.code}).status_code == 200
    assert client.get(URL, {**PERIOD, "co_quan": other.agency.code}).status_code == 404
    assert client.get(DOSSIERS, {**PERIOD, "co_quan": other.agency.code}).status_code == 404
    assert client.get(URL, {**PERIOD, "thu_tuc": "9.999999"}).status_code == 404
    # The other ward's procedure named alone: only the leader's own dossiers of it, none here.
    listed = client.get(URL, {**PERIOD, "thu_tuc": _procedure_code(other)}).content.decode()
    assert _cell(listed, "received_new") == "0" and "data-dossier=" not in listed


def test_each_row_compares_with_the_same_period_last_year(p):
    """The next year seen from the fixture's: nothing new this year, five dossiers a year before
    (three and two), and the dossiers still open carried over."""
    html = _client(p.analyst).get(URL, {"tu": f"{YEAR + 1}-01-01", "den": f"{YEAR + 1}-12-31"}).content.decode()
    for w, before in zip(p.wards, ["3", "2"], strict=True):
        row = html.split(f'data-row="{w.agency.code}"', 1)[1].split("</tr>", 1)[0]
        assert [cell.split("</td>", 1)[0] for cell in row.split("<td>")[1:3]] == ["0", before]
    line = html.split('data-figure="received_new"', 1)[1].split("</tr>", 1)[0]
    assert line.count("<td>0</td>") == 1 and line.count("<td>5</td>") == 1
    assert _cell(html, "carried_over") == "2"


DOSSIERS = "/can-bo/bao-cao/ho-so/xlsx/"


def test_the_dossiers_file_is_streamed_with_every_dossier_counted(p):
    from dossiers.models import Dossier

    answer = _client(p.analyst).get(DOSSIERS, PERIOD)
    assert answer.status_code == 200 and answer.streaming
    assert answer["Content-Disposition"] == f'attachment; filename="ho-so-{YEAR}0101-{YEAR}1231.xlsx"'
    book = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    sheet = book["Hồ sơ"]
    assert sheet["A1"].value == "DANH SÁCH HỒ SƠ" and sheet["A3"].value == "Mã hồ sơ"
    rows = [row for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert sorted(row[0] for row in rows) == sorted(Dossier.objects.exclude(code=None).values_list("code", flat=True))
    received = [row for row in rows if row[4] is not None]
    assert len(received) == 5 and all(row[4].date() == datetime.date(YEAR, 11, 3) for row in received)
    dates = [row[4] for row in sheet.iter_rows(min_row=4) if row[4].value is not None]
    assert {cell.number_format for cell in dates} == {"dd/mm/yyyy"}  # dates, shown as dd/mm/yyyy
    names = {w.agency.name for w in p.wards}
    assert {row[1] for row in rows} == names and {row[2] for row in rows} == {_procedure_code(w) for w in p.wards}


def test_a_narrowed_dossiers_file_and_a_bad_period(p):
    answer = _client(p.analyst).get(DOSSIERS, {**PERIOD, "co_quan": p.wards[1].agency.code})
    sheet = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))["Hồ sơ"]
    assert len(list(sheet.iter_rows(min_row=4))) == 2
    assert p.wards[1].agency.name in sheet["A2"].value
    assert _client(p.analyst).get(DOSSIERS, {"tu": "2025-03-02", "den": "2025-03-01"}).status_code == 400


def test_the_agencys_xlsx_has_its_procedures_table(p):
    answer = _client(p.analyst).get(XLSX, {**PERIOD, "co_quan": p.wards[0].agency.code})
    book = load_workbook(io.BytesIO(answer.content))
    procedures = book["Theo thủ tục"]
    found = {row[1]: row[2] for row in procedures.iter_rows(min_row=6, values_only=True) if row[0]}
    assert found == {_procedure_code(p.wards[0]): 3}


def test_a_long_export_is_sent_while_it_is_written_a_sheet_a_million_rows():
    """The file goes out in pieces as the rows are read (never all in memory), and a new sheet
    starts every ``rows_per_sheet`` rows (a million in the pages; 1,000 here)."""
    from reports import xlsx

    read = 0

    def rows() -> Any:
        nonlocal read
        for n in range(2_500):
            read += 1
            yield (f"HS-{n:05d}", n, datetime.date(2025, 1, 1) + datetime.timedelta(days=n % 365))

    pieces = xlsx.stream_workbook(
        title="DANH SÁCH",
        subtitle="thử",
        columns=[("Mã", 10), ("Số", 8), ("Ngày", 12)],
        rows=rows(),
        sheet_name="Hồ sơ",
        rows_per_sheet=1_000,
        flush_every=100,
    )
    first = next(pieces)
    assert first and read < 200  # the first bytes left before the rows were all read
    book = load_workbook(io.BytesIO(first + b"".join(pieces)))
    assert book.sheetnames == ["Hồ sơ", "Hồ sơ (2)", "Hồ sơ (3)"]
    assert [sheet.max_row - 3 for sheet in book.worksheets] == [1_000, 1_000, 500]
    last = book["Hồ sơ (3)"]
    assert [c.value for c in last[3]] == ["Mã", "Số", "Ngày"]
    assert last["A503"].value == "HS-02499" and last["B503"].value == 2_499
    assert last["C503"].value.date() == datetime.date(2025, 1, 1) + datetime.timedelta(days=2_499 % 365)
