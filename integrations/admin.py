"""The outboxes in the admin, for technical administrators (superusers): read only, with a
"try again now" action. Addresses and payloads with personal data stay out of the lists."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import DeliveryAttempt, NotificationDelivery, SyncMessage


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SyncAttemptInline(ReadOnly, admin.TabularInline):
    model = DeliveryAttempt
    fk_name = "sync_message"
    fields = ("attempt", "at", "ok", "error")
    extra = 0


@admin.register(SyncMessage)
class SyncMessageAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("__str__", "action", "national_status", "created_at", "attempts", "next_attempt_at", "delivered_at")
    list_filter = ("national_status", ("delivered_at", admin.EmptyFieldListFilter))
    search_fields = ("payload__MaHoSo",)
    fields = (
        "dossier",
        "sequence",
        "action",
        "national_status",
        "payload",
        "created_at",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "last_error",
    )
    raw_id_fields = ("dossier",)
    inlines = (SyncAttemptInline,)
    actions = ("retry_now",)

    @admin.action(description=_("Gửi lại ngay"))
    def retry_now(self, request: HttpRequest, queryset: QuerySet[SyncMessage]) -> None:
        count = services.sync_retry(messages=queryset)
        self.message_user(
            request,
            ngettext("%(count)d bản tin sẽ được gửi lại.", "%(count)d bản tin sẽ được gửi lại.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(NotificationDelivery)
class NotificationDeliveryAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("__str__", "attempts", "next_attempt_at", "gave_up", "last_error", "sent_at")
    list_filter = ("gave_up", "notification__channel")
    list_select_related = ("notification",)
    fields = ("notification", "attempts", "next_attempt_at", "gave_up", "last_error")
    raw_id_fields = ("notification",)
    actions = ("retry_now",)

    @admin.display(description=_("thời điểm gửi"))
    def sent_at(self, obj: NotificationDelivery) -> Any:
        return obj.notification.sent_at

    @admin.action(description=_("Gửi lại ngay"))
    def retry_now(self, request: HttpRequest, queryset: QuerySet[NotificationDelivery]) -> None:
        count = services.notification_retry(deliveries=queryset)
        self.message_user(
            request,
            ngettext("%(count)d thông báo sẽ được gửi lại.", "%(count)d thông báo sẽ được gửi lại.", count)
            % {"count": count},
            messages.SUCCESS,
        )
