"""The portal's one search box in Chromium: typed in the header of any page, it finds a procedure
and an article, procedures first; the results page has no serious accessibility violation."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from catalog.tests.factories import published
from news.tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_header_search_finds_a_procedure_and_an_article(portal, page):
    published("1.000001", "Đăng ký khai sinh")
    f.article("Liên thông đăng ký khai sinh, thường trú, cấp thẻ BHYT", summary="Ba thủ tục, một lần nộp.")
    page.goto(portal + "/lien-he/")
    box = page.get_by_role("searchbox", name="Tìm kiếm trên Cổng")
    box.fill("dang ky khai sinh")
    box.press("Enter")
    page.wait_for_url("**/tim-kiem/?q=dang+ky+khai+sinh")
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert headings[0].startswith("Thủ tục hành chính") and headings[1].startswith("Tin, bài")
    page.get_by_role("link", name="Liên thông đăng ký khai sinh, thường trú, cấp thẻ BHYT").wait_for()
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
    page.get_by_role("link", name="Đăng ký khai sinh", exact=True).click()
    page.wait_for_url("**/thu-tuc/1.000001/")
