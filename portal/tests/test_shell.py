"""The shell shows what the contexts register (common.shell), to whom it is meant: public entries
in the page everyone gets, signed-in people's and officers' entries only in the visitor's own part
of the page (the header's account area and the home page's "for you" panel)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from common.shell import Audience, Entry, Panel, Place, register_entry, register_panel, unregister
from org.models import Role
from org.tests.factories import admin_login, agency, citizen, officer, one_stop_unit

pytestmark = pytest.mark.django_db

LOG_BOOK = 'href="/can-bo/so-theo-doi/"'
QUEUE = 'href="/can-bo/ho-so/"'
RECONCILE = 'href="/can-bo/thanh-toan/doi-soat/"'
NEWS_EDITOR = 'href="/cms/"'


def _officer_client(user: Any) -> Client:
    client = Client()
    admin_login(client, user)
    return client


def _citizen_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def extra_entries() -> Iterator[None]:
    register_entry(Entry("test.public", "Lối vào thử nghiệm", "feedback:answers", order=35))
    register_entry(Entry("test.menu_only", "Chỉ trên menu", "results:verify", places=frozenset({Place.MENU})))
    yield
    unregister("test.public")
    unregister("test.menu_only")


def _menu(page: str) -> str:
    return page[page.index('class="main-nav"') : page.index("</nav>", page.index('class="main-nav"'))]


def test_a_registered_entry_appears_on_the_home_page_and_in_the_menu_of_every_page(client, extra_entries):
    home = client.get("/").content.decode()
    assert "Lối vào thử nghiệm" in home and "Lối vào thử nghiệm" in _menu(home)
    contact = client.get("/lien-he/").content.decode()
    assert "Lối vào thử nghiệm" in _menu(contact) and "Chỉ trên menu" in _menu(contact)
    services = home[home.index('id="services-title"') :]
    assert "Chỉ trên menu" not in services


def test_entries_come_in_their_order_and_in_the_visitors_language(client):
    menu = _menu(client.get("/").content.decode())
    assert menu.index("Thủ tục hành chính") < menu.index("Tra cứu hồ sơ") < menu.index("Hỗ trợ, liên hệ")
    english = _menu(client.get("/en/").content.decode())
    assert 'href="/en/tra-cuu-ho-so/"' in english and "Track an application" in english


def test_the_contexts_entry_points_are_on_the_home_page(client):
    home = client.get("/").content.decode()
    for href in ('href="/phan-anh/gui/"', 'href="/hoi-dap/"', 'href="/tin-tuc/"', 'href="/tin-tuc/van-ban/"'):
        assert href in home
    assert home.index('type="search"') < home.index('id="services-title"') < home.index("Cần hỗ trợ?")


def test_a_registered_panel_is_rendered_on_the_home_page_in_its_place(client, settings):
    register_panel(Panel("test.panel", "portal/_home_help.html", order=15))
    try:
        home = client.get("/").content.decode()
    finally:
        unregister("test.panel")
    assert home.count('id="help-title"') == 2
    assert home.index('type="search"') < home.index('id="help-title"') < home.index('id="services-title"')


def test_officers_entries_are_never_in_the_page_everyone_gets(client):
    clerk = officer("tiepnhan", {agency("Sở Tư pháp"): [Role.COUNTER_OFFICER]})
    for page in (_officer_client(clerk).get("/").content.decode(), client.get("/").content.decode()):
        assert LOG_BOOK not in page and QUEUE not in page
        assert 'hx-get="/danh-cho-ban/"' in page and 'hx-get="/phien-dang-nhap/"' in page


def test_an_anonymous_visitor_has_no_personal_entries(client):
    assert 'href="' not in client.get("/danh-cho-ban/").content.decode()
    assert LOG_BOOK not in client.get("/phien-dang-nhap/").content.decode()


def test_a_citizen_sees_their_own_entries_and_no_officers_entry():
    client = _citizen_client(citizen("congdan"))
    for url in ("/danh-cho-ban/", "/phien-dang-nhap/"):
        page = client.get(url).content.decode()
        assert 'href="/tai-khoan/"' in page and 'href="/kho-du-lieu/"' in page
        for officers_only in (LOG_BOOK, QUEUE, RECONCILE, NEWS_EDITOR, 'href="/can-bo/"'):
            assert officers_only not in page


def test_a_counter_officer_sees_the_log_book_and_the_queue_not_the_news_desk():
    home = agency("Sở Tư pháp")
    one_stop_unit("Bộ phận Một cửa Sở Tư pháp", [home])
    client = _officer_client(officer("tiepnhan", {home: [Role.COUNTER_OFFICER]}))
    for url in ("/danh-cho-ban/", "/phien-dang-nhap/"):
        page = client.get(url).content.decode()
        assert LOG_BOOK in page and QUEUE in page and RECONCILE in page
        assert NEWS_EDITOR not in page
    page = client.get("/en/danh-cho-ban/").content.decode()
    assert 'href="/en/can-bo/so-theo-doi/"' in page and "Application log book" in page


def test_an_editor_sees_the_news_desk_not_the_dossiers():
    client = _officer_client(officer("bientap", {agency("Sở Thông tin"): [Role.EDITOR]}))
    page = client.get("/danh-cho-ban/").content.decode()
    assert NEWS_EDITOR in page
    assert LOG_BOOK not in page and QUEUE not in page and RECONCILE not in page


def test_an_officer_without_the_second_step_is_no_officer_yet():
    client = Client()
    client.force_login(officer("chuaxacthuc", {agency("Sở Tư pháp"): [Role.COUNTER_OFFICER]}))
    page = client.get("/danh-cho-ban/").content.decode()
    assert LOG_BOOK not in page and QUEUE not in page


def test_a_processing_officer_does_not_reconcile_payments():
    client = _officer_client(officer("chuyenvien", {agency("Sở Tư pháp"): [Role.PROCESSING_OFFICER]}))
    page = client.get("/danh-cho-ban/").content.decode()
    assert QUEUE in page and RECONCILE not in page


def test_the_log_book_is_reached_from_the_shell_and_asks_for_its_unit_and_period():
    home = agency("Sở Tư pháp")
    unit = one_stop_unit("Bộ phận Một cửa Sở Tư pháp", [home])
    one_stop_unit("Bộ phận Một cửa nơi khác", [agency("Sở Khác")])
    page = _officer_client(officer("tiepnhan", {home: [Role.COUNTER_OFFICER]})).get("/can-bo/so-theo-doi/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<option value="{unit.pk}">Bộ phận Một cửa Sở Tư pháp</option>' in html
    assert "nơi khác" not in html and 'name="tu"' in html and 'name="den"' in html


@pytest.mark.parametrize(
    ("audience", "fields"),
    [
        (Audience.EVERYONE, {"capabilities": frozenset({"dossier.view"})}),
        (Audience.EVERYONE, {"staff": True}),
        (Audience.SIGNED_IN, {"roles": frozenset({"leader"})}),
    ],
)
def test_a_public_or_citizens_entry_cannot_ask_for_officers_rights(audience, fields):
    with pytest.raises(ValueError, match=r"test\.wrong"):
        register_entry(Entry("test.wrong", "Sai", "portal:home", audience=audience, **fields))
