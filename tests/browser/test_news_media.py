"""Images in Wagtail's admin, in Chromium: an editor attaches an image to an article from the image
library's chooser, and an infographic without its long text alternative is refused at publish
(then published once the text is written).

Both pick their image through Wagtail's chooser, as an editor does: its inline scripts are allowed
in the admin only, and the editors' groups hold the images' permissions on the root collection."""

from __future__ import annotations

from typing import Any

import pytest

from news.models import ArticlePage, InfographicPage
from news.tests import factories as f
from org.models import Role
from tests.browser.test_news_journey import officer_with, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose_image(desk: Any, field: str, title: str) -> None:
    """Open the field's image chooser and pick the image called ``title`` from the library."""
    desk.locator(f"#id_{field}-chooser .unchosen [data-chooser-action-choose]").click()
    desk.locator(f'.modal [data-chooser-modal-choice][title="{title}"]').click(timeout=5000)
    desk.locator(f"#id_{field}-chooser:not(.blank) [data-chooser-title]").wait_for()
    assert desk.locator(f"#id_{field}-chooser [data-chooser-title]").text_content().strip() == title


def click_action(desk: Any, name: str) -> None:
    with desk.expect_navigation():
        desk.locator(f'button[name="{name}"]').evaluate("(button) => button.click()")


def test_an_editor_attaches_an_image_to_an_article(live_server, browser):
    index = f.article_index()
    photo = f.image("Quầy tiếp nhận Trung tâm Phục vụ hành chính công")
    editor = officer_with("bientap", Role.EDITOR)
    title = "Trung tâm Phục vụ hành chính công mở thêm quầy"

    desk = sign_in(browser, live_server.url, editor)
    desk.goto(f"{live_server.url}/cms/pages/add/news/articlepage/{index.pk}/")
    desk.locator("#id_title").fill(title)
    desk.locator("#id_summary").fill("Thêm hai quầy tiếp nhận hồ sơ đất đai từ tháng sau.")
    desk.locator("#id_slug").evaluate("(el) => { el.value = 'mo-them-quay'; }")
    choose_image(desk, "cover", photo.title)
    click_action(desk, "action-submit")

    draft = ArticlePage.objects.get(title=title)
    assert not draft.live
    assert draft.get_latest_revision_as_object().cover_id == photo.pk


def test_an_infographic_without_its_text_alternative_is_refused_at_publish(live_server, browser):
    index = f.article_index()
    chart = f.image("Infographic dịch vụ công trực tuyến 2022")
    desk = sign_in(browser, live_server.url, officer_with("duyettin", Role.NEWS_REVIEWER))
    title = "Dịch vụ công trực tuyến năm 2022"

    desk.goto(f"{live_server.url}/cms/pages/add/news/infographicpage/{index.pk}/")
    desk.locator("#id_title").fill(title)
    desk.locator("#id_slug").evaluate("(el) => { el.value = 'dvc-truc-tuyen-2022'; }")
    choose_image(desk, "image", chart.title)
    desk.locator('button[name="action-publish"]').evaluate("(button) => button.click()")
    # Refused: the form comes back with the field's message, nothing is live.
    field = desk.locator("[data-field-wrapper]:has(#id_text_alternative)")
    field.get_by_text("Chưa thể đăng: infographic cần nội dung thay thế bằng chữ").wait_for()
    assert not InfographicPage.objects.filter(title=title, live=True).exists()

    desk.locator("#id_text_alternative").fill(
        "Năm 2022 tỉnh tiếp nhận 37.448 hồ sơ trực tuyến, chiếm 41% tổng số hồ sơ; 98% được giải quyết đúng hạn."
    )
    if desk.locator("#id_slug").input_value() == "":
        desk.locator("#id_slug").evaluate("(el) => { el.value = 'dvc-truc-tuyen-2022'; }")
    click_action(desk, "action-publish")
    published = InfographicPage.objects.get(title=title)
    assert published.live and published.image_id == chart.pk
