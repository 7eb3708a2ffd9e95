"""The dossier pages: the public tracking page (tra cứu hồ sơ), slip downloads and the log book,
and who may open them."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
import segno
from django.test import Client, RequestFactory
from django.urls import reverse

from common.ratelimit import rules
from dossiers import services, slips
from dossiers.rules import State
from dossiers.slips import layout
from org.models import Role
from org.tests.factories import admin_login, agency, citizen, officer

from .factories import MONDAY, World, walk_to, world

TRACK = "/tra-cuu-ho-so/"
NOT_FOUND = "Không tìm thấy hồ sơ."


def _track(client: Client, code: str | None, check: str) -> Any:
    return client.post(TRACK, {"ma": code, "so_kiem_tra": check})


def _signed_in_officer(user: Any) -> Client:
    client = Client()
    admin_login(client, user)
    return client


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Tra cứu hồ sơ ----------------------------------------------------------------------------


def test_the_form_asks_for_the_code_and_the_check_digits(w: World) -> None:
    response = Client().get(TRACK)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'method="post"' in page and 'name="csrfmiddlewaretoken"' in page
    assert '<label for="id_ma">Mã hồ sơ</label>' in page
    assert "4 số cuối của số định danh cá nhân hoặc số điện thoại của người nộp" in page
    assert 'inputmode="numeric"' in page
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_qr_address_fills_in_the_code(w: World) -> None:
    response = Client().get(TRACK, {"ma": "000.00.01.H41-251103-0001"})
    assert 'value="000.00.01.H41-251103-0001"' in response.content.decode()


def test_code_and_check_digits_show_the_status_and_dates(w: World) -> None:
    d = walk_to(w, State.IN_PROGRESS)
    response = _track(Client(), d.code, w.citizen.personal_id[-4:])
    assert response.status_code == 200
    page = response.content.decode()
    assert d.procedure_version.name in page
    assert "Đang xử lý" in page and "mã trạng thái trên Cổng Dịch vụ công quốc gia: 4" in page
    assert "ngày 03 tháng 11 năm 2025" in page  # received
    assert "ngày 06 tháng 11 năm 2025" in page  # due, in the official format
    assert "Quá hạn" in page or "Còn" in page
    assert "Được tiếp nhận" in page  # the timeline
    assert NOT_FOUND not in page


def test_the_phone_digits_work_too(w: World) -> None:
    d = walk_to(w, State.RECEIVED)
    page = _track(Client(), d.code, w.citizen.phone[-4:]).content.decode()
    assert "Được tiếp nhận" in page and NOT_FOUND not in page


def test_remaining_working_days_of_an_open_dossier(w: World, monkeypatch: pytest.MonkeyPatch) -> None:
    d = walk_to(w, State.IN_PROGRESS)
    monkeypatch.setattr("dossiers.views.timezone.localdate", lambda: datetime.date(2025, 11, 4))
    page = _track(Client(), d.code, w.citizen.personal_id[-4:]).content.decode()
    assert "Còn 2 ngày làm việc" in page


def test_the_page_shows_no_personal_data_nor_officers(w: World) -> None:
    d = walk_to(w, State.IN_PROGRESS)
    page = _track(Client(), d.code, w.citizen.personal_id[-4:]).content.decode()
    for private in (
        d.applicant_name,
        d.applicant_personal_id,
        d.applicant_phone,
        d.applicant_email,
        d.applicant_address,
        w.counter.full_name,
        w.processor.full_name,
    ):
        assert private and private not in page, private
    assert w.citizen.personal_id[-4:] not in page  # the check digits are not echoed back


def test_a_wrong_check_gets_the_same_answer_as_an_unknown_code(w: World) -> None:
    d = walk_to(w, State.RECEIVED)
    wrong = _track(Client(), d.code, "0000" if not d.applicant_personal_id.endswith("0000") else "1111")
    unknown = _track(Client(), "000.00.99.H41-251103-9999", w.citizen.personal_id[-4:])
    assert wrong.status_code == unknown.status_code == 200

    def message(response: Any) -> str:
        found = re.search(r'<div class="track-not-found".*?</div>', response.content.decode(), re.S)
        assert found is not None
        return found.group(0)

    assert NOT_FOUND in message(wrong)
    assert message(wrong) == message(unknown)
    assert d.procedure_version.name not in wrong.content.decode()


def test_the_check_must_be_four_digits(w: World) -> None:
    d = walk_to(w, State.RECEIVED)
    page = _track(Client(), d.code, "12ab").content.decode()
    assert "Nhập đúng 4 chữ số." in page and 'aria-invalid="true"' in page


def test_the_lookup_needs_a_csrf_token(w: World) -> None:
    d = walk_to(w, State.RECEIVED)
    client = Client(enforce_csrf_checks=True)
    assert _track(client, d.code, w.citizen.personal_id[-4:]).status_code == 403


def test_the_tracking_page_is_rate_limited_on_every_method() -> None:
    factory = RequestFactory()
    for request in (factory.post(TRACK), factory.get(TRACK), factory.post("/en" + TRACK)):
        assert any(rule.scope == "lookups" and rule.matches(request) for rule in rules())


def test_the_receipt_qr_code_opens_the_tracking_page_without_check_digits(
    w: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.PORTAL_PUBLIC_URL = "https://dichvucong.example.vn"
    encoded: list[str] = []
    make = segno.make

    def spy(content: Any, *args: Any, **kwargs: Any) -> Any:
        encoded.append(str(content))
        return make(content, *args, **kwargs)

    monkeypatch.setattr(layout.segno, "make", spy)
    d = walk_to(w, State.RECEIVED)
    slips.receipt(d)
    assert encoded == [f"https://dichvucong.example.vn/tra-cuu-ho-so/?ma={d.code}"]
    # Exactly the page and the code: no check value, nothing else about the applicant.
    assert "check" not in encoded[0] and "so_kiem_tra" not in encoded[0]


def test_public_url_setting_has_a_default() -> None:
    from django.conf import settings

    assert settings.PORTAL_PUBLIC_URL.startswith("http")


# --- Slips ------------------------------------------------------------------------------------


def _slip_url(d: Any, kind: str = "receipt") -> str:
    return reverse("dossiers:slip", kwargs={"pk": d.pk, "kind": kind})


def test_an_officer_of_the_agency_gets_the_receipt_as_an_inline_pdf(w: World) -> None:
    d = walk_to(w, State.RECEIVED)
    response = _signed_in_officer(w.counter).get(_slip_url(d))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{d.code}-receipt.pdf"'
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("state", "kind"),
    [
        (State.SUPPLEMENT_REQUESTED, "supplement"),
        (State.STOPPED, "stop"),
        (State.IN_PROGRESS, "control"),
        (State.NOT_RECEIVED, "refusal"),
    ],
)
def test_each_kind_of_slip(w: World, state: State, kind: str) -> None:
    d = walk_to(w, state)
    response = _signed_in_officer(w.leader).get(_slip_url(d, kind))
    assert response.status_code == 200, kind
    assert response.content.startswith(b"%PDF-")


def test_apology_slip(w: World) -> None:
    d = walk_to(w, State.IN_PROGRESS)
    d = services.dossier_extend(
        actor=w.processor, dossier=d, new_due_on=datetime.date(2025, 11, 10), apology="Cần xác minh thêm", now=MONDAY
    )
    response = _signed_in_officer(w.processor).get(_slip_url(d, "apology"))
    assert response.status_code == 200 and response["Content-Disposition"].endswith(f'{d.code}-apology.pdf"')


def test_the_owner_citizen_gets_the_slips_of_their_dossier(w: World) -> None:
    d = walk_to(w, State.RECEIVED)
    response = _signed_in(w.citizen).get(_slip_url(d))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_nobody_else_gets_the_slips(w: World) -> None:
    d = walk_to(w, State.RECEIVED)
    elsewhere = agency("Sở Khác")
    strangers = {
        "officer of another agency": _signed_in_officer(
            officer("canbo.khac", {elsewhere: list(Role.values)}, is_staff=True)
        ),
        "another citizen": _signed_in(citizen("nguoi.khac", personal_id="056090111111")),
    }
    for who, client in strangers.items():
        assert client.get(_slip_url(d)).status_code == 404, who
    anonymous = Client().get(_slip_url(d))
    assert anonymous.status_code == 302 and reverse("accounts:sign_in") in anonymous["Location"]


def test_an_officer_without_the_second_step_is_sent_to_sign_in(w: World) -> None:
    d = walk_to(w, State.RECEIVED)
    response = _signed_in(w.counter).get(_slip_url(d))
    assert response.status_code == 302 and reverse("accounts:officer_sign_in") in response["Location"]


def test_a_slip_the_dossier_has_not_reached_is_404_with_a_reason(w: World) -> None:
    d = walk_to(w, State.RECEIVED)
    response = _signed_in_officer(w.counter).get(_slip_url(d, "refusal"))
    assert response.status_code == 404
    response = _signed_in_officer(w.counter).get(_slip_url(d, "unknown"))
    assert response.status_code == 404


# --- Log book ---------------------------------------------------------------------------------


def _book(w: World, **params: Any) -> str:
    query = {"don-vi": w.unit.pk, "tu": "2025-11-01", "den": "2025-11-30", **params}
    return reverse("dossiers:log_book") + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def test_the_unit_officers_get_the_log_book(w: World) -> None:
    walk_to(w, State.RECEIVED)
    response = _signed_in_officer(w.counter).get(_book(w))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_the_log_book_of_another_unit_is_404(w: World) -> None:
    other = world()
    response = _signed_in_officer(other.counter).get(_book(w))
    assert response.status_code == 404
    assert Client().get(_book(w)).status_code == 302
    assert _signed_in(w.citizen).get(_book(w)).status_code == 302


def _page(response: Any) -> str:
    return " ".join(response.content.decode().split())


def test_the_log_book_needs_a_valid_period_and_says_what_is_wrong_on_its_form(w: World) -> None:
    client = _signed_in_officer(w.counter)
    backwards = client.get(_book(w, tu="2025-12-01"))
    assert backwards.status_code == 400 and backwards["Content-Type"].startswith("text/html")
    page = _page(backwards)
    assert "Ngày kết thúc phải từ ngày bắt đầu trở về sau." in page
    assert 'name="tu" value="2025-12-01"' in page and f'<option value="{w.unit.pk}" selected>' in page
    garbled = _page(client.get(_book(w, den="31/13/2025")))
    assert "Ngày kết thúc không hợp lệ; nhập theo dạng ngày/tháng/năm" in garbled
    too_long = _page(client.get(_book(w, tu="2024-01-01")))
    assert "Khoảng thời gian tối đa một năm." in too_long
    no_unit = client.get(_book(w, **{"don-vi": "x"}))
    assert no_unit.status_code == 400 and "Chọn Bộ phận Một cửa trong danh sách." in _page(no_unit)
    english = client.get("/en" + _book(w, tu="2025-12-01"))
    assert english.status_code == 400 and "<html" in english.content.decode()


def test_the_log_book_takes_vietnamese_dates_too(w: World) -> None:
    response = _signed_in_officer(w.counter).get(_book(w, tu="01/11/2025", den="30/11/2025"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
