"""Results that are what they say: where the procedure's declaration form describes its result
(``layout["result"]``), the agency signs that document — the birth certificate, filled from the
form — and the citizen's data store calls it by its name; other procedures keep the notice."""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path

import pytest

from catalog.declaration import form_problems, result_document
from catalog.services import declaration_form_load
from documents.models import StoreItem
from documents.services import file_read
from dossiers import services as dossier_services
from dossiers.models import Dossier
from dossiers.rules import State
from dossiers.tests.factories import MONDAY, World
from results import pki
from results.models import ElectronicResult, Origin
from results.signing import Verdict, verify_pdf

from .samples import pdftotext

pytestmark = pytest.mark.django_db
FORMS = Path(__file__).resolve().parents[2] / "catalog" / "declaration_forms"


def form_file(code: str) -> dict:
    return json.loads((FORMS / f"{code}.json").read_text(encoding="utf-8"))


def approved_with_form(w: World, code: str, captured, example: int = 0) -> Dossier:
    content = form_file(code)
    declaration_form_load(content | {"procedure_code": w.version.procedure.code})
    dossier, _created = dossier_services.dossier_submit(
        applicant=w.citizen, intake=w.intake(form_data=content["examples"][example]), now=MONDAY
    )
    dossier = dossier_services.dossier_receive(actor=w.counter, dossier=dossier, now=MONDAY)
    dossier = dossier_services.dossier_assign(actor=w.counter, dossier=dossier, to=w.processor, now=MONDAY)
    with captured(execute=True):
        return dossier_services.dossier_approve(actor=w.leader, dossier=dossier, note="Đồng ý.", now=MONDAY)


def test_a_birth_registration_gives_a_signed_birth_certificate_filled_from_the_form(
    w, django_capture_on_commit_callbacks, tmp_path
):
    dossier = approved_with_form(w, "1.001193", django_capture_on_commit_callbacks)

    result = ElectronicResult.objects.get(dossier=dossier)
    assert dossier.state == State.DONE
    assert result.origin == Origin.FORM and result.name == "Giấy khai sinh"
    data = file_read(result.stored_file)
    if os.environ.get("MOTCUA_SCREENSHOTS"):  # for a person to look at
        Path(os.environ["MOTCUA_SCREENSHOTS"], "giay-khai-sinh.pdf").write_bytes(data)
    text = " ".join(pdftotext(data, tmp_path).split())
    assert "GIẤY KHAI SINH" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Họ, chữ đệm, tên: Trần Minh Khang" in text
    assert "07/11/2024 (ngày bảy, tháng mười một, năm hai nghìn không trăm hai mươi tư)" in text
    assert "Họ, chữ đệm, tên người mẹ: Nguyễn Thị Lan" in text and "Trần Văn Hùng" in text
    assert f"Cơ quan đăng ký: {w.agency.name}" in text and result.code in text
    assert "NGƯỜI KÝ GIẤY KHAI SINH" in text and "Thông báo" not in text
    assert verify_pdf(data, trust_roots=pki.trust_roots()).verdict is Verdict.VALID
    item = StoreItem.objects.get(owner=w.citizen, stored_file=result.stored_file)
    assert item.kind.name == "Giấy khai sinh" and item.number == result.code


def test_a_father_not_determined_leaves_the_fathers_part_out(w, django_capture_on_commit_callbacks, tmp_path):
    content = form_file("1.001193")
    example = next(i for i, e in enumerate(content["examples"]) if e["father_status"] != "Đã xác định được cha")
    dossier = approved_with_form(w, "1.001193", django_capture_on_commit_callbacks, example=example)

    text = pdftotext(file_read(ElectronicResult.objects.get(dossier=dossier).stored_file), tmp_path)
    assert "người cha" not in text


def test_a_procedure_whose_form_describes_no_result_keeps_the_notice_named_by_the_catalog(
    w, django_capture_on_commit_callbacks
):
    dossier = approved_with_form(w, "1.004222", django_capture_on_commit_callbacks)

    result = ElectronicResult.objects.get(dossier=dossier)
    assert result.origin == Origin.TEMPLATE and result.name == "Thông báo kết quả giải quyết thủ tục hành chính"


@pytest.mark.parametrize("path", sorted(p.name for p in FORMS.glob("*.json")))
def test_every_shipped_result_layout_fills_from_every_example_without_an_empty_line(path):
    content = form_file(path.removesuffix(".json"))
    for example in content["examples"]:
        made = result_document(content["schema"], content["layout"], example)
        if "result" not in content["layout"]:
            assert made is None
            continue
        assert made is not None and made.name and made.parts
        assert all(line.label and line.value.strip() for part in made.parts for line in part.lines)


def test_the_form_check_refuses_a_result_line_pointing_nowhere():
    content = form_file("1.001193")
    content["layout"]["result"]["parts"][0]["lines"].append({"path": "child.eye_colour"})
    problems = form_problems(content["schema"], content["layout"], content["examples"], today=datetime.date(2026, 1, 5))
    assert any("child.eye_colour" in p for p in problems)
