"""Specification of the procedure importer (catalog.importer, manage.py import_procedures), on the
real shared data."""

from __future__ import annotations

import copy
import datetime
import functools
import io
import json
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError

from catalog import importer
from catalog.importer import RowError, import_file, import_records, validate_record
from catalog.models import (
    AnnouncementDecision,
    CatalogRevision,
    FeeItem,
    Field,
    ImplementingAgency,
    Procedure,
    ProcedureTranslation,
    ProcedureVersion,
    RequiredDocument,
    TranslationStatus,
    VersionStatus,
)
from common.text import normalize

pytestmark = pytest.mark.django_db

JULY_2025 = datetime.date(2025, 7, 1)


def shared_file() -> Path:
    return settings.SHARED_DATA_DIR / "procedures.json"


@functools.cache
def _records() -> tuple[dict, ...]:
    return tuple(json.loads(shared_file().read_text(encoding="utf-8")))


def real_records(n: int | None = None) -> list[dict]:
    """Fresh copies of the real records (the first ``n``)."""
    return copy.deepcopy(list(_records()[:n]))


def record(code: str) -> dict:
    return copy.deepcopy(next(r for r in _records() if r["code"] == code))


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def run_command(*args: str) -> str:
    out = io.StringIO()
    call_command("import_procedures", *args, stdout=out)
    return out.getvalue()


def revision() -> str | None:
    row = CatalogRevision.objects.filter(pk=1).first()
    return row.token if row else None


# --- The real file ---------------------------------------------------------------------------------


def test_the_real_file_imports_every_procedure_and_a_second_import_changes_nothing():
    output = run_command(str(shared_file()), "--effective-date", "2025-07-01")
    assert "379 tạo mới" in output and "0 bỏ qua" in output

    records = _records()
    assert Procedure.objects.count() == 379
    assert ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED).count() == 379
    assert AnnouncementDecision.objects.count() == len({r["decision_no"] for r in records})
    assert Field.objects.count() == len({normalize(r["field"]) for r in records})
    assert RequiredDocument.objects.count() == sum(len(r["documents_detail"] or []) for r in records)
    assert set(AnnouncementDecision.objects.values_list("effective_on", flat=True)) == {JULY_2025}

    snapshot = {
        "versions": list(ProcedureVersion.objects.order_by("pk").values()),
        "fees": list(FeeItem.objects.order_by("pk").values()),
        "documents": list(RequiredDocument.objects.order_by("pk").values()),
        "history": ProcedureVersion.history.count() + RequiredDocument.history.count() + FeeItem.history.count(),
        "revision": revision(),
    }
    report = import_file(shared_file(), effective_on=datetime.date(2026, 1, 1))
    assert (report.created, report.updated, report.unchanged, report.skipped) == (0, 0, 379, [])
    assert snapshot == {
        "versions": list(ProcedureVersion.objects.order_by("pk").values()),
        "fees": list(FeeItem.objects.order_by("pk").values()),
        "documents": list(RequiredDocument.objects.order_by("pk").values()),
        "history": ProcedureVersion.history.count() + RequiredDocument.history.count() + FeeItem.history.count(),
        "revision": revision(),
    }
    assert "0 tạo mới, 0 cập nhật, 379 không đổi" in report.summary()


def test_all_stored_text_is_nfc():
    import_records(real_records(), effective_on=JULY_2025)

    def is_nfc(text: str) -> bool:
        return unicodedata.normalize("NFC", text) == text

    texts = [
        *Field.objects.values_list("name", flat=True),
        *ImplementingAgency.objects.values_list("name", flat=True),
        *RequiredDocument.objects.values_list("name", flat=True),
        *RequiredDocument.objects.values_list("case", flat=True),
    ]
    for version in ProcedureVersion.objects.all():
        texts += [version.name, version.fee_text, version.result, version.agency_text, *version.review_notes]
    assert all(is_nfc(t) for t in texts)


def test_birth_registration_is_imported_as_published_with_what_is_uncertain_flagged():
    import_records([record("1.001193")], effective_on=JULY_2025)
    version = ProcedureVersion.objects.get(procedure__code="1.001193")

    assert version.name == "Thủ tục đăng ký khai sinh"
    assert version.field.name == "Hộ tịch" and version.field.category.name == "Hộ tịch"
    assert version.levels == ["commune"]
    assert version.channels == ["online", "in_person", "postal"]
    assert [a.name for a in version.agencies.all()] == ["Ủy ban nhân dân cấp xã"]
    # "1" has no unit: kept as text, no days.
    assert version.processing_time_text == "1" and version.processing_days is None
    assert [(f.channel, f.amount_vnd) for f in version.fee_items.all()] == [("", 0)]
    # The data does not publish the online level: never claim "toàn trình".
    assert version.online_level == "partial"
    assert version.decision.number == "163/QĐ-BTP" and version.decision.signed_on is None
    assert version.decision.effective_on == JULY_2025
    notes = " | ".join(version.review_notes)
    assert "không ghi đơn vị" in notes
    assert "chưa được công bố" in notes
    assert "quyết định chưa có ngày ban hành" in notes
    documents = list(version.documents.all())
    assert len(documents) == 6
    assert documents[0].case == "* Giấy tờ phải nộp:" and documents[0].original_count == 1
    assert version.source_url.startswith("https://")


