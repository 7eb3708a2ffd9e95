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
from decimal import Decimal

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images.models import Image
from wagtail.models import Locale

from .demo_documents import DOCUMENTS
from .models import (
    ArticleIndexPage,
    ArticlePage,
    BulletinIndexPage,
    BulletinItem,
    BulletinPage,
    EventIndexPage,
    EventPage,
    EventType,
    InfographicPage,
    LegalDocument,
    ReformIndexScore,
    Topic,
    published_items,
)
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


# (days from today, hour, days long or None, type, title, location, summary, topic slug): demo events
# of a reform office's year. The weekly broadcast "Cà phê số" has its air time and, once aired, a
# link to the recording (demo addresses on example.org).
EVENTS = [
    (
        -21,
        19,
        None,
        EventType.BROADCAST,
        "Cà phê số: Nộp hồ sơ khai sinh trực tuyến trong 10 phút",
        "Đài Phát thanh và Truyền hình tỉnh",
        "Chương trình hằng tuần: hướng dẫn đăng ký khai sinh trực tuyến.",
        "dvc-truc-tuyen",
    ),
    (
        -14,
        19,
        None,
        EventType.BROADCAST,
        "Cà phê số: Thanh toán phí, lệ phí không dùng tiền mặt",
        "Đài Phát thanh và Truyền hình tỉnh",
        "Chương trình hằng tuần: thanh toán trực tuyến trên Cổng Dịch vụ công.",
        "thanh-toan-truc-tuyen",
    ),
    (
        -7,
        19,
        None,
        EventType.BROADCAST,
        "Cà phê số: Kích hoạt tài khoản định danh điện tử mức 2",
        "Đài Phát thanh và Truyền hình tỉnh",
        "Chương trình hằng tuần: VNeID và thủ tục không cần giấy tờ.",
        "de-an-06",
    ),
    (
        7,
        19,
        None,
        EventType.BROADCAST,
        "Cà phê số: Kho dữ liệu của người dân, dùng lại giấy tờ đã số hóa",
        "Đài Phát thanh và Truyền hình tỉnh",
        "Chương trình hằng tuần: kho dữ liệu cá nhân trên Cổng Dịch vụ công.",
        "so-hoa",
    ),
    (
        -45,
        8,
        2,
        EventType.TRAINING,
        "Tập huấn số hóa hồ sơ cho công chức Bộ phận Một cửa cấp xã",
        "Hội trường Trung tâm Phục vụ hành chính công tỉnh",
        "Hai ngày thực hành quét, gắn mã, lưu kho dữ liệu.",
        "so-hoa",
    ),
    (
        12,
        8,
        1,
        EventType.TRAINING,
        "Tập huấn kỹ năng hướng dẫn người dân nộp hồ sơ trực tuyến",
        "Trường Chính trị tỉnh",
        "Dành cho công chức tiếp nhận và đoàn viên thanh niên tình nguyện.",
        "dvc-truc-tuyen",
    ),
    (
        -30,
        8,
        0,
        EventType.CONFERENCE,
        "Hội nghị phân tích chỉ số PAR Index, SIPAS năm trước",
        "Văn phòng UBND tỉnh",
        "Phân tích chỉ số thành phần còn thấp, giao nhiệm vụ cải thiện.",
        "chi-so-cchc",
    ),
    (
        25,
        7,
        3,
        EventType.STUDY_VISIT,
        "Đoàn công tác học tập mô hình Trung tâm Phục vụ hành chính công",
        "Tỉnh bạn (dữ liệu trình diễn)",
        "Học tập cách tổ chức tiếp nhận không phụ thuộc địa giới hành chính.",
        "mot-cua",
    ),
    (
        -20,
        0,
        40,
        EventType.CONTEST,
        "Cuộc thi trực tuyến tìm hiểu về cải cách hành chính",
        "Trực tuyến",
        "Mỗi tuần một đợt câu hỏi; giải thưởng cho cá nhân và tập thể.",
        "tthc",
    ),
    (
        -120,
        0,
        30,
        EventType.CONTEST,
        "Cuộc thi sáng kiến cải cách hành chính",
        "Trực tuyến",
        "Cán bộ, công chức gửi sáng kiến rút ngắn thời gian giải quyết hồ sơ.",
        "tthc",
    ),
]


