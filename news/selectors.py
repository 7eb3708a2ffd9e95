"""Reads of the news section: the documents library's filters, procedures citing a document."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from common.text import fold

from .models import DocumentField, DocumentType, LegalDocument, NewsRevision
from .rules import (
    KIND_ARTICLE,
    KIND_DOCUMENT,
    KIND_EVENT,
    KIND_INFOGRAPHIC,
    Item,
    TranslationState,
    Validity,
    translation_state,
)


def revision_token() -> str:
    """The section's revision token: it changes whenever what the public sees changes
    (``services.revision_bump``), so that what is derived from it (the search index, cached
    pages) can be kept under it."""
    token = NewsRevision.objects.filter(pk=1).values_list("token", flat=True).first()
    return str(token) if token is not None else ""


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


@dataclass(frozen=True)
class TranslationRow:
    page_id: int
    title: str
    kind: str
    source_published: datetime.datetime | None
    states: dict[str, TranslationState]  # language code -> state
    translation_ids: dict[str, int]  # language code -> the translation's page id, where one exists


@dataclass(frozen=True)
class TranslationTable:
    languages: list[str]
    rows: list[TranslationRow]
    # language -> state -> how many pages
    totals: dict[str, dict[TranslationState, int]]


def translation_table(*, kind: str = "", state: str = "", language: str = "") -> TranslationTable:
    """Every page of the section in Vietnamese (the source) × the other languages: missing,
    outdated since the source was published again, or done. ``kind`` keeps one page type (its
    model name), ``state`` and ``language`` keep the rows in that state in that language (any
    language when ``language`` is empty)."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale, Page

    default = Locale.get_default()
    languages = [code for code, _name in settings.LANGUAGES if code != default.language_code]
    news_types = {ct.pk: ct for ct in ContentType.objects.filter(app_label="news")}
    sources = Page.objects.filter(locale=default, content_type_id__in=news_types).order_by("-last_published_at", "-pk")
    if kind:
        sources = sources.filter(content_type__model=kind)
    source_rows = list(sources.values_list("pk", "title", "content_type_id", "last_published_at", "translation_key"))
    locales = {locale.pk: locale.language_code for locale in Locale.objects.all()}
    found: dict[tuple[Any, str], tuple[int, bool, datetime.datetime | None]] = {}
    for pk, key, locale_id, live, published in (
        Page.objects.filter(translation_key__in=[r[4] for r in source_rows])
        .exclude(locale=default)
        .values_list("pk", "translation_key", "locale_id", "live", "last_published_at")
        .iterator()
    ):
        found[(key, locales.get(locale_id, ""))] = (pk, live, published)
    totals = {code: dict.fromkeys(TranslationState, 0) for code in languages}
    rows = []
    for pk, title, type_id, published, key in source_rows:
        states: dict[str, TranslationState] = {}
        ids: dict[str, int] = {}
        for code in languages:
            other = found.get((key, code))
            states[code] = translation_state(
                source_published=published,
                translation_live=bool(other and other[1]),
                translation_published=other[2] if other else None,
            )
            if other:
                ids[code] = other[0]
            totals[code][states[code]] += 1
        if state and not any(states[c] == state for c in ([language] if language in languages else languages)):
            continue
        verbose = news_types[type_id].model_class()
        label = str(verbose._meta.verbose_name) if verbose else news_types[type_id].model
        rows.append(TranslationRow(pk, title, label, published, states, ids))
    return TranslationTable(languages, rows, totals)


def documents_cited_by(code: str) -> list[LegalDocument]:
    """Documents of the library that the public procedure ``code`` cites in its legal bases (căn
    cứ pháp lý), by their number and symbol as whole words, the newest first."""
    from catalog.selectors import public_versions

    bases = public_versions().filter(procedure__code=code).values_list("legal_bases", flat=True).first()
    if not bases:
        return []
    cited = " ".join(f" {fold(str(basis))} " for basis in bases)
    return [
        document
        for document in LegalDocument.objects.order_by("-issued_on", "number")
        if fold(document.number) and f" {fold(document.number)} " in cited
    ]


@dataclass(frozen=True)
class DueItem:
    page_id: int
    title: str
    when: datetime.datetime
    what: str  # "go_live", "expire", "event"


def editorial_due(*, now: datetime.datetime | None = None, days: int = 14) -> list[DueItem]:
    """What is due in the section within ``days``, soonest first: approved pages waiting for their
    go-live time (scheduled publishing), live pages reaching their expiry time, and events that
    start (the editor's dashboard in Wagtail's admin)."""
    from wagtail.models import Page, Revision

    from .models import EventPage

    now = now or timezone.now()
    until = now + datetime.timedelta(days=days)
    due: list[DueItem] = []
    waiting = Revision.page_revisions.filter(approved_go_live_at__isnull=False, approved_go_live_at__lte=until)
    titles = dict(Page.objects.filter(pk__in=[int(r.object_id) for r in waiting]).values_list("pk", "title"))
    due += [
        DueItem(int(r.object_id), titles.get(int(r.object_id), ""), r.approved_go_live_at, "go_live")
        for r in waiting
        if r.approved_go_live_at is not None
    ]
    expiring = Page.objects.live().filter(expire_at__isnull=False, expire_at__gte=now, expire_at__lte=until)
    due += [DueItem(p.pk, p.title, p.expire_at, "expire") for p in expiring.only("pk", "title", "expire_at")]
    events = EventPage.objects.live().filter(starts_at__gte=now, starts_at__lte=until)
    due += [DueItem(e.pk, e.title, e.starts_at, "event") for e in events.only("pk", "title", "starts_at")]
    return sorted(due, key=lambda d: (d.when, d.page_id))


def views_by_month(*, start: datetime.date, end: datetime.date) -> dict[str, dict[str, int]]:
    """Views flushed into the daily table between ``start`` and ``end`` (both inclusive), per
    month ("2022-03") and kind (article, infographic, document)."""
    from django.db.models import Sum

    from .models import PageViewDay

    rows = (
        PageViewDay.objects.filter(day__gte=start, day__lte=end)
        .values("day__year", "day__month", "kind")
        .annotate(n=Sum("views"))
    )
    months: dict[str, dict[str, int]] = {}
    for row in rows:
        month = f"{row['day__year']:04d}-{row['day__month']:02d}"
        months.setdefault(month, {})[row["kind"]] = int(row["n"] or 0)
    return months
