"""Hồ sơ của tôi: the citizen's list (newest first, paged, what is asked of them), a dossier's
page (status, citizen-facing timeline, slips), the supplement answered by upload and the
withdrawal with confirmation; nobody else's dossier is reachable."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, reverse
from reportlab.pdfgen import canvas

from documents.models import DossierFile
from dossiers import services
from dossiers.models import Dossier, DossierEvent
from dossiers.rules import Action, State
from org.tests.factories import citizen

from .factories import World, submitted, walk_to, world

pytestmark = pytest.mark.django_db

MINE = "/ho-so-cua-toi/"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf_upload(name: str = "so-do.pdf") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Bản sao sổ đỏ")
    page.save()
    return SimpleUploadedFile(name, buffer.getvalue(), "application/pdf")


def test_the_menu_links_my_dossiers() -> None:
    assert f'href="{MINE}"' in Client().get("/tra-cuu-ho-so/").content.decode()


def test_anonymous_visitors_sign_in_first(w: World) -> None:
    response = Client().get(MINE)
    assert response.status_code == 302 and response["Location"] == f"/dang-nhap/?next={MINE}"


def test_the_list_shows_status_due_date_time_left_and_what_is_asked(w: World) -> None:
    received = walk_to(w, State.IN_PROGRESS)
    waiting = walk_to(w, State.SUPPLEMENT_REQUESTED)
    page = signed_in(w.citizen).get(MINE).content.decode()
    assert page.index(f"/ho-so-cua-toi/{waiting.pk}/") < page.index(f"/ho-so-cua-toi/{received.pk}/")
    assert received.code is not None and received.code in page and "Đang xử lý" in page
    assert received.due_on is not None and f"{received.due_on:%d/%m/%Y}" in page
    assert "ngày làm việc" in page or "Quá hạn" in page
    assert "Bạn cần bổ sung:" in page and "Bản sao giấy khai sinh" in page


def test_the_list_pages_and_shows_only_my_dossiers(w: World) -> None:
    for _ in range(21):
        submitted(w)
    for _ in range(3):  # drafts are listed apart and take no room on the pages
        walk_to(w, State.DRAFT)
    other = world()
    theirs = submitted(other)
    client = signed_in(w.citizen)
    first = client.get(MINE).content.decode()
    assert first.count('<h3><a href="/ho-so-cua-toi/') == 20 and "Trang 1/2" in first
    assert first.count("/soan-tiep/") == 6 and "Bản nháp" in first  # two links per draft
    second = client.get(MINE, {"trang": 2}).content.decode()
    assert second.count('<h3><a href="/ho-so-cua-toi/') == 1 and "Bản nháp" not in second
    assert f"/ho-so-cua-toi/{theirs.pk}/" not in first + second


def test_the_list_runs_a_fixed_number_of_queries(w: World, django_assert_max_num_queries: Any) -> None:
    for state in (State.SUBMITTED, State.IN_PROGRESS, State.SUPPLEMENT_REQUESTED, State.AWAITING_PAYMENT):
        walk_to(w, state)
    client = signed_in(w.citizen)
    client.get(MINE)
    with django_assert_max_num_queries(12):
        client.get(MINE)


def test_the_dossier_page_shows_the_timeline_in_the_citizens_words(w: World) -> None:
    d = walk_to(w, State.SUPPLEMENT_REQUESTED)
    page = signed_in(w.citizen).get(reverse("dossiers:detail", args=[d.pk])).content.decode()
    assert "Hồ sơ đã được nộp" in page and "Bộ phận Một cửa đã tiếp nhận hồ sơ" in page
    assert "Cơ quan yêu cầu bổ sung, hoàn thiện hồ sơ" in page and "Bản sao giấy khai sinh" in page
    assert w.processor.username not in page and str(w.processor) not in page  # no officers' names
    assert reverse("dossiers:slip", args=[d.pk, "receipt"]) in page
    assert reverse("dossiers:slip", args=[d.pk, "supplement"]) in page
    assert "Gửi hồ sơ bổ sung" in page and "Rút hồ sơ" in page


def test_the_citizen_downloads_their_receipt(w: World) -> None:
    d = walk_to(w, State.RECEIVED)
    response = signed_in(w.citizen).get(reverse("dossiers:slip", args=[d.pk, "receipt"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_supplement_by_upload_resumes_processing(w: World) -> None:
    d = walk_to(w, State.SUPPLEMENT_REQUESTED)
    slot = w.version.documents.get()
    client = signed_in(w.citizen)
    response = client.post(
        reverse("dossiers:supplement", args=[d.pk]),
        {f"document_{slot.pk}": pdf_upload(), "note": "Gửi bản sao giấy khai sinh"},
    )
    assert response["Location"] == reverse("dossiers:detail", args=[d.pk])
    d.refresh_from_db()
    assert d.state == State.IN_PROGRESS
    event = DossierEvent.objects.filter(dossier=d, action=Action.SUPPLEMENT).get()
    assert event.actor == w.citizen and event.note == "Gửi bản sao giấy khai sinh"
    assert event.attachments[0]["name"] == "so-do.pdf"
    attached = DossierFile.objects.get(dossier=d, purpose="supplement")
    assert attached.required_document == slot and attached.uploaded_by == w.citizen
    page = client.get(response["Location"]).content.decode()
    assert "Đã gửi hồ sơ bổ sung" in page and "Hồ sơ đã được bổ sung" in page
    assert reverse("documents:dossier_file", args=[attached.pk]) in page  # under "Giấy tờ đã nộp"


def test_an_empty_or_bad_supplement_is_refused_and_changes_nothing(w: World) -> None:
    d = walk_to(w, State.SUPPLEMENT_REQUESTED)
    slot = w.version.documents.get()
    client = signed_in(w.citizen)
    empty = client.post(reverse("dossiers:supplement", args=[d.pk]), {"note": "  "})
    assert empty.status_code == 422
    assert "Cần tải lên ít nhất một giấy tờ hoặc ghi nội dung bổ sung." in empty.content.decode()
    fake = SimpleUploadedFile("giay.pdf", b"<html>not a pdf</html>", "application/pdf")
    bad = client.post(reverse("dossiers:supplement", args=[d.pk]), {f"document_{slot.pk}": fake})
    assert bad.status_code == 422 and "Chỉ nhận tệp PDF, JPEG, PNG hoặc TIFF" in bad.content.decode()
    d.refresh_from_db()
    assert d.state == State.SUPPLEMENT_REQUESTED
    assert not DossierFile.objects.filter(dossier=d).exists()


def test_a_supplement_when_nothing_is_asked_is_refused(w: World) -> None:
    d = walk_to(w, State.IN_PROGRESS)
    response = signed_in(w.citizen).post(reverse("dossiers:supplement", args=[d.pk]), {"note": "Thêm giấy tờ"})
    assert response.status_code == 409
    assert "Không thể thực hiện thao tác “Bổ sung hồ sơ”" in response.content.decode()


def test_withdrawal_needs_confirmation(w: World) -> None:
    d = walk_to(w, State.RECEIVED)
    client = signed_in(w.citizen)
    page = client.get(reverse("dossiers:withdraw", args=[d.pk])).content.decode()
    assert "Tôi xác nhận muốn rút hồ sơ này" in page
    unconfirmed = client.post(reverse("dossiers:withdraw", args=[d.pk]), {"reason": "Không cần nữa"})
    assert unconfirmed.status_code == 422 and "Hãy đánh dấu xác nhận" in unconfirmed.content.decode()
    d.refresh_from_db()
    assert d.state == State.RECEIVED
    done = client.post(reverse("dossiers:withdraw", args=[d.pk]), {"reason": "Không cần nữa", "confirm": "yes"})
    assert done["Location"] == reverse("dossiers:detail", args=[d.pk])
    d.refresh_from_db()
    assert d.state == State.WITHDRAWN
    assert DossierEvent.objects.filter(dossier=d, action=Action.WITHDRAW, note="Không cần nữa").exists()
    again = client.get(reverse("dossiers:withdraw", args=[d.pk])).content.decode()
    assert "không thể rút nữa" in again


def test_another_citizens_dossier_is_404_everywhere(w: World) -> None:
    d = walk_to(w, State.SUPPLEMENT_REQUESTED)
    stranger = signed_in(citizen("nguoi.la.mat", personal_id="056090000888"))
    for name in ("detail", "submitted", "withdraw"):
        assert stranger.get(reverse(f"dossiers:{name}", args=[d.pk])).status_code == 404, name
    assert stranger.post(reverse("dossiers:withdraw", args=[d.pk]), {"confirm": "yes"}).status_code == 404
    assert stranger.post(reverse("dossiers:supplement", args=[d.pk]), {"note": "x"}).status_code == 404
    d.refresh_from_db()
    assert d.state == State.SUPPLEMENT_REQUESTED


def test_payment_and_result_links_appear_only_when_those_pages_exist(w: World) -> None:
    d = walk_to(w, State.AWAITING_PAYMENT)
    page = signed_in(w.citizen).get(reverse("dossiers:detail", args=[d.pk])).content.decode()
    assert "Bạn cần nộp phí, lệ phí" in page and "50.000" in page
    try:
        pay = reverse("payments:pay", args=[d.pk])
    except NoReverseMatch:
        pay = None
    assert (pay is not None and pay in page) or (pay is None and "Thanh toán trực tuyến" not in page)


def test_the_result_step_is_told(w: World) -> None:
    d = walk_to(w, State.DONE)
    d = services.dossier_result_ready(actor=w.counter, dossier=d)
    page = signed_in(w.citizen).get(reverse("dossiers:detail", args=[d.pk])).content.decode()
    assert "Hồ sơ đã được giải quyết" in page and "Đã có kết quả" in page
    assert Dossier.objects.get(pk=d.pk).state == State.DONE
