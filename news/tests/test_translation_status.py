"""The translation status table for editors: each page × each other language, missing, outdated
since the Vietnamese page was published again, or done."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from wagtail.models import Locale

from news.rules import TranslationState, translation_state
from news.selectors import translation_table
from news.tests import factories as f
from org.models import Role
from org.tests.factories import admin_login, agency, officer

pytestmark = pytest.mark.django_db

T = datetime.datetime(2026, 3, 1, 8, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


def test_the_rule_missing_outdated_done():
    assert translation_state(source_published=T, translation_live=False, translation_published=None) == "missing"
    assert translation_state(source_published=T, translation_live=False, translation_published=T) == "missing"
    assert translation_state(source_published=T + HOUR, translation_live=True, translation_published=T) == "outdated"
    assert translation_state(source_published=T, translation_live=True, translation_published=T + HOUR) == "done"


def _english(page):
    return page.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)


def _row(table, title):
    return next(r for r in table.rows if r.title == title)


def test_the_table_follows_translations_and_new_publications_of_the_source():
    page = f.article("Tin gốc")
    untouched = f.article("Tin chưa dịch")
    english = _english(page)
    english.title = "Translated news"
    english.save_revision().publish()
    table = translation_table()
    assert table.languages == ["en", "zh-hans", "ko", "ja"]
    assert _row(table, "Tin gốc").states == {
        "en": TranslationState.DONE,
        "zh-hans": TranslationState.MISSING,
        "ko": TranslationState.MISSING,
        "ja": TranslationState.MISSING,
    }
    assert _row(table, "Tin chưa dịch").states["en"] == TranslationState.MISSING
    page.summary = "Tóm tắt đã sửa"
    page.save_revision().publish()
    assert _row(translation_table(), "Tin gốc").states["en"] == TranslationState.OUTDATED
    english.save_revision().publish()
    assert _row(translation_table(), "Tin gốc").states["en"] == TranslationState.DONE
    outdated_only = translation_table(state="missing", language="en")
    assert [r.title for r in outdated_only.rows if r.title in {"Tin gốc", "Tin chưa dịch"}] == ["Tin chưa dịch"]
    assert untouched.pk in {r.page_id for r in outdated_only.rows}


def test_editors_reach_it_from_wagtails_admin():
    f.article("Tin gốc")
    client = Client()
    admin_login(client, officer("bientap", {agency("Văn phòng"): [Role.EDITOR]}))
    assert "/cms/ban-dich/" in client.get("/cms/").content.decode()
    page = client.get("/cms/ban-dich/", {"loai": "articlepage"}).content.decode()
    assert "Tình trạng bản dịch" in page and "Tin gốc" in page and "Chưa dịch" in page
    assert Client().get("/cms/ban-dich/").status_code == 302
