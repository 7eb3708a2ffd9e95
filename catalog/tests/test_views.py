"""The public pages, as a citizen's browser receives them."""

from __future__ import annotations

import pytest

from catalog.models import FeeItem
from catalog.services import catalog_revision_bump
from org.tests.factories import agency, one_stop_unit

from .factories import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    marriage = published(
        "1.000894",
        "Thủ tục đăng ký kết hôn",
        documents=["Tờ khai đăng ký kết hôn"],
        translations={"en": "Marriage registration"},
    )
    FeeItem.objects.create(version=marriage, channel="", amount_vnd=1500000, description="Lệ phí")
    for i in range(25):
        published(f"9.{i:06d}", f"Thủ tục cấp giấy xác nhận số {i}", field="Chứng thực")
    catalog_revision_bump()
    return marriage


def test_home_puts_the_search_box_first(client, catalog):
    page = client.get("/").content.decode()
    assert page.index('type="search"') < page.index("Thủ tục được tìm nhiều")


def test_list_pages_through_results(client, catalog):
    first = client.get("/thu-tuc/", {"q": "giấy xác nhận"}).content.decode()
    assert "Tìm thấy 25 thủ tục" in first and 'rel="next"' in first
    second = client.get("/thu-tuc/", {"q": "giấy xác nhận", "page": 2}).content.decode()
    assert second.count('class="card"') == 5 and 'rel="prev"' in second


def test_filters_are_kept_selected(client, catalog):
    page = client.get("/thu-tuc/", {"field": catalog.field.slug}).content.decode()
    assert f'<option value="{catalog.field.slug}" selected>' in page
    assert "Tìm thấy 1 thủ tục" in page


def test_query_is_escaped_and_a_long_one_is_refused_politely(client, catalog):
    page = client.get("/thu-tuc/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    long_page = client.get("/thu-tuc/", {"q": "kết hôn " * 40}).content.decode()
    assert "200 ký tự" in long_page and "Tìm thấy 0 thủ tục" in long_page


def test_a_query_that_matches_nothing_says_so_and_offers_the_most_used(client, catalog):
    page = client.get("/thu-tuc/", {"q": "asdfghjkl"}).content.decode()
    assert "Tìm thấy 0 thủ tục" in page and "Không tìm thấy thủ tục phù hợp" in page
    assert "Có thể bạn cần" in page and "/thu-tuc/1.000894/" in page


def test_detail_shows_fees_in_vietnamese_format_and_documents(client, catalog):
    page = client.get("/thu-tuc/1.000894/").content.decode()
    assert "1.500.000 đồng" in page and "Tờ khai đăng ký kết hôn" in page
    assert "ngày 01 tháng 7 năm 2025" in page


def test_detail_in_english_and_the_notice_for_an_untranslated_one(client, catalog):
    english = client.get("/en/thu-tuc/1.000894/").content.decode()
    assert "Marriage registration" in english and "1,500,000 VND" in english
    untranslated = client.get("/en/thu-tuc/9.000001/").content.decode()
    assert 'class="notice"' in untranslated and "Thủ tục cấp giấy xác nhận số 1" in untranslated


def test_the_office_to_go_to_reads_in_the_language_of_the_page(client, catalog):
    commune = agency("Ủy ban nhân dân phường Nha Trang", level="commune")
    unit = one_stop_unit("Bộ phận Một cửa Ủy ban nhân dân phường Nha Trang", [commune])
    unit.opening_hours = "Thứ Hai – Thứ Sáu: 7h00 – 11h30"
    unit.translations = {
        "en": {"name": "One-Stop Unit of Nha Trang Ward", "opening_hours": "Monday – Friday: 7:00 – 11:30"}
    }
    unit.save()
    catalog.agencies.get().agencies.add(commune)
    catalog_revision_bump()
    english = client.get("/en/thu-tuc/1.000894/").content.decode()
    assert "One-Stop Unit of Nha Trang Ward" in english and "Monday – Friday: 7:00 – 11:30" in english
    assert "Thứ Hai" not in english
    vietnamese = client.get("/thu-tuc/1.000894/").content.decode()
    assert "Bộ phận Một cửa Ủy ban nhân dân phường Nha Trang" in vietnamese and "Thứ Hai – Thứ Sáu" in vietnamese


def test_unknown_procedure_is_404(client, catalog):
    assert client.get("/thu-tuc/9.999999/").status_code == 404


def test_a_catalog_change_shows_at_once(client, catalog):
    assert "Thủ tục đăng ký kết hôn" in client.get("/thu-tuc/1.000894/").content.decode()
    catalog.name = "Thủ tục đăng ký kết hôn (sửa đổi)"
    catalog.save()
    catalog_revision_bump()
    assert "(sửa đổi)" in client.get("/thu-tuc/1.000894/").content.decode()


def test_language_switcher_keeps_the_page(client, catalog):
    page = client.get("/thu-tuc/1.000894/").content.decode()
    assert 'href="/en/thu-tuc/1.000894/"' in page and 'href="/ja/thu-tuc/1.000894/"' in page


def test_browse_pages(client, catalog):
    assert "Chứng thực" in client.get("/linh-vuc/").content.decode()
    assert "Ủy ban nhân dân cấp xã" in client.get("/co-quan/").content.decode()
    assert client.get("/lien-he/").status_code == 200


def test_suggestions_partial(client, catalog):
    html = client.get("/thu-tuc/goi-y/", {"q": "ket h"}).content.decode()
    assert "/thu-tuc/1.000894/" in html
