"""Error pages speak the visitor's language (the URL's prefix, as every page of the portal), say
what happened kindly, and show the way home and the hotline; under /api/ they are problem+json in
the language the API is asked for. Run with DEBUG off, as production."""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.urls("portal.tests.urls_failing")]

PREFIX = {"vi": "", "en": "/en", "zh-hans": "/zh-hans", "ko": "/ko", "ja": "/ja"}
HOME = {"vi": "/", "en": "/en/", "zh-hans": "/zh-hans/", "ko": "/ko/", "ja": "/ja/"}
TITLES = {
    404: {
        "vi": "Không tìm thấy trang",
        "en": "Page not found",
        "zh-hans": "找不到页面",
        "ko": "페이지를 찾을 수 없습니다",
        "ja": "ページが見つかりません",
    },
    403: {
        "vi": "Không có quyền truy cập",
        "en": "Access denied",
        "zh-hans": "无权访问",
        "ko": "접근 권한이 없습니다",
        "ja": "アクセス権限がありません",
    },
    500: {
        "vi": "Hệ thống gặp sự cố",
        "en": "Something went wrong",
        "zh-hans": "系统出现故障",
        "ko": "시스템 오류가 발생했습니다",
        "ja": "システムに問題が発生しました",
    },
}
PATHS = {404: "/khong-co-trang-nay/", 403: "/cam-thu/", 500: "/loi-thu/"}
LANGUAGES = list(PREFIX)


@pytest.fixture(autouse=True)
def production_like():
    with override_settings(DEBUG=False, DEBUG_PROPAGATE_EXCEPTIONS=False):
        yield


class _Text(HTMLParser):
    """The text a reader sees, without the language switcher (which names every language in it)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    VOID = frozenset({"br", "img", "input", "meta", "link", "hr"})

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        skipped = (tag == "nav" and ("class", "lang-switcher") in attrs) or tag in ("script", "style")
        if (self._skip or skipped) and tag not in self.VOID:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_words(text: str) -> set[str]:
    """Words of four letters or more that are plain ASCII (Vietnamese words of that length nearly
    all carry a diacritic; the province's name and the hotline are the page's, in every language)."""
    own = f"{settings.PORTAL_PROVINCE_NAME} {settings.PORTAL_HOTLINE}".lower().split()
    return {w for w in re.findall(r"[A-Za-z]{4,}", text.lower()) if w not in own}


def page(status: int, language: str, client: Client | None = None):
    client = client or Client(raise_request_exception=False)
    return client.get(PREFIX[language] + PATHS[status])


@pytest.mark.parametrize("status", [404, 403, 500])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_error_page_speaks_the_language_of_the_url(status, language):
    response = page(status, language)
    assert response.status_code == status
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    text = visible_text(html)
    assert TITLES[status][language] in text
    for other, title in TITLES[status].items():
        if other != language:
            assert title not in text
    assert f'href="{HOME[language]}"' in html, "a way home, in the same language"
    assert f'href="tel:{settings.PORTAL_HOTLINE.replace(" ", "")}"' in html and settings.PORTAL_HOTLINE in text
    assert "Traceback" not in html and "a bug in a view" not in html
    assert PATHS[status].strip("/") not in html, "the address asked for is not repeated"


@pytest.mark.parametrize("status", [404, 403, 500])
def test_a_vietnamese_error_page_has_no_english_in_it(status):
    vietnamese = visible_text(page(status, "vi").content.decode())
    english = visible_text(page(status, "en").content.decode())
    assert english_words(english), "the English page is English"
    assert english_words(vietnamese) & english_words(english) == set()
    assert "Not Found" not in vietnamese and "Server Error" not in vietnamese and "Forbidden" not in vietnamese


def test_a_form_refused_for_its_security_token_says_to_reload_in_the_visitors_language():
    client = Client(enforce_csrf_checks=True)
    for language, title in (("vi", "Phiên làm việc đã hết hạn"), ("en", "Your session has expired")):
        response = client.post(PREFIX[language] + "/phan-anh/gui/", {"noi-dung": "x"})
        assert response.status_code == 403
        text = visible_text(response.content.decode())
        assert title in text and "CSRF" not in text
    vietnamese = visible_text(client.post("/phan-anh/gui/").content.decode())
    assert "Forbidden" not in vietnamese and "verification" not in vietnamese


_addresses = (f"198.51.100.{n}" for n in itertools.count(1))
TOO_MANY = {
    "vi": "Quá nhiều yêu cầu",
    "en": "Too many requests",
    "zh-hans": "请求过多",
    "ko": "요청이 너무 많습니다",
    "ja": "リクエストが多すぎます",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_too_many_requests_is_a_page_in_the_language_of_the_url(language, client):
    cache.clear()
    address = next(_addresses)
    with override_settings(RATE_LIMIT_LOOKUPS="1/d"):
        client.get(PREFIX[language] + "/thu-tuc/", REMOTE_ADDR=address)
        response = client.get(PREFIX[language] + "/thu-tuc/", REMOTE_ADDR=address)
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    text = visible_text(html)
    assert TOO_MANY[language] in text
    assert f'href="{HOME[language]}"' in html and settings.PORTAL_HOTLINE in text
    if language == "vi":
        assert not english_words(text) & {"many", "requests", "please", "again", "seconds", "home", "hotline"}


@pytest.mark.parametrize(
    ("status", "path", "code"),
    [(404, "/api/v1/khong-co", "not_found"), (500, "/api/v1/loi-thu", "server_error")],
)
def test_the_api_answers_problem_json_in_the_language_it_is_asked(status, path, code):
    client = Client(raise_request_exception=False)
    vietnamese = client.get(path)
    english = client.get(path, headers={"Accept-Language": "en"})
    japanese = client.get(path, {"lang": "ja"})
    for response in (vietnamese, english, japanese):
        assert response.status_code == status
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == code and response.json()["status"] == status
    assert len({vietnamese.json()["title"], english.json()["title"], japanese.json()["title"]}) == 3
    assert english_words(english.json()["detail"]) and not english_words(vietnamese.json()["detail"])
    assert "a bug in a view" not in vietnamese.content.decode()


def test_the_portal_declares_its_error_pages():
    from motcua import urls

    assert urls.handler404 == "portal.views.page_not_found"
    assert urls.handler403 == "portal.views.permission_denied"
    assert urls.handler500 == "portal.views.server_error"
    assert settings.CSRF_FAILURE_VIEW == "portal.views.csrf_failure"
