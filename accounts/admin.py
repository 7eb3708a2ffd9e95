from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from org.admin import MembershipInline

from .models import User


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
