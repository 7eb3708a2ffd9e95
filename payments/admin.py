"""Fee policies in the admin for procedure controllers (with their history); payments read only,
scoped to the officer's agencies (every change goes through ``payments.services``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from org.permissions import AgencyScopedAdminMixin, AgencyScopedInlineMixin, CapabilityAdminMixin

from .models import FeePolicy, Payment, PaymentEvent

CATALOG_EDIT = {"view": "catalog.edit", "add": "catalog.edit", "change": "catalog.edit"}
DOSSIER_VIEW = {"view": "dossier.view"}


@admin.register(FeePolicy)
class FeePolicyAdmin(CapabilityAdminMixin, SimpleHistoryAdmin):
    """Chính sách miễn, giảm: dated data; a policy is ended (``valid_to``), not deleted, so that
    earlier dossiers keep their rule."""

    permission_capabilities = CATALOG_EDIT
    list_display = ("title", "kind", "percent", "channel", "beneficiary_group", "valid_from", "valid_to")
    list_filter = ("kind", "channel", "beneficiary_group")
    search_fields = ("title", "legal_basis")
    autocomplete_fields = ("procedures",)
    fields = (
        "kind",
        "title",
        "legal_basis",
        ("valid_from", "valid_to"),
        "percent",
        "channel",
        ("beneficiary_group", "proof_document"),
        "procedures",
    )


class NoWrites:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PaymentEventInline(NoWrites, AgencyScopedInlineMixin, admin.TabularInline):
    model = PaymentEvent
    extra = 0
    agency_field = "payment__dossier__processing_agency"
    permission_capabilities = DOSSIER_VIEW
    fields = ("at", "source", "actor", "from_state", "to_state", "note", "details")


@admin.register(Payment)
class PaymentAdmin(NoWrites, AgencyScopedAdminMixin, admin.ModelAdmin):
    agency_field = "dossier__processing_agency"
    permission_capabilities = DOSSIER_VIEW
    list_display = ("reference", "dossier", "method", "state", "amount_vnd", "paid_at", "needs_refund")
    list_filter = ("state", "method", "needs_refund")
    list_select_related = ("dossier",)
    search_fields = ("reference", "dossier__code", "gateway_number")
    date_hierarchy = "created_at"
    inlines = (PaymentEventInline,)
