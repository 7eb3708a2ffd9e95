"""Tờ khai as data: the shipped forms pass their own check, accept their examples and refuse any
of them with one required field removed; the check refuses broken forms naming the problem; the
validator gives every problem at once, in Vietnamese, on the field's path; the form in force is
chosen by date; the loader, the publish service, the admin and the API."""

from __future__ import annotations

import copy
import datetime
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.tests.officers import sign_in_verified
from catalog import declaration
from catalog.models import DeclarationForm, FormStatus
from catalog.selectors import declaration_form_in_force
from catalog.services import (
    FORM_FILE_OPTIONAL_KEYS,
    FormNotPublishable,
    declaration_form_load,
    declaration_form_publish,
)
from catalog.testing import published_form

from .factories import published

FORMS_DIR = Path(__file__).resolve().parent.parent / "declaration_forms"
FILES = sorted(FORMS_DIR.glob("*.json"))
LENGTHS = {name: getattr(DeclarationForm._meta.get_field(name), "max_length", 0) for name in ("title", "form_number")}
FORMS = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in FILES}
TODAY = datetime.date(2026, 12, 7)
BIRTH = FORMS["1.001193"]


def required_paths(schema: Mapping[str, Any], data: Any, prefix: str = "") -> Iterator[str]:
    """Every required field present in ``data`` (leaves and groups, in arrays' items too, and
    what a condition's ``then`` requires when it holds)."""
    if not isinstance(data, Mapping):
        return
    required = list(schema.get("required", []))
    if "if" in schema and declaration.validator_class(TODAY)(schema["if"]).is_valid(data):
        required += schema.get("then", {}).get("required", [])
    for name in required:
        if name in data:
            yield f"{prefix}{name}"
    for name, sub in (schema.get("properties") or {}).items():
        value = data.get(name)
        if isinstance(sub, Mapping) and sub.get("type") == "object":
            yield from required_paths(sub, value, f"{prefix}{name}.")
        elif isinstance(sub, Mapping) and sub.get("type") == "array" and isinstance(value, list):
            for index, row in enumerate(value):
                yield from required_paths(sub["items"], row, f"{prefix}{name}.{index}.")


def without(data: Any, path: str) -> Any:
    data = copy.deepcopy(data)
    node = data
    parts = path.split(".")
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    del node[parts[-1]]
    return data


CASES = [
    (code, n, path)
    for code, form in FORMS.items()
    for n, example in enumerate(form["examples"])
    for path in required_paths(form["schema"], example)
]


def test_every_shipped_form_passes_its_check_and_has_the_file_format() -> None:
    assert {"1.001193", "1.004222"} <= set(FORMS)
    for code, form in FORMS.items():
        assert set(declaration_form_keys()) <= set(form) <= {*declaration_form_keys(), *FORM_FILE_OPTIONAL_KEYS}, code
        assert form["procedure_code"] == code
        datetime.date.fromisoformat(form["effective_from"])
        for key, limit in LENGTHS.items():  # PostgreSQL refuses what SQLite would keep
            assert len(form[key]) <= limit, (code, key)
        assert declaration.form_problems(form["schema"], form["layout"], form["examples"], today=TODAY) == [], code
        assert declaration.translation_problems(form["schema"], form["layout"], form.get("translations")) == [], code


def declaration_form_keys() -> tuple[str, ...]:
    from catalog.services import FORM_FILE_KEYS

    return FORM_FILE_KEYS


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(CASES))
def test_an_example_with_any_one_required_field_removed_is_refused(case: tuple[str, int, str]) -> None:
    code, n, path = case
    form = FORMS[code]
    assert declaration.validate(form["schema"], form["examples"][n], today=TODAY) == []
    problems = declaration.validate(form["schema"], without(form["examples"][n], path), today=TODAY)
    assert problems, f"{code} example {n} without {path} was accepted"
    # The problem is on the field removed, or on a field of the group removed.
    assert any(p.path == path or p.path.startswith(path + ".") for p in problems), (path, problems)


def test_every_required_field_of_the_shipped_examples_is_exercised() -> None:
    # The property above draws from these: a form whose examples miss their required fields
    # would make it vacuous.
    assert len(CASES) > 40
    assert ("1.001193", 0, "father") in CASES and ("1.004222", 0, "members.1.relationship") in CASES