# Reform indices 2018–2025 (year: score, rank) per index: DEMO values, not the published ones (the
# page and the admin mark them so); an analyst replaces them with the figures of the official
# decisions. Ranks are among 63 provinces until 2024 and among 34 after the 2025 merger.
DEMO_INDEX_SOURCE = "Số liệu trình diễn, không phải số liệu công bố chính thức"
DEMO_INDICES = {
    "par-index": [
        (83.12, 31),
        (84.05, 27),
        (85.40, 24),
        (86.21, 22),
        (85.77, 25),
        (87.02, 19),
        (88.15, 16),
        (88.90, 9),
    ],
    "sipas": [(81.30, 40), (82.64, 36), (84.10, 30), (85.02, 28), (84.45, 33), (86.30, 25), (87.12, 21), (88.05, 12)],
    "pci": [(63.10, 33), (64.02, 30), (64.75, 28), (65.30, 26), (64.88, 29), (66.10, 24), (67.02, 20), (68.20, 11)],
    "papi": [(42.10, 38), (42.80, 35), (43.40, 31), (43.95, 29), (43.20, 34), (44.35, 27), (44.90, 23), (45.60, 14)],
}
DEMO_INDEX_YEARS = range(2018, 2026)


@dataclass
class NewsDemo:
    topics: int = 0
    articles: int = 0
    infographics: int = 0
    documents: int = 0
    events: int = 0
    index_scores: int = 0
    bulletins: int = 0


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
    result.events = load_events(today=today)
    result.index_scores = load_indices()
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
    result.bulletins = load_bulletin(today=day)
    return result


def load_indices() -> int:
    """The demo reform indices 2018–2025, marked as demo; a year already entered is left alone."""
    created = 0
    for index, values in DEMO_INDICES.items():
        for year, (score, rank) in zip(DEMO_INDEX_YEARS, values, strict=True):
            _row, made = ReformIndexScore.objects.get_or_create(
                index=index,
                year=year,
                defaults={
                    "score": Decimal(str(score)),
                    "rank": rank,
                    "ranked_among": 63 if year < 2025 else 34,
                    "source": DEMO_INDEX_SOURCE,
                    "is_demo": True,
                },
            )
            created += made
    return created


def load_bulletin(*, today: datetime.date) -> int:
    """One issue of the Bản tin CCHC with the latest articles, infographics and documents,
    published (and so printed as PDF)."""
    if BulletinPage.objects.exists():
        return 0
    locale = Locale.get_default()
    index = BulletinIndexPage.objects.get(locale=locale)
    quarter = (today.month - 1) // 3 + 1
    issue = BulletinPage(
        title=f"Bản tin Cải cách hành chính quý {quarter}/{today.year}",
        slug=f"quy-{quarter}-{today.year}",
        number=quarter,
        issued_on=today,
        intro="Số này điểm lại các tin, bài, infographic và văn bản mới về cải cách hành chính (bản tin mẫu).",
    )
    latest = list(published_items(locale)[:6])
    issue.items = [BulletinItem(page=item, sort_order=n) for n, item in enumerate(latest)]
    issue.documents = list(LegalDocument.objects.order_by("-issued_on")[:5])
    page_add(parent=index, page=issue)
    return 1


def load_events(*, today: datetime.date | None = None) -> int:
    """The ten demo events around ``today`` (once: nothing is added when events exist)."""
    if EventPage.objects.exists():
        return 0
    index = EventIndexPage.objects.get(locale=Locale.get_default())
    topics = {t.slug: t for t in Topic.objects.all()}
    day = today or timezone.localdate()
    for n, (offset, hour, days, kind, title, location, summary, topic) in enumerate(EVENTS):
        starts = timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(days=offset), datetime.time(hour))
        )
        if kind == EventType.BROADCAST:
            starts += datetime.timedelta(minutes=45)
        ends = None if days is None else starts + datetime.timedelta(days=days, hours=9)
        aired = kind == EventType.BROADCAST and offset < 0
        page = EventPage(
            title=title,
            event_type=kind,
            starts_at=starts,
            ends_at=ends,
            location=location,
            summary=summary,
            video_url=f"https://video.example.org/ca-phe-so/{n + 1}" if aired else "",
        )
        page_add(parent=index, page=page)
        if topic in topics:
            page.topics.add(topics[topic])
            page.save_revision().publish()
    return len(EVENTS)


def _publish_dated(page: ArticlePage | InfographicPage, day: datetime.date) -> None:
    """Publish the page's latest content as if it had been published on ``day`` (the demo spreads
    its items over the past year)."""
    page.save_revision().publish()
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
    type(page).objects.filter(pk=page.pk).update(first_published_at=moment, last_published_at=moment)


# --- A past year's news, for that year's report ------------------------------------------------

