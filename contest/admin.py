"""Màn hình ban tổ chức cuộc thi (Django admin, for editors holding ``news.edit``): contests,
rounds (with the draw checked against the bank), the question bank and its XLSX import (row
errors shown, nothing imported while any row is bad), closing and ranking a round, the winners
list as XLSX, and the contest log (read only). Writes go through ``services``."""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from org.permissions import CapabilityAdminMixin

from . import rules, selectors, services
from .errors import ContestError
from .imports import COLUMNS
from .models import (
    Contest,
    ContestEvent,
    ContestKind,
    Criterion,
    Initiative,
    InitiativeAttachment,
    Judge,
    Option,
    Question,
    QuestionBank,
    Round,
    Scorecard,
    Topic,
)

EDITORS = {"view": "news.edit", "add": "news.edit", "change": "news.edit", "close": "news.edit"}
READERS = {"view": "news.edit"}


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0
    fields = ("position", "text", "is_correct")


class TopicInline(admin.TabularInline):
    model = Topic
    extra = 0
    fields = ("code", "name")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp câu hỏi (.xlsx)"),
        help_text=gettext_lazy("Mỗi dòng một câu hỏi; dòng đầu là tiêu đề cột."),
    )
    dry_run = forms.BooleanField(label=gettext_lazy("Chỉ kiểm tra, chưa nhập"), required=False, initial=True)


@admin.register(QuestionBank)
class QuestionBankAdmin(CapabilityAdminMixin, admin.ModelAdmin):
    permission_capabilities = EDITORS
    list_display = ("name", "question_count", "import_link", "created_at")
    inlines = [TopicInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[QuestionBank]:
        return super().get_queryset(request).annotate(n=Count("questions"))

    @admin.display(description=gettext_lazy("số câu hỏi (mọi phiên bản)"))
    def question_count(self, bank: Any) -> int:
        return int(getattr(bank, "n", 0))

    @admin.display(description=gettext_lazy("nhập từ XLSX"))
    def import_link(self, bank: QuestionBank) -> str:
        url = reverse("admin:contest_questionbank_import", args=[bank.pk])
        return format_html('<a href="{}">{}</a>', url, _("Nhập câu hỏi"))

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "<int:pk>/nhap-cau-hoi/",
                self.admin_site.admin_view(self.import_view),
                name="contest_questionbank_import",
            )
        ]
        return own + super().get_urls()

    def import_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_change_permission(request):
            raise PermissionDenied
        bank = get_object_or_404(QuestionBank, pk=pk)
        report = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            dry_run = form.cleaned_data["dry_run"]
            report = services.questions_import(
                bank=bank, file=form.cleaned_data["file"], actor=request.user, now=timezone.now(), dry_run=dry_run
            )
            if report.ok and not dry_run:
                self.message_user(
                    request,
                    _("Đã nhập: %(created)d câu mới, %(versions)d câu có phiên bản mới, %(same)d câu không đổi.")
                    % {"created": report.created, "versions": report.new_versions, "same": report.unchanged},
                    messages.SUCCESS,
                )
                return redirect("admin:contest_questionbank_change", bank.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "bank": bank,
            "form": form,
            "report": report,
            "columns": list(COLUMNS.values()),
            "title": _("Nhập câu hỏi vào “%(bank)s”") % {"bank": bank.name},
        }
        return TemplateResponse(request, "admin/contest/import.html", context)


