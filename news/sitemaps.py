"""The news section in the portal's sitemap (/sitemap.xml): its live public pages (Vietnamese
tree) and the documents of the library. Addresses are relative, so the sitemap names the host
that was asked, like the rest of the portal's sitemap."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from wagtail.models import Locale, Page

from .models import DocumentLibraryPage, LegalDocument, NewsHomePage


class NewsPageSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self) -> Any:
        home = NewsHomePage.objects.filter(locale=Locale.get_default()).first()
        if home is None:
            return Page.objects.none()
        return home.get_descendants(inclusive=True).live().public().order_by("path")

    def location(self, item: Page) -> str:
        return str(item.get_url())

    def lastmod(self, item: Page) -> datetime.datetime | None:
        return item.last_published_at


class LegalDocumentSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self) -> Any:
        library = DocumentLibraryPage.objects.live().filter(locale=Locale.get_default()).first()
        self._prefix = str(library.get_url()) if library else ""
        return LegalDocument.objects.order_by("pk") if library else LegalDocument.objects.none()

    def location(self, item: LegalDocument) -> str:
        return f"{self._prefix}{item.pk}/"

    def lastmod(self, item: LegalDocument) -> datetime.datetime:
        return item.updated_at
