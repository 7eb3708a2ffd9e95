"""Nhật ký kiểm tra: an append-only trail of sign-ins, failed sign-ins, role changes, data exports
and officers' access to citizens' records. Rows are never changed or deleted by the application."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import AppendOnlyModel


class AuditAction(models.TextChoices):
    SIGN_IN = "sign_in", _("Đăng nhập")
    SIGN_IN_FAILED = "sign_in_failed", _("Đăng nhập không thành công")
    SIGN_OUT = "sign_out", _("Đăng xuất")
    ACCOUNT_LOCKED = "account_locked", _("Khóa tài khoản")
    OTP_ENROLLED = "otp_enrolled", _("Đăng ký xác thực hai lớp")
    ROLE_CHANGED = "role_changed", _("Thay đổi vai trò")
    DATA_EXPORTED = "data_exported", _("Xuất dữ liệu")
    RECORD_VIEWED = "record_viewed", _("Cán bộ xem hồ sơ công dân")
    ORGANIZATION_LINKED = "organization_linked", _("Liên kết tổ chức")
    FEE_OVERRIDDEN = "fee_overridden", _("Cán bộ nhập số tiền phí, lệ phí khác biểu phí")


class AuditEvent(AppendOnlyModel):
    """One audited event: who, when, from where, what."""

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    action = models.CharField(_("hành động"), max_length=40, choices=AuditAction.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("người thực hiện"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=300, blank=True)
    target_type = models.CharField(_("loại đối tượng"), max_length=100, blank=True)
    target_id = models.CharField(_("mã đối tượng"), max_length=100, blank=True)
    details = models.JSONField(_("chi tiết"), default=dict, blank=True)

    class Meta:
        verbose_name = _("sự kiện kiểm tra")
        verbose_name_plural = _("nhật ký kiểm tra")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.actor_label}"
