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
from django.core.validators import MinLengthValidator
from django.db import models
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Locale, Page
from wagtail.search import index

from . import rules

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


class NewsHomePage(NewsPage):
    """Trang chủ chuyên mục Cải cách hành chính."""

    intro = models.TextField(_("giới thiệu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["news.ArticleIndexPage", "news.DocumentLibraryPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("trang chủ tin tức CCHC")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["latest"] = published_items(self.locale)[:6]
        context["sections"] = self.get_children().live().public().specific()
        return context


class ArticleIndexPage(NewsPage):
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


class ArticlePage(NewsPage):
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


class InfographicPage(NewsPage):
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

    class Meta:
        verbose_name = _("infographic")
        verbose_name_plural = _("infographic")

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
        return self.render(
            request,
            template="news/legal_document.html",
            context_overrides={"document": found, "procedures": procedures_citing(found.number)},
        )
