from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, Permission
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.formats import mask_identifier
from org.admin import MembershipInline
from org.models import Membership
from org.permissions import CapabilityAdminMixin
from org.services import membership_change_record

from .models import OrganizationLink, User
from .organizations import organization_link_confirm

# Django names a permission in English when it creates it ("Can add page"): the admin shows it from
# its model's name and the action instead, in Vietnamese.
ACTIONS = {"add": _("Thêm"), "change": _("Sửa"), "delete": _("Xóa"), "view": _("Xem")}
# Apps whose packages give them no name a translation can reach (the label, title-cased).
APP_NAMES = {"otp_totp": _("Ứng dụng xác thực"), "otp_static": _("Mã dự phòng"), "axes": _("Đăng nhập")}


def permission_label(permission: Permission) -> str:
    """ "<app> | <model> | <action>" in the active language."""
    content_type = permission.content_type
    model = content_type.model_class()
    app = APP_NAMES.get(content_type.app_label) or apps.get_app_config(content_type.app_label).verbose_name
    model_name = model._meta.verbose_name if model is not None else content_type.model
    action, _sep, rest = permission.codename.partition("_")
    if action in ACTIONS and model is not None and rest == model._meta.model_name:
        text = f"{ACTIONS[action]} {model_name}"
    else:
        text = gettext(permission.name)
    return f"{app} | {model_name} | {text}"


class _PermissionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Permission) -> str:
        return permission_label(obj)


def _permissions_field(db_field: Any, field: Any) -> Any:
    if db_field.name in ("permissions", "user_permissions"):
        return _PermissionsField(
            queryset=Permission.objects.select_related("content_type"),
            required=False,
            widget=field.widget,
            label=field.label,
            help_text=field.help_text,
        )
    return field


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

    def formfield_for_manytomany(self, db_field: Any, request: Any = None, **kwargs: Any) -> Any:
        return _permissions_field(db_field, super().formfield_for_manytomany(db_field, request, **kwargs))

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


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    def formfield_for_manytomany(self, db_field: Any, request: Any = None, **kwargs: Any) -> Any:
        return _permissions_field(db_field, super().formfield_for_manytomany(db_field, request, **kwargs))


from . import admin_security  # noqa: E402, F401  (the second factor and sign-in records)