def test_fees_working_days_and_templates_are_structured():
    codes = {r["code"] for r in _records()}
    wills = next(r for r in _records() if r["fee_text"] == "50,000 Việt Nam Đồng (/di chúc)")
    with_days = next(r for r in _records() if r["processing_time_text"] == "5 Ngày làm việc")
    with_template = next(r for r in _records() if any("(mẫu NA17)" in d["name"] for d in r["documents_detail"] or []))
    assert {wills["code"], with_days["code"], with_template["code"]} <= codes
    import_records(copy.deepcopy([wills, with_days, with_template]), effective_on=JULY_2025)

    fee = FeeItem.objects.get(version__procedure__code=wills["code"])
    assert (fee.channel, fee.amount_vnd, fee.unit) == ("", 50_000, "di chúc")
    assert ProcedureVersion.objects.get(procedure__code=with_days["code"]).processing_days == 5
    document = RequiredDocument.objects.get(version__procedure__code=with_template["code"], template_name="Mẫu NA17")
    assert document.name == "Phiếu khai báo tạm trú cho người nước ngoài"


def test_a_procedure_without_online_submission_is_not_online():
    offline = next(r for r in _records() if "Trực tuyến" not in r["submission_channels"])
    import_records([copy.deepcopy(offline)], effective_on=JULY_2025)
    version = ProcedureVersion.objects.get(procedure__code=offline["code"])
    assert version.online_level == "none"
    assert not any("trực tuyến chưa được công bố" in n for n in version.review_notes)


def test_a_name_longer_than_a_thousand_characters_is_kept_whole():
    import_records([record("1.013980")], effective_on=JULY_2025)
    assert ProcedureVersion.objects.get(procedure__code="1.013980").name == normalize(record("1.013980")["name"])


# --- Changes and re-announcement ------------------------------------------------------------------


def test_a_changed_record_updates_its_version_in_place():
    records = real_records(10)
    import_records(records, effective_on=JULY_2025)
    target = records[3]
    before = ProcedureVersion.objects.get(procedure__code=target["code"])
    history_before = before.history.count()
    token = revision()

    target["name"] = target["name"] + " (sửa đổi)"
    target["fee_text"] = "Trực tuyến: 20.000 đồng; Trực tiếp: 30.000 đồng"
    target["fee_display_caveat"] = False
    target["documents_detail"] = [{"case": None, "name": "Tờ khai (Mẫu TK01)", "original": 1, "copy": 0}]
    report = import_records(records, effective_on=JULY_2025)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 9)
    after = ProcedureVersion.objects.get(procedure__code=target["code"])
    assert after.pk == before.pk
    assert after.name.endswith("(sửa đổi)")
    assert [(f.channel, f.amount_vnd) for f in after.fee_items.all()] == [("online", 20_000), ("in_person", 30_000)]
    assert [(d.name, d.template_name) for d in after.documents.all()] == [("Tờ khai", "Mẫu TK01")]
    assert after.history.count() == history_before + 1
    assert revision() != token


def test_a_new_decision_number_adds_a_version_and_keeps_the_old_one():
    birth = record("1.001193")
    import_records([birth], effective_on=JULY_2025)
    old = ProcedureVersion.objects.get(procedure__code="1.001193")

    birth["decision_no"] = "999/QĐ-BTP"
    birth["processing_time_text"] = "3 Ngày làm việc"
    report = import_records([birth], effective_on=datetime.date(2026, 3, 1))

    assert (report.created, report.procedures_created) == (1, 0)
    versions = ProcedureVersion.objects.filter(procedure__code="1.001193").order_by("decision__effective_on")
    assert [v.decision.number for v in versions] == ["163/QĐ-BTP", "999/QĐ-BTP"]
    assert versions[0].pk == old.pk and versions[0].processing_days is None
    assert versions[1].processing_days == 3
    assert versions[1].decision.effective_on == datetime.date(2026, 3, 1)


