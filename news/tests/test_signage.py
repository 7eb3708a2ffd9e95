"""The centre's electronic board: what the editor configures is what it shows."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from news.access import EDITORS
from news.models import EventType, SignageSettings
from news.tests import factories as f

pytestmark = pytest.mark.django_db


def configure(**fields) -> SignageSettings:
    config = SignageSettings.load()
    for name, value in fields.items():
        setattr(config, name, value)
    config.save()
    return config


def test_the_board_shows_the_editors_slogans_upcoming_events_and_the_figures_it_will_read():
    configure(
        heading="Trung tâm Phục vụ hành chính công tỉnh Khánh Hòa",
        slogans="Một cửa, một lần, một nơi\n\n  Nộp trực tuyến, nhận kết quả tại nhà  ",
        seconds_per_slide=15,
    )
    soon = timezone.now() + datetime.timedelta(days=2)
    f.event("Cà phê số tuần này", event_type=EventType.BROADCAST, starts_at=soon)
    f.event("Hội nghị đã qua", starts_at=timezone.now() - datetime.timedelta(days=2))

    response = Client().get("/bang-dien-tu/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Trung tâm Phục vụ hành chính công tỉnh Khánh Hòa" in text
    slides = re.findall(r'<section class="slide ([\w-]+)"( hidden)?', text)
    assert slides == [
        ("slide-slogan", ""),
        ("slide-slogan", " hidden"),
        ("slide-figures", " hidden"),
        ("slide-event", " hidden"),
    ]
    assert "Một cửa, một lần, một nơi" in text and "Nộp trực tuyến, nhận kết quả tại nhà" in text
    assert "Cà phê số tuần này" in text and "Hội nghị đã qua" not in text
    assert 'data-seconds="15"' in text and 'data-figures-url="/api/v1/figures/today"' in text
    for key in ("received_today", "online_share", "on_time_share"):
        assert f'data-figure="{key}"' in text
    # The portal's CSP: no inline script or style.
    assert not re.search(r"<script(?![^>]*\bsrc=)", text) and " style=" not in text


def test_the_slides_alone_for_the_boards_refresh_and_a_board_without_figures():
    configure(slogans="Khẩu hiệu mới", show_figures=False, show_events=False)
    f.event("Tập huấn sắp tới", starts_at=timezone.now() + datetime.timedelta(days=1))
    slides = Client().get("/bang-dien-tu/?phan=trang").content.decode()
    assert "<html" not in slides and "Khẩu hiệu mới" in slides
    assert "data-figure=" not in slides and "Tập huấn sắp tới" not in slides
    page = Client().get("/bang-dien-tu/").content.decode()
    assert 'data-figures-url=""' in page


def test_editors_and_reviewers_may_configure_the_board():
    f.article_index()  # the editorial set-up
    for name in (EDITORS, "Duyệt tin, bài"):
        codenames = Group.objects.get(name=name).permissions.values_list("codename", flat=True)
        assert "change_signagesettings" in codenames
