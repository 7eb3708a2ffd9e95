from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from common.formats import mask_identifier
from org.admin import MembershipInline
from org.models import Membership
from org.permissions import CapabilityAdminMixin
from org.services import membership_change_record

from .models import OrganizationLink, User
from .organizations import organization_link_confirm


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "kind", "is_staff", "is_active")
    list_filter = ("kind", "is_staff", "is_active")
    search_fields = ("username", "full_name")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("motcua", {"fields": ("kind", "full_name", "phone", "preferred_language")}),
    )
    inlines = [MembershipInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        if formset.model is Membership:
            for membership in formset.new_objects:
                membership_change_record(request=request, membership=membership, change="added")
            for membership, _fields in formset.changed_objects:
                membership_change_record(request=request, membership=membership, change="changed")
            for membership in formset.deleted_objects:
                membership_change_record(request=request, membership=membership, change="removed")


@admin.register(OrganizationLink)
class OrganizationLinkAdmin(CapabilityAdminMixin, admin.ModelAdmin):
    """Officers with "org.manage" confirm business representatives; the links are citizens'
    declarations, so nothing here is edited by hand."""

    list_display = ("organization_name", "tax_code", "user", "masked_personal_id", "created_at", "confirmed_at")
    list_filter = (("confirmed_at", admin.EmptyFieldListFilter),)
    search_fields = ("organization_name", "tax_code", "user__full_name")
    readonly_fields = ("user", "masked_personal_id", "organization_name", "tax_code", "confirmed_by", "confirmed_at")
    fields = readonly_fields
    actions = ["confirm"]
    permission_capabilities = {"view": "org.manage", "confirm": "org.manage"}

    def get_queryset(self, request: HttpRequest) -> QuerySet[OrganizationLink]:
        return super().get_queryset(request).select_related("user", "confirmed_by")

    @admin.display(description=_("Số định danh"))
    def masked_personal_id(self, obj: OrganizationLink) -> str:
        return mask_identifier(obj.user.personal_id) if obj.user.personal_id else ""

    def has_confirm_permission(self, request: HttpRequest) -> bool:
        return self.capability_allows(request, "confirm")

    @admin.action(description=_("Xác nhận người đại diện của các tổ chức đã chọn"), permissions=["confirm"])
    def confirm(self, request: HttpRequest, queryset: QuerySet[OrganizationLink]) -> None:
        confirmed = skipped = 0
        for link in queryset.select_related("user"):
            if link.user_id == request.user.pk:
                skipped += 1
            elif organization_link_confirm(link=link, actor=request.user, request=request):
                confirmed += 1
        self.message_user(request, _("Đã xác nhận %(n)d liên kết.") % {"n": confirmed}, messages.SUCCESS)
        if skipped:
            self.message_user(request, _("Không thể tự xác nhận liên kết của chính mình."), messages.WARNING)
