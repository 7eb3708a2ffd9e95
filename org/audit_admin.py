"""The audit trail in the admin: read-only for everyone, superusers included. Administrators
(capability "audit.view") list, filter, search and export it.

The screens sit above the trail (DESIGN.md: audit is below org, and every context writes to it):
they are scoped by org's capabilities, so org registers them, and audit imports nothing of org."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path

from audit import views
from audit.models import AuditEvent

from .permissions import CapabilityAdminMixin


@admin.register(AuditEvent)
class AuditEventAdmin(CapabilityAdminMixin, admin.ModelAdmin):
    permission_capabilities = {"view": "audit.view"}
    list_display = ("at", "action", "actor_label", "ip_address", "target_type", "target_id")
    list_filter = ("action",)
    search_fields = ("actor_label", "target_type", "target_id", "ip_address")
    date_hierarchy = "at"
    fields = ("at", "action", "actor", "actor_label", "ip_address", "user_agent", "target_type", "target_id", "details")
    readonly_fields = fields
    list_select_related = ("actor",)
    actions = None

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:  # type: ignore[override]
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:  # type: ignore[override]
        def wrap(view: Any) -> Any:
            def bound(request: HttpRequest) -> HttpResponse:
                return view(request, self)

            return self.admin_site.admin_view(bound)

        return [
            path("tim-kiem/", wrap(views.search), name="audit_auditevent_search"),
            path("xuat-csv/", wrap(views.export), name="audit_auditevent_export"),
            *super().get_urls(),
        ]