@settings(max_examples=80, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=12),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(
                st.sampled_from(["child", "mother", "father", "copies", "father_status", "members", "x"]),
                inner,
                max_size=4,
            )
        ),
        max_leaves=12,
    )
)
def test_any_input_gives_problems_never_an_exception(data: Any) -> None:
    for form in FORMS.values():
        cleaned = declaration.normalize(form["schema"], data)
        for problem in declaration.validate(form["schema"], cleaned, today=TODAY):
            assert problem.message and problem.label


# --- Messages ------------------------------------------------------------------------------------


def test_every_problem_at_once_in_vietnamese_on_its_path() -> None:
    data = copy.deepcopy(BIRTH["examples"][0])
    data["child"]["birth_date"] = "2027-01-05"
    data["mother"]["personal_id"] = "04819500012"
    del data["child"]["sex"]
    data["copies"] = "ba"
    problems = {p.path: p.text for p in declaration.validate(BIRTH["schema"], data, today=TODAY)}
    assert problems == {
        "child.birth_date": "Ngày, tháng, năm sinh (người được khai sinh): không được sau ngày hôm nay.",
        "child.sex": "Giới tính (người được khai sinh): không được để trống.",
        "mother.personal_id": "Số định danh cá nhân (người mẹ): phải gồm đúng 12 chữ số.",
        "copies": "Số bản sao Giấy khai sinh đề nghị cấp: phải là số nguyên.",
    }


def test_the_father_is_asked_only_when_known() -> None:
    unknown = copy.deepcopy(BIRTH["examples"][1])
    assert unknown["father_status"] == "Chưa xác định được cha" and "father" not in unknown
    assert declaration.validate(BIRTH["schema"], unknown, today=TODAY) == []
    known = unknown | {"father_status": "Đã xác định được cha"}
    paths = {p.path for p in declaration.validate(BIRTH["schema"], known, today=TODAY)}
    assert paths == {
        "father.full_name",
        "father.birth_year",
        "father.ethnicity",
        "father.nationality",
        "father.residence",
    }
    stray = unknown | {"father": BIRTH["examples"][0]["father"]}
    (problem,) = declaration.validate(BIRTH["schema"], stray, today=TODAY)
    assert problem.path == "father" and problem.message == "chỉ ghi khi đã xác định được cha."


def test_a_draft_may_leave_required_fields_empty_but_not_write_wrong_values() -> None:
    assert declaration.validate(BIRTH["schema"], {}, today=TODAY, complete=False) == []
    wrong = {"child": {"birth_date": "31/02/2024"}}
    (problem,) = declaration.validate(BIRTH["schema"], declaration.normalize(BIRTH["schema"], wrong), today=TODAY,
                                      complete=False)  # fmt: skip
    assert problem.message == "ngày không hợp lệ (ngày/tháng/năm, ví dụ 07/11/2022)."


def test_dates_typed_the_vietnamese_way_are_stored_iso_and_numbers_as_numbers() -> None:
    typed = {"child": {"birth_date": "7/11/2024", "full_name": "  Trần Minh Khang "}, "copies": "2", "mother": {}}
    assert declaration.normalize(BIRTH["schema"], typed) == {
        "child": {"birth_date": "2024-11-07", "full_name": "Trần Minh Khang"},
        "copies": 2,
    }
    assert declaration.date_shown("2024-11-07") == "07/11/2024"


def test_a_repeating_group_reports_each_member_by_position() -> None:
    ct01 = FORMS["1.004222"]
    data = copy.deepcopy(ct01["examples"][0])
    data["members"][1]["personal_id"] = "123"
    del data["members"][0]["relationship"]
    problems = {p.path: p.text for p in declaration.validate(ct01["schema"], data, today=TODAY)}
    assert problems == {
        "members.0.relationship": "Mối quan hệ với chủ hộ (người thứ 1): không được để trống.",
        "members.1.personal_id": "Số định danh cá nhân (người thứ 2): phải gồm đúng 12 chữ số.",
    }


