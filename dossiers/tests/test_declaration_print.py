"""The filled tờ khai printed in its official layout, linked from the citizen's dossier page."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from catalog.services import declaration_form_load
from dossiers import services
from dossiers.slips import SlipUnavailable, declaration_form

from .factories import MONDAY, World, world
from .test_officer_views import signed_in
from .test_slips import pdf_text

pytestmark = pytest.mark.django_db
FORMS = Path(__file__).resolve().parents[2] / "catalog" / "declaration_forms"


def submitted_with(w: World, code: str, example: int = 0):
    content = json.loads((FORMS / f"{code}.json").read_text(encoding="utf-8"))
    declaration_form_load(content | {"procedure_code": w.version.procedure.code})
    data = content["examples"][example]
    dossier, _created = services.dossier_submit(applicant=w.citizen, intake=w.intake(form_data=data), now=MONDAY)
    return dossier


def test_the_birth_form_prints_with_its_parts_and_the_signature(tmp_path: Path) -> None:
    w = world()
    dossier = submitted_with(w, "1.001193")
    pdf = declaration_form(dossier)
    if os.environ.get("MOTCUA_SCREENSHOTS"):  # for a person to look at
        Path(os.environ["MOTCUA_SCREENSHOTS"], "to-khai-khai-sinh.pdf").write_bytes(pdf)
    text = pdf_text(pdf, tmp_path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "TỜ KHAI ĐĂNG KÝ KHAI SINH" in text
    assert f"Kính gửi: {dossier.processing_agency.name}" in text
    assert "Họ, chữ đệm và tên: Trần Minh Khang" in text and "Ngày, tháng, năm sinh: 07/11/2024" in text
    assert "Họ, chữ đệm và tên người cha: Trần Văn Hùng" in text
    assert "Thông tư số 04/2024/TT-BTP" in text and "NGƯỜI YÊU CẦU" in text and dossier.applicant_name in text


def test_a_repeating_group_prints_as_a_table_and_the_page_links_it(tmp_path: Path) -> None:
    w = world()
    dossier = submitted_with(w, "1.004222")
    pdf = declaration_form(dossier)
    if os.environ.get("MOTCUA_SCREENSHOTS"):
        Path(os.environ["MOTCUA_SCREENSHOTS"], "to-khai-ct01.pdf").write_bytes(pdf)
    text = pdf_text(pdf, tmp_path, physical=True)
    assert "Đỗ Thị Thu" in text and "Phạm Gia Bảo" in text and "15/06/2015" in text
    client = Client()
    client.force_login(w.citizen)
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    url = reverse("dossiers:slip", args=[dossier.pk, "to-khai"])
    assert url in page and "Tờ khai đã nộp" in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_a_dossier_without_a_form_has_no_printed_form() -> None:
    w = world()
    dossier, _created = services.dossier_submit(applicant=w.citizen, intake=w.intake(), now=MONDAY)
    with pytest.raises(SlipUnavailable):
        declaration_form(dossier)


def test_the_officer_reads_the_form_data_on_the_dossier_page_and_prints_it(tmp_path: Path) -> None:
    w = world()
    dossier = submitted_with(w, "1.001193")
    services.dossier_receive(actor=w.counter, dossier=dossier, now=MONDAY)
    client = signed_in(w.counter)
    page = client.get(reverse("dossiers:officer_dossier", args=[dossier.pk])).content.decode()
    assert "Tờ khai điện tử" in page and "Tờ khai đăng ký khai sinh" in page
    assert "Trần Minh Khang" in page and "07/11/2024" in page and "Người mẹ" in page
    url = reverse("dossiers:slip", args=[dossier.pk, "to-khai"])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and "TỜ KHAI ĐĂNG KÝ KHAI SINH" in pdf_text(response.content, tmp_path)


def test_a_marriage_form_is_signed_by_both_spouses(tmp_path: Path) -> None:
    w = world()
    dossier = submitted_with(w, "1.000894")
    text = pdf_text(declaration_form(dossier), tmp_path)
    data = dossier.form_data
    assert "BÊN NỮ" in text and "BÊN NAM" in text
    assert data["bride"]["full_name"] in text and data["groom"]["full_name"] in text
    assert "NGƯỜI YÊU CẦU" not in text


def test_amounts_print_with_thousands_grouped(tmp_path: Path) -> None:
    w = world()
    dossier = submitted_with(w, "1.001612")
    text = pdf_text(declaration_form(dossier), tmp_path)
    assert "300.000.000" in text and "300000000" not in text


def test_the_paper_form_is_not_asked_for_as_an_upload_when_the_portal_has_the_e_form() -> None:
    w = world(documents=["Tờ khai đăng ký khai sinh theo mẫu", "Giấy chứng sinh"])
    content = json.loads((FORMS / "1.001193.json").read_text(encoding="utf-8"))
    declaration_form_load(content | {"procedure_code": w.version.procedure.code})
    client = Client()
    client.force_login(w.citizen)
    page = client.get(reverse("dossiers:intake", args=[w.version.procedure.code])).content.decode()
    paper, certificate = w.version.documents.order_by("position", "id")
    assert 'id="filled-online"' in page and f'name="document_{paper.pk}"' not in page
    assert f'name="document_{certificate.pk}"' in page
