"""The outbox in the admin, for technical administrators (superusers): read only, with "try
again now". Addresses and payloads (personal data) stay out of the list; a row's page shows its
tries."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import DeliveryAttempt, Notification


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AttemptInline(ReadOnly, admin.TabularInline):
    model = DeliveryAttempt
    fields = ("attempt", "at", "ok", "error")
    extra = 0


class StatusFilter(admin.SimpleListFilter):
    title = _("tình trạng")
    parameter_name = "tinh_trang"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("sent", _("Đã gửi")), ("waiting", _("Đang chờ gửi")), ("failed", _("Đã ngừng gửi"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Notification]) -> QuerySet[Notification]:
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False)
        if self.value() == "waiting":
            return queryset.filter(sent_at__isnull=True, failed_at__isnull=True)
        if self.value() == "failed":
            return queryset.filter(sent_at__isnull=True, failed_at__isnull=False)
        return queryset


@admin.register(Notification)
class NotificationAdmin(ReadOnly, admin.ModelAdmin):
    list_display = (
        "template_key",
        "channel",
        "reference",
        "language",
        "created_at",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "failed_at",
        "last_error",
    )
    list_filter = (StatusFilter, "channel", "template_key", "language")
    search_fields = ("=reference", "template_key")
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = (
        "subject_type",
        "subject_id",
        "reference",
        "channel",
        "language",
        "template_key",
        "created_at",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "failed_at",
        "last_error",
    )
    inlines = (AttemptInline,)
    actions = ("retry_now",)

    @admin.action(description=_("Gửi lại ngay"))
    def retry_now(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = services.notification_retry(notifications=queryset)
        self.message_user(
            request,
            ngettext("%(count)d thông báo sẽ được gửi lại.", "%(count)d thông báo sẽ được gửi lại.", count)
            % {"count": count},
            messages.SUCCESS,
        )
