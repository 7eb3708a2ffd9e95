"""Article and list pages are kept rendered for everyone, and a publication, an unpublication or
an edit made live shows at once (the section's revision token changes)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from news.tests import factories as f

pytestmark = pytest.mark.django_db

LIST = "/tin-tuc/bai-viet/"


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_a_second_visit_is_answered_from_the_cache_with_one_query():
    page = f.article("Tin đầu tiên")
    client = Client()
    assert _queries(client, page.url) > 3
    assert _queries(client, page.url) == 1  # the revision token
    assert _queries(client, LIST) > 3
    assert _queries(client, LIST) == 1


def test_publishing_unpublishing_and_editing_show_at_once():
    first = f.article("Tin đầu tiên")
    client = Client()
    assert "Tin đầu tiên" in client.get(LIST).content.decode()
    f.article("Tin mới xuất bản")
    assert "Tin mới xuất bản" in client.get(LIST).content.decode()
    first.title = "Tin đầu tiên đã sửa"
    first.save_revision().publish()
    assert "Tin đầu tiên đã sửa" in client.get(first.url).content.decode()
    first.unpublish()
    assert client.get(first.url).status_code == 404
    assert "Tin đầu tiên đã sửa" not in client.get(LIST).content.decode()


def test_a_filtered_list_is_kept_apart_from_the_whole_list():
    f.article("Tin thường")
    f.infographic("Infographic số hóa")
    client = Client()
    assert "Tin thường" in client.get(LIST).content.decode()
    only = client.get(LIST + "?loai=infographic").content.decode()
    assert "Infographic số hóa" in only and "Tin thường" not in only
