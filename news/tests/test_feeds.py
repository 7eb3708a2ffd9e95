"""Reaching people: RSS and Atom per section and topic, the portal's sitemap, the news images
served by `make run`."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from catalog.tests.factories import published
from news.models import EventType
from news.tests import factories as f
from news.tests.test_library import document

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_titles(url: str) -> list[str]:
    response = Client().get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    return [item.findtext("title") or "" for item in ET.fromstring(response.content).iter("item")]


def test_the_articles_feed_lists_published_items_newest_first_and_a_topic_feed_narrows_them():
    digital = f.topic("Số hóa", "so-hoa")
    older = f.article("Tin số hóa cũ")
    older.topics.add(digital)
    older.save_revision().publish()
    f.infographic("Infographic mới")
    f.article("Bản nháp", publish=False)
    assert rss_titles("/tin-tuc/rss/bai-viet/")[:2] == ["Infographic mới", "Tin số hóa cũ"]
    assert "Bản nháp" not in rss_titles("/tin-tuc/rss/bai-viet/")
    assert rss_titles("/tin-tuc/rss/chu-de/so-hoa/") == ["Tin số hóa cũ"]
    assert Client().get("/tin-tuc/rss/chu-de/khong-co/").status_code == 404

    atom = Client().get("/tin-tuc/atom/chu-de/so-hoa/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(atom.content).findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Tin số hóa cũ"]
    assert entries[0].find(f"{ATOM}link").get("href").endswith(older.url)


def test_the_documents_and_events_feeds():
    document("61/2018/NĐ-CP", title="Về thực hiện cơ chế một cửa", issued_on=datetime.date(2018, 4, 23))
    assert rss_titles("/tin-tuc/rss/van-ban/") == ["Nghị định 61/2018/NĐ-CP — Về thực hiện cơ chế một cửa"]
    air = timezone.make_aware(datetime.datetime(2026, 3, 6, 19, 45))
    f.event("Cà phê số", event_type=EventType.BROADCAST, starts_at=air)
    assert rss_titles("/tin-tuc/rss/su-kien/") == ["Cà phê số (06/03/2026 19:45)"]
    assert Client().get("/tin-tuc/atom/su-kien/").status_code == 200


def test_the_pages_announce_the_feeds():
    f.article_index()
    text = Client().get("/tin-tuc/bai-viet/").content.decode()
    assert 'rel="alternate" type="application/rss+xml"' in text and 'href="/tin-tuc/rss/bai-viet/"' in text


def test_the_sitemap_lists_procedures_news_pages_and_documents_on_the_host_asked(settings):
    settings.ALLOWED_HOSTS = ["dichvucong.example.vn"]
    published("1.001193", "Đăng ký khai sinh")
    page = f.article("Tin trong sơ đồ trang")
    draft = f.article("Tin nháp", publish=False)
    doc = document("61/2018/NĐ-CP")
    response = Client().get("/sitemap.xml", HTTP_HOST="dichvucong.example.vn")
    assert response.status_code == 200
    text = response.content.decode()
    assert "<loc>http://dichvucong.example.vn/thu-tuc/1.001193/</loc>" in text
    assert f"<loc>http://dichvucong.example.vn{page.url}</loc>" in text
    assert f"<loc>http://dichvucong.example.vn/tin-tuc/van-ban/{doc.pk}/</loc>" in text
    assert "<loc>http://dichvucong.example.vn/tin-tuc/su-kien/</loc>" in text
    assert draft.slug not in text


def test_news_images_are_served_under_media_only_where_configured_and_nothing_else_of_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "original_images").mkdir()
    (tmp_path / "original_images" / "a.png").write_bytes(b"\x89PNG demo")
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "mau.pdf").write_bytes(b"%PDF private")
    with override_settings(SERVE_PUBLIC_MEDIA=False, DEBUG=False):
        assert Client().get("/media/original_images/a.png").status_code == 404
    with override_settings(SERVE_PUBLIC_MEDIA=True, DEBUG=False):
        served = Client().get("/media/original_images/a.png")
        assert served.status_code == 200 and b"".join(served.streaming_content) == b"\x89PNG demo"
        assert Client().get("/media/forms/mau.pdf").status_code == 404
        assert Client().get("/media/original_images/..%2Fforms%2Fmau.pdf").status_code == 404
        assert Client().get("/media/images/missing.png").status_code == 404
