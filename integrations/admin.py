"""The national portal's outbox in the admin, for technical administrators (superusers): read
only, with a "try again now" action."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import DeliveryAttempt, SyncMessage


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
