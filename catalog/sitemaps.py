"""The public procedures in the portal's sitemap (/sitemap.xml): one address per procedure that
the public sees today, Vietnamese (each page links its other languages)."""

from __future__ import annotations

import datetime

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import ProcedureVersion
from .selectors import public_versions


class ProcedureSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = 5000

    def items(self) -> list[ProcedureVersion]:
        return list(public_versions().select_related("procedure").order_by("procedure__code"))

    def location(self, item: ProcedureVersion) -> str:
        return reverse("catalog:detail", args=[item.procedure.code])

    def lastmod(self, item: ProcedureVersion) -> datetime.datetime:
        return item.updated_at
