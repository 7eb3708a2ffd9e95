"""Controllers keep the catalog here: edit, translate side by side, publish. Every change is
recorded (django-simple-history: who, when, what changed) and refreshes the search index. Who may
do what comes from the permission matrix (org.permissions): "catalog.edit" to edit, "catalog.publish"
to publish; deleting is for superusers."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from org.permissions import CapabilityAdminMixin

from . import declaration
from .models import (
    AnnouncementDecision,
    Category,
    DeclarationForm,
    FeeItem,
    Field,
    FormStatus,
    ImplementingAgency,
    LifeEvent,
    Procedure,
    ProcedureTranslation,
    ProcedureVersion,
    RequiredDocument,
    SearchSynonym,
)
from .selectors import awaiting_working_days, translation_coverage
from .services import FormNotPublishable, catalog_revision_bump, declaration_form_publish, procedure_version_publish

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


@admin.register(DeclarationForm)
class DeclarationFormAdmin(RevisionBumpingAdmin):
    """Tờ khai: controllers edit the schema, the layout and the examples of a draft, look at it
    ("Xem trước": the form as a citizen sees it, from what is saved) and publish it; publishing
    runs the check and refuses with the problems listed. A published form is not edited in place
    (dossiers were filled with it): "Tạo bản nháp mới" copies it for a later date."""

    list_display = ("procedure", "title", "form_number", "effective_from", "status", "preview_link")
    list_filter = ("status",)
    search_fields = ("procedure__code", "title", "form_number")
    autocomplete_fields = ("procedure",)
    actions = ["publish", "new_draft"]
    permission_capabilities = {**CATALOG_EDIT, "publish": "catalog.publish"}
    fields = (
        "procedure",
        "title",
        "form_number",
        "legal_basis",
        "effective_from",
        "status",
        "published_at",
        "published_by",
        "preview_link",
        "check_result",
        "schema",
        "layout",
        "examples",
    )
    READ_ONLY = ("status", "published_at", "published_by", "preview_link", "check_result")
    PUBLISHED_FIXED = ("procedure", "effective_from", "schema", "layout", "examples")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.status == FormStatus.PUBLISHED:
            return (*self.READ_ONLY, *self.PUBLISHED_FIXED)
        return self.READ_ONLY

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return self.capability_allows(request, "publish")

    @admin.display(description=_("Xem trước"))
    def preview_link(self, obj: DeclarationForm) -> str:
        if obj.pk is None:
            return "—"
        url = reverse("admin:catalog_declarationform_preview", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Xem trước"))

    @admin.display(description=_("Kiểm tra trước khi công bố"))
    def check_result(self, obj: DeclarationForm) -> str:
        if obj.pk is None:
            return "—"
        problems = declaration.form_problems(obj.schema, obj.layout, obj.examples, today=timezone.localdate())
        if not problems:
            return gettext("Đạt: có thể công bố.")
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((p,) for p in problems)))

    def get_urls(self) -> list[Any]:
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("<int:pk>/preview/", preview, name="catalog_declarationform_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Xem trước: the form rendered read-only from what is saved, empty or with an example."""
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        form = get_object_or_404(DeclarationForm, pk=pk)
        examples = form.examples if isinstance(form.examples, list) else []
        chosen = request.GET.get("example", "")
        data = examples[int(chosen) - 1] if chosen.isdigit() and 1 <= int(chosen) <= len(examples) else {}
        try:
            sections = declaration.sections(form.schema, form.layout, data)
        except (AttributeError, TypeError, ValueError):
            sections = []
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "declaration_form": form,
            "declaration_sections": sections,
            "examples": range(1, len(examples) + 1),
            "problems": declaration.form_problems(form.schema, form.layout, form.examples, today=timezone.localdate()),
            "title": gettext("Xem trước tờ khai"),
        }
        return TemplateResponse(request, "admin/catalog/declarationform/preview.html", context)

    @admin.action(description=_("Công bố các tờ khai đã chọn (sau khi kiểm tra)"), permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet[DeclarationForm]) -> None:
        published = 0
        for form in queryset:
            try:
                declaration_form_publish(form=form, actor=request.user)
                published += 1
            except FormNotPublishable as refused:
                self.message_user(
                    request,
                    format_html(
                        "{} <ul>{}</ul>",
                        gettext("Chưa công bố “%(form)s”: tờ khai còn lỗi:") % {"form": form},
                        format_html_join("", "<li>{}</li>", ((p,) for p in refused.problems)),
                    ),
                    messages.ERROR,
                )
        if published:
            self.message_user(request, gettext("Đã công bố %(n)d tờ khai.") % {"n": published}, messages.SUCCESS)

    @admin.action(description=_("Tạo bản nháp mới từ tờ khai đã chọn"), permissions=["add"])
    def new_draft(self, request: HttpRequest, queryset: QuerySet[DeclarationForm]) -> None:
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        for form in queryset:
            copy = DeclarationForm.objects.create(
                procedure=form.procedure,
                title=form.title,
                form_number=form.form_number,
                legal_basis=form.legal_basis,
                effective_from=max(tomorrow, form.effective_from + datetime.timedelta(days=1)),
                schema=form.schema,
                layout=form.layout,
                examples=form.examples,
            )
            self.log_addition(request, copy, [{"added": {}}])
        self.message_user(request, gettext("Đã tạo %(n)d bản nháp.") % {"n": queryset.count()}, messages.SUCCESS)
