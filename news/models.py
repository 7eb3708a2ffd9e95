"""Reform communication (truyền thông cải cách hành chính) on Wagtail.

The page tree under /tin-tuc/ (one tree per language, Vietnamese the source):

    NewsHomePage "Cải cách hành chính"
    ├── ArticleIndexPage "Tin, bài"      ← ArticlePage (tin, bài), InfographicPage
    ├── DocumentLibraryPage "Văn bản"    ← LegalDocument rows (snippets), filtered; one page each

Pages go through Wagtail's revisions and its workflow (draft → review → publish); scheduled
publishing is run by the task worker (news.tasks.publish_scheduled).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinLengthValidator, MinValueValidator
from django.db import models
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Locale, Orderable, Page
from wagtail.search import index

from . import rules
from .page_cache import CachedPage

PAGE_SIZE = 12

# Rich text: what an editor may write. Wagtail keeps only these elements and attributes (no script,
# no event handlers, no javascript: links).
RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "image", "hr"]


class VideoLinkBlock(blocks.StructBlock):
    """A video (the weekly broadcast, a report on YouTube…) shown as a link: the portal frames no
    other site (CSP)."""

    url = blocks.URLBlock(label=_("Địa chỉ video"))
    title = blocks.CharBlock(label=_("Tên video"))
    duration = blocks.CharBlock(label=_("Thời lượng"), required=False, help_text=_("Ví dụ: 12 phút"))

    class Meta:
        icon = "media"
        label = _("Video")
        template = "news/blocks/video_link.html"

    def clean(self, value: Any) -> Any:
        cleaned = super().clean(value)
        if not str(cleaned.get("url", "")).lower().startswith("https://"):
            raise blocks.StructBlockValidationError(
                {"url": ValidationError(_("Địa chỉ video phải bắt đầu bằng https://"))}
            )
        return cleaned


BODY_BLOCKS = [
    ("paragraph", blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Đoạn văn"))),
    ("image", ImageBlock(label=_("Ảnh"))),
    ("video", VideoLinkBlock()),
    ("table", TableBlock(label=_("Bảng"), template="news/blocks/table.html")),
]


class Topic(models.Model):
    """Chủ đề CCHC: TTHC, DVC trực tuyến, số hóa, thanh toán trực tuyến, Đề án 06…"""

    name = models.CharField(_("tên chủ đề"), max_length=100, unique=True)
    slug = models.SlugField(_("đường dẫn"), max_length=100, unique=True, allow_unicode=False)
    name_translations = models.JSONField(_("bản dịch tên"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("order"), FieldPanel("name_translations")]

    class Meta:
        verbose_name = _("chủ đề CCHC")
        verbose_name_plural = _("chủ đề CCHC")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return str(self.name_translations.get(get_language() or "vi") or self.name)


class NewsPage(Page):
    """What every page of the news section shares: a page missing in the visitor's language is
    served from the Vietnamese tree, with the "not translated yet" notice."""

    class Meta:
        abstract = True

    def route(self, request: HttpRequest, path_components: list[str]) -> Any:
        try:
            return super().route(request, path_components)
        except Http404:
            source = self.get_translation_or_none(Locale.get_default())
            if source is None or source.pk == self.pk:
                raise
            return source.specific.route(request, path_components)

    @property
    def og_description(self) -> str:
        """Open Graph and meta description: the editor's search description, else the summary."""
        return str(self.search_description or getattr(self, "summary", "") or self.title)

    @property
    def og_image(self) -> Any:
        return getattr(self, "cover", None) or getattr(self, "image", None)

    @property
    def og_type(self) -> str:
        return "article" if hasattr(self, "summary") else "website"

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["untranslated"] = self.locale.language_code != (get_language() or "vi")
        return context