# --- The web form's fields and the prefill ----------------------------------------------------------


def test_a_web_form_becomes_the_data_and_back() -> None:
    ct01 = FORMS["1.004222"]
    example = ct01["examples"][0]
    post = declaration.to_post(ct01["schema"], ct01["layout"], example)
    assert post["d.members.1.birth_date"] == "15/06/2015" and post["d.applicant.full_name"] == "Phạm Văn Nam"
    # A row left empty (added then not filled) is dropped; the rows keep their order.
    post |= {"d.members.7.full_name": "", "d.members.7.sex": ""}
    assert declaration.from_post(ct01["schema"], ct01["layout"], post) == example


def test_a_part_whose_condition_does_not_hold_is_left_out() -> None:
    post = declaration.to_post(BIRTH["schema"], BIRTH["layout"], BIRTH["examples"][0])
    post["d.father_status"] = "Chưa xác định được cha"
    data = declaration.from_post(BIRTH["schema"], BIRTH["layout"], post)
    assert "father" not in data and data["mother"] == BIRTH["examples"][0]["mother"]


def test_the_prefill_puts_the_account_s_identity_on_the_parent_it_is() -> None:
    mother = {"full_name": "Nguyễn Thị Lan", "personal_id": "048195000123", "birth_year": 1995, "address": "Đà Nẵng"}
    data = declaration.prefill(BIRTH["layout"], mother)
    assert data["mother"] == {"full_name": "Nguyễn Thị Lan", "birth_year": 1995, "personal_id": "048195000123",
                              "residence": "Đà Nẵng", "nationality": "Việt Nam"}  # fmt: skip
    assert data["declarant"]["relationship"] == "Mẹ" and data["father"] == {"nationality": "Việt Nam"}
    father = declaration.prefill(BIRTH["layout"], mother | {"personal_id": "048093000456"})
    assert father["father"]["personal_id"] == "048093000456" and father["father_status"] == "Đã xác định được cha"
    assert father["mother"] == {"nationality": "Việt Nam"}


def test_sections_tie_labels_values_and_errors() -> None:
    sections = declaration.sections(
        BIRTH["schema"], BIRTH["layout"], BIRTH["examples"][1], {"child.birth_date": "không được sau ngày hôm nay."}
    )
    child = next(s for s in sections if s.title == "Người được khai sinh")
    birth_date = next(f for f in child.fields if f.name == "d.child.birth_date")
    assert (birth_date.widget, birth_date.value, birth_date.required, birth_date.id) == (
        "date", "02/03/2025", True, "d-child-birth_date"
    )  # fmt: skip
    assert birth_date.error == "Không được sau ngày hôm nay."
    father = next(s for s in sections if s.title == "Thông tin người cha")
    assert father.visible_when == {"path": "father_status", "equals": "Đã xác định được cha"} and not father.shown


# --- The check before publishing --------------------------------------------------------------------


def broken(**changes: Any) -> list[str]:
    form = copy.deepcopy(BIRTH) | changes
    return declaration.form_problems(form["schema"], form["layout"], form["examples"], today=TODAY)


def test_the_check_refuses_an_invalid_schema() -> None:
    (problem,) = broken(schema={"type": "object", "properties": {"x": {"type": "strin"}}})
    assert problem.startswith("Lược đồ không hợp lệ tại properties/x/type")


def test_the_check_refuses_unknown_layout_paths_widgets_and_formats() -> None:
    layout = copy.deepcopy(BIRTH["layout"])
    layout["sections"][0]["fields"].append("declarant.nickname")
    layout["widgets"]["child.sex"] = "slider"
    schema = copy.deepcopy(BIRTH["schema"])
    schema["properties"]["child"]["properties"]["hometown"]["format"] = "uri"
    problems = broken(layout=layout, schema=schema)
    assert "Phần 1: trường “declarant.nickname” không có trong lược đồ." in problems
    assert any("“slider”" in p for p in problems) and any("“uri”" in p for p in problems)


