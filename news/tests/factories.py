"""Builders for the news section's tests: pages created and published through Wagtail's revisions."""

from __future__ import annotations

import datetime
import io
import itertools
from collections.abc import Sequence
from typing import Any

from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Locale

from news.models import (
    ArticleIndexPage,
    ArticlePage,
    BulletinIndexPage,
    BulletinItem,
    BulletinPage,
    EventIndexPage,
    EventPage,
    EventType,
    InfographicPage,
    Topic,
)
from news.services import page_add
from news.setup import ensure_editorial_setup

_numbers = itertools.count(1)


def article_index() -> ArticleIndexPage:
    ensure_editorial_setup()
    return ArticleIndexPage.objects.get(locale=Locale.get_default())


def topic(name: str = "Thủ tục hành chính", slug: str = "tthc") -> Topic:
    found, _created = Topic.objects.get_or_create(slug=slug, defaults={"name": name})
    return found


def image(title: str = "Ảnh", size: tuple[int, int] = (1600, 900)) -> Image:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name=f"test-{next(_numbers)}.png"))


def article(title: str = "", *, publish: bool = True, **fields: Any) -> ArticlePage:
    number = next(_numbers)
    fields.setdefault("summary", f"Tóm tắt tin số {number}")
    page = ArticlePage(title=title or f"Tin cải cách hành chính số {number}", **fields)
    return page_add(parent=article_index(), page=page, publish=publish)


def infographic(title: str = "", *, publish: bool = True, **fields: Any) -> InfographicPage:
    number = next(_numbers)
    fields.setdefault("image", image())
    fields.setdefault(
        "text_alternative",
        "Năm 2025 tỉnh tiếp nhận 40.000 hồ sơ, trong đó 62% nộp trực tuyến và 98% giải quyết đúng hạn.",
    )
    page = InfographicPage(title=title or f"Infographic số {number}", **fields)
    return page_add(parent=article_index(), page=page, publish=publish)


def event_index() -> EventIndexPage:
    ensure_editorial_setup()
    return EventIndexPage.objects.get(locale=Locale.get_default())


def event(title: str = "", *, publish: bool = True, **fields: Any) -> EventPage:
    number = next(_numbers)
    fields.setdefault("event_type", EventType.TRAINING)
    fields.setdefault("summary", f"Tóm tắt sự kiện số {number}")
    fields.setdefault("starts_at", timezone.now() + datetime.timedelta(days=3))
    page = EventPage(title=title or f"Sự kiện số {number}", **fields)
    return page_add(parent=event_index(), page=page, publish=publish)


def bulletin(
    number: int = 1, *, items: Sequence[Any] = (), documents: Sequence[Any] = (), publish: bool = True
) -> BulletinPage:
    ensure_editorial_setup()
    index = BulletinIndexPage.objects.get(locale=Locale.get_default())
    page = BulletinPage(
        title=f"Bản tin CCHC số {number}",
        number=number,
        issued_on=datetime.date(2026, 3, 1),
        intro="Số này điểm lại kết quả cải cách hành chính của quý.",
    )
    page.items = [BulletinItem(page=item) for item in items]
    page.documents = list(documents)
    return page_add(parent=index, page=page, publish=publish)
