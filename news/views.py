"""The centre's electronic board (bảng điện tử, /bang-dien-tu/): a full-screen page that rotates
the editor's slogans, the upcoming events and today's figures. The page is rendered once; its
script then asks for the slides again now and then (``?phan=trang``, the same template's slides
only) and for the figures (GET /api/v1/figures/today), so that a board left on for weeks shows
what the editor changed, and nothing else grows."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from wagtail.models import Locale

from .models import EventPage, SignageSettings
from .rules import TranslationState
from .selectors import documents_cited_by, translation_table

EVENTS_ON_BOARD = 5
CONTENT_REFRESH_SECONDS = 300
FIGURES_REFRESH_SECONDS = 30


@require_GET
def signage(request: HttpRequest) -> HttpResponse:
    config = SignageSettings.load(request_or_site=request)
    now = timezone.now()
    events = []
    if config.show_events:
        events = list(
            EventPage.objects.live()
            .public()
            .filter(locale=Locale.get_default(), starts_at__gte=now)
            .order_by("starts_at")[:EVENTS_ON_BOARD]
        )
    context = {
        "config": config,
        "slogans": config.slogan_list,
        "events": events,
        "figures_url": reverse("api:today_figures"),
        "content_refresh": CONTENT_REFRESH_SECONDS,
        "figures_refresh": FIGURES_REFRESH_SECONDS,
    }
    if request.GET.get("phan") == "trang":
        return render(request, "news/signage_slides.html", context)
    return render(request, "news/signage.html", context)


TRANSLATION_ROWS_PER_PAGE = 100
TRANSLATION_KINDS = {
    "articlepage": _("Tin, bài"),
    "infographicpage": _("Infographic"),
    "eventpage": _("Sự kiện"),
    "bulletinpage": _("Bản tin"),
}
TRANSLATION_STATE_LABELS = {
    TranslationState.MISSING: _("Chưa dịch"),
    TranslationState.OUTDATED: _("Cần cập nhật"),
    TranslationState.DONE: _("Đã dịch"),
}


@require_GET
def procedure_documents(request: HttpRequest, code: str) -> HttpResponse:
    """ "Văn bản liên quan" on a procedure's public page (catalog.panels, loaded after the page):
    the documents of the library its legal bases cite, each linking to its page."""
    from .models import DocumentLibraryPage

    documents = documents_cited_by(code[:40])
    library = DocumentLibraryPage.objects.live().filter(locale=Locale.get_default()).first()
    base = library.get_url(request) if library is not None else ""
    return render(
        request,
        "news/_procedure_documents.html",
        {"documents": [(d, f"{base}{d.pk}/") for d in documents] if base else [], "library_url": base},
    )


@require_GET
def translation_status(request: HttpRequest) -> HttpResponse:
    """Tình trạng bản dịch, in Wagtail's admin (/cms/ban-dich/, behind news.middleware's gate):
    every page of the section × the other languages: missing, outdated since the Vietnamese page
    was published again, or done; filtered by type, state and language."""
    kind = request.GET.get("loai", "")
    kind = kind if kind in TRANSLATION_KINDS else ""
    state = request.GET.get("tinh-trang", "")
    state = state if state in TranslationState.__members__.values() else ""
    language = request.GET.get("ngon-ngu", "")
    table = translation_table(kind=kind, state=state, language=language)
    names = dict(settings.LANGUAGES)
    page = Paginator(table.rows, TRANSLATION_ROWS_PER_PAGE).get_page(request.GET.get("trang"))
    params = request.GET.copy()
    params.pop("trang", None)
    return render(
        request,
        "news/admin/translation_status.html",
        {
            "languages": [(code, names.get(code, code)) for code in table.languages],
            "page": page,
            "rows": [
                (
                    row,
                    [
                        (
                            code,
                            row.states[code],
                            TRANSLATION_STATE_LABELS[row.states[code]],
                            row.translation_ids.get(code),
                        )
                        for code in table.languages
                    ],
                )
                for row in page
            ],
            "total_rows": len(table.rows),
            "totals": [
                (names.get(code, code), [(TRANSLATION_STATE_LABELS[s], n) for s, n in counts.items()])
                for code, counts in table.totals.items()
            ],
            "state_labels": [(s.value, label) for s, label in TRANSLATION_STATE_LABELS.items()],
            "kinds": list(TRANSLATION_KINDS.items()),
            "kind": kind,
            "state": state,
            "language": language,
            "querystring": params.urlencode(),
        },
    )
