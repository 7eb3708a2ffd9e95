"""Controllers edit and publish in the admin; every change is recorded and reaches search."""

from __future__ import annotations

import pytest

from accounts.tests.officers import sign_in_verified
from catalog.models import ProcedureVersion, SearchSynonym, TranslationStatus, VersionStatus
from catalog.search import search
from catalog.selectors import translation_coverage

from .factories import published

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def controller(django_user_model):
    return django_user_model.objects.create_superuser("kiemsoat", "ks@example.vn", "mat-khau-rat-dai-2026")


def test_publishing_from_the_admin_is_recorded_with_who(client, controller):
    draft = published("1.001193", "Thủ tục đăng ký khai sinh", status=VersionStatus.DRAFT)
    assert search("khai sinh") == []
    sign_in_verified(client, controller)
    response = client.post(
        "/admin/catalog/procedureversion/",
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    last = draft.history.first()
    assert last.history_user == controller and last.status == VersionStatus.PUBLISHED
    assert search("khai sinh")[0].code == "1.001193"


def test_a_synonym_added_in_the_admin_changes_search(client, controller):
    published("2.001019", "Chứng thực di chúc")
    assert search("testament") == []
    sign_in_verified(client, controller)
    response = client.post(
        "/admin/catalog/searchsynonym/add/",
        {"language": "vi", "phrases": "testament, di chúc", "is_active": "on"},
    )
    assert response.status_code == 302
    assert SearchSynonym.objects.get().history.first().history_user == controller
    assert search("testament")[0].code == "2.001019"


def test_side_by_side_translation_page_shows_the_vietnamese(client, controller):
    version = published("1.001193", "Thủ tục đăng ký khai sinh", translations={"en": "Birth registration"})
    sign_in_verified(client, controller)
    tr = version.translations.get()
    page = client.get(f"/admin/catalog/proceduretranslation/{tr.pk}/change/").content.decode()
    assert "Thủ tục đăng ký khai sinh" in page and "Birth registration" in page
    assert ProcedureVersion.objects.count() == 1


def test_controllers_see_the_share_translated_in_each_language(client, controller):
    birth = published(
        "1.001193", "Thủ tục đăng ký khai sinh", translations={"en": "Birth registration", "ko": "출생신고"}
    )
    birth.procedure.popularity = 9000
    birth.procedure.save()
    published("1.000894", "Thủ tục đăng ký kết hôn", translations={"en": "Marriage registration"})
    draft = published("2.000908", "Cấp bản sao trích lục hộ tịch", translations={"ja": "戸籍抄本の交付"})
    draft.translations.update(status=TranslationStatus.DRAFT)  # not shown to citizens: not counted

    coverage = {c.language: c for c in translation_coverage(most_used=1)}
    assert (coverage["en"].most_used_translated, coverage["en"].most_used) == (1, 1)
    assert (coverage["en"].translated, coverage["en"].public) == (2, 3)
    assert (coverage["ko"].translated, coverage["ja"].translated, coverage["zh-hans"].translated) == (1, 0, 0)

    sign_in_verified(client, controller)
    for url in ["/admin/catalog/procedure/", "/admin/catalog/proceduretranslation/"]:
        page = client.get(url).content.decode()
        assert "Thủ tục đã dịch" in page
        assert "Tiếng Anh" in page and "2/3 (67%)" in page
        assert "Tiếng Nhật" in page and "0/3 (0%)" in page
