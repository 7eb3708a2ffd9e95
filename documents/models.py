"""Tài liệu: stored files, the files of a dossier with their digitization metadata, document
types, and the citizen's data store (kho dữ liệu).

Files are content-addressed: one ``StoredFile`` per SHA-256, written once through
``documents.services.file_store`` and never served from a public address (downloads go through
permission-checked views). Every change goes through ``documents.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .rules import is_digitized


class StoredFile(models.Model):
    """Tệp đã lưu: checked content, stored once whatever the number of dossiers using it."""

    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    content_type = models.CharField(_("loại tệp"), max_length=40)
    page_count = models.PositiveIntegerField(_("số trang"), default=1)
    storage_name = models.CharField(_("tên trong kho lưu trữ"), max_length=255, unique=True)
    created_at = models.DateTimeField(_("thời điểm lưu"), auto_now_add=True)
    # Nhận dạng chữ (OCR): filled by the worker, once per content.
    text = models.TextField(_("nội dung nhận dạng"), blank=True)
    # The same text folded (no case, no diacritics: common.text.fold) for searching.
    search_text = models.TextField(blank=True, editable=False)
    recognized_at = models.DateTimeField(_("thời điểm nhận dạng"), null=True, blank=True)

    class Meta:
        verbose_name = _("tệp đã lưu")
        verbose_name_plural = _("tệp đã lưu")

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.content_type})"


class DocumentType(models.Model):
    """Loại giấy tờ: the kinds of documents people hand in and get back (giấy khai sinh, căn cước,
    giấy chứng nhận quyền sử dụng đất…). A stored document is reused for a required document of
    the same type; ``keywords`` tell which required documents of the catalog are of this type."""

    code = models.SlugField(_("mã loại"), max_length=80, unique=True)
    name = models.CharField(_("tên loại giấy tờ"), max_length=300)
    keywords = models.TextField(
        _("từ khóa nhận biết"),
        blank=True,
        help_text=_(
            "Mỗi dòng một cụm từ; thành phần hồ sơ có tên chứa cụm từ đó (không phân biệt dấu) thuộc loại này."
        ),
    )
    valid_months = models.PositiveSmallIntegerField(
        _("thời hạn sử dụng (tháng)"), null=True, blank=True, help_text=_("Để trống nếu không có thời hạn.")
    )

    class Meta:
        verbose_name = _("loại giấy tờ")
        verbose_name_plural = _("loại giấy tờ")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def keyword_list(self) -> list[str]:
        return [line.strip() for line in self.keywords.splitlines() if line.strip()]


class Purpose(models.TextChoices):
    SUBMITTED = "submitted", _("Nộp kèm hồ sơ")
    SUPPLEMENT = "supplement", _("Bổ sung hồ sơ")
    SCAN = "scan", _("Số hóa tại Bộ phận Một cửa")
    REUSED = "reused", _("Dùng lại từ kho dữ liệu")
    RESULT = "result", _("Kết quả giải quyết")


class DossierFile(models.Model):
    """Tệp của hồ sơ: a file filling one slot (thành phần hồ sơ) of a dossier, with the metadata of
    its digitization (số hóa). The metadata fields are what an officer confirmed; what recognition
    proposed waits in ``proposal`` until then."""

    # No index of its own: dossierfile_current begins with it.
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, db_index=False, related_name="files")
    required_document = models.ForeignKey(
        "catalog.RequiredDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("thành phần hồ sơ"),
    )
    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="dossier_files")
    name = models.CharField(_("tên tệp"), max_length=130)
    purpose = models.CharField(_("mục đích"), max_length=12, choices=Purpose.choices)
    store_item = models.ForeignKey(
        "StoreItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uses",
        verbose_name=_("dùng lại từ kho dữ liệu"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)
    replaced_at = models.DateTimeField(
        _("thời điểm bị thay thế"), null=True, blank=True, help_text=_("Tệp cũ được giữ lại để đối chiếu.")
    )

    document_type = models.ForeignKey(
        DocumentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("loại giấy tờ")
    )
    number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    issuer = models.CharField(_("cơ quan cấp"), max_length=300, blank=True)
    issued_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    holder = models.CharField(_("người được cấp"), max_length=200, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("thời điểm xác nhận thông tin"), null=True, blank=True)
    proposal = models.JSONField(_("thông tin đề xuất từ nhận dạng"), default=dict, blank=True)

    class Meta:
        verbose_name = _("tệp của hồ sơ")
        verbose_name_plural = _("tệp của hồ sơ")
        ordering = ["uploaded_at", "id"]
        constraints = [
            # One current file per slot; replaced files stay for the record.
            models.UniqueConstraint(
                fields=["dossier", "required_document"],
                condition=Q(replaced_at__isnull=True, required_document__isnull=False) & ~Q(purpose="result"),
                name="one_current_file_per_slot",
            )
        ]
        indexes = [models.Index(fields=["dossier", "replaced_at"], name="dossierfile_current")]

    def __str__(self) -> str:
        return self.name

    @property
    def digitized(self) -> bool:
        """Đã số hóa: the file and its metadata are both present (see ``rules.is_digitized``)."""
        return is_digitized(
            has_file=self.stored_file_id is not None,
            document_type=self.document_type_id,
            holder=self.holder,
            issued_on=self.issued_on,
            confirmed=self.confirmed_at is not None,
        )


class DigitizedDossier(models.Model):
    """Hồ sơ đã số hóa: set when the last handed-in document of a dossier is digitized (and
    cleared if a slot loses its file), so that the index counts it in one query."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="digitization")
    digitized_at = models.DateTimeField(_("thời điểm số hóa xong"))

    class Meta:
        verbose_name = _("hồ sơ đã số hóa")
        verbose_name_plural = _("hồ sơ đã số hóa")


class Source(models.TextChoices):
    DIGITIZED = "digitized", _("Số hóa tại Bộ phận Một cửa")
    E_RESULT = "e_result", _("Kết quả điện tử")
    UPLOAD = "upload", _("Tự tải lên")


class StoreItem(models.Model):
    """Kho dữ liệu: a document kept for its owner to reuse in later dossiers. Removing it hides it
    from its owner and from reuse; dossiers that already used it keep their own copy."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="store_items")
    kind = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="items", verbose_name=_("loại"))
    number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    issuer = models.CharField(_("cơ quan cấp"), max_length=300, blank=True)
    issued_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    valid_until = models.DateField(_("có giá trị đến"), null=True, blank=True)
    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="store_items")
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("hồ sơ gốc"),
    )
    created_at = models.DateTimeField(_("thời điểm thêm"), auto_now_add=True)
    removed_at = models.DateTimeField(_("thời điểm xóa"), null=True, blank=True)

    class Meta:
        verbose_name = _("giấy tờ trong kho dữ liệu")
        verbose_name_plural = _("kho dữ liệu công dân")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "stored_file", "kind"],
                condition=Q(removed_at__isnull=True),
                name="one_store_item_per_file_and_kind",
            )
        ]
        indexes = [models.Index(fields=["owner", "kind", "removed_at"], name="storeitem_reuse")]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}".strip()