@admin.register(Question)
class QuestionAdmin(CapabilityAdminMixin, admin.ModelAdmin):
    permission_capabilities = EDITORS
    list_display = ("code", "version", "is_current", "topic", "kind", "short_text", "points")
    list_filter = ("bank", "is_current", "kind", "topic")
    search_fields = ("code", "text", "legal_basis")
    inlines = [OptionInline]
    list_select_related = ("topic",)

    @admin.display(description=gettext_lazy("câu hỏi"))
    def short_text(self, question: Question) -> str:
        return question.text[:90]


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = (
            "contest",
            "number",
            "title",
            "opens_at",
            "closes_at",
            "time_limit_seconds",
            "grace_seconds",
            "attempts_allowed",
            "bank",
            "draw_spec",
            "tie_break_question",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        bank, spec = data.get("bank"), data.get("draw_spec")
        if bank is not None and isinstance(spec, dict):
            sizes = dict(
                Question.objects.filter(bank=bank, is_current=True)
                .values_list("topic__code")
                .annotate(n=Count("pk"))
                .values_list("topic__code", "n")
            )
            try:
                problems = rules.draw_problems(spec, sizes)
            except (AttributeError, TypeError):
                problems = ["format"]
            if problems:
                self.add_error(
                    "draw_spec",
                    _("Cơ cấu đề không dùng được với ngân hàng câu hỏi: %(problems)s (số câu hiện có: %(sizes)s).")
                    % {"problems": ", ".join(problems), "sizes": sizes},
                )
        return data


class RoundInline(admin.TabularInline):
    model = Round
    form = RoundForm
    extra = 0
    fields = ("number", "title", "opens_at", "closes_at", "bank", "time_limit_seconds", "attempts_allowed")
    show_change_link = True


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ("position", "name", "description", "weight", "max_points")
    verbose_name_plural = gettext_lazy("Tiêu chí chấm sáng kiến (chỉ cho cuộc thi sáng kiến)")


class JudgeInline(admin.TabularInline):
    """Hội đồng chấm: the officers who score every initiative of the contest."""

    model = Judge
    extra = 0
    fields = ("user", "added_at")
    readonly_fields = ("added_at",)
    raw_id_fields = ("user",)
    verbose_name_plural = gettext_lazy("Hội đồng chấm (chỉ cho cuộc thi sáng kiến)")


@admin.register(Contest)
class ContestAdmin(CapabilityAdminMixin, admin.ModelAdmin):
    permission_capabilities = EDITORS
    list_display = ("title", "kind", "is_published", "organiser", "created_at")
    list_filter = ("is_published", "kind")
    search_fields = ("title",)
    prepopulated_fields = {"slug": ("title",)}
    inlines = [RoundInline, CriterionInline, JudgeInline]
    readonly_fields = ("initiatives_ranked_at", "results_published_at")
    actions = ["rank_initiatives", "publish_results"]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        if formset.model is Judge and formset.has_changed():
            contest = form.instance
            services.panel_changed(
                contest=contest,
                actor=request.user,
                now=timezone.now(),
                judges=[str(j.user) for j in Judge.objects.filter(contest=contest).select_related("user")],
            )

    @admin.action(
        description=gettext_lazy("Xếp hạng sáng kiến theo điểm trung bình của hội đồng"), permissions=["close"]
    )
    def rank_initiatives(self, request: HttpRequest, queryset: QuerySet[Contest]) -> None:
        now = timezone.now()
        for contest in queryset.filter(kind=ContestKind.INITIATIVE):
            try:
                ranked = services.initiatives_rank(contest=contest, now=now, actor=request.user)
            except ContestError as error:
                self.message_user(request, f"{contest}: {error.message}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Đã xếp hạng %(n)d sáng kiến của “%(contest)s”.") % {"n": ranked, "contest": contest},
                    messages.SUCCESS,
                )

    @admin.action(description=gettext_lazy("Công bố kết quả và các sáng kiến đoạt giải"), permissions=["close"])
    def publish_results(self, request: HttpRequest, queryset: QuerySet[Contest]) -> None:
        now = timezone.now()
        for contest in queryset.filter(kind=ContestKind.INITIATIVE):
            try:
                services.initiatives_publish(contest=contest, now=now, actor=request.user)
            except ContestError:
                self.message_user(
                    request, _("“%(contest)s” chưa xếp hạng: chưa thể công bố.") % {"contest": contest}, messages.ERROR
                )
            else:
                self.message_user(
                    request, _("Đã công bố kết quả “%(contest)s”.") % {"contest": contest}, messages.SUCCESS
                )

    def has_close_permission(self, request: HttpRequest) -> bool:
        return self.capability_allows(request, "close")


class AttachmentInline(admin.TabularInline):
    model = InitiativeAttachment
    extra = 0
    fields = ("name", "file")
    readonly_fields = ("name", "file")
    can_delete = False