def test_the_check_refuses_a_field_placed_nowhere_and_an_invalid_example() -> None:
    layout = copy.deepcopy(BIRTH["layout"])
    layout["sections"][-1]["fields"] = ["copies"]
    layout["sections"][1]["fields"].remove("child.hometown")
    examples = copy.deepcopy(BIRTH["examples"])
    examples[1]["child"]["birth_date"] = "2099-01-01"
    problems = broken(layout=layout, examples=examples)
    assert "Trường “child.hometown” không có trong bố cục nào." in problems
    assert "Ví dụ 2: Ngày, tháng, năm sinh (người được khai sinh): không được sau ngày hôm nay." in problems
    assert broken(examples=[]) == ["Cần ít nhất một ví dụ đã điền hợp lệ."]


# --- Stored forms ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_form_in_force_is_the_latest_published_on_or_before_the_day() -> None:
    version = published("1.001193", "Thủ tục đăng ký khai sinh")
    old = published_form(version.procedure, {"a": {"type": "string"}}, effective_from=datetime.date(2020, 1, 1))
    new = published_form(version.procedure, {"b": {"type": "string"}}, effective_from=datetime.date(2024, 7, 1))
    draft = DeclarationForm.objects.create(
        procedure=version.procedure, title="Nháp", effective_from=datetime.date(2024, 8, 1), schema={}
    )
    assert declaration_form_in_force(version.procedure_id, on=datetime.date(2019, 12, 31)) is None
    assert declaration_form_in_force(version.procedure_id, on=datetime.date(2024, 6, 30)) == old
    assert declaration_form_in_force(version.procedure_id, on=datetime.date(2024, 7, 1)) == new
    assert declaration_form_in_force(version.procedure_id, on=datetime.date(2025, 1, 1)) == new != draft


@pytest.mark.django_db
def test_publishing_refuses_a_form_that_fails_its_check(django_user_model: Any) -> None:
    version = published("1.001193", "Thủ tục đăng ký khai sinh")
    actor = django_user_model.objects.create_user("ks", "ks@example.vn", "mat-khau-rat-dai-2026")
    form = DeclarationForm.objects.create(
        procedure=version.procedure,
        title=BIRTH["title"],
        effective_from=datetime.date(2024, 7, 1),
        schema=BIRTH["schema"],
        layout=BIRTH["layout"],
        examples=[{"copies": 1}],
    )
    with pytest.raises(FormNotPublishable) as refused:
        declaration_form_publish(form=form, actor=actor)
    assert "Ví dụ 1: Họ, chữ đệm và tên người yêu cầu: không được để trống." in refused.value.problems
    assert DeclarationForm.objects.get(pk=form.pk).status == FormStatus.DRAFT
    form.examples = BIRTH["examples"]
    form.save()
    declaration_form_publish(form=form, actor=actor)
    form.refresh_from_db()
    assert (form.status, form.published_by) == (FormStatus.PUBLISHED, actor)
    assert form.history.first().history_user == actor


@pytest.mark.django_db
def test_the_loader_publishes_each_file_once() -> None:
    published("1.001193", "Thủ tục đăng ký khai sinh")
    published("1.004222", "Đăng ký thường trú")
    call_command("load_declaration_forms", verbosity=0)
    assert DeclarationForm.objects.filter(status=FormStatus.PUBLISHED).count() == 2
    call_command("load_declaration_forms", verbosity=0)
    assert DeclarationForm.objects.count() == 2
    form, done = declaration_form_load(BIRTH | {"title": "Tờ khai đăng ký khai sinh (sửa)"})
    assert done == "updated" and form is not None and DeclarationForm.objects.count() == 2
    assert declaration_form_load(BIRTH | {"procedure_code": "9.999999"})[1] == "no procedure 9.999999"


# --- Admin ---------------------------------------------------------------------------------------------


@pytest.fixture
def controller(django_user_model: Any) -> Any:
    return django_user_model.objects.create_superuser("kiemsoat", "ks@example.vn", "mat-khau-rat-dai-2026")


