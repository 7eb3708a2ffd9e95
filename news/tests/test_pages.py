"""Articles and infographics: what a visitor sees, in which language, and what may not go live."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from wagtail.models import Locale

from catalog.tests.factories import published
from news.models import ArticlePage, InfographicPage
from news.services import clean_rich_text
from news.tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_published_article_is_listed_and_shown_with_its_topics_and_procedures():
    version = published("1.000001", "Đăng ký khai sinh")
    page = f.article(
        "Khánh Hòa đẩy mạnh thanh toán trực tuyến",
        summary="Tỷ lệ hồ sơ thanh toán trực tuyến tăng.",
        author="Ngô Thanh Tâm",
        source="Văn phòng UBND tỉnh",
        body=[("paragraph", clean_rich_text("<p>Nội dung <b>chính</b>.</p>"))],
    )
    page.topics.add(f.topic("Thanh toán trực tuyến", "thanh-toan"))
    page.related_procedures.add(version.procedure)
    page.save_revision().publish()

    listing = Client().get("/tin-tuc/bai-viet/").content.decode()
    assert "Khánh Hòa đẩy mạnh thanh toán trực tuyến" in listing
    detail = Client().get(page.url)
    text = detail.content.decode()
    assert detail.status_code == 200
    assert "Nội dung <b>chính</b>." in text
    assert "Thanh toán trực tuyến" in text and "Ngô Thanh Tâm" in text and "Văn phòng UBND tỉnh" in text
    assert "Đăng ký khai sinh" in text and "/thu-tuc/1.000001/" in text
    assert 'property="og:title" content="Khánh Hòa đẩy mạnh thanh toán trực tuyến"' in text


def test_a_draft_is_neither_listed_nor_served():
    page = f.article("Bản nháp chưa duyệt", publish=False)
    assert "Bản nháp chưa duyệt" not in Client().get("/tin-tuc/bai-viet/").content.decode()
    assert Client().get("/tin-tuc/bai-viet/" + page.slug + "/").status_code == 404


def test_the_list_filters_by_topic_and_type():
    digital = f.topic("Số hóa", "so-hoa")
    tagged = f.article("Số hóa hồ sơ tại xã")
    tagged.topics.add(digital)
    tagged.save_revision().publish()
    f.article("Tin không có chủ đề")
    f.infographic("Số liệu năm 2025")
    by_topic = Client().get("/tin-tuc/bai-viet/?chu-de=so-hoa").content.decode()
    assert "Số hóa hồ sơ tại xã" in by_topic and "Tin không có chủ đề" not in by_topic
    by_kind = Client().get("/tin-tuc/bai-viet/?loai=infographic").content.decode()
    assert "Số liệu năm 2025" in by_kind and "Tin không có chủ đề" not in by_kind


def test_rich_text_from_outside_keeps_no_script_handler_or_javascript_link():
    cleaned = clean_rich_text(
        '<p onclick="steal()">Xin chào <a href="javascript:alert(1)">bấm</a><script>alert(2)</script>'
        ' <a href="https://dichvucong.gov.vn">Cổng DVC</a></p><iframe src="https://x"></iframe>'
        '<img src="x" onerror="steal()">'
    )
    assert "<script" not in cleaned and "onclick" not in cleaned and "onerror" not in cleaned
    assert "javascript:" not in cleaned and "<iframe" not in cleaned
    assert '<a href="https://dichvucong.gov.vn">Cổng DVC</a>' in cleaned


def test_a_video_link_must_be_https():
    block = ArticlePage.body.field.stream_block.child_blocks["video"]
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"url": "http://example.org/v", "title": "Cà phê số"}))
    assert block.clean(block.to_python({"url": "https://example.org/v", "title": "Cà phê số", "duration": ""}))


def test_a_table_is_rendered_with_headers_and_escaped_cells():
    table = {
        "data": [["Năm", "Hồ sơ"], ["2025", "<script>x</script>40.000"]],
        "first_row_is_table_header": True,
        "first_col_is_header": False,
        "table_caption": "Hồ sơ theo năm",
    }
    page = f.article("Bảng số liệu", body=[("table", table)])
    text = Client().get(page.url).content.decode()
    assert '<th scope="col">Năm</th>' in text
    assert "&lt;script&gt;x&lt;/script&gt;40.000" in text and "<script>x" not in text


def test_an_infographic_without_its_text_alternative_cannot_be_published():
    page = f.infographic("Chưa có mô tả", publish=False, text_alternative="")
    with pytest.raises(ValidationError) as refused:
        page.save_revision().publish()
    assert "text_alternative" in refused.value.message_dict
    page.refresh_from_db()
    assert not page.live


def test_an_infographic_shows_renditions_its_text_and_a_download():
    page = f.infographic("Kết quả năm 2025")
    text = Client().get(page.url).content.decode()
    assert "40.000 hồ sơ" in text
    assert 'media="(min-width: 700px)"' in text and "download" in text
    assert 'aria-describedby="text-alternative"' in text


def test_a_page_not_yet_translated_is_shown_in_vietnamese_with_a_notice():
    page = f.article("Chưa dịch")
    english = Client().get("/en" + page.url)
    assert english.status_code == 200
    assert "Chưa dịch" in english.content.decode()
    assert 'class="notice"' in english.content.decode()
    vietnamese = Client().get(page.url).content.decode()
    assert 'class="notice"' not in vietnamese


def test_a_translated_page_is_shown_in_its_language_without_the_notice():
    page = f.article("Tin gốc")
    english = page.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.title = "Translated news"
    english.save_revision().publish()
    response = Client().get("/en" + page.url)
    assert "Translated news" in response.content.decode()
    assert 'class="notice"' not in response.content.decode()
    assert InfographicPage.objects.count() == 0