class ScorecardInline(admin.TabularInline):
    model = Scorecard
    extra = 0
    fields = ("judge", "score", "points", "comment", "saved_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Initiative)
class InitiativeAdmin(CapabilityAdminMixin, admin.ModelAdmin):
    """The organisers see authors and every scorecard; the judges never come here (their page is
    blind)."""

    permission_capabilities = {"view": "news.edit"}
    list_display = ("code", "title", "contest", "author_name", "author_unit", "scorecards", "average", "rank", "prize")
    list_filter = ("contest", "prize")
    search_fields = ("code", "title", "author_name", "author_unit")
    ordering = ("contest", "rank", "code")
    inlines = [AttachmentInline, ScorecardInline]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:  # type: ignore[override]
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Round)
class RoundAdmin(CapabilityAdminMixin, admin.ModelAdmin):
    permission_capabilities = EDITORS
    form = RoundForm
    list_display = ("__str__", "contest", "opens_at", "closes_at", "phase", "participants_count", "links")
    list_filter = ("contest",)
    readonly_fields = ("closed_at", "ranked_at", "participants_count")
    actions = ["close_and_rank"]

    @admin.display(description=gettext_lazy("tình trạng"))
    def phase(self, round_: Round) -> str:
        return str(selectors.phase_of(round_, timezone.now()).label)

    @admin.display(description=gettext_lazy("kết quả"))
    def links(self, round_: Round) -> str:
        if round_.ranked_at is None:
            return "—"
        url = reverse("admin:contest_round_winners", args=[round_.pk])
        return format_html('<a href="{}">{}</a>', url, _("Tải danh sách đoạt giải (XLSX)"))

    @admin.action(description=gettext_lazy("Đóng vòng thi và xếp hạng"), permissions=["close"])
    def close_and_rank(self, request: HttpRequest, queryset: QuerySet[Round]) -> None:
        now = timezone.now()
        for round_ in queryset.select_related("contest"):
            try:
                closed = services.round_close(round_=round_, now=now, actor=request.user)
            except ContestError:
                self.message_user(
                    request,
                    _("%(round)s chưa kết thúc (đóng lúc %(end)s): chưa thể đóng và xếp hạng.")
                    % {"round": round_, "end": timezone.localtime(round_.closes_at).strftime("%H:%M %d/%m/%Y")},
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    _("Đã đóng và xếp hạng %(round)s: %(n)d người tham gia, %(auto)d bài tự động nộp.")
                    % {"round": round_, "n": round_.participants_count or 0, "auto": closed},
                    messages.SUCCESS,
                )

    def has_close_permission(self, request: HttpRequest) -> bool:
        return self.capability_allows(request, "close")

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "<int:pk>/danh-sach-doat-giai.xlsx",
                self.admin_site.admin_view(self.winners_view),
                name="contest_round_winners",
            )
        ]
        return own + super().get_urls()

    def winners_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        round_ = get_object_or_404(Round.objects.select_related("contest"), pk=pk)
        rows = list(selectors.winners(round_))
        content = winners_xlsx(round_, rows)
        services.winners_exported(round_=round_, actor=request.user, now=timezone.now(), count=len(rows))
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="doat-giai-{round_.contest.slug}-vong-{round_.number}.xlsx"'
        )
        return response


def winners_xlsx(round_: Round, standings: list[Any]) -> bytes:
    """Danh sách đoạt giải: one row per winner, names in full, for the organisers."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Doat giai"
    sheet.append([f"{round_.contest.title} — {round_}"])
    sheet.append(
        [
            _("Hạng"),
            _("Giải"),
            _("Họ và tên"),
            _("Ngày sinh"),
            _("Xã, phường"),
            _("Đối tượng"),
            _("Số điện thoại"),
            _("Điểm"),
            _("Chênh lệch dự đoán"),
            _("Thời gian làm bài (giây)"),
        ]
    )
    groups = dict(rules.Group.choices)
    for s in standings:
        p = s.participant
        sheet.append(
            [
                s.rank,
                s.get_prize_display(),
                p.full_name,
                p.birth_date.strftime("%d/%m/%Y"),
                p.commune.name,
                str(groups.get(p.group, p.group)),
                p.phone,
                s.score,
                s.prediction_gap,
                round(s.time_taken_ms / 1000, 1),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@admin.register(ContestEvent)
class ContestEventAdmin(CapabilityAdminMixin, admin.ModelAdmin):
    permission_capabilities = READERS
    list_display = ("at", "action", "actor", "contest", "round", "details")
    list_filter = ("action",)
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:  # type: ignore[override]
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
