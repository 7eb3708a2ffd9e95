"""Specification of ``manage.py load_demo``: the whole demo portal on the real data, loaded once for
this module inside a transaction that is rolled back at the end."""

from __future__ import annotations

import io
import json
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from catalog.demo import LIFE_EVENTS, estimated_popularity
from catalog.models import (
    CatalogRevision,
    ImplementingAgency,
    LifeEvent,
    Procedure,
    ProcedureTranslation,
    ProcedureVersion,
    SearchSynonym,
    VersionStatus,
)
from org.models import Agency, OneStopUnit

LIFE_EVENT_NAMES = [
    "Khai sinh, nuôi con",
    "Kết hôn, gia đình",
    "Cư trú, giấy tờ tùy thân",
    "Lái xe, phương tiện",
    "Đất đai, nhà ở, xây dựng",
    "Kinh doanh, doanh nghiệp, đầu tư",
    "Việc làm, lao động nước ngoài",
    "Khi có người qua đời",
    "Chứng thực, công chứng, tư pháp",
    "Sức khỏe, bảo hiểm",
    "Học tập",
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        started = time.perf_counter()
        call_command("load_demo", stdout=out)
        yield {"seconds": time.perf_counter() - started, "output": out.getvalue()}
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_it_loads_in_well_under_a_minute(demo):
    assert demo["seconds"] < 60
    assert "379 tạo mới" in demo["output"]


def test_the_real_procedures_are_published_from_the_first_of_july_2025(demo):
    assert Procedure.objects.count() == 379
    versions = ProcedureVersion.objects.select_related("decision")
    assert {v.status for v in versions} == {VersionStatus.PUBLISHED}
    assert {str(v.decision.effective_on) for v in versions} == {"2025-07-01"}


def test_published_agencies_are_linked_to_the_province(demo):
    justice = ImplementingAgency.objects.get(name="Sở Tư pháp")
    assert [a.name for a in justice.agencies.all()] == ["Sở Tư pháp tỉnh Khánh Hòa"]
    communes = ImplementingAgency.objects.get(name="Ủy ban nhân dân cấp xã")
    assert communes.agencies.count() == 6
    assert all(a.name.startswith("Ủy ban nhân dân") and a.level == "commune" for a in communes.agencies.all())
    assert ImplementingAgency.objects.get(name="Công an cấp Xã").agencies.filter(name="Công an phường Nha Trang")
    # Every agency that receives dossiers has a one-stop unit.
    for agency in Agency.objects.filter(catalog_roles__isnull=False).distinct():
        assert OneStopUnit.objects.filter(served_agencies=agency).exists(), agency.name


def test_life_events_group_the_procedures_of_a_situation(demo):
    assert list(LifeEvent.objects.values_list("name", flat=True)) == LIFE_EVENT_NAMES
    assert all(event.procedures.exists() for event in LifeEvent.objects.all())
    codes = {e.name: set(e.procedures.values_list("code", flat=True)) for e in LifeEvent.objects.all()}
    assert "1.001193" in codes["Khai sinh, nuôi con"]  # đăng ký khai sinh
    assert "1.000894" in codes["Kết hôn, gia đình"]  # đăng ký kết hôn
    assert "1.000656" in codes["Khi có người qua đời"]  # đăng ký khai tử
    assert "1.004222" in codes["Cư trú, giấy tờ tùy thân"]  # đăng ký thường trú
    assert "3.000347" in codes["Lái xe, phương tiện"]  # đổi giấy phép lái xe
    assert "2.001019" in codes["Chứng thực, công chứng, tư pháp"]  # chứng thực di chúc
    assert all(e.name_translations.keys() >= {"en"} for e in LifeEvent.objects.all()), (
        "the taxonomy translates every life event"
    )


def test_popular_procedures_come_first(demo):
    assert not Procedure.objects.filter(popularity=0).exists()
    top = list(Procedure.objects.order_by("-popularity").values_list("code", flat=True)[:40])
    for code in ("2.000815", "1.014063", "1.004194", "1.004222", "1.001193"):
        assert code in top
    assert Procedure.objects.get(code="1.001193").popularity > Procedure.objects.get(code="2.000528").popularity


def test_estimates_prefer_the_specific_phrase():
    assert estimated_popularity("Xóa đăng ký tạm trú", "Cư trú") < estimated_popularity("Đăng ký tạm trú", "Cư trú")
    assert estimated_popularity("Thủ tục đăng ký khai sinh có yếu tố nước ngoài", "Hộ tịch") < 1000
    assert estimated_popularity("Một thủ tục ít dùng", "") == 100


def test_search_synonyms_cover_what_citizens_say(demo):
    groups = {(s.language, s.phrases) for s in SearchSynonym.objects.all()}
    for phrases in (
        "cmnd, cccd, căn cước, căn cước công dân, chứng minh nhân dân, thẻ căn cước",
        "sổ đỏ, sổ hồng, giấy chứng nhận quyền sử dụng đất",
        "hộ khẩu, thường trú, sổ hộ khẩu",
        "bằng lái, bằng lái xe, gplx, giấy phép lái xe",
        "passport, hộ chiếu",
        "visa, thị thực",
        "báo tử, khai tử",
        "vneid, định danh điện tử, tài khoản định danh điện tử",
    ):
        assert ("vi", phrases) in groups
    assert ("en", "work permit, labour permit, labor permit") in groups
    assert all(s.phrases == s.phrases.strip() and len(s.phrase_list()) >= 2 for s in SearchSynonym.objects.all())


def test_every_translation_file_is_loaded_or_reported(demo):
    directory = settings.BASE_DIR / "catalog" / "translations"
    files = [p for p in directory.glob("*/*.json") if not p.name.startswith("_")]
    loaded = ProcedureTranslation.objects.count()
    assert loaded > 0
    reported = demo["output"].count(".json:")
    assert loaded + reported == len(files)
    for translation in ProcedureTranslation.objects.select_related("version"):
        assert len(translation.documents) == translation.version.documents.count()


def test_taxonomy_names_are_translated(demo):
    justice = ImplementingAgency.objects.get(name="Sở Tư pháp")
    taxonomy = json.loads((settings.BASE_DIR / "catalog" / "translations" / "en" / "_taxonomy.json").read_text())
    assert justice.name_translations.get("en") == taxonomy["agencies"]["Sở Tư pháp"]


def test_loading_again_changes_nothing(demo):
    counts = [
        m.objects.count()
        for m in (Procedure, ProcedureVersion, ProcedureTranslation, LifeEvent, SearchSynonym, Agency, OneStopUnit)
    ]
    history = ProcedureVersion.history.count() + ProcedureTranslation.history.count()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "0 tạo mới, 0 cập nhật, 379 không đổi" in out.getvalue()
    assert counts == [
        m.objects.count()
        for m in (Procedure, ProcedureVersion, ProcedureTranslation, LifeEvent, SearchSynonym, Agency, OneStopUnit)
    ]
    assert history == ProcedureVersion.history.count() + ProcedureTranslation.history.count()
    assert CatalogRevision.objects.exists()


def test_life_event_rules_name_every_event_once():
    assert [rule.name for rule in LIFE_EVENTS] == LIFE_EVENT_NAMES


def test_no_procedure_offered_online_lacks_working_days(demo):
    """Every public version published as online either takes online dossiers with working days
    for that channel, or waits in the controllers' list; the most used ones were confirmed."""
    from catalog.selectors import awaiting_working_days

    waiting = set(awaiting_working_days().values_list("pk", flat=True))
    for version in ProcedureVersion.objects.exclude(online_level="none"):
        if version.offered_online:
            assert version.working_days("online"), version.procedure.code
        else:
            assert version.pk in waiting or "online" not in version.channels, version.procedure.code
    birth = ProcedureVersion.objects.get(procedure__code="1.001193")
    assert birth.offered_online and birth.working_days("online") == 1
    assert birth.history.first().history_change_reason.startswith("Luật Hộ tịch 2014, Điều 16")
    assert "thủ tục được xác nhận thời hạn bằng ngày làm việc" in demo["output"]
