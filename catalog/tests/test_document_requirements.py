"""Thành phần hồ sơ as published: which documents every applicant must give, which only in a
particular case (trường hợp), and which are only shown in person (giấy tờ phải xuất trình)."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from catalog.rules import document_requirement

BIRTH_REGISTRATION = "1.001193"


def published(code: str) -> list[dict[str, str]]:
    path = settings.SHARED_DATA_DIR / "procedures.json"
    if not path.is_file():
        pytest.skip(f"{path} is not here (MOTCUA_SHARED_DATA)")
    record = next(p for p in json.loads(path.read_text(encoding="utf-8")) if p["code"] == code)
    return record["documents_detail"]


def test_the_birth_registration_asks_everybody_for_the_birth_certificate_only() -> None:
    rows = [(row["name"][:30], document_requirement(row["case"], row["name"])) for row in published(BIRTH_REGISTRATION)]
    required_uploads = [name for name, r in rows if r.required and not r.presented_only]
    presented = [name for name, r in rows if r.presented_only]
    assert required_uploads == ["Giấy chứng sinh; trường hợp kh"]
    assert presented == ["Giấy tờ có giá trị chứng minh ", "Hộ chiếu/Thẻ căn cước công dân"]
    # The column's headings are not situations: nothing says "Trường hợp: * Giấy tờ phải nộp:".
    assert all(r.case == "" for _name, r in rows)


@pytest.mark.parametrize(
    ("case", "name", "required"),
    [
        ("", "Giấy chứng sinh", True),
        ("* Giấy tờ phải nộp:", "Tờ khai đăng ký kết hôn", True),
        ("", "Trường hợp trẻ em bị bỏ rơi thì phải có biên bản", False),
        ("", "Văn bản ủy quyền trong trường hợp ủy quyền thực hiện việc đăng ký", False),
        ("", "Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng", True),
        ("", "Giấy tờ chứng minh việc đã được cấp phép (nếu có)", False),
        ("Trường hợp đăng ký lại", "Bản sao giấy khai sinh", False),
        ("(1.3) Đối với công trình tôn giáo:", "Bản vẽ thiết kế", False),
        ("Hồ sơ gồm bản sao kèm bản chính đối chiếu", "Đơn đề nghị", True),
    ],
)
def test_a_document_is_required_unless_a_case_or_its_wording_limits_it(case: str, name: str, required: bool) -> None:
    assert document_requirement(case, name).required is required


def test_a_real_case_is_kept_and_a_heading_is_not() -> None:
    assert document_requirement("* Trường hợp ủy quyền thực hiện thủ tục:", "Văn bản ủy quyền").case == (
        "Trường hợp ủy quyền thực hiện thủ tục:"
    )
    assert document_requirement("* Giấy tờ phải xuất trình:", "Căn cước").case == ""


def test_documents_under_the_heading_to_show_are_only_shown() -> None:
    assert document_requirement("* Giấy tờ phải xuất trình:", "Căn cước").presented_only
    assert not document_requirement("* Giấy tờ phải nộp:", "Giấy chứng sinh").presented_only
    assert not document_requirement("", "Giấy chứng sinh").presented_only


@given(st.text(max_size=80), st.text(max_size=200))
def test_a_document_under_a_case_is_never_required_of_everybody(case: str, name: str) -> None:
    requirement = document_requirement(case, name)
    assert not (requirement.case and requirement.required)
    assert not (requirement.case and requirement.presented_only)