@pytest.mark.django_db
def test_controllers_preview_and_publish_in_the_admin_and_see_why_not(client: Client, controller: Any) -> None:
    version = published("1.001193", "Thủ tục đăng ký khai sinh")
    form = DeclarationForm.objects.create(
        procedure=version.procedure,
        title=BIRTH["title"],
        effective_from=datetime.date(2024, 7, 1),
        schema=BIRTH["schema"],
        layout=BIRTH["layout"],
        examples=[BIRTH["examples"][0] | {"copies": -1}],
    )
    sign_in_verified(client, controller)
    change = client.get(f"/admin/catalog/declarationform/{form.pk}/change/").content.decode()
    assert f"/admin/catalog/declarationform/{form.pk}/preview/" in change
    assert "Ví dụ 1: Số bản sao Giấy khai sinh đề nghị cấp: không được nhỏ hơn 0." in change
    preview = client.get(f"/admin/catalog/declarationform/{form.pk}/preview/?example=1").content.decode()
    assert '<label for="d-child-full_name">Họ, chữ đệm và tên' in preview and 'value="Trần Minh Khang"' in preview
    assert "Chưa công bố được" in preview
    refused = client.post(
        "/admin/catalog/declarationform/", {"action": "publish", "_selected_action": [form.pk]}, follow=True
    ).content.decode()
    assert "còn lỗi" in refused and "không được nhỏ hơn 0." in refused
    assert DeclarationForm.objects.get(pk=form.pk).status == FormStatus.DRAFT
    form.examples = BIRTH["examples"]
    form.save()
    client.post("/admin/catalog/declarationform/", {"action": "publish", "_selected_action": [form.pk]})
    assert DeclarationForm.objects.get(pk=form.pk).status == FormStatus.PUBLISHED


# --- API -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_serves_the_form_in_force(client: Client) -> None:
    version = published("1.001193", "Thủ tục đăng ký khai sinh")
    assert client.get("/api/v1/procedures/1.001193/declaration-form").status_code == 404
    declaration_form_load(BIRTH)
    response = client.get("/api/v1/procedures/1.001193/declaration-form")
    assert response.status_code == 200
    body = response.json()
    assert body["schema"] == BIRTH["schema"] and body["layout"] == BIRTH["layout"]
    assert (body["procedure_code"], body["effective_from"]) == (version.procedure.code, "2024-07-01")
    before = client.get("/api/v1/procedures/1.001193/declaration-form?on=2024-06-30")
    assert (before.status_code, before.json()["code"]) == (404, "declaration_form_not_found")


def test_the_birth_form_speaks_korean_and_keeps_its_official_values() -> None:
    """Labels, hints, choices and messages in Korean; the values stored and compared (the
    relationship "Mẹ", the father's status) stay the official Vietnamese ones."""
    from django.utils import translation

    form = FORMS["1.001193"]
    korean = form["translations"]["ko"]
    schema, layout = declaration.localize(form["schema"], form["layout"], korean)
    assert set(korean) == set(declaration.texts(form["schema"], form["layout"]))
    sections = declaration.sections(schema, layout, {"declarant": {"relationship": "Mẹ"}})
    fields = {f.name: f for s in sections for f in s.fields}
    relationship = fields["d.declarant.relationship"]
    assert relationship.label == "출생신고 대상자와의 관계"
    assert ("Mẹ", "어머니") in relationship.choices and relationship.value == "Mẹ"
    father = next(s for s in sections if s.visible_when)
    assert father.visible_when == {"path": "father_status", "equals": "Đã xác định được cha"}
    assert schema["properties"]["father_status"]["enum"] == form["schema"]["properties"]["father_status"]["enum"]
    example = copy.deepcopy(form["examples"][0])
    example["child"]["birth_date"] = "2999-01-01"
    with translation.override("ko"):
        problems = declaration.validate(schema, example, today=TODAY)
    assert [p.text for p in problems] == ["생년월일 (출생신고 대상자): 오늘 이후일 수 없습니다."]
    assert declaration.validate(form["schema"], form["examples"][0], today=TODAY) == []


def test_a_translation_of_a_text_the_form_does_not_have_is_refused() -> None:
    form = FORMS["1.001193"]
    stale = {"en": {"Họ và tên người chết": "Full name of the deceased"}, "fr": {}}
    problems = declaration.translation_problems(form["schema"], form["layout"], stale)
    assert len(problems) == 2
    assert declaration.translation_problems(form["schema"], form["layout"], form["translations"]) == []
