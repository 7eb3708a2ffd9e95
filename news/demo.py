"""The news section's demo set for ``make run`` (``manage.py load_news_demo``): CCHC topics, 50
articles and 20 infographics (demo texts, marked as such in their source), the library's real
national texts (news.demo_documents). Pages go through Wagtail's revisions like an editor's.
Running it again adds nothing."""

from __future__ import annotations

import datetime
import io
import random
import textwrap
from dataclasses import dataclass

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images.models import Image
from wagtail.models import Locale

from .demo_documents import DOCUMENTS
from .models import ArticleIndexPage, ArticlePage, InfographicPage, LegalDocument, Topic
from .services import clean_rich_text, page_add
from .setup import ensure_editorial_setup

TOPICS = [
    (
        "tthc",
        "Thủ tục hành chính",
        {"en": "Administrative procedures", "zh-hans": "行政手续", "ko": "행정절차", "ja": "行政手続き"},
    ),
    (
        "dvc-truc-tuyen",
        "Dịch vụ công trực tuyến",
        {
            "en": "Online public services",
            "zh-hans": "在线公共服务",
            "ko": "온라인 공공서비스",
            "ja": "オンライン公共サービス",
        },
    ),
    (
        "so-hoa",
        "Số hóa hồ sơ",
        {"en": "Digitization", "zh-hans": "档案数字化", "ko": "서류 디지털화", "ja": "書類のデジタル化"},
    ),
    (
        "thanh-toan-truc-tuyen",
        "Thanh toán trực tuyến",
        {"en": "Online payment", "zh-hans": "在线支付", "ko": "온라인 결제", "ja": "オンライン決済"},
    ),
    ("de-an-06", "Đề án 06", {"en": "Project 06", "zh-hans": "06号提案", "ko": "06 프로젝트", "ja": "プロジェクト06"}),
    (
        "mot-cua",
        "Một cửa, một cửa liên thông",
        {"en": "One-stop shop", "zh-hans": "一站式服务", "ko": "원스톱 서비스", "ja": "ワンストップ窓口"},
    ),
    (
        "chi-so-cchc",
        "Chỉ số CCHC",
        {"en": "Reform indices", "zh-hans": "行政改革指数", "ko": "행정개혁 지수", "ja": "行政改革指数"},
    ),
]

PLACES = [
    "Nha Trang",
    "Cam Ranh",
    "Ninh Hòa",
    "Vạn Ninh",
    "Diên Khánh",
    "Cam Lâm",
    "Khánh Vĩnh",
    "Khánh Sơn",
    "Ninh Thuận",
]

# (topic slug, title pattern, paragraph): demo news of a province's reform office.
ARTICLE_THEMES = [
    (
        "dvc-truc-tuyen",
        "Phường {place} hướng dẫn người dân nộp hồ sơ trực tuyến tại Bộ phận Một cửa",
        "Cán bộ Bộ phận Một cửa hướng dẫn từng bước tạo tài khoản, khai thông tin và theo dõi hồ sơ "
        "trên Cổng Dịch vụ công.",
    ),
    (
        "de-an-06",
        "Tuyên truyền kích hoạt tài khoản định danh điện tử VNeID tại {place}",
        "Tổ công tác Đề án 06 hỗ trợ người dân kích hoạt tài khoản định danh mức 2 để làm thủ tục không cần giấy tờ.",
    ),
    (
        "so-hoa",
        "{place} số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
        "Hồ sơ giấy được quét, gắn mã và lưu vào kho dữ liệu của người dân, dùng lại cho lần sau.",
    ),
    (
        "thanh-toan-truc-tuyen",
        "Giảm 50% phí, lệ phí khi nộp hồ sơ trực tuyến: người dân {place} hưởng lợi",
        "Chính sách giảm phí khuyến khích thanh toán trực tuyến; người dân không phải đến nộp tiền mặt.",
    ),
    (
        "tthc",
        "Rà soát, đơn giản hóa thủ tục hành chính nội bộ tại {place}",
        "Các phòng chuyên môn rà soát quy trình nội bộ, đề xuất cắt giảm bước trung gian và thời gian xử lý.",
    ),
    (
        "mot-cua",
        "Bộ phận Một cửa {place}: tiếp nhận hồ sơ không phụ thuộc địa giới hành chính",
        "Người dân có thể nộp hồ sơ tại bất kỳ điểm tiếp nhận nào trong tỉnh, kết quả trả tại nơi thuận tiện.",
    ),
    (
        "chi-so-cchc",
        "Hội nghị phân tích các chỉ số cải cách hành chính tại {place}",
        "Các cơ quan phân tích chỉ số thành phần còn thấp và giao nhiệm vụ cải thiện cho từng đơn vị.",
    ),
]

