"""An approved article with a go-live time appears when the task worker's schedule runs Wagtail's
scheduled publishing after that time: in the list (kept rendered before, so the cache must give
way), in the feed and in the portal's search box; and leaves them at its expiry time."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import Revision

from news.models import ArticlePage
from news.tasks import publish_scheduled
from news.tests import factories as f
from portal.search import search_everything

pytestmark = pytest.mark.django_db

TITLE = "Trung tâm phục vụ hành chính công mở cửa thứ Bảy"


def _seen(client: Client) -> tuple[bool, bool, bool]:
    listed = TITLE in client.get("/tin-tuc/bai-viet/").content.decode()
    in_feed = TITLE in client.get("/tin-tuc/rss/bai-viet/").content.decode()
    found = any(r.title == TITLE for g in search_everything("mo cua thu bay") for r in g.results)
    return listed, in_feed, found


def test_a_scheduled_article_goes_live_when_the_worker_runs_after_its_time_and_expires():
    client = Client()
    f.article("Tin đã có")
    page = f.article(TITLE, publish=False, summary="Nhận hồ sơ cả sáng thứ Bảy.")
    page.go_live_at = timezone.now() + datetime.timedelta(hours=2)
    page.save_revision().publish()  # approved, waiting for its time
    page.refresh_from_db()
    assert not page.live
    assert _seen(client) == (False, False, False)
    publish_scheduled()  # before its time: nothing happens
    assert _seen(client) == (False, False, False)

    # Two hours later (the approved time moved into the past instead of the clock forward).
    past = timezone.now() - datetime.timedelta(minutes=1)
    for revision in Revision.page_revisions.filter(object_id=str(page.pk), approved_go_live_at__isnull=False):
        revision.content["go_live_at"] = past.isoformat()
        revision.approved_go_live_at = past
        revision.save(update_fields=["content", "approved_go_live_at"])
    ArticlePage.objects.filter(pk=page.pk).update(go_live_at=past)
    publish_scheduled()
    assert ArticlePage.objects.get(pk=page.pk).live
    assert _seen(client) == (True, True, True)

    ArticlePage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    publish_scheduled()
    assert not ArticlePage.objects.get(pk=page.pk).live
    assert _seen(client) == (False, False, False)


def test_the_editors_dashboard_shows_what_goes_live_expires_or_takes_place_soon():
    from news.selectors import editorial_due
    from org.models import Role
    from org.tests.factories import admin_login, agency, officer

    waiting = f.article(TITLE, publish=False)
    waiting.go_live_at = timezone.now() + datetime.timedelta(days=2)
    waiting.save_revision().publish()
    expiring = f.article("Thông báo tuyển dụng")
    ArticlePage.objects.filter(pk=expiring.pk).update(expire_at=timezone.now() + datetime.timedelta(days=5))
    f.event("Tập huấn dịch vụ công trực tuyến", starts_at=timezone.now() + datetime.timedelta(days=3))
    f.event("Hội nghị tổng kết", starts_at=timezone.now() + datetime.timedelta(days=40))
    due = [(d.title, d.what) for d in editorial_due()]
    assert due == [
        (TITLE, "go_live"),
        ("Tập huấn dịch vụ công trực tuyến", "event"),
        ("Thông báo tuyển dụng", "expire"),
    ]
    client = Client()
    admin_login(client, officer("bientap", {agency("Văn phòng"): [Role.EDITOR]}))
    dashboard = client.get("/cms/").content.decode()
    assert "Sắp đến hạn (14 ngày tới)" in dashboard and TITLE in dashboard and "Lên trang theo lịch" in dashboard
