"""Kết quả điện tử: the signed result of an approved dossier, and the drafts processing officers
upload for it. The files themselves are ``documents.StoredFile`` rows (content-addressed)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Origin(models.TextChoices):
    TEMPLATE = "template", _("Tạo từ mẫu thông báo kết quả")
    DRAFT = "draft", _("Dự thảo do chuyên viên tải lên")
    FORM = "form", _("Lập từ tờ khai theo mẫu giấy tờ kết quả")


class ResultDraft(models.Model):
    """Dự thảo kết quả: a PDF the processing officer prepared; the latest one of the dossier is
    what the agency signs when the dossier is approved."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="result_drafts", verbose_name=_("hồ sơ")
    )
    stored_file = models.ForeignKey(
        "documents.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("tệp")
    )
    name = models.CharField(_("tên văn bản"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người tải lên")
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"))

    class Meta:
        verbose_name = _("dự thảo kết quả")
        verbose_name_plural = _("dự thảo kết quả")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.name


class ElectronicResult(models.Model):
    """Kết quả điện tử: the document the agency signed (PAdES) for one approval of a dossier, code
    ``<dossier code>-KQ<n>``. ``sha256`` is the signed file's, which the verification looks up."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="electronic_results", verbose_name=_("hồ sơ")
    )
    approval = models.OneToOneField(
        "dossiers.DossierEvent",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lần phê duyệt"),
        help_text=_("Mỗi lần phê duyệt có đúng một kết quả điện tử, dù tác vụ ký chạy lại."),
    )
    n = models.PositiveSmallIntegerField(_("số thứ tự kết quả"))
    code = models.CharField(_("mã kết quả"), max_length=100, unique=True)
    name = models.CharField(_("tên văn bản"), max_length=200)
    origin = models.CharField(_("nguồn văn bản"), max_length=10, choices=Origin.choices)
    stored_file = models.ForeignKey(
        "documents.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("tệp đã ký")
    )
    sha256 = models.CharField(_("mã băm SHA-256 của tệp đã ký"), max_length=64, db_index=True)
    signer = models.CharField(_("người ký (chứng thư số)"), max_length=300)
    signed_at = models.DateTimeField(_("thời điểm ký"))
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("kết quả điện tử")
        verbose_name_plural = _("kết quả điện tử")
        ordering = ["dossier_id", "n"]
        constraints = [models.UniqueConstraint(fields=["dossier", "n"], name="one_result_number_per_dossier")]
        indexes = [models.Index(fields=["signed_at"], name="eresult_signed_at")]

    def __str__(self) -> str:
        return self.code