def test_no_publish_imports_drafts_and_a_later_publish_publishes_them(tmp_path):
    records = real_records(3)
    run_command(str(write_json(tmp_path / "drafts.json", records)), "--no-publish")
    assert set(ProcedureVersion.objects.values_list("status", flat=True)) == {VersionStatus.DRAFT}
    report = import_records(records, effective_on=JULY_2025, publish=True)
    assert report.updated == 3
    assert set(ProcedureVersion.objects.values_list("status", flat=True)) == {VersionStatus.PUBLISHED}


def test_a_withdrawn_version_stays_withdrawn():
    import_records([record("1.001193")], effective_on=JULY_2025)
    ProcedureVersion.objects.update(status=VersionStatus.WITHDRAWN)
    report = import_records([record("1.001193")], effective_on=JULY_2025)
    assert report.unchanged == 1
    assert ProcedureVersion.objects.get().status == VersionStatus.WITHDRAWN


def test_a_reviewed_translation_goes_back_to_draft_when_the_documents_change():
    birth = record("1.001193")
    import_records([birth], effective_on=JULY_2025)
    version = ProcedureVersion.objects.get()
    translation = ProcedureTranslation.objects.create(
        version=version,
        language="en",
        status=TranslationStatus.REVIEWED,
        name="Birth registration",
        documents=[{"case": "", "name": f"Document {i}"} for i in range(6)],
    )
    birth["documents_detail"] = birth["documents_detail"][:5]
    import_records([birth], effective_on=JULY_2025)
    translation.refresh_from_db()
    assert translation.status == TranslationStatus.DRAFT


def test_an_uploaded_form_file_survives_an_update_of_its_document():
    birth = record("1.001193")
    import_records([birth], effective_on=JULY_2025)
    document = RequiredDocument.objects.get(position=3)
    RequiredDocument.objects.filter(pk=document.pk).update(template_file="forms/giay-chung-sinh.pdf")
    birth["documents_detail"][0]["original"] = 2
    import_records([birth], effective_on=JULY_2025)
    assert RequiredDocument.objects.get(name=document.name).template_file.name == "forms/giay-chung-sinh.pdf"


# --- Bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[{"code": "1.001193", ', "không phải JSON hợp lệ"),
        ('{"code": "1.001193"}', "phải chứa một danh sách"),
        ("", "không phải JSON hợp lệ"),
    ],
)
def test_an_unreadable_json_file_is_refused_and_nothing_is_applied(tmp_path, content, message):
    path = tmp_path / "procedures.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run_command(str(path))
    assert Procedure.objects.count() == 0 and Field.objects.count() == 0


def test_a_file_that_is_not_an_excel_workbook_is_refused(tmp_path):
    path = tmp_path / "procedures.xlsx"
    path.write_text("code,name\n1.001193,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="không phải tệp Excel"):
        run_command(str(path))
    assert Procedure.objects.count() == 0


@pytest.mark.parametrize(("name", "message"), [("procedures.csv", "chỉ nhập được"), ("missing.json", "không tìm thấy")])
def test_other_kinds_of_file_and_missing_files_are_refused(tmp_path, name, message):
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_text("code\n", encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run_command(str(path))


def test_a_bad_effective_date_is_refused():
    with pytest.raises(CommandError, match="ngày không hợp lệ"):
        run_command(str(shared_file()), "--effective-date", "01/07/2025")


def test_bad_records_are_reported_with_their_position_and_skipped(tmp_path):
    records = real_records(6)
    records[1]["code"] = "1.00119"
    records[3]["name"] = "  "
    records[4] = "không phải một thủ tục"
    output = run_command(str(write_json(tmp_path / "p.json", records)), "--effective-date", "2025-07-01")

    assert "3 tạo mới" in output and "3 bỏ qua" in output
    assert "bản ghi số 2 (1.00119): mã thủ tục “1.00119” không đúng định dạng" in output
    assert f"bản ghi số 4 ({records[3]['code']}): thiếu tên thủ tục" in output
    assert "bản ghi số 5: bản ghi không phải là một đối tượng" in output
    assert Procedure.objects.count() == 3


def test_a_record_that_fails_while_writing_changes_nothing(monkeypatch):
    records = real_records(4)
    records[2]["field"] = "Lĩnh vực chỉ có ở bản ghi này"
    failing_code = records[2]["code"]
    real_replace = importer._replace_documents

    def replace_or_fail(version, documents, **kwargs):
        if version.procedure.code == failing_code:
            raise DatabaseError("đĩa đầy")
        return real_replace(version, documents, **kwargs)

    monkeypatch.setattr(importer, "_replace_documents", replace_or_fail)
    report = import_records(records, effective_on=JULY_2025)

    assert report.created == 3
    assert [(s.position, s.code) for s in report.skipped] == [("bản ghi số 3", failing_code)]
    assert "đĩa đầy" in report.skipped[0].reason
    assert not Procedure.objects.filter(code=failing_code).exists()
    assert not Field.objects.filter(name="Lĩnh vực chỉ có ở bản ghi này").exists()
    assert not ProcedureVersion.history.filter(procedure__code=failing_code).exists()


def test_a_code_repeated_in_one_file_is_reported():
    records = real_records(2) + real_records(1)
    report = import_records(records, effective_on=JULY_2025)
    assert report.created == 2
    assert [str(s) for s in report.skipped] == [
        f"bản ghi số 3 ({records[0]['code']}): mã thủ tục trùng với bản ghi số 1 trong cùng tệp"
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"code": None}, "thiếu mã thủ tục"),
        ({"code": 1.001193}, "dạng số"),
        ({"code": "1.001193.H-41"}, "không đúng định dạng"),
        ({"field": ""}, "thiếu lĩnh vực"),
        ({"name": 12}, "name phải là chuỗi"),
        ({"level": "district"}, "cấp thực hiện không hợp lệ"),
        ({"submission_channels": "Trực tuyến"}, "submission_channels phải là danh sách"),
        ({"submission_channels": ["Qua Zalo"]}, "cách thức nộp không hợp lệ"),
        ({"fee_display_caveat": "có"}, "fee_display_caveat phải là true hoặc false"),
        ({"documents_detail": {"name": "x"}}, "documents_detail phải là danh sách"),
        ({"documents_detail": [{"name": "", "original": 1}]}, "thành phần hồ sơ thứ 1: thiếu tên"),
        ({"documents_detail": [{"name": "Tờ khai", "original": -1}]}, "số bản chính phải là số nguyên"),
        ({"documents_detail": [{"name": "Tờ khai", "copy": "1"}]}, "số bản sao phải là số nguyên"),
        ({"decision_no": None}, "thiếu số quyết định"),
        ({"source_url": "dichvucong.gov.vn"}, "source_url"),
        ({"online_level": "cao"}, "mức độ trực tuyến không hợp lệ"),
        ({"name": "x" * 2001}, "dài quá 2000 ký tự"),
    ],
)
def test_validation_says_what_is_wrong_in_vietnamese(change, message):
    data = {**record("1.001193"), **change}
    with pytest.raises(RowError, match=message):
        validate_record(data)


