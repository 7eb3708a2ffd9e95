"""The portal's one search box: procedures, articles, documents, events and published answers,
found however the words are typed (diacritics, case), in groups, procedures first."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from catalog.tests.factories import published
from feedback import services as feedback_services
from feedback.rules import Topic
from feedback.tests.factories import make_desk, submit
from news.models import LegalDocument
from news.tests import factories as f
from portal.search import search_everything

pytestmark = pytest.mark.django_db


def _answer(subject: str, answer: str) -> None:
    desk = make_desk()
    item = submit()
    item = feedback_services.feedback_classify(actor=desk.hotline, item=item, topic=Topic.REGULATION)
    item = feedback_services.feedback_take(actor=desk.hotline, item=item)
    item = feedback_services.feedback_answer(actor=desk.hotline, item=item, text=answer)
    feedback_services.feedback_publish(
        actor=desk.hotline, item=item, subject=subject, question="Hỏi về giấy tờ.", answer=answer
    )


@pytest.fixture
def portal_content() -> None:
    published("1.000001", "Đăng ký khai sinh")
    published("1.000002", "Đăng ký kết hôn")
    f.article("Rút ngắn thời gian đăng ký khai sinh cho trẻ em", summary="Liên thông khai sinh, thường trú, BHYT.")
    f.article("Khánh Hòa đẩy mạnh thanh toán trực tuyến", summary="Tỷ lệ thanh toán trực tuyến tăng.")
    f.event("Tập huấn đăng ký khai sinh trực tuyến", location="Nha Trang")
    f.article_index()  # the library page exists with the section
    LegalDocument.objects.create(
        number="63/2010/NĐ-CP",
        doc_type="nghi-dinh",
        title="Về kiểm soát thủ tục hành chính",
        issuer="Chính phủ",
        issued_on=datetime.date(2010, 6, 8),
        field="thu-tuc-hanh-chinh",
        summary="Quy định về kiểm soát thủ tục hành chính, kể cả đăng ký khai sinh.",
    )
    _answer("Đăng ký khai sinh cho con cần giấy tờ gì?", "Cần giấy chứng sinh.")


def test_one_query_finds_every_kind_of_content_in_groups_with_procedures_first(portal_content):
    groups = search_everything("dang ky khai sinh", language="vi")
    assert [g.key for g in groups] == [
        "catalog.procedures",
        "news.articles",
        "news.documents",
        "news.events",
        "feedback.answers",
    ]
    procedures, articles, documents, events, answers = groups
    assert procedures.results[0].title == "Đăng ký khai sinh" and procedures.results[0].url == "/thu-tuc/1.000001/"
    assert [r.title for r in articles.results] == ["Rút ngắn thời gian đăng ký khai sinh cho trẻ em"]
    assert articles.results[0].url.startswith("/tin-tuc/bai-viet/")
    assert documents.results[0].meta.startswith("63/2010/NĐ-CP")
    assert documents.results[0].url.startswith("/tin-tuc/van-ban/")
    assert events.results[0].title == "Tập huấn đăng ký khai sinh trực tuyến"
    assert answers.results[0].title == "Đăng ký khai sinh cho con cần giấy tờ gì?"


def test_diacritics_and_case_do_not_matter_and_nothing_found_says_so(client: Client, portal_content):
    typed = [g.key for g in search_everything("THANH TOÁN TRỰC TUYẾN")]
    plain = [g.key for g in search_everything("thanh toan truc tuyen")]
    assert typed == plain and "news.articles" in typed
    page = client.get("/tim-kiem/", {"q": "xổ số kiến thiết"}).content.decode()
    assert "Không tìm thấy kết quả nào" in page


def test_the_header_box_leads_to_the_grouped_results_page(client: Client, portal_content):
    home = client.get("/").content.decode()
    assert 'action="/tim-kiem/"' in home and 'role="search"' in home
    page = client.get("/tim-kiem/", {"q": "khai sinh"}).content.decode()
    procedures = page.index("Thủ tục hành chính <span")
    articles = page.index("Tin, bài <span")
    assert procedures < articles
    assert 'href="/thu-tuc/1.000001/"' in page
    assert "Rút ngắn thời gian đăng ký khai sinh cho trẻ em" in page


def test_an_unpublished_article_leaves_the_results():
    page = f.article("Số hóa hồ sơ tại bộ phận một cửa", summary="Số hóa kết quả giải quyết.")
    assert [g.key for g in search_everything("so hoa")] == ["news.articles"]
    page.unpublish()
    assert search_everything("so hoa") == []


def test_a_page_not_translated_is_found_in_another_language_from_the_vietnamese_tree(portal_content):
    groups = search_everything("thanh toan", language="en")
    articles = next(g for g in groups if g.key == "news.articles")
    assert articles.results[0].url.startswith("/en/tin-tuc/")
