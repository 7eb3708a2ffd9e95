"""Administrators manage agencies, one-stop units and staff memberships (roles) of their own
agencies here (capability "org.manage", scoped by org.permissions); superusers manage all. Every
change is kept by django-simple-history, and role changes are audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from . import audit_admin  # noqa: F401  (registers the audit trail's screens)
from .models import AdministrativeUnit, Agency, Membership, OneStopUnit
from .permissions import AgencyScopedAdminMixin, AgencyScopedInlineMixin, is_superuser
from .services import membership_change_record

ORG_MANAGE = {"view": "org.manage", "add": "org.manage", "change": "org.manage", "delete": "org.manage"}


class MembershipInline(AgencyScopedInlineMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("agency",)
    fk_name = "user"
    agency_field = "agency"
    permission_capabilities = ORG_MANAGE


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "level", "parent", "valid_from", "valid_to")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(Agency)
class AgencyAdmin(AgencyScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("code", "name", "level", "administrative_unit", "is_active")
    agency_field = "pk"
    # A new agency (or removing one) is a province decision: superusers only.
    permission_capabilities = {"view": "org.manage", "change": "org.manage"}
    # So is its place in the structure and its official code (the prefix of dossier codes).
    structure = ("code", "level", "administrative_unit", "parent", "is_active")

    def get_readonly_fields(self, request: HttpRequest, obj: Agency | None = None) -> Any:
        readonly = tuple(super().get_readonly_fields(request, obj))
        return readonly if is_superuser(request.user) else (*readonly, *self.structure)

    list_filter = ("level", "is_active")
    search_fields = ("code", "name", "short_name")


@admin.register(OneStopUnit)
class OneStopUnitAdmin(AgencyScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("code", "name", "administrative_unit", "phone")
    agency_field = "served_agencies"
    permission_capabilities = {"view": "org.manage", "change": "org.manage"}
    filter_horizontal = ("served_agencies",)
    search_fields = ("code", "name")


@admin.register(Membership)
class MembershipAdmin(AgencyScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("user", "agency", "role", "valid_from", "valid_to")
    list_filter = ("role",)
    autocomplete_fields = ("agency",)
    search_fields = ("user__username", "user__full_name", "agency__name")
    agency_field = "agency"
    permission_capabilities = ORG_MANAGE

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user" and not is_superuser(request.user):
            # Officers only: an administrator has no reason to browse citizens' names.
            kwargs["queryset"] = get_user_model()._default_manager.filter(kind="officer").order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        membership_change_record(request=request, membership=obj, change="changed" if change else "added")

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        membership_change_record(request=request, membership=obj, change="removed")
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset:
            membership_change_record(request=request, membership=membership, change="removed")
        super().delete_queryset(request, queryset)
