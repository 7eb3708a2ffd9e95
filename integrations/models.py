"""The national portal's outbox: sync messages (``SyncMessage``) and every try to deliver one
(``DeliveryAttempt``). The citizens' notifications are the notifications app's outbox."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SyncMessage(models.Model):
    """Hộp thư đi đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia: one message per transition of a
    dossier, numbered per dossier (``sequence``) and delivered strictly in that order."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        db_index=False,  # one_sync_message_per_sequence begins with it
        related_name="sync_messages",
        verbose_name=_("hồ sơ"),
    )
    sequence = models.PositiveIntegerField(_("số thứ tự"))
    action = models.CharField(_("thao tác"), max_length=30)
    national_status = models.PositiveSmallIntegerField(_("trạng thái trên Cổng quốc gia"))
    payload = models.JSONField(_("nội dung"))
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("lần gửi tiếp theo"), null=True, blank=True)
    locked_until = models.DateTimeField(_("đang gửi đến"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("thời điểm đã gửi"), null=True, blank=True)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("bản tin đồng bộ Cổng quốc gia")
        verbose_name_plural = _("bản tin đồng bộ Cổng quốc gia")
        ordering = ["dossier_id", "sequence"]
        constraints = [models.UniqueConstraint(fields=["dossier", "sequence"], name="one_sync_message_per_sequence")]
        indexes = [models.Index(fields=["delivered_at", "dossier", "sequence"], name="sync_outbox")]

    def __str__(self) -> str:
        return f"{self.payload.get('MaHoSo', self.dossier_id)} #{self.sequence}"


class DeliveryAttempt(models.Model):
    """Một lần gửi bản tin đồng bộ: whether it went through and why not."""

    sync_message = models.ForeignKey(SyncMessage, on_delete=models.CASCADE, related_name="delivery_attempts")
    attempt = models.PositiveSmallIntegerField(_("lần thứ"))
    at = models.DateTimeField(_("thời điểm"))
    ok = models.BooleanField(_("thành công"))
    error = models.CharField(_("lỗi"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("lần gửi")
        verbose_name_plural = _("các lần gửi")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"#{self.attempt} {'ok' if self.ok else self.error[:40]}"
