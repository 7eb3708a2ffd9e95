"""Dossiers in the admin: read only (every change goes through ``dossiers.services``), scoped to
the officer's agencies. Procedure forms are edited here by procedure controllers."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from org.permissions import AgencyScopedAdminMixin, AgencyScopedInlineMixin, CapabilityAdminMixin

from .models import (
    ClockStop,
    DailySequence,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierSlip,
    ProcessingStep,
)

DOSSIER_VIEW = {"view": "dossier.view"}


class NoWrites:
    """History is written by the services only, not even by superusers in the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(NoWrites, AgencyScopedInlineMixin, admin.TabularInline):
    extra = 0
    agency_field = "dossier__processing_agency"
    permission_capabilities = DOSSIER_VIEW


class EventInline(ReadOnlyInline):
    model = DossierEvent
    fields = ("at", "action", "from_state", "to_state", "actor_label", "actor_role", "handed_to", "note", "details")


class DocumentInline(ReadOnlyInline):
    model = DossierDocument
    fields = ("required_document", "handed_in", "quantity", "note")


class ClockStopInline(ReadOnlyInline):
    model = ClockStop
    fields = ("reason", "started_on", "ended_on")


class SlipInline(ReadOnlyInline):
    model = DossierSlip
    fields = ("kind", "created_at", "sha256")
    readonly_fields = fields


@admin.register(Dossier)
class DossierAdmin(NoWrites, AgencyScopedAdminMixin, admin.ModelAdmin):
    """Identification and phone numbers are not in the list; they show on the dossier's page."""

    agency_field = "processing_agency"
    permission_capabilities = DOSSIER_VIEW
    list_display = ("__str__", "state", "procedure_version", "receiving_unit", "processing_agency", "due_on")
    list_filter = ("state", "channel", "extended")
    list_select_related = ("procedure_version", "procedure_version__procedure", "receiving_unit", "processing_agency")
    search_fields = ("code",)
    date_hierarchy = "created_at"
    inlines = (DocumentInline, ClockStopInline, EventInline, SlipInline)


@admin.register(DailySequence)
class DailySequenceAdmin(NoWrites, admin.ModelAdmin):
    list_display = ("unit", "day", "last_number")
    date_hierarchy = "day"


@admin.register(ProcessingStep)
class ProcessingStepAdmin(CapabilityAdminMixin, admin.ModelAdmin):
    """Bước xử lý per procedure, kept by procedure controllers like the rest of the catalog."""

    permission_capabilities = {
        "view": "catalog.edit",
        "add": "catalog.edit",
        "change": "catalog.edit",
        "delete": "catalog.edit",
    }
    list_display = ("procedure", "order", "name", "role")
    list_filter = ("role",)
    autocomplete_fields = ("procedure",)
    search_fields = ("procedure__code", "name")
    ordering = ("procedure__code", "order")
