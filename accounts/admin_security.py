"""The officers' second factor (django-otp) and sign-in records (django-axes) in the admin, in
Vietnamese: django-otp's admin has no translations, so its screens are redone here over the
proxies of ``accounts.models``; django-axes' screens are kept (its strings are translated in the
project's catalog) and show its records under Vietnamese names."""

from __future__ import annotations

from typing import Any

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AuthenticatorApp, BackupCodes, SignInFailure, SignInLockout, SignInLog

DEVICE_LABELS = {
    "user": _("Cán bộ"),
    "name": _("Tên thiết bị"),
    "confirmed": _("Đang dùng"),
    "key": _("Khóa bí mật"),
    "step": _("Bước thời gian (giây)"),
    "t0": _("Thời điểm bắt đầu đếm (Unix)"),
    "digits": _("Số chữ số của mã"),
    "tolerance": _("Số bước sai lệch cho phép"),
    "drift": _("Độ lệch đồng hồ đã biết"),
    "throttling_failure_timestamp": _("Lần nhập mã sai gần nhất"),
    "throttling_failure_count": _("Số lần nhập mã sai liên tiếp"),
}
DEVICE_HELP = {
    "user": _("Cán bộ sở hữu thiết bị này."),
    "name": _("Tên dễ nhận biết, ví dụ “Điện thoại công vụ”."),
    "confirmed": _("Thiết bị đã sẵn sàng để xác thực hay chưa."),
    "key": _("Khóa bí mật dạng hex, tối đa 40 byte."),
    "step": _("Mỗi mã có hiệu lực trong số giây này."),
    "t0": _("Thời điểm Unix bắt đầu đếm các bước."),
    "digits": _("Số chữ số của mỗi mã."),
    "tolerance": _("Số bước trước hoặc sau được chấp nhận."),
    "drift": _("Số bước đồng hồ của thiết bị lệch so với máy chủ."),
    "throttling_failure_timestamp": _("Để trống nếu lần xác thực gần nhất thành công."),
    "throttling_failure_count": _("Số lần nhập mã sai liên tiếp."),
}


class _DeviceForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in DEVICE_LABELS:
                field.label, field.help_text = DEVICE_LABELS[name], DEVICE_HELP.get(name, "")


class _DeviceColumns:
    """The list's columns and the read-only times, labelled in Vietnamese."""

    @admin.display(description=_("Cán bộ"), ordering="user__username")
    def officer(self, device: Any) -> str:
        return str(device.user)

    @admin.display(description=_("Tên thiết bị"), ordering="name")
    def device_name(self, device: Any) -> str:
        return str(device.name)

    @admin.display(description=_("Đang dùng"), boolean=True)
    def in_use(self, device: Any) -> bool:
        return bool(device.confirmed)

    @admin.display(description=_("Tạo lúc"), ordering="created_at")
    def created(self, device: Any) -> str:
        return _moment(device.created_at)

    @admin.display(description=_("Dùng lần cuối"), ordering="last_used_at")
    def last_used(self, device: Any) -> str:
        return _moment(device.last_used_at)


def _moment(at: Any) -> str:
    return formats.date_format(timezone.localtime(at), "d/m/Y H:i") if at else "—"


class AuthenticatorAppAdmin(_DeviceColumns, TOTPDeviceAdmin):
    form = _DeviceForm
    list_display = ["officer", "device_name", "created", "last_used", "in_use"]
    list_filter: list[Any] = []
    readonly_fields = ["created", "last_used"]

    def get_list_display(self, request: Any) -> Any:
        return self.list_display  # without the QR code link: the key stays on the officer's phone

    def get_fieldsets(self, request: Any, obj: Any = None) -> Any:
        configuration = ["step", "t0", "digits", "tolerance"] if obj else ["key", "step", "t0", "digits", "tolerance"]
        return [
            (_("Thiết bị"), {"fields": ["user", "name", "confirmed"]}),
            (_("Thời gian"), {"fields": ["created", "last_used"]}),
            (_("Cấu hình"), {"fields": configuration}),
            (_("Trạng thái"), {"fields": ["drift"]}),
            (_("Chặn thử mã"), {"fields": ["throttling_failure_timestamp", "throttling_failure_count"]}),
        ]


class _TokenInline(admin.TabularInline):
    model = StaticToken
    extra = 0
    verbose_name = _("mã dự phòng")
    verbose_name_plural = _("mã dự phòng")

    def formfield_for_dbfield(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "token" and field is not None:
            field.label = _("Mã")
        return field


class BackupCodesAdmin(_DeviceColumns, admin.ModelAdmin):
    form = _DeviceForm
    list_display = ["officer", "device_name", "created", "last_used", "in_use"]
    search_fields = ["user__username", "user__full_name"]
    raw_id_fields = ["user"]
    readonly_fields = ["created", "last_used"]
    fieldsets = [
        (_("Thiết bị"), {"fields": ["user", "name", "confirmed"]}),
        (_("Thời gian"), {"fields": ["created", "last_used"]}),
    ]
    inlines = [_TokenInline]

    def get_inline_instances(self, request: Any, obj: Any = None) -> Any:
        # Nobody reads an officer's unused recovery codes (OTP_ADMIN_HIDE_SENSITIVE_DATA).
        if settings.OTP_ADMIN_HIDE_SENSITIVE_DATA and obj:
            return []
        return super().get_inline_instances(request, obj)


for model in (TOTPDevice, StaticDevice, AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
admin.site.register(AuthenticatorApp, AuthenticatorAppAdmin)
admin.site.register(BackupCodes, BackupCodesAdmin)
admin.site.register(SignInLockout, AccessAttemptAdmin)
admin.site.register(SignInLog, AccessLogAdmin)
admin.site.register(SignInFailure, AccessFailureLogAdmin)
