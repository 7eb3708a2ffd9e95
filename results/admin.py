"""Electronic results in the admin: read only (signed documents are made by
``results.services`` only), scoped to the officer's agencies."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from org.permissions import AgencyScopedAdminMixin

from .models import ElectronicResult


@admin.register(ElectronicResult)
class ElectronicResultAdmin(AgencyScopedAdminMixin):
    agency_field = "dossier__processing_agency"
    permission_capabilities = {"view": "dossier.view"}
    list_display = ("code", "name", "signer", "signed_at", "origin")
    list_filter = ("origin",)
    search_fields = ("code",)
    date_hierarchy = "signed_at"
    readonly_fields = (
        "dossier",
        "approval",
        "n",
        "code",
        "name",
        "origin",
        "stored_file",
        "sha256",
        "signer",
        "signed_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