class NewsHomePage(CachedPage, NewsPage):
    """Trang chủ chuyên mục Cải cách hành chính."""

    intro = models.TextField(_("giới thiệu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = [
        "news.ArticleIndexPage",
        "news.DocumentLibraryPage",
        "news.EventIndexPage",
        "news.ReformIndicesPage",
        "news.BulletinIndexPage",
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("trang chủ tin tức CCHC")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["latest"] = published_items(self.locale)[:6]
        now = timezone.now()
        context["upcoming_events"] = (
            EventPage.objects.live()
            .public()
            .filter(locale=self.locale)
            .filter(models.Q(starts_at__gte=now) | models.Q(ends_at__gte=now))
            .order_by("starts_at")[:3]
        )
        context["sections"] = self.get_children().live().public().specific()
        return context


class ArticleIndexPage(CachedPage, NewsPage):
    """Danh sách tin, bài và infographic, lọc theo chủ đề và loại."""

    intro = models.TextField(_("giới thiệu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["news.ArticlePage", "news.InfographicPage"]
    parent_page_types = ["news.NewsHomePage"]

    class Meta:
        verbose_name = _("danh sách tin, bài")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        items = published_items(self.locale, parent=self)
        topic = Topic.objects.filter(slug=request.GET.get("chu-de", "")).first()
        if topic is not None:
            items = items.filter(
                models.Q(articlepage__topics=topic) | models.Q(infographicpage__topics=topic)
            ).distinct()
        kind = request.GET.get("loai", "")
        if kind in KINDS:
            items = items.filter(content_type__model=KINDS[kind])
        page: PaginatorPage = Paginator(items, PAGE_SIZE).get_page(request.GET.get("trang"))
        context.update(
            items=page,
            topics=Topic.objects.all(),
            topic=topic,
            kind=kind if kind in KINDS else "",
        )
        return context


KINDS = {"tin-bai": "articlepage", "infographic": "infographicpage"}


def published_items(locale: Locale, *, parent: Page | None = None) -> Any:
    """Articles and infographics live in ``locale`` (under ``parent`` when given), newest first."""
    items = Page.objects.live().public().filter(locale=locale).type(ArticlePage, InfographicPage)
    if parent is not None:
        items = items.child_of(parent)
    return items.specific().order_by("-first_published_at", "-pk")


class ArticlePage(CachedPage, NewsPage):
    """Tin, bài: title, summary, body (rich text, images, video links, tables), CCHC topics,
    related procedures from the catalog, author and source."""

    summary = models.TextField(_("tóm tắt"), max_length=600)
    body = StreamField(BODY_BLOCKS, verbose_name=_("nội dung"), blank=True)
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("ảnh đại diện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topics = ParentalManyToManyField(Topic, verbose_name=_("chủ đề"), blank=True, related_name="articles")
    related_procedures = ParentalManyToManyField(
        "catalog.Procedure", verbose_name=_("thủ tục liên quan"), blank=True, related_name="+"
    )
    author = models.CharField(_("tác giả"), max_length=200, blank=True)
    source = models.CharField(_("nguồn"), max_length=300, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("cover"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("topics"), FieldPanel("related_procedures"), FieldPanel("author"), FieldPanel("source")],
            heading=_("Phân loại, nguồn"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("locale_id"),
    ]
    parent_page_types = ["news.ArticleIndexPage"]
    subpage_types: list[str] = []

    view_kind = rules.KIND_ARTICLE

    class Meta:
        verbose_name = _("tin, bài")
        verbose_name_plural = _("tin, bài")

    @property
    def kind_label(self) -> str:
        return str(_("Tin, bài"))

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["procedures"] = related_procedures(self)
        return context


def related_procedures(page: ArticlePage | InfographicPage) -> list[dict[str, str]]:
    """The related procedures that are public today, with their public names."""
    from catalog.selectors import public_versions

    codes = [p.code for p in page.related_procedures.all()]
    if not codes:
        return []
    versions = public_versions().filter(procedure__code__in=codes).select_related("procedure")
    return sorted(({"code": v.procedure.code, "name": v.name} for v in versions), key=lambda p: p["code"])


class InfographicPage(CachedPage, NewsPage):
    """Infographic: an image of any size (renditions for phone and desktop), downloadable, with a
    required long text alternative that carries the same information. Without it the page may be
    drafted but never published."""

    summary = models.TextField(_("tóm tắt"), max_length=600, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("ảnh infographic"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    text_alternative = models.TextField(
        _("nội dung thay thế bằng chữ"),
        help_text=_(
            "Bắt buộc để đăng: toàn bộ thông tin của infographic bằng chữ, cho người dùng trình đọc màn hình "
            "(ít nhất %(n)s ký tự)."
        )
        % {"n": rules.MIN_TEXT_ALTERNATIVE},
        validators=[MinLengthValidator(rules.MIN_TEXT_ALTERNATIVE)],
    )
    topics = ParentalManyToManyField(Topic, verbose_name=_("chủ đề"), blank=True, related_name="infographics")
    related_procedures = ParentalManyToManyField(
        "catalog.Procedure", verbose_name=_("thủ tục liên quan"), blank=True, related_name="+"
    )
    source = models.CharField(_("nguồn"), max_length=300, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("image"),
        FieldPanel("text_alternative"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("topics"), FieldPanel("related_procedures"), FieldPanel("source")],
            heading=_("Phân loại, nguồn"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("text_alternative"),
        index.FilterField("locale_id"),
    ]
    parent_page_types = ["news.ArticleIndexPage"]
    subpage_types: list[str] = []

    view_kind = rules.KIND_INFOGRAPHIC

    class Meta:
        verbose_name = _("đồ họa thông tin")
        verbose_name_plural = _("đồ họa thông tin")

    @property
    def kind_label(self) -> str:
        return "Infographic"

    def clean(self) -> None:
        """Every way to go live (publish, approval, scheduled publishing) saves the page cleaned."""
        super().clean()
        if self.live:
            if self.image_id is None:
                raise ValidationError({"image": _("Infographic cần có ảnh trước khi đăng.")})
            if not rules.infographic_publishable(self.text_alternative):
                raise ValidationError(
                    {
                        "text_alternative": _(
                            "Chưa thể đăng: infographic cần nội dung thay thế bằng chữ (ít nhất %(n)s ký tự) "
                            "mang đủ thông tin của ảnh."
                        )
                        % {"n": rules.MIN_TEXT_ALTERNATIVE}
                    }
                )

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["procedures"] = related_procedures(self)
        return context


# --- Legal documents library (thư viện văn bản) ---------------------------------------------------


class DocumentType(models.TextChoices):
    LAW = "luat", _("Luật")
    RESOLUTION = "nghi-quyet", _("Nghị quyết")
    DECREE = "nghi-dinh", _("Nghị định")
    DECISION = "quyet-dinh", _("Quyết định")
    DIRECTIVE = "chi-thi", _("Chỉ thị")
    CIRCULAR = "thong-tu", _("Thông tư")
    PLAN = "ke-hoach", _("Kế hoạch")
    OFFICIAL_LETTER = "cong-van", _("Công văn")
    GUIDANCE = "huong-dan", _("Hướng dẫn")
    NOTICE = "thong-bao", _("Thông báo")


class DocumentField(models.TextChoices):
    """Lĩnh vực cải cách hành chính (the six areas of the state administrative reform programme)."""

    INSTITUTIONS = "the-che", _("Cải cách thể chế")
    PROCEDURES = "thu-tuc-hanh-chinh", _("Cải cách thủ tục hành chính")
    ORGANISATION = "to-chuc-bo-may", _("Cải cách tổ chức bộ máy")
    CIVIL_SERVICE = "cong-vu", _("Cải cách chế độ công vụ")
    PUBLIC_FINANCE = "tai-chinh-cong", _("Cải cách tài chính công")
    DIGITAL_GOVERNMENT = "chinh-phu-so", _("Xây dựng chính quyền điện tử, chính quyền số")
    GENERAL = "chung", _("Chỉ đạo, điều hành chung")


class LegalDocument(index.Indexed, models.Model):
    """Văn bản: a legal or guiding text on administrative reform, national or provincial. Its
    validity ("còn hiệu lực / hết hiệu lực") is computed from its dates (news.rules.validity)."""

    number = models.CharField(_("số, ký hiệu"), max_length=60, help_text=_("Ví dụ: 61/2018/NĐ-CP"))
    doc_type = models.CharField(_("loại văn bản"), max_length=20, choices=DocumentType.choices)
    title = models.CharField(_("trích yếu"), max_length=500)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200)
    signer = models.CharField(_("người ký"), max_length=200, blank=True)
    issued_on = models.DateField(_("ngày ban hành"))
    effective_from = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    expires_on = models.DateField(
        _("ngày hết hiệu lực"), null=True, blank=True, help_text=_("Để trống nếu văn bản chưa bị thay thế, bãi bỏ.")
    )
    field = models.CharField(_("lĩnh vực"), max_length=30, choices=DocumentField.choices)
    summary = models.TextField(_("tóm tắt"))
    file = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("tệp văn bản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_url = models.URLField(_("đường dẫn nguồn chính thức"), blank=True)
    replaced_by = models.CharField(_("được thay thế bởi"), max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("number"), FieldPanel("doc_type"), FieldPanel("title"), FieldPanel("field")],
            heading=_("Văn bản"),
        ),
        MultiFieldPanel([FieldPanel("issuer"), FieldPanel("signer"), FieldPanel("issued_on")], heading=_("Ban hành")),
        MultiFieldPanel(
            [FieldPanel("effective_from"), FieldPanel("expires_on"), FieldPanel("replaced_by")],
            heading=_("Hiệu lực"),
        ),
        FieldPanel("summary"),
        FieldPanel("file"),
        FieldPanel("source_url"),
    ]
    search_fields = [
        index.SearchField("number"),
        index.SearchField("title"),
        index.SearchField("summary"),
        index.AutocompleteField("number"),
        index.FilterField("doc_type"),
        index.FilterField("field"),
    ]

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-issued_on", "number"]
        # Numbers without a year (02/NQ-CP) come back every year: the date tells them apart.
        constraints = [
            models.UniqueConstraint(fields=["number", "issuer", "issued_on"], name="news_document_number_issuer_date")
        ]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} {self.number}"

    def clean(self) -> None:
        if self.effective_from and self.issued_on and self.effective_from < self.issued_on:
            raise ValidationError({"effective_from": _("Ngày có hiệu lực không thể trước ngày ban hành.")})
        start = self.effective_from or self.issued_on
        if self.expires_on and start and self.expires_on <= start:
            raise ValidationError({"expires_on": _("Ngày hết hiệu lực phải sau ngày có hiệu lực.")})

    def validity_on(self, day: Any = None) -> rules.Validity:
        return rules.validity(
            on=day or timezone.localdate(),
            effective_from=self.effective_from or self.issued_on,
            expires_on=self.expires_on,
        )

    @property
    def validity(self) -> rules.Validity:
        return self.validity_on()

    @property
    def validity_label(self) -> str:
        return str(VALIDITY_LABELS[self.validity])


VALIDITY_LABELS = {
    rules.Validity.NOT_YET: _("Chưa có hiệu lực"),
    rules.Validity.IN_FORCE: _("Còn hiệu lực"),
    rules.Validity.EXPIRED: _("Hết hiệu lực"),
}


class DocumentLibraryPage(RoutablePageMixin, NewsPage):
    """Thư viện văn bản: every legal document, filtered by type, issuer, field, year and validity;
    one page per document."""

    intro = models.TextField(_("giới thiệu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types: list[str] = []
    parent_page_types = ["news.NewsHomePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("thư viện văn bản")

    @path("")
    def library(self, request: HttpRequest) -> Any:
        from .selectors import DocumentFilters, documents_filtered, issuers

        filters = DocumentFilters.from_query(request.GET)
        page: PaginatorPage = Paginator(documents_filtered(filters), 20).get_page(request.GET.get("trang"))
        return self.render(
            request,
            context_overrides={
                "documents": page,
                "filters": filters,
                "query_without_page": filters.as_query(),
                "doc_types": DocumentType.choices,
                "fields": DocumentField.choices,
                "issuers": issuers(),
                "validities": [(v.value, label) for v, label in VALIDITY_LABELS.items()],
            },
        )

    @path("<int:pk>/")
    def document(self, request: HttpRequest, pk: int) -> Any:
        from .selectors import procedures_citing

        found = LegalDocument.objects.filter(pk=pk).select_related("file").first()
        if found is None:
            raise Http404
        if request.method == "GET" and not getattr(request, "is_preview", False):
            from .page_views import record_view

            record_view(rules.KIND_DOCUMENT, found.pk)
        return self.render(
            request,
            template="news/legal_document.html",
            context_overrides={"document": found, "procedures": procedures_citing(found.number)},
        )


# --- Events (sự kiện) -------------------------------------------------------------------------------


class EventType(models.TextChoices):
    TRAINING = "tap-huan", _("Tập huấn")
    CONFERENCE = "hoi-nghi", _("Hội nghị, hội thảo")
    STUDY_VISIT = "hoc-tap-kinh-nghiem", _("Học tập kinh nghiệm")
    BROADCAST = "phat-song", _("Chương trình phát sóng")
    CONTEST = "cuoc-thi", _("Cuộc thi")


class EventIndexPage(RoutablePageMixin, NewsPage):
    """Sự kiện: upcoming (and ongoing) events first, then the past ones, newest first; filtered by
    type; the upcoming ones as one calendar (lich/, a .ics file) to subscribe to."""

    intro = models.TextField(_("giới thiệu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["news.EventPage"]
    parent_page_types = ["news.NewsHomePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("danh sách sự kiện")

    def events(self) -> Any:
        return EventPage.objects.live().public().child_of(self).order_by("starts_at", "pk")

    @path("")
    def listing(self, request: HttpRequest) -> Any:
        now = timezone.now()
        events = self.events()
        kind = request.GET.get("loai", "")
        if kind in EventType.values:
            events = events.filter(event_type=kind)
        else:
            kind = ""
        coming = events.filter(models.Q(starts_at__gte=now) | models.Q(ends_at__gte=now))
        past = events.exclude(pk__in=coming.values("pk")).order_by("-starts_at", "-pk")
        page: PaginatorPage = Paginator(past, PAGE_SIZE).get_page(request.GET.get("trang"))
        return self.render(
            request,
            context_overrides={
                "upcoming": list(coming[:50]),
                "past": page,
                "kind": kind,
                "event_types": EventType.choices,
            },
        )

    @path("lich/")
    def calendar(self, request: HttpRequest) -> Any:
        from .ics import calendar_response

        coming = self.events().filter(models.Q(starts_at__gte=timezone.now()) | models.Q(ends_at__gte=timezone.now()))
        return calendar_response(request, list(coming[:200]), name=self.title, filename="su-kien.ics")


class EventPage(RoutablePageMixin, NewsPage):
    """Sự kiện: a training, a conference, a study visit, a broadcast (the weekly "Cà phê số" with
    its air time and the video link once it is online) or a contest; one .ics download each."""

    event_type = models.CharField(_("loại sự kiện"), max_length=30, choices=EventType.choices)
    starts_at = models.DateTimeField(_("bắt đầu"))
    ends_at = models.DateTimeField(
        _("kết thúc"), null=True, blank=True, help_text=_("Để trống với chương trình phát sóng (chỉ có giờ phát).")
    )
    location = models.CharField(_("địa điểm"), max_length=300, blank=True)
    summary = models.TextField(_("tóm tắt"), max_length=600)
    body = StreamField(BODY_BLOCKS, verbose_name=_("nội dung"), blank=True)
    video_url = models.URLField(
        _("đường dẫn video"), blank=True, help_text=_("Chương trình phát sóng: video đăng lại sau khi phát (https://).")
    )
    topics = ParentalManyToManyField(Topic, verbose_name=_("chủ đề"), blank=True, related_name="events")

    content_panels = [
        *Page.content_panels,
        FieldPanel("event_type"),
        MultiFieldPanel(
            [FieldPanel("starts_at"), FieldPanel("ends_at"), FieldPanel("location")], heading=_("Thời gian, địa điểm")
        ),
        FieldPanel("summary"),
        FieldPanel("video_url"),
        FieldPanel("body"),
        FieldPanel("topics"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.FilterField("locale_id")]
    parent_page_types = ["news.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("sự kiện")
        verbose_name_plural = _("sự kiện")

    @property
    def kind_label(self) -> str:
        return str(self.get_event_type_display())

    @property
    def timing(self) -> rules.EventTiming:
        return rules.event_timing(now=timezone.now(), starts_at=self.starts_at, ends_at=self.ends_at)

    def clean(self) -> None:
        super().clean()
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("Thời điểm kết thúc không thể trước thời điểm bắt đầu.")})
        if self.video_url and not self.video_url.lower().startswith("https://"):
            raise ValidationError({"video_url": _("Địa chỉ video phải bắt đầu bằng https://")})

    @path("")
    def detail(self, request: HttpRequest) -> Any:
        return self.render(request)

    @path("lich/")
    def calendar(self, request: HttpRequest) -> Any:
        from .ics import calendar_response

        return calendar_response(request, [self], name=self.title, filename=f"{self.slug}.ics")


# --- Reform indices (chỉ số cải cách hành chính) ------------------------------------------------------


class ReformIndex(models.TextChoices):
    """The province's yearly indices, each published by its own body."""

    PAR_INDEX = "par-index", _("PAR Index (Chỉ số cải cách hành chính)")
    SIPAS = "sipas", _("SIPAS (Chỉ số hài lòng về sự phục vụ hành chính)")
    PCI = "pci", _("PCI (Chỉ số năng lực cạnh tranh cấp tỉnh)")
    PAPI = "papi", _("PAPI (Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh)")


class ReformIndexScore(models.Model):
    """One index for one year: the score, the rank among the provinces ranked that year (63 until
    the 2025 merger, 34 after) and where the figures come from. Entered by the analyst in
    Wagtail's admin (snippets, with Wagtail's history of who changed what)."""

    index = models.CharField(_("chỉ số"), max_length=20, choices=ReformIndex.choices)
    year = models.PositiveSmallIntegerField(_("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    score = models.DecimalField(
        _("điểm"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    rank = models.PositiveSmallIntegerField(_("xếp hạng"), null=True, blank=True)
    ranked_among = models.PositiveSmallIntegerField(_("trên tổng số tỉnh, thành phố"), default=63)
    source = models.CharField(
        _("nguồn"), max_length=300, help_text=_("Văn bản hoặc báo cáo công bố chỉ số, ví dụ số quyết định.")
    )
    source_url = models.URLField(_("đường dẫn nguồn"), blank=True)
    is_demo = models.BooleanField(
        _("số liệu trình diễn"), default=False, help_text=_("Đánh dấu số liệu không phải số liệu công bố chính thức.")
    )

    panels = [
        FieldPanel("index"),
        FieldPanel("year"),
        FieldPanel("score"),
        MultiFieldPanel([FieldPanel("rank"), FieldPanel("ranked_among")], heading=_("Xếp hạng")),
        FieldPanel("source"),
        FieldPanel("source_url"),
        FieldPanel("is_demo"),
    ]

    class Meta:
        verbose_name = _("chỉ số CCHC theo năm")
        verbose_name_plural = _("chỉ số CCHC theo năm")
        ordering = ["index", "year"]
        constraints = [models.UniqueConstraint(fields=["index", "year"], name="news_index_score_once_a_year")]

    def __str__(self) -> str:
        return f"{self.get_index_display()} {self.year}"

    def clean(self) -> None:
        if self.rank is not None and self.ranked_among and not 1 <= self.rank <= self.ranked_among:
            raise ValidationError({"rank": _("Thứ hạng phải từ 1 đến tổng số tỉnh, thành phố được xếp hạng.")})


class ReformIndicesPage(NewsPage):
    """Chỉ số CCHC: for each index, a chart of the score over the years and, beside it, the same
    figures as a table (for screen readers, and for anyone who prefers numbers)."""

    intro = models.TextField(_("giới thiệu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types: list[str] = []
    parent_page_types = ["news.NewsHomePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("trang chỉ số CCHC")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["indices"] = rules.index_series(
            [
                rules.IndexYear(
                    index=row.index,
                    year=row.year,
                    score=float(row.score),
                    rank=row.rank,
                    ranked_among=row.ranked_among,
                    source=row.source,
                    is_demo=row.is_demo,
                )
                for row in ReformIndexScore.objects.all()
            ],
            labels={value: str(label) for value, label in ReformIndex.choices},
        )
        return context


# --- Bulletin issues (Bản tin CCHC) -------------------------------------------------------------------


class BulletinIndexPage(NewsPage):
    """Bản tin Cải cách hành chính: the issues, newest first."""

    intro = models.TextField(_("giới thiệu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["news.BulletinPage"]
    parent_page_types = ["news.NewsHomePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("danh sách bản tin")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        issues = BulletinPage.objects.live().public().child_of(self).order_by("-issued_on", "-number")
        context["issues"] = Paginator(issues.select_related("pdf"), PAGE_SIZE).get_page(request.GET.get("trang"))
        return context


class BulletinPage(NewsPage):
    """Một số Bản tin CCHC: it collects articles (and infographics) and documents of the library.
    Publishing it (by the editor's action, the reviewer's approval or the schedule) also prints it:
    the PDF for printing is made from the published issue and attached (news.services)."""

    number = models.PositiveSmallIntegerField(_("số"))
    issued_on = models.DateField(_("ngày phát hành"))
    intro = models.TextField(_("lời giới thiệu"), blank=True)
    documents = ParentalManyToManyField(LegalDocument, verbose_name=_("văn bản"), blank=True, related_name="bulletins")
    pdf = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("bản in (PDF)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("number"), FieldPanel("issued_on")], heading=_("Số bản tin")),
        FieldPanel("intro"),
        InlinePanel("items", label=_("Tin, bài trong số này")),
        FieldPanel("documents"),
    ]
    parent_page_types = ["news.BulletinIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("số bản tin CCHC")
        verbose_name_plural = _("số bản tin CCHC")

    @property
    def label(self) -> str:
        return str(_("Bản tin Cải cách hành chính số %(n)s/%(y)s") % {"n": self.number, "y": self.issued_on.year})

    def contents(self) -> list[Any]:
        """The issue's articles and infographics that are live, in the editor's order."""
        return [item.page.specific for item in self.items.select_related("page") if item.page and item.page.live]

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["contents"] = self.contents()
        context["issue_documents"] = self.documents.all()
        return context


class BulletinItem(Orderable):
    bulletin = ParentalKey(BulletinPage, on_delete=models.CASCADE, related_name="items")
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("tin, bài"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [PageChooserPanel("page", page_type=["news.ArticlePage", "news.InfographicPage"])]

    class Meta(Orderable.Meta):
        verbose_name = _("tin, bài trong bản tin")
        verbose_name_plural = _("tin, bài trong bản tin")


# --- The centre's electronic board (bảng điện tử) ------------------------------------------------------


@register_setting(icon="desktop")
class SignageSettings(BaseGenericSetting):
    """What the electronic board in front of the service centre shows (/bang-dien-tu/), set by
    the editor in Wagtail's settings: the slogans, whether upcoming events and today's figures
    are shown, and how long each slide stays."""

    heading = models.CharField(_("tiêu đề trên bảng"), max_length=150, default="Trung tâm Phục vụ hành chính công tỉnh")
    slogans = models.TextField(
        _("khẩu hiệu"),
        blank=True,
        default=(
            "Người dân, doanh nghiệp là trung tâm phục vụ\nNộp hồ sơ trực tuyến: không phải đi lại, giảm 50% lệ phí"
        ),
        help_text=_("Mỗi dòng một khẩu hiệu."),
    )
    show_events = models.BooleanField(_("hiện sự kiện sắp diễn ra"), default=True)
    show_figures = models.BooleanField(_("hiện số liệu hồ sơ hôm nay"), default=True)
    seconds_per_slide = models.PositiveSmallIntegerField(
        _("số giây mỗi trang"), default=12, validators=[MinValueValidator(5), MaxValueValidator(120)]
    )

    panels = [
        FieldPanel("heading"),
        FieldPanel("slogans"),
        FieldPanel("show_events"),
        FieldPanel("show_figures"),
        FieldPanel("seconds_per_slide"),
    ]

    class Meta:
        verbose_name = _("bảng điện tử")

    @property
    def slogan_list(self) -> list[str]:
        return [line.strip() for line in self.slogans.splitlines() if line.strip()]


class NewsRevision(models.Model):
    """A single row whose token changes whenever what the public sees of the section changes (a
    page published, unpublished, moved or deleted; a document of the library saved or deleted),
    so that each process knows when its search index and the cached pages are out of date. A
    random token rather than a counter: a rolled-back write must never leave a value that a
    later, different write can reach again."""

    token = models.CharField(max_length=32, default="")

    class Meta:
        verbose_name = _("phiên bản nội dung tin tức")


class PageViewDay(models.Model):
    """Views (lượt xem) of one article, infographic or document on one day, moved here from the
    cache's counters by the task worker (news.page_views.flush_views)."""

    day = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=20)
    item_id = models.PositiveBigIntegerField(_("mục"))
    views = models.PositiveIntegerField(_("lượt xem"), default=0)

    class Meta:
        verbose_name = _("lượt xem trong ngày")
        constraints = [models.UniqueConstraint(fields=["day", "kind", "item_id"], name="news_page_view_day_unique")]
        indexes = [models.Index(fields=["day", "kind"])]
