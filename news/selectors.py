"""Reads of the news section: the documents library's filters, procedures citing a document."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, fields
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from common.text import fold

from .models import DocumentField, DocumentType, LegalDocument
from .rules import KIND_ARTICLE, KIND_DOCUMENT, KIND_EVENT, KIND_INFOGRAPHIC, Item, Validity


@dataclass(frozen=True)
class DocumentFilters:
    """The library's filters, as the visitor's query string names them (Vietnamese keys)."""

    q: str = ""
    loai: str = ""
    co_quan: str = ""
    linh_vuc: str = ""
    nam: int | None = None
    hieu_luc: str = ""

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> DocumentFilters:
        year = query.get("nam", "")
        return cls(
            q=query.get("q", "").strip()[:200],
            loai=query.get("loai", "") if query.get("loai", "") in DocumentType.values else "",
            co_quan=query.get("co-quan", "").strip()[:200],
            linh_vuc=query.get("linh-vuc", "") if query.get("linh-vuc", "") in DocumentField.values else "",
            nam=int(year) if year.isdigit() and 1945 <= int(year) <= 2100 else None,
            hieu_luc=query.get("hieu-luc", "") if query.get("hieu-luc", "") in Validity.__members__.values() else "",
        )

    def as_query(self) -> str:
        pairs = {f.name.replace("_", "-"): getattr(self, f.name) for f in fields(self)}
        return urlencode({key: value for key, value in pairs.items() if value not in ("", None)})


def documents_filtered(filters: DocumentFilters, *, today: datetime.date | None = None) -> QuerySet[LegalDocument]:
    day = today or timezone.localdate()
    documents = LegalDocument.objects.select_related("file").annotate(start=Coalesce("effective_from", "issued_on"))
    if filters.loai:
        documents = documents.filter(doc_type=filters.loai)
    if filters.co_quan:
        documents = documents.filter(issuer=filters.co_quan)
    if filters.linh_vuc:
        documents = documents.filter(field=filters.linh_vuc)
    if filters.nam:
        documents = documents.filter(issued_on__year=filters.nam)
    if filters.hieu_luc == Validity.NOT_YET:
        documents = documents.filter(start__gt=day)
    elif filters.hieu_luc == Validity.IN_FORCE:
        documents = documents.filter(start__lte=day).filter(Q(expires_on__isnull=True) | Q(expires_on__gt=day))
    elif filters.hieu_luc == Validity.EXPIRED:
        documents = documents.filter(expires_on__lte=day)
    if filters.q:
        documents = documents.filter(pk__in=_matching(filters.q))
    return documents.order_by("-issued_on", "number")


def _matching(query: str) -> list[int]:
    """Documents whose number, title or summary hold ``query`` as whole words, ignoring diacritics,
    case and tone placement (common.text.fold): "mot cua" finds "một cửa", not every "của"."""
    wanted = f" {fold(query)} "
    rows = LegalDocument.objects.values_list("pk", "number", "title", "summary")
    return [pk for pk, *texts in rows if wanted in f" {fold(' '.join(texts))} "]


def issuers() -> list[str]:
    return sorted(set(LegalDocument.objects.values_list("issuer", flat=True)))


def procedures_citing(number: str) -> list[dict[str, str]]:
    """Public procedures whose legal bases cite the document ``number`` (căn cứ pháp lý)."""
    from catalog.selectors import public_versions

    needle = fold(number)
    if not needle:
        return []
    found = []
    for code, name, bases in public_versions().values_list("procedure__code", "name", "legal_bases"):
        if any(f" {needle} " in f" {fold(str(basis))} " for basis in bases or []):
            found.append({"code": code, "name": name})
    return sorted(found, key=lambda p: p["code"])


def report_items(*, start: datetime.date, end: datetime.date) -> list[Item]:
    """What the section published between ``start`` and ``end`` (both inclusive), for the annual
    report: live articles, infographics and events of the Vietnamese tree (a translation is the
    same item, counted once), and the library's documents by their date of issue."""
    from wagtail.models import Locale

    from .models import ArticlePage, EventPage, InfographicPage

    locale = Locale.get_default()
    items: list[Item] = []
    for model, kind in ((ArticlePage, KIND_ARTICLE), (InfographicPage, KIND_INFOGRAPHIC)):
        pages = (
            model.objects.live()
            .filter(locale=locale, first_published_at__date__gte=start, first_published_at__date__lte=end)
            .prefetch_related("topics")
        )
        items += [
            Item(
                kind=kind,
                published=timezone.localdate(page.first_published_at),
                topics=tuple(t.slug for t in page.topics.all()),
            )
            for page in pages
        ]
    events = EventPage.objects.live().filter(locale=locale, starts_at__date__gte=start, starts_at__date__lte=end)
    items += [
        Item(kind=KIND_EVENT, published=timezone.localdate(e.starts_at), topics=(), detail=e.event_type)
        for e in events.only("starts_at", "event_type")
    ]
    documents = LegalDocument.objects.filter(issued_on__gte=start, issued_on__lte=end).values_list(
        "issued_on", "doc_type"
    )
    items += [Item(kind=KIND_DOCUMENT, published=day, detail=doc_type) for day, doc_type in documents]
    return items
