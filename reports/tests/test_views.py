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
    names = {row[0].value: row[1].value for row in agencies.iter_rows(min_row=6) if row[0].value}
    assert names == {p.wards[0].agency.name: 3, p.wards[1].agency.name: 2}


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