YEAR_DOCUMENT_KINDS = (
    ("ke-hoach", "KH-UBND", "Kế hoạch", "Triển khai công tác cải cách hành chính"),
    ("cong-van", "UBND-NC", "Công văn", "Đôn đốc thực hiện nhiệm vụ cải cách hành chính"),
    ("quyet-dinh", "QĐ-UBND", "Quyết định", "Công bố danh mục thủ tục hành chính"),
    ("thong-bao", "TB-UBND", "Thông báo", "Kết luận về công tác cải cách hành chính"),
)
YEAR_DOCUMENT_FIELDS = ("chung", "thu-tuc-hanh-chinh", "chinh-phu-so", "cong-vu", "to-chuc-bo-may", "the-che")


@dataclass
class NewsYear:
    articles: int = 0
    infographics: int = 0
    documents: int = 0


def _published_in(model: type[ArticlePage] | type[InfographicPage], year: int) -> int:
    return model.objects.filter(live=True, first_published_at__year=year).count()


def _days_of(year: int, count: int, rng: random.Random) -> list[datetime.date]:
    """``count`` working days (Monday to Friday) spread over ``year``, in order."""
    days = [
        datetime.date(year, 1, 1) + datetime.timedelta(days=n)
        for n in range(365 + (year % 4 == 0))
        if (datetime.date(year, 1, 1) + datetime.timedelta(days=n)).weekday() < 5
    ]
    return sorted(rng.sample(days, min(count, len(days))))


def load_news_year(*, year: int, articles: int = 49, infographics: int = 33, documents: int = 90) -> NewsYear:
    """Top ``year`` up to ``articles`` tin, bài and ``infographics`` infographics first published in
    it and ``documents`` văn bản issued in it (the real national texts of that year count; the
    province's demo texts, marked as such, make up the rest). Running it again adds nothing."""
    ensure_editorial_setup()
    for order, (slug, name, translations) in enumerate(TOPICS):
        Topic.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_translations": translations, "order": order}
        )
    load_documents()
    topics = {t.slug: t for t in Topic.objects.all()}
    index = ArticleIndexPage.objects.get(locale=Locale.get_default())
    rng = random.Random(f"news-{year}")
    result = NewsYear()
    missing = max(0, articles - _published_in(ArticlePage, year))
    for n, day in enumerate(_days_of(year, missing, rng)):
        slug, pattern, paragraph = ARTICLE_THEMES[n % len(ARTICLE_THEMES)]
        place = PLACES[n % len(PLACES)]
        page = ArticlePage(
            title=pattern.format(place=place) + f" (năm {year}, số {n + 1})",
            summary=paragraph,
            author="Ban Biên tập",
            source="Tin mẫu của hệ thống (dữ liệu trình diễn)",
            body=[("paragraph", clean_rich_text(f"<p>{paragraph}</p><p>Địa bàn: {place}.</p>"))],
        )
        page_add(parent=index, page=page)
        page.topics.add(topics[slug])
        _publish_dated(page, day)
        result.articles += 1
    missing = max(0, infographics - _published_in(InfographicPage, year))
    for n, day in enumerate(_days_of(year, missing, random.Random(f"infographics-{year}"))):
        slug, pattern, text = INFOGRAPHIC_THEMES[n % len(INFOGRAPHIC_THEMES)]
        values = {"month": day.month, "year": day.year, "online": 45 + (n * 7) % 40, "ontime": 92 + n % 8, "n": n + 1}
        title = pattern.format(**values) + f" ({day:%d/%m/%Y})"
        alternative = text.format(**values)
        page = InfographicPage(
            title=title,
            summary=alternative[:200],
            image=infographic_image(title, textwrap.wrap(alternative, 90), seed=year * 100 + n),
            text_alternative=alternative,
            source="Số liệu mẫu của hệ thống (dữ liệu trình diễn)",
        )
        page_add(parent=index, page=page)
        page.topics.add(topics[slug])
        _publish_dated(page, day)
        result.infographics += 1
    issued = LegalDocument.objects.filter(issued_on__year=year).count()
    for n, day in enumerate(_days_of(year, max(0, documents - issued), random.Random(f"documents-{year}"))):
        doc_type, sign, kind, subject = YEAR_DOCUMENT_KINDS[n % len(YEAR_DOCUMENT_KINDS)]
        _doc, made = LegalDocument.objects.get_or_create(
            number=f"{100 + n * 7}/{sign}",
            issuer="Ủy ban nhân dân tỉnh Khánh Hòa",
            issued_on=day,
            defaults={
                "doc_type": doc_type,
                "title": f"{subject} năm {year} (văn bản mẫu số {n + 1})",
                "field": YEAR_DOCUMENT_FIELDS[n % len(YEAR_DOCUMENT_FIELDS)],
                "summary": f"{kind} mẫu của hệ thống (dữ liệu trình diễn), ban hành ngày {day:%d/%m/%Y}.",
            },
        )
        result.documents += made
    return result
