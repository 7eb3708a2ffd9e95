"""RSS and Atom feeds of the news section (Django's syndication): the articles and infographics
(all, or one CCHC topic), the documents library and the events. Items come from the Vietnamese
tree, the source of every translation."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from wagtail.models import Locale

from .models import ArticleIndexPage, DocumentLibraryPage, EventIndexPage, EventPage, LegalDocument, Topic
from .models import published_items as _published_items

FEED_SIZE = 30


def _section_url(model: Any) -> str:
    page = model.objects.live().filter(locale=Locale.get_default()).first()
    if page is None:
        raise Http404
    return str(page.url)


class ArticlesRss(Feed):
    """Tin, bài and infographics, newest first; ``slug`` narrows them to one topic."""

    def get_object(self, request: HttpRequest, slug: str = "") -> Topic | None:
        return get_object_or_404(Topic, slug=slug) if slug else None

    def title(self, topic: Topic | None) -> str:
        if topic is None:
            return _("Tin, bài cải cách hành chính")
        return _("Tin, bài cải cách hành chính: %(topic)s") % {"topic": topic.display_name}

    def link(self, topic: Topic | None) -> str:
        url = _section_url(ArticleIndexPage)
        return f"{url}?chu-de={topic.slug}" if topic else url

    def description(self, topic: Topic | None) -> str:
        return _("Tin, bài và infographic mới đăng của chuyên mục Cải cách hành chính.")

    def items(self, topic: Topic | None) -> Any:
        items = _published_items(Locale.get_default())
        if topic is not None:
            from django.db.models import Q

            items = items.filter(Q(articlepage__topics=topic) | Q(infographicpage__topics=topic)).distinct()
        return items[:FEED_SIZE]

    def item_title(self, item: Any) -> str:
        return str(item.title)

    def item_description(self, item: Any) -> str:
        return str(getattr(item, "summary", "") or getattr(item, "text_alternative", ""))

    def item_link(self, item: Any) -> str:
        return str(item.url)

    def item_pubdate(self, item: Any) -> datetime.datetime | None:
        return item.first_published_at  # type: ignore[no-any-return]

    def item_updateddate(self, item: Any) -> datetime.datetime | None:
        return item.last_published_at  # type: ignore[no-any-return]

    def item_categories(self, item: Any) -> list[str]:
        return [t.name for t in item.topics.all()]


class ArticlesAtom(ArticlesRss):
    feed_type = Atom1Feed
    subtitle = ArticlesRss.description


class DocumentsRss(Feed):
    """Văn bản: the library's documents, newest issue first."""

    def title(self) -> str:
        return _("Văn bản cải cách hành chính")

    def link(self) -> str:
        return _section_url(DocumentLibraryPage)

    def description(self) -> str:
        return _("Văn bản mới của thư viện văn bản cải cách hành chính.")

    def items(self) -> Any:
        return LegalDocument.objects.order_by("-issued_on", "-pk")[:FEED_SIZE]

    def item_title(self, item: LegalDocument) -> str:
        return f"{item} — {item.title}"

    def item_description(self, item: LegalDocument) -> str:
        return item.summary

    def item_link(self, item: LegalDocument) -> str:
        return f"{_section_url(DocumentLibraryPage)}{item.pk}/"

    def item_pubdate(self, item: LegalDocument) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(item.issued_on, datetime.time()))

    def item_categories(self, item: LegalDocument) -> list[str]:
        return [str(item.get_doc_type_display()), str(item.get_field_display())]


class DocumentsAtom(DocumentsRss):
    feed_type = Atom1Feed
    subtitle = DocumentsRss.description


class EventsRss(Feed):
    """Sự kiện: the latest events announced, by their start."""

    def title(self) -> str:
        return _("Sự kiện cải cách hành chính")

    def link(self) -> str:
        return _section_url(EventIndexPage)

    def description(self) -> str:
        return _("Tập huấn, hội nghị, học tập kinh nghiệm, chương trình phát sóng và cuộc thi.")

    def items(self) -> Any:
        return (
            EventPage.objects.live()
            .public()
            .filter(locale=Locale.get_default())
            .order_by("-starts_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item: EventPage) -> str:
        return f"{item.title} ({timezone.localtime(item.starts_at):%d/%m/%Y %H:%M})"

    def item_description(self, item: EventPage) -> str:
        return item.summary

    def item_link(self, item: EventPage) -> str:
        return str(item.url)

    def item_pubdate(self, item: EventPage) -> datetime.datetime | None:
        return item.first_published_at

    def item_categories(self, item: EventPage) -> list[str]:
        return [str(item.get_event_type_display())]


class EventsAtom(EventsRss):
    feed_type = Atom1Feed
    subtitle = EventsRss.description