INFOGRAPHIC_THEMES = [
    (
        "dvc-truc-tuyen",
        "Tỷ lệ hồ sơ trực tuyến tháng {month}/{year}",
        "Trong tháng {month}/{year}, {online}% hồ sơ được nộp trực tuyến; {ontime}% hồ sơ được giải quyết đúng hạn.",
    ),
    (
        "de-an-06",
        "5 bước kích hoạt tài khoản VNeID mức 2 (kỳ {n})",
        "Bước 1 tải ứng dụng VNeID; bước 2 đăng ký bằng số định danh; bước 3 xác thực khuôn mặt; bước 4 đến công an xã "
        "để xác nhận; bước 5 đăng nhập và đặt mật mã. Kỳ {n} nhắc lại cách khắc phục lỗi thường gặp.",
    ),
    (
        "thanh-toan-truc-tuyen",
        "Thanh toán phí, lệ phí trực tuyến: {online}% giao dịch",
        "Tháng {month}/{year} có {online}% giao dịch phí, lệ phí được thanh toán trực tuyến qua Cổng Dịch vụ công.",
    ),
]


@dataclass
class NewsDemo:
    topics: int = 0
    articles: int = 0
    infographics: int = 0
    documents: int = 0


def _date(text: str) -> datetime.date | None:
    return datetime.datetime.strptime(text, "%d/%m/%Y").date() if text else None


def load_documents() -> int:
    created = 0
    for doc_type, number, issued, issuer, effective, expires, replaced, field, title, summary in DOCUMENTS:
        issued_on = _date(issued)
        assert issued_on is not None
        _doc, made = LegalDocument.objects.get_or_create(
            number=number,
            issuer=issuer,
            issued_on=issued_on,
            defaults={
                "doc_type": doc_type,
                "title": title,
                "effective_from": _date(effective),
                "expires_on": _date(expires),
                "replaced_by": replaced,
                "field": field,
                "summary": summary,
            },
        )
        created += made
    return created


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf", size)
    except OSError:
        return ImageFont.load_default()


def infographic_image(title: str, lines: list[str], *, seed: int) -> Image:
    """A simple, legible infographic (the demo's stand-in for a designer's work)."""
    width, height = 1080, 1350
    canvas = PILImage.new("RGB", (width, height), (250, 246, 238))
    draw = ImageDraw.Draw(canvas)
    draw.rectangle([0, 0, width, 220], fill=(170, 20, 20))
    y = 40
    for line in textwrap.wrap(title, 30):
        draw.text((60, y), line, fill=(255, 255, 255), font=_font(54))
        y += 66
    y = 280
    for line in lines:
        for wrapped in textwrap.wrap(line, 38):
            draw.text((60, y), wrapped, fill=(40, 40, 40), font=_font(42))
            y += 56
        y += 30
    rng = random.Random(seed)
    bars = [rng.randint(30, 95) for _ in range(6)]
    for i, value in enumerate(bars):
        x = 80 + i * 160
        draw.rectangle([x, height - 80 - value * 4, x + 100, height - 80], fill=(170, 20, 20))
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name=f"infographic-{seed}.png"))


@transaction.atomic
def load_news_demo(*, today: datetime.date | None = None) -> NewsDemo:
    ensure_editorial_setup()
    result = NewsDemo()
    for order, (slug, name, translations) in enumerate(TOPICS):
        _topic, made = Topic.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_translations": translations, "order": order}
        )
        result.topics += made
    result.documents = load_documents()
    index = ArticleIndexPage.objects.get(locale=Locale.get_default())
    if ArticlePage.objects.exists():
        return result
    topics = {t.slug: t for t in Topic.objects.all()}
    rng = random.Random(2022)
    day = today or timezone.localdate()
    for n in range(50):
        slug, pattern, paragraph = ARTICLE_THEMES[n % len(ARTICLE_THEMES)]
        place = PLACES[n % len(PLACES)]
        published = day - datetime.timedelta(days=7 * n + rng.randint(0, 5))
        page = ArticlePage(
            title=pattern.format(place=place) + f" (số {n + 1})",
            summary=paragraph,
            author="Ban Biên tập",
            source="Tin mẫu của hệ thống (dữ liệu trình diễn)",
            body=[("paragraph", clean_rich_text(f"<p>{paragraph}</p><p>Địa bàn: {place}.</p>"))],
        )
        page_add(parent=index, page=page)
        page.topics.add(topics[slug])
        _publish_dated(page, published)
        result.articles += 1
    for n in range(20):
        slug, pattern, text = INFOGRAPHIC_THEMES[n % len(INFOGRAPHIC_THEMES)]
        published = day - datetime.timedelta(days=17 * n + 3)
        values = {
            "month": published.month,
            "year": published.year,
            "online": 45 + (n * 7) % 40,
            "ontime": 92 + n % 8,
            "n": n + 1,
        }
        title = pattern.format(**values)
        alternative = text.format(**values)
        page = InfographicPage(
            title=title,
            summary=alternative[:200],
            image=infographic_image(title, textwrap.wrap(alternative, 90), seed=n),
            text_alternative=alternative,
            source="Số liệu mẫu của hệ thống (dữ liệu trình diễn)",
        )
        page_add(parent=index, page=page)
        page.topics.add(topics[slug])
        _publish_dated(page, published)
        result.infographics += 1
    return result


def _publish_dated(page: ArticlePage | InfographicPage, day: datetime.date) -> None:
    """Publish the page's latest content as if it had been published on ``day`` (the demo spreads
    its items over the past year)."""
    page.save_revision().publish()
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
    type(page).objects.filter(pk=page.pk).update(first_published_at=moment, last_published_at=moment)