def test_validation_accepts_a_province_suffix_and_a_published_online_level():
    data = {**record("1.001193"), "code": "1.001193.H41", "online_level": "Toàn trình"}
    valid = validate_record(data)
    assert valid.code == "1.001193.H41" and valid.online_level == "full"


# --- Excel -----------------------------------------------------------------------------------------


def write_xlsx(path: Path, records: list[dict], *, extra_rows: list[list] | None = None) -> Path:
    from openpyxl import Workbook

    keys = list(records[0].keys())
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(keys)
    for r in records:
        row = []
        for key in keys:
            value = r[key]
            if key == "documents_detail" and value is not None:
                value = json.dumps(value, ensure_ascii=False)
            elif isinstance(value, list):
                value = "\n".join(value)
            row.append(value)
        sheet.append(row)
    for row in extra_rows or []:
        sheet.append(row)
    workbook.save(path)
    return path


def test_an_excel_sheet_imports_the_same_way_as_json(tmp_path):
    records = real_records(15)
    blank = [None] * len(records[0])
    numeric_code = [1.00059] + [None] * (len(records[0]) - 1)
    path = write_xlsx(tmp_path / "thu-tuc.xlsx", records, extra_rows=[blank, numeric_code])

    output = run_command(str(path), "--effective-date", "2025-07-01")
    assert "15 tạo mới" in output
    # Header is row 1, the records rows 2–16, a blank row 17, the numeric code on row 18.
    assert "dòng 18: mã thủ tục đang ở dạng số" in output

    report = import_records(records, effective_on=JULY_2025)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 15)


def test_excel_lists_may_be_separated_by_semicolons(tmp_path):
    birth = record("1.001193")
    birth["submission_channels"] = "Trực tuyến; Trực tiếp"
    path = write_xlsx(tmp_path / "mot.xlsx", [birth])
    import_file(path, effective_on=JULY_2025)
    assert ProcedureVersion.objects.get().channels == ["online", "in_person"]


def test_an_excel_cell_with_broken_json_is_reported(tmp_path):
    birth = record("1.001193")
    path = write_xlsx(tmp_path / "hong.xlsx", [birth])
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    sheet = workbook.active
    column = [c.value for c in sheet[1]].index("documents_detail") + 1
    sheet.cell(row=2, column=column, value="[{")
    workbook.save(path)

    report = import_file(path, effective_on=JULY_2025)
    assert report.skipped[0].position == "dòng 2"
    assert "documents_detail không phải JSON hợp lệ" in report.skipped[0].reason
