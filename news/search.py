"""The news section in the portal's one search box (common.search): articles and infographics,
the documents library, events. One in-memory index of folded words (common.text) per language
in each process, rebuilt when the section's revision token (``selectors.revision_token``)
changes: a page published, unpublished, moved or deleted, a document saved.

A language's index holds its own live pages and, for pages not translated into it, the
Vietnamese ones (which its addresses serve with the "not translated yet" notice)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Locale, Site

from common.search import FoldedIndex, Found, Result

from .selectors import revision_token

PAGES_LIMIT = 100_000


@dataclass(frozen=True)
class Item:
    title: str
    url: str
    summary: str
    kind: str
    meta: str


@dataclass
class SectionIndexes:
    articles: FoldedIndex
    documents: FoldedIndex
    events: FoldedIndex


def _day(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y")


def _page_base(language: str) -> tuple[str, list[str]]:
    """The address of the section's root in ``language`` and the url_paths of the site's roots."""
    with translation.override(language):
        base = reverse("wagtail_serve", args=("",))
    roots = [root.root_path for root in Site.get_site_root_paths()]
    return base, roots


def _url(base: str, roots: list[str], url_path: str) -> str:
    for root in roots:
        if url_path.startswith(root):
            return base + url_path[len(root) :]
    return ""


def _visible_pages(model: Any, language: str) -> list[Any]:
    """Live public pages of ``model`` in ``language``, and the Vietnamese ones not translated into it."""
    default = Locale.get_default()
    locale = Locale.objects.filter(language_code=language).first() or default
    pages = list(model.objects.live().public().filter(locale=locale)[:PAGES_LIMIT])
    if locale.pk != default.pk:
        translated = {p.translation_key for p in pages}
        pages += [
            p
            for p in model.objects.live().public().filter(locale=default)[:PAGES_LIMIT]
            if p.translation_key not in translated
        ]
    return pages


def build(language: str) -> SectionIndexes:
    from .models import ArticlePage, DocumentLibraryPage, EventPage, InfographicPage, LegalDocument

    base, roots = _page_base(language)
    entries = []
    for model, kind in ((ArticlePage, _("Tin, bài")), (InfographicPage, _("Infographic"))):
        for page in _visible_pages(model, language):
            text = getattr(page, "summary", "") or getattr(page, "text_alternative", "")
            url = _url(base, roots, page.url_path)
            item = Item(page.title, url, text[:300], str(kind), _day(page.first_published_at))
            entries.append((page.first_published_at, page.pk, item, page.title, text))
    entries.sort(key=lambda e: (e[0] is None, -(e[0].timestamp() if e[0] else 0), -e[1]))
    articles = FoldedIndex.build((item, title, text) for _when, _pk, item, title, text in entries)

    libraries = _visible_pages(DocumentLibraryPage, language)
    library_url = _url(base, roots, libraries[0].url_path) if libraries else ""
    documents = FoldedIndex.build(
        (
            Item(
                d.title,
                f"{library_url}{d.pk}/",
                d.summary[:300],
                d.get_doc_type_display(),
                f"{d.number} · {_day(d.issued_on)}",
            ),
            f"{d.number} {d.title}",
            f"{d.issuer} {d.summary}",
        )
        for d in LegalDocument.objects.order_by("-issued_on", "number")
        if library_url
    )

    events = sorted(_visible_pages(EventPage, language), key=lambda e: (-e.starts_at.timestamp(), -e.pk))
    event_index = FoldedIndex.build(
        (
            Item(
                e.title, _url(base, roots, e.url_path), e.summary[:300], e.get_event_type_display(), _day(e.starts_at)
            ),
            e.title,
            f"{e.summary} {e.location}",
        )
        for e in events
    )
    return SectionIndexes(articles, documents, event_index)


class _Indexes:
    """This process's indexes, per language, for the section's current revision."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._token: str | None = None
        self._by_language: dict[str, SectionIndexes] = {}

    def get(self, language: str) -> SectionIndexes:
        token = revision_token()
        with self._lock:
            if token != self._token:
                self._by_language, self._token = {}, token
            if language not in self._by_language:
                with translation.override(language):
                    self._by_language[language] = build(language)
            return self._by_language[language]


_indexes = _Indexes()


def _found(index: FoldedIndex, query: str, limit: int) -> Found:
    items, total = index.find(query, limit)
    return Found([Result(i.title, i.url, i.summary, i.kind, i.meta) for i in items], total)


def find_articles(query: str, language: str, limit: int) -> Found:
    return _found(_indexes.get(language).articles, query, limit)


def find_documents(query: str, language: str, limit: int) -> Found:
    return _found(_indexes.get(language).documents, query, limit)


def find_events(query: str, language: str, limit: int) -> Found:
    return _found(_indexes.get(language).events, query, limit)
