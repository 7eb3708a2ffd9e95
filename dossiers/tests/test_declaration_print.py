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
