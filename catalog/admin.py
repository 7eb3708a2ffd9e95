"""Controllers keep the catalog here: edit, translate side by side, publish. Every change is
recorded (django-simple-history: who, when, what changed) and refreshes the search index. Who may
do what comes from the permission matrix (org.permissions): "catalog.edit" to edit, "catalog.publish"
to publish; deleting is for superusers."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from org.permissions import CapabilityAdminMixin

from .models import (
    AnnouncementDecision,
    Category,
    FeeItem,
    Field,
    ImplementingAgency,
    LifeEvent,
    Procedure,
    ProcedureTranslation,
    ProcedureVersion,
    RequiredDocument,
    SearchSynonym,
)
from .selectors import awaiting_working_days, translation_coverage
from .services import catalog_revision_bump, procedure_version_publish

CATALOG_EDIT = {"view": "catalog.edit", "add": "catalog.edit", "change": "catalog.edit"}


class RevisionBumpingAdmin(CapabilityAdminMixin, SimpleHistoryAdmin):
    """Any save or delete from the admin refreshes the search index of every process."""

    permission_capabilities = CATALOG_EDIT

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        transaction.on_commit(catalog_revision_bump)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        catalog_revision_bump()


LANGUAGE_NAMES = {
    "en": _("Tiếng Anh"),
    "zh-hans": _("Tiếng Trung (giản thể)"),
    "ko": _("Tiếng Hàn"),
    "ja": _("Tiếng Nhật"),
}


class TranslationCoverageMixin:
    """Above the list: the share of procedures translated (reviewed) in each language, among the
    most used and among all public procedures."""

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        coverage = [(LANGUAGE_NAMES.get(c.language, c.language), c) for c in translation_coverage()]
        return super().changelist_view(  # type: ignore[misc]
            request, {**(extra_context or {}), "translation_coverage": coverage}
        )


class FeeItemInline(CapabilityAdminMixin, admin.TabularInline):
    model = FeeItem
    permission_capabilities = {**CATALOG_EDIT, "delete": "catalog.edit"}
    extra = 0


class RequiredDocumentInline(CapabilityAdminMixin, admin.StackedInline):
    model = RequiredDocument
    permission_capabilities = {**CATALOG_EDIT, "delete": "catalog.edit"}
    extra = 0
    fields = (
        ("case", "position"),
        "name",
        ("required", "presented_only"),
        ("original_count", "copy_count"),
        ("template_name", "template_file"),
    )


class TranslationInline(CapabilityAdminMixin, admin.StackedInline):
    model = ProcedureTranslation
    permission_capabilities = CATALOG_EDIT
    extra = 0
    fields = ("language", "status", "name")
    show_change_link = True


class AwaitingWorkingDaysFilter(admin.SimpleListFilter):
    """Chờ thời hạn giải quyết: versions published as online that cannot take online dossiers
    until a controller sets their working days (the most used procedures first)."""

    title = _("thời hạn giải quyết")
    parameter_name = "awaiting_days"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("1", _("Chờ thời hạn để nhận hồ sơ trực tuyến"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> QuerySet[ProcedureVersion]:
        if self.value() != "1":
            return queryset
        return awaiting_working_days(queryset)


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(RevisionBumpingAdmin):
    list_display = (
        "procedure",
        "name",
        "field",
        "status",
        "decision",
        "processing_days",
        "popularity",
        "needs_review",
    )
    list_filter = (AwaitingWorkingDaysFilter, "status", "online_level", "field__category", "decision")
    search_fields = ("procedure__code", "name")
    autocomplete_fields = ("field", "agencies", "decision")
    readonly_fields = ("review_notes", "source_url", "updated_at")
    inlines = [FeeItemInline, RequiredDocumentInline, TranslationInline]
    actions = ["publish"]
    permission_capabilities = {**CATALOG_EDIT, "publish": "catalog.publish"}
    fieldsets = (
        (None, {"fields": ("procedure", "decision", "status", "name", "field", "agencies", "agency_text")}),
        (
            _("Thực hiện"),
            {
                "fields": (
                    "levels",
                    "online_level",
                    "channels",
                    "processing_days",
                    "days_by_channel",
                    "processing_time_text",
                )
            },
        ),
        (_("Nội dung"), {"fields": ("fee_text", "conditions", "steps", "legal_bases", "result")}),
        (_("Rà soát"), {"fields": ("review_notes", "source_url", "updated_at")}),
    )

    @admin.display(boolean=True, description=_("Cần rà soát"))
    def needs_review(self, obj: ProcedureVersion) -> bool:
        return bool(obj.review_notes)

    @admin.display(description=_("mức độ sử dụng"), ordering="procedure__popularity")
    def popularity(self, obj: ProcedureVersion) -> int:
        return obj.procedure.popularity

    def get_ordering(self, request: HttpRequest) -> Any:
        if request.GET.get(AwaitingWorkingDaysFilter.parameter_name) == "1":
            return ("-procedure__popularity", "procedure__code")
        return super().get_ordering(request)

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return self.capability_allows(request, "publish")

    @admin.action(description=_("Công bố các phiên bản đã chọn"), permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        for version in queryset:
            procedure_version_publish(version=version, actor=request.user)
        self.message_user(request, _("Đã công bố %(n)d phiên bản.") % {"n": queryset.count()}, messages.SUCCESS)


@admin.register(ProcedureTranslation)
class ProcedureTranslationAdmin(TranslationCoverageMixin, RevisionBumpingAdmin):
    """Translation side by side: the Vietnamese text (read-only) next to each translated field."""

    list_display = ("version", "language", "status", "updated_at")
    list_filter = ("language", "status")
    search_fields = ("version__procedure__code", "name", "version__name")
    readonly_fields = ("source_name", "source_processing_time", "source_fee", "source_result", "source_documents")
    fieldsets = (
        (None, {"fields": ("version", "language", "status", "reviewed_by")}),
        (
            _("Tiếng Việt → bản dịch"),
            {
                "fields": (
                    ("source_name", "name"),
                    ("source_processing_time", "processing_time_text"),
                    ("source_fee", "fee_text"),
                    ("source_result", "result"),
                    ("source_documents", "documents"),
                    "conditions",
                    "steps",
                )
            },
        ),
    )

    @admin.display(description=_("Tên (tiếng Việt)"))
    def source_name(self, obj: ProcedureTranslation) -> str:
        return obj.version.name if obj.pk else ""

    @admin.display(description=_("Thời hạn (tiếng Việt)"))
    def source_processing_time(self, obj: ProcedureTranslation) -> str:
        return obj.version.processing_time_text if obj.pk else ""

    @admin.display(description=_("Phí, lệ phí (tiếng Việt)"))
    def source_fee(self, obj: ProcedureTranslation) -> str:
        return obj.version.fee_text if obj.pk else ""

    @admin.display(description=_("Kết quả (tiếng Việt)"))
    def source_result(self, obj: ProcedureTranslation) -> str:
        return obj.version.result if obj.pk else ""

    @admin.display(description=_("Thành phần hồ sơ (tiếng Việt)"))
    def source_documents(self, obj: ProcedureTranslation) -> str:
        if not obj.pk:
            return ""
        return "\n".join(f"{i + 1}. {d.name}" for i, d in enumerate(obj.version.documents.all()))


@admin.register(Procedure)
class ProcedureAdmin(TranslationCoverageMixin, CapabilityAdminMixin, admin.ModelAdmin):
    """A procedure holds only its code and popularity (no history of its own: its versions keep
    theirs)."""

    list_display = ("code", "popularity", "created_at")
    permission_capabilities = CATALOG_EDIT
    search_fields = ("code", "versions__name")


@admin.register(AnnouncementDecision)
class AnnouncementDecisionAdmin(RevisionBumpingAdmin):
    list_display = ("number", "issuer", "signed_on", "effective_on")
    search_fields = ("number", "issuer")


@admin.register(Field)
class FieldAdmin(RevisionBumpingAdmin):
    list_display = ("name", "category", "slug")
    list_filter = ("category",)
    search_fields = ("name",)


@admin.register(Category)
class CategoryAdmin(RevisionBumpingAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)


@admin.register(ImplementingAgency)
class ImplementingAgencyAdmin(RevisionBumpingAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    filter_horizontal = ("agencies",)


@admin.register(LifeEvent)
class LifeEventAdmin(CapabilityAdminMixin, admin.ModelAdmin):
    list_display = ("name", "position")
    permission_capabilities = {**CATALOG_EDIT, "delete": "catalog.edit"}
    filter_horizontal = ("procedures",)


@admin.register(SearchSynonym)
class SearchSynonymAdmin(RevisionBumpingAdmin):
    list_display = ("phrases", "language", "is_active")
    list_filter = ("language", "is_active")
    search_fields = ("phrases",)
