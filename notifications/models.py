"""Hộp thư đi: the one outbox of the portal. A notification is a message about any subject (a
dossier, a feedback item, a contest round…), to one recipient at one address, by one channel,
from a template (``"<context>.<event>"``) in the recipient's language, filled from its payload
when it is sent. Delivery state lives on the row: tries, the next try, the last error, sent or
given up. Every try is kept as a ``DeliveryAttempt``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")


def subject_label(subject: models.Model) -> str:
    """How a notification names its subject: ``"<app label>.<model name>"``."""
    return subject._meta.label_lower


class NotificationQuerySet(models.QuerySet["Notification"]):
    def about(self, subject: models.Model) -> NotificationQuerySet:
        """The notifications about ``subject`` (any model instance)."""
        return self.filter(subject_type=subject_label(subject), subject_id=str(subject.pk))

    def due(self, now: Any) -> NotificationQuerySet:
        """Not sent, not given up, and their next try has come."""
        return self.filter(sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now)


class Notification(models.Model):
    """Một thông báo: written in the transaction of the change it tells about (a rolled-back
    change tells nobody) and delivered by a worker once it commits. The payload fills the
    template; it never holds an identification or phone number (``address`` is where it goes)."""

    subject_type = models.CharField(_("loại đối tượng"), max_length=60)
    subject_id = models.CharField(_("mã đối tượng"), max_length=40)
    reference = models.CharField(
        _("số tham chiếu"), max_length=80, blank=True, help_text=_("Mã hồ sơ, mã phản ánh… để cán bộ tra cứu.")
    )
    recipient = models.ForeignKey(  # no index: the outbox is read by subject and by time
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
        related_name="+",
        verbose_name=_("người nhận"),
    )
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("địa chỉ nhận"), max_length=254)
    language = models.CharField(_("ngôn ngữ"), max_length=10, default="vi")
    template_key = models.CharField(_("mẫu"), max_length=60)
    payload = models.JSONField(_("nội dung"), default=dict)
    created_at = models.DateTimeField(_("thời điểm tạo"))
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("lần gửi tiếp theo"))
    # A worker's claim (a conditional update that one of two racing workers wins), so that two
    # workers never send one message at once.
    locked_until = models.DateTimeField(_("đang gửi đến"), null=True, blank=True)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    failed_at = models.DateTimeField(_("thời điểm ngừng gửi"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="notification_subject"),
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
                name="notification_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template_key} ({self.get_channel_display()})"


class DeliveryAttempt(models.Model):
    """Một lần gửi thông báo: whether it went through, and why not."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="attempt_log", verbose_name=_("thông báo")
    )
    attempt = models.PositiveSmallIntegerField(_("lần thứ"))
    at = models.DateTimeField(_("thời điểm"))
    ok = models.BooleanField(_("thành công"))
    error = models.CharField(_("lỗi"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("lần gửi thông báo")
        verbose_name_plural = _("các lần gửi thông báo")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"#{self.attempt} {'ok' if self.ok else self.error[:40]}"
