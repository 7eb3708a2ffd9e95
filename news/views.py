"""The centre's electronic board (bảng điện tử, /bang-dien-tu/): a full-screen page that rotates
the editor's slogans, the upcoming events and today's figures. The page is rendered once; its
script then asks for the slides again now and then (``?phan=trang``, the same template's slides
only) and for the figures (GET /api/v1/figures/today), so that a board left on for weeks shows
what the editor changed, and nothing else grows."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from wagtail.models import Locale

from .models import EventPage, SignageSettings

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
