"""Specification of the translations loader (catalog.translation_import, manage.py
import_translations)."""

from __future__ import annotations

import copy
import datetime
import io
import json
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from catalog.importer import import_records
from catalog.models import (
    CatalogRevision,
    Category,
    Field,
    ImplementingAgency,
    LifeEvent,
    ProcedureTranslation,
    ProcedureVersion,
)
from catalog.translation_import import import_translations

pytestmark = pytest.mark.django_db

JULY_2025 = datetime.date(2025, 7, 1)


def shared_record(code: str) -> dict:
    records = json.loads((settings.SHARED_DATA_DIR / "procedures.json").read_text(encoding="utf-8"))
    return copy.deepcopy(next(r for r in records if r["code"] == code))


@pytest.fixture
def birth():
    """The real birth registration procedure (6 documents)."""
    record = shared_record("1.001193")
    import_records([record], effective_on=JULY_2025)
    return record


def translation(code: str = "1.001193", lang: str = "en", documents: int = 6, **extra) -> dict:
    return {
        "code": code,
        "lang": lang,
        "status": "reviewed",
        "name": "Birth registration",
        "result": "Birth certificate",
        "processing_time_text": "1",
        "fee_text": "Free of charge",
        "documents": [{"case": "* Documents to be submitted:", "name": f"Document {i}"} for i in range(documents)],
        **extra,
    }


def write(directory: Path, relative: str, data: object) -> None:
    path = directory / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_translation_file_becomes_the_translation_of_the_newest_version(tmp_path, birth):
    newer = {**birth, "decision_no": "2/QĐ-BTP"}
    import_records([newer], effective_on=datetime.date(2026, 1, 1))
    write(tmp_path, "en/1.001193.json", translation())

    report = import_translations(tmp_path)

    assert (report.created, report.skipped) == (1, [])
    stored = ProcedureTranslation.objects.get()
    assert stored.version.decision.number == "2/QĐ-BTP"
    assert (stored.language, stored.status, stored.name) == ("en", "reviewed", "Birth registration")
    assert stored.documents[0] == {"case": "* Documents to be submitted:", "name": "Document 0"}


