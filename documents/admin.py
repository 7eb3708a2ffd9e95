from django.contrib import admin

from org.permissions import CapabilityAdminMixin

from .models import DocumentType


@admin.register(DocumentType)
class DocumentTypeAdmin(CapabilityAdminMixin, admin.ModelAdmin):
    """Loại giấy tờ: kept by the procedure controllers with the catalog."""

    permission_capabilities = {"view": "catalog.edit", "add": "catalog.edit", "change": "catalog.edit"}
    list_display = ("name", "code", "valid_months")
    search_fields = ("name", "code", "keywords")
