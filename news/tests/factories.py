"""Builders for the news section's tests: pages created and published through Wagtail's revisions."""

from __future__ import annotations

import io
import itertools
from typing import Any

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Locale

from news.models import ArticleIndexPage, ArticlePage, InfographicPage, Topic
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