def test_loading_again_changes_nothing_and_a_changed_file_updates(tmp_path, birth):
    write(tmp_path, "en/1.001193.json", translation())
    import_translations(tmp_path)
    history = ProcedureTranslation.history.count()
    token = CatalogRevision.objects.get().token

    again = import_translations(tmp_path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert ProcedureTranslation.history.count() == history
    assert CatalogRevision.objects.get().token == token

    write(tmp_path, "en/1.001193.json", translation(name="Registration of a birth"))
    changed = import_translations(tmp_path)
    assert changed.updated == 1
    assert ProcedureTranslation.objects.get().name == "Registration of a birth"


def test_text_is_stored_nfc(tmp_path, birth):
    write(tmp_path, "en/1.001193.json", translation(name=unicodedata.normalize("NFD", "Đăng ký khai sinh  ")))
    import_translations(tmp_path)
    assert ProcedureTranslation.objects.get().name == "Đăng ký khai sinh"


@pytest.mark.parametrize(
    ("relative", "content", "reason"),
    [
        ("en/1.001193.json", translation(documents=5), "có 5 thành phần hồ sơ, bản tiếng Việt có 6"),
        ("en/1.001193.json", '{"code": "1.001193", "lang": "en", "na', "JSON không hợp lệ"),
        ("en/9.999999.json", translation(code="9.999999"), "chưa có thủ tục mã 9.999999"),
        ("en/1.001193.json", translation(code="1.000894"), "khác tên tệp"),
        ("ko/1.001193.json", translation(lang="ja"), "khác thư mục"),
        ("en/1.001193.json", translation(name=""), "thiếu tên thủ tục"),
        ("en/1.001193.json", translation(status="final"), "trạng thái “final” không hợp lệ"),
    ],
)
def test_a_file_that_does_not_fit_is_reported_and_skipped(tmp_path, birth, relative, content, reason):
    write(tmp_path, relative, content)
    report = import_translations(tmp_path)
    assert report.created == 0
    assert len(report.skipped) == 1 and reason in report.skipped[0]
    assert report.skipped[0].startswith(relative)


def test_an_incomplete_folder_is_loaded_as_far_as_it_goes(tmp_path, birth):
    import_records([shared_record("1.000894")], effective_on=JULY_2025)
    marriage_documents = ProcedureVersion.objects.get(procedure__code="1.000894").documents.count()
    write(tmp_path, "ja/1.001193.json", translation(lang="ja"))
    write(tmp_path, "ja/1.000894.json", '{"code": "1.000894", "lang": "ja", "status": "draft", "na')
    write(tmp_path, "zh-hans/1.000894.json", translation("1.000894", "zh-hans", marriage_documents))
    write(tmp_path, "xx/1.001193.json", translation(lang="xx"))

    report = import_translations(tmp_path)

    assert report.created == 2
    assert {t.language for t in ProcedureTranslation.objects.all()} == {"ja", "zh-hans"}
    assert any(s.startswith("ja/1.000894.json") for s in report.skipped)
    assert any(s.startswith("xx/") for s in report.skipped)


def test_taxonomy_names_are_matched_after_nfc_normalization(tmp_path):
    import_records([shared_record("1.014061"), shared_record("1.000894")], effective_on=JULY_2025)
    LifeEvent.objects.create(name="Kết hôn, gia đình", slug="ket-hon-gia-dinh")
    field_name = Field.objects.get(versions__procedure__code="1.014061").name
    write(
        tmp_path,
        "en/_taxonomy.json",
        {
            "lang": "en",
            "status": "reviewed",
            "fields": {unicodedata.normalize("NFD", field_name): "Identity card issuance and management"},
            "categories": {"Hộ tịch": "Civil status"},
            "agencies": {"Công an cấp Xã": "Commune-level Police"},
            "life_events": {"Kết hôn, gia đình": "Marriage and family"},
        },
    )
    report = import_translations(tmp_path)

    assert report.skipped == []
    assert Field.objects.get(name=field_name).name_translations == {"en": "Identity card issuance and management"}
    assert Category.objects.get(name="Hộ tịch").name_translations == {"en": "Civil status"}
    assert ImplementingAgency.objects.get(name="Công an cấp Xã").name_translations == {"en": "Commune-level Police"}
    assert LifeEvent.objects.get().name_translations == {"en": "Marriage and family"}
    assert import_translations(tmp_path).taxonomy_names_updated == 0


def test_life_event_descriptions_are_loaded_and_shown_in_the_language(tmp_path, client):
    event = LifeEvent.objects.create(
        name="Khai sinh, nuôi con", slug="khai-sinh-nuoi-con", description="Đăng ký khai sinh, nhận con nuôi."
    )
    write(
        tmp_path,
        "en/_taxonomy.json",
        {
            "lang": "en",
            "status": "reviewed",
            "life_events": {"Khai sinh, nuôi con": "Birth and raising children"},
            "life_event_descriptions": {"Khai sinh, nuôi con": "Birth registration, adoption.", "Không có": "—"},
        },
    )
    report = import_translations(tmp_path)
    event.refresh_from_db()
    assert event.description_translations == {"en": "Birth registration, adoption."}
    assert report.taxonomy_keys_unmatched == 1
    assert import_translations(tmp_path).taxonomy_names_updated == 0

    english = client.get("/en/su-kien/khai-sinh-nuoi-con/").content.decode()
    assert "Birth registration, adoption." in english and "Đăng ký khai sinh" not in english
    assert "Đăng ký khai sinh, nhận con nuôi." in client.get("/su-kien/khai-sinh-nuoi-con/").content.decode()


def test_agencies_published_together_get_their_own_translations(tmp_path):
    culture = {
        **shared_record("1.001193"),
        "code": "9.000001",
        "agency": "Sở Du lịch; Sở Văn hóa; Thể thao và Du lịch",
    }
    import_records([culture], effective_on=JULY_2025)
    write(
        tmp_path,
        "en/_taxonomy.json",
        {
            "lang": "en",
            "status": "reviewed",
            "agencies": {
                "Sở Du lịch; Sở Văn hóa; Thể thao và Du lịch": (
                    "Department of Tourism; Department of Culture, Sports and Tourism"
                )
            },
        },
    )
    import_translations(tmp_path)
    names = dict(ImplementingAgency.objects.values_list("name", "name_translations"))
    assert names == {
        "Sở Du lịch": {"en": "Department of Tourism"},
        "Sở Văn hóa, Thể thao và Du lịch": {"en": "Department of Culture, Sports and Tourism"},
    }


def test_chinese_lists_agencies_with_the_full_width_semicolon(tmp_path):
    tourism = {**shared_record("1.001193"), "code": "9.000002", "agency": "Sở Du lịch; Sở Tư pháp"}
    import_records([tourism], effective_on=JULY_2025)
    write(
        tmp_path,
        "zh-hans/_taxonomy.json",
        {"lang": "zh-hans", "status": "reviewed", "agencies": {"Sở Du lịch; Sở Tư pháp": "旅游厅；司法厅"}},
    )
    import_translations(tmp_path)
    names = dict(ImplementingAgency.objects.values_list("name", "name_translations"))
    assert names == {"Sở Du lịch": {"zh-hans": "旅游厅"}, "Sở Tư pháp": {"zh-hans": "司法厅"}}


def test_a_taxonomy_not_yet_reviewed_is_not_loaded(tmp_path, birth):
    write(tmp_path, "en/_taxonomy.json", {"lang": "en", "status": "draft", "categories": {"Hộ tịch": "Civil status"}})
    report = import_translations(tmp_path)
    assert "chưa được duyệt" in report.skipped[0]
    assert Category.objects.get(name="Hộ tịch").name_translations == {}


def test_the_command_reports_and_refuses_a_missing_folder(tmp_path, birth):
    write(tmp_path, "en/1.001193.json", translation())
    out = io.StringIO()
    call_command("import_translations", str(tmp_path), stdout=out)
    assert "1 tạo mới" in out.getvalue()
    with pytest.raises(CommandError, match="Không tìm thấy thư mục"):
        call_command("import_translations", str(tmp_path / "khong-co"))
