"""The public catalog of administrative procedures (thủ tục hành chính, TTHC).

A ``Procedure`` is identified by its national code; its content lives in ``ProcedureVersion``
rows, one per announcement decision (quyết định công bố). The version shown to the public is the
newest published one whose decision is already in effect; re-announcing adds a version and keeps
the old one.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .rules import document_requirement, offered_online, working_days_for

TRANSLATED_LANGUAGES = ("en", "zh-hans", "ko", "ja")


class Category(models.Model):
    """Nhóm lĩnh vực: a coarse grouping of fields for browsing (Hộ tịch, Đất đai, …)."""

    slug = models.SlugField(_("đường dẫn rút gọn"), max_length=120, unique=True)
    name = models.CharField(_("tên"), max_length=200, unique=True)
    name_translations = models.JSONField(_("bản dịch tên"), default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nhóm lĩnh vực")
        verbose_name_plural = _("nhóm lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Field(models.Model):
    """Lĩnh vực, as published in the national database."""

    slug = models.SlugField(_("đường dẫn rút gọn"), max_length=120, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=200, unique=True)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="fields", verbose_name=_("nhóm")
    )
    name_translations = models.JSONField(_("bản dịch tên"), default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ImplementingAgency(models.Model):
    """Cơ quan thực hiện as the catalog publishes it ("Sở Tư pháp", "Ủy ban nhân dân cấp xã"),
    linked to the province's concrete agencies that play that part."""

    slug = models.SlugField(_("đường dẫn rút gọn"), max_length=200, unique=True)
    name = models.CharField(_("tên cơ quan thực hiện"), max_length=255, unique=True)
    name_translations = models.JSONField(_("bản dịch tên"), default=dict, blank=True)
    agencies = models.ManyToManyField(
        "org.Agency", blank=True, related_name="catalog_roles", verbose_name=_("cơ quan trong tỉnh")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cơ quan thực hiện")
        verbose_name_plural = _("cơ quan thực hiện")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LifeEvent(models.Model):
    """Sự kiện đời sống: a situation in a person's life that groups procedures (a birth, a marriage)."""

    slug = models.SlugField(_("đường dẫn rút gọn"), max_length=120, unique=True)
    name = models.CharField(_("tên"), max_length=200, unique=True)
    name_translations = models.JSONField(_("bản dịch tên"), default=dict, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    description_translations = models.JSONField(_("bản dịch mô tả"), default=dict, blank=True)
    procedures: models.ManyToManyField = models.ManyToManyField(
        "Procedure", blank=True, related_name="life_events", verbose_name=_("thủ tục")
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("sự kiện đời sống")
        verbose_name_plural = _("sự kiện đời sống")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class AnnouncementDecision(models.Model):
    """Quyết định công bố: the decision that announces procedures; they are public from its
    effective date."""

    number = models.CharField(_("số quyết định"), max_length=80, unique=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    signed_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    effective_on = models.DateField(_("ngày có hiệu lực"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quyết định công bố")
        verbose_name_plural = _("quyết định công bố")
        ordering = ["-effective_on", "number"]

    def __str__(self) -> str:
        return self.number


class Procedure(models.Model):
    """Thủ tục hành chính, identified by its national code (``1.001193``; a province variant may
    carry a suffix)."""

    code = models.CharField(_("mã thủ tục"), max_length=40, unique=True)
    popularity = models.PositiveIntegerField(
        _("mức độ sử dụng"), default=0, help_text=_("Số hồ sơ mỗi năm; dùng để xếp hạng và gợi ý.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Level(models.TextChoices):
    MINISTRY = "ministry", _("Cấp bộ")
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")
    OTHER = "other", _("Cơ quan khác")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không trực tuyến")


class Channel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    IN_PERSON = "in_person", _("Trực tiếp")
    POSTAL = "postal", _("Dịch vụ bưu chính")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã công bố")
    WITHDRAWN = "withdrawn", _("Đã bãi bỏ")


class ProcedureVersion(models.Model):
    """The content of a procedure under one announcement decision."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="versions", verbose_name=_("thủ tục")
    )
    decision = models.ForeignKey(
        AnnouncementDecision, on_delete=models.PROTECT, related_name="versions", verbose_name=_("quyết định công bố")
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    # Some published names are longer than 1,000 characters (1.013980 has 1,094).
    name = models.CharField(_("tên thủ tục"), max_length=2000)
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="versions", verbose_name=_("lĩnh vực"))
    agencies = models.ManyToManyField(
        ImplementingAgency, blank=True, related_name="versions", verbose_name=_("cơ quan thực hiện")
    )
    agency_text = models.CharField(_("cơ quan thực hiện (như công bố)"), max_length=1000, blank=True)
    levels = models.JSONField(
        _("cấp thực hiện"), default=list, help_text=_("Danh sách: ministry, province, commune, other.")
    )
    online_level = models.CharField(
        _("mức độ trực tuyến"), max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    channels = models.JSONField(_("cách thức nộp"), default=list, help_text=_("Danh sách: online, in_person, postal."))
    processing_days = models.PositiveSmallIntegerField(_("thời hạn giải quyết (ngày làm việc)"), null=True, blank=True)
    days_by_channel = models.JSONField(
        _("thời hạn theo cách thức nộp (ngày làm việc)"),
        default=dict,
        blank=True,
        help_text=_('Ví dụ {"online": 8, "in_person": 18, "postal": 18}; cách thức không ghi dùng thời hạn chung.'),
    )
    processing_time_text = models.TextField(_("thời hạn giải quyết (như công bố)"), blank=True)
    fee_text = models.TextField(_("phí, lệ phí (như công bố)"), blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    steps = models.JSONField(_("trình tự thực hiện"), default=list, blank=True)
    legal_bases = models.JSONField(_("căn cứ pháp lý"), default=list, blank=True)
    result = models.TextField(_("kết quả"), blank=True)
    source_url = models.URLField(_("nguồn"), max_length=500, blank=True)
    review_notes = models.JSONField(
        _("cần rà soát"),
        default=list,
        blank=True,
        help_text=_("Những điểm nhập khẩu không tự xác định được; cán bộ kiểm soát TTHC rà soát."),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[agencies])

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure__code", "-decision__effective_on"]
        constraints = [models.UniqueConstraint(fields=["procedure", "decision"], name="one_version_per_decision")]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.procedure.code} — {self.name}"

    def working_days(self, channel: str) -> int | None:
        """Thời hạn giải quyết for a dossier that came by ``channel``."""
        return working_days_for(channel, self.days_by_channel or {}, self.processing_days)

    @property
    def offered_online(self) -> bool:
        """Open to online dossiers (published as online, with working days for that channel)."""
        return offered_online(
            online_level=self.online_level, channels=list(self.channels), online_days=self.working_days("online")
        )


class FeeItem(models.Model):
    """One structured fee (phí, lệ phí): an amount in VND for a channel, with its conditions."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="fee_items")
    channel = models.CharField(
        _("cách thức"), max_length=10, choices=Channel.choices, blank=True, help_text=_("Để trống: mọi cách thức.")
    )
    amount_vnd = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    unit = models.CharField(_("đơn vị tính"), max_length=200, blank=True)
    description = models.TextField(_("mô tả, điều kiện"), blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("khoản phí, lệ phí")
        verbose_name_plural = _("khoản phí, lệ phí")
        ordering = ["position"]


class RequiredDocument(models.Model):
    """Thành phần hồ sơ."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="documents")
    case = models.CharField(_("trường hợp"), max_length=1000, blank=True)
    name = models.TextField(_("tên giấy tờ"))
    original_count = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    copy_count = models.PositiveSmallIntegerField(_("bản sao"), default=0)
    template_name = models.CharField(_("mẫu đơn, tờ khai"), max_length=200, blank=True)
    template_file = models.FileField(_("tệp mẫu"), upload_to="forms/", blank=True)
    required = models.BooleanField(
        _("bắt buộc"),
        default=True,
        help_text=_("Mọi người nộp đều phải có giấy tờ này; bỏ chọn nếu chỉ cần trong một trường hợp."),
    )
    presented_only = models.BooleanField(
        _("chỉ xuất trình"),
        default=False,
        help_text=_("Giấy tờ phải xuất trình khi đến cơ quan; không nộp, không tải lên."),
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["position"]

    @property
    def applies_to(self) -> str:
        """The situation (trường hợp) this document is for, "" when it is for everybody; the
        published case column's headings ("* Giấy tờ phải nộp:") are not situations."""
        return document_requirement(self.case, self.name).case

    @property
    def uploaded(self) -> bool:
        """Asked for as a file online (documents only shown in person never are)."""
        return not self.presented_only


class TranslationStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    REVIEWED = "reviewed", _("Đã duyệt")


class ProcedureTranslation(models.Model):
    """A translation of a version's citizen-facing text. Only reviewed translations are shown;
    elsewhere the Vietnamese text is shown with a notice."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="translations", verbose_name=_("phiên bản thủ tục")
    )
    language = models.CharField(_("ngôn ngữ"), max_length=10, choices=[(c, c) for c in TRANSLATED_LANGUAGES])
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=TranslationStatus.choices, default=TranslationStatus.DRAFT
    )
    name = models.CharField(_("tên thủ tục"), max_length=2000)
    processing_time_text = models.TextField(_("thời hạn giải quyết"), blank=True)
    fee_text = models.TextField(_("phí, lệ phí"), blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    steps = models.JSONField(_("trình tự thực hiện"), default=list, blank=True)
    result = models.TextField(_("kết quả"), blank=True)
    documents = models.JSONField(
        _("thành phần hồ sơ"),
        default=list,
        blank=True,
        help_text=_('Danh sách {"case", "name"} theo đúng thứ tự thành phần hồ sơ.'),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người duyệt"),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bản dịch")
        verbose_name_plural = _("bản dịch")
        constraints = [models.UniqueConstraint(fields=["version", "language"], name="one_translation_per_language")]


class FormStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã công bố")


class DeclarationForm(models.Model):
    """Tờ khai: the official declaration form of a procedure, as data (see ``catalog.declaration``):
    a JSON Schema document (draft 2020-12), a layout for people, and filled examples. Dated: the
    form a dossier is filled with is the published one with the latest ``effective_from`` on or
    before the day it is submitted, so a new form replaces the old one on its day and the old
    dossiers keep theirs. Published only through ``services.declaration_form_publish``, which
    refuses a form that fails ``declaration.form_problems``."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="declaration_forms", verbose_name=_("thủ tục")
    )
    form_number = models.CharField(
        _("số hiệu mẫu"),
        max_length=100,
        blank=True,
        help_text=_("Ví dụ: Mẫu CT01 hoặc Tờ khai ban hành kèm Thông tư 04/2024/TT-BTP."),
    )
    title = models.CharField(_("tên tờ khai"), max_length=300)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    effective_from = models.DateField(_("áp dụng từ ngày"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=FormStatus.choices, default=FormStatus.DRAFT)
    schema = models.JSONField(_("lược đồ (JSON Schema 2020-12)"), default=dict)
    layout = models.JSONField(_("bố cục"), default=dict, blank=True)
    examples = models.JSONField(_("ví dụ đã điền"), default=list, blank=True)
    translations = models.JSONField(
        _("bản dịch"),
        default=dict,
        blank=True,
        help_text=_(
            'Theo ngôn ngữ (en, zh-hans, ko, ja): {"chữ tiếng Việt trên tờ khai": "bản dịch"}; '
            "giá trị được lưu vẫn là tiếng Việt."
        ),
    )
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người công bố"),
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tờ khai")
        verbose_name_plural = _("tờ khai")
        ordering = ["procedure__code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "effective_from"],
                condition=models.Q(status="published"),
                name="one_published_form_per_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} — {self.title} ({self.effective_from:%d/%m/%Y})"

    def texts_in(self, language: str | None) -> dict[str, str]:
        """The form's translations into ``language`` (empty for Vietnamese or an untranslated one)."""
        found = self.translations.get(language or "") if isinstance(self.translations, dict) else None
        return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}

    def localized(self, language: str | None) -> tuple[Any, Any]:
        """The schema and layout to show in ``language`` (``declaration.localize``)."""
        from .declaration import localize

        return localize(self.schema, self.layout, self.texts_in(language))

    def title_in(self, language: str | None) -> str:
        return self.texts_in(language).get(self.title, self.title)


class SearchSynonym(models.Model):
    """Từ đồng nghĩa: words citizens use for official terms ("sổ đỏ" for "giấy chứng nhận quyền
    sử dụng đất"). Each row is a group of phrases that mean the same thing in one language."""

    language = models.CharField(_("ngôn ngữ"), max_length=10, default="vi", choices=settings.LANGUAGES)
    phrases = models.TextField(_("các cụm từ"), help_text=_("Mỗi cụm từ một dòng hoặc cách nhau bằng dấu phẩy."))
    is_active = models.BooleanField(_("đang dùng"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("từ đồng nghĩa")
        verbose_name_plural = _("từ đồng nghĩa")

    def __str__(self) -> str:
        return self.phrases[:80]

    def phrase_list(self) -> list[str]:
        return [p.strip() for p in self.phrases.replace("\n", ",").split(",") if p.strip()]


class CatalogRevision(models.Model):
    """A single row whose token changes on every catalog write, so each process knows when to
    rebuild its search index. A random token rather than a counter: a rolled-back write must
    never leave a value that a later, different write can reach again."""

    token = models.CharField(max_length=32, default="")

    class Meta:
        verbose_name = _("phiên bản danh mục")
