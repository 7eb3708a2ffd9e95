"""Wagtail's admin for the news section: the documents library and topics as snippets with
filters."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import LegalDocument, ReformIndexScore, Topic


class LegalDocumentViewSet(SnippetViewSet):
    model = LegalDocument
    icon = "doc-full"
    menu_label = _("Văn bản")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["number", "title", "issuer", "issued_on", "validity_label"]
    list_filter = ["doc_type", "field", "issuer"]
    search_fields = ["number", "title"]


class ReformIndexScoreViewSet(SnippetViewSet):
    """Chỉ số CCHC: entered by the analyst (group "Nhập chỉ số CCHC"); Wagtail keeps who changed what."""

    model = ReformIndexScore
    icon = "table"
    menu_label = _("Chỉ số CCHC")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["index", "year", "score", "rank", "ranked_among", "is_demo"]
    list_filter = ["index", "year", "is_demo"]


register_snippet(LegalDocumentViewSet)
register_snippet(ReformIndexScoreViewSet)
# Registered here, not by a decorator on the model: the decorator's registration is replayed each
# time the app registry is rebuilt (a test changing INSTALLED_APPS) and fails as a duplicate.
register_snippet(Topic)


# --- The translation status table (bảng tình trạng bản dịch) -----------------------------------------


@hooks.register("register_admin_urls")
def _translation_status_urls() -> list[Any]:
    from .views import translation_status

    return [path("ban-dich/", translation_status, name="news_translation_status")]


@hooks.register("register_admin_menu_item")
def _translation_status_menu() -> MenuItem:
    return MenuItem(_("Tình trạng bản dịch"), reverse("news_translation_status"), icon_name="globe", order=230)


# --- The editor's dashboard: what is due (sắp đến hạn) -------------------------------------------------


class DuePanel(Component):
    """On Wagtail's dashboard, beside its own panels of pages awaiting review: what goes live,
    expires or takes place in the next two weeks."""

    name = "news_due"
    order = 90
    template_name = "news/admin/due_panel.html"

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        from .selectors import editorial_due

        labels = {"go_live": _("Lên trang theo lịch"), "expire": _("Hết hạn hiển thị"), "event": _("Sự kiện diễn ra")}
        return {"items": [(item, labels[item.what]) for item in editorial_due()]}


@hooks.register("construct_homepage_panels")
def _due_panel(request: Any, panels: list[Any]) -> None:
    panels.append(DuePanel())
