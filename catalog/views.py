"""Public pages of the catalog: search and list, detail, browse, life events (the home page's
panels are in home.py; the home page itself is the portal's)."""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .models import Field, ImplementingAgency, Level, LifeEvent, OnlineLevel
from .panels import panels_for
from .presenters import present_many
from .search import Filters, current_revision, index_for, public_version_id, suggest, when_nothing_matches
from .selectors import procedure_page

PAGE_SIZE = 20


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def _tr(names: dict[str, str], fallback: str) -> str:
    return names.get(_language()) or fallback


def _categories() -> list[dict]:
    counts = Counter(doc.field_slug for doc in index_for("vi").docs)
    grouped: dict[str, dict] = {}
    for f in Field.objects.select_related("category").order_by("name"):
        if not counts.get(f.slug):
            continue
        key = f.category.name if f.category else ""
        group = grouped.setdefault(
            key,
            {
                "name": _tr(f.category.name_translations, f.category.name) if f.category else _("Khác"),
                "fields": [],
                "count": 0,
            },
        )
        group["fields"].append({"slug": f.slug, "name": _tr(f.name_translations, f.name), "count": counts[f.slug]})
        group["count"] += counts[f.slug]
    return sorted(grouped.values(), key=lambda g: -g["count"])


_option_cache: dict[tuple[str, str, str], list[tuple[str, str, str]]] = {}


def _options(model: type[Field] | type[ImplementingAgency], language: str, selected: str | None) -> str:
    """<option> elements for the field or agency filter in ``language``, built once per catalog
    revision (a template loop over a hundred agencies on every search is slow)."""
    key = (current_revision(), model.__name__, language)
    if key not in _option_cache:
        if len(_option_cache) > 100:
            _option_cache.clear()
        _option_cache[key] = [
            (
                o.slug,
                format_html('<option value="{}">{}</option>', o.slug, _tr(o.name_translations, o.name)),
                format_html('<option value="{}" selected>{}</option>', o.slug, _tr(o.name_translations, o.name)),
            )
            for o in model.objects.order_by("name")
        ]
    return mark_safe("".join(chosen if value == selected else plain for value, plain, chosen in _option_cache[key]))


def _choice_options(choices: type[Level] | type[OnlineLevel], selected: str | None) -> str:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((c.value, mark_safe(" selected") if c.value == selected else "", c.label) for c in choices),
    )


@require_GET
def procedure_list(request: HttpRequest) -> HttpResponse:
    language = _language()
    q = request.GET.get("q", "")
    error = ""
    too_long = len(q) > settings.SEARCH_MAX_QUERY_LENGTH
    if too_long:
        # Nothing is searched for a text no procedure name is as long as (a pasted page, one
        # word repeated); the box keeps its beginning to shorten.
        error = _("Từ khóa tìm kiếm dài tối đa %(max)d ký tự.") % {"max": settings.SEARCH_MAX_QUERY_LENGTH}
        q = q[: settings.SEARCH_MAX_QUERY_LENGTH]
    filters = Filters(
        field=request.GET.get("field") or None,
        agency=request.GET.get("agency") or None,
        level=request.GET.get("level") or None,
        online_level=request.GET.get("online_level") or None,
    )
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    count, results = procedure_page(
        query="" if too_long else q,
        language=language,
        filters=filters,
        limit=PAGE_SIZE,
        offset=(page_number - 1) * PAGE_SIZE,
    )
    if too_long:
        count, results = 0, []
    instead = present_many(when_nothing_matches(q, language=language), language) if q.strip() and not count else []
    paginator = Paginator(range(count), PAGE_SIZE)
    page = paginator.get_page(page_number)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "catalog/procedure_list.html",
        {
            "q": q,
            "error": error,
            "filters": filters,
            "count": count,
            "results": results,
            "instead": instead,
            "page": page,
            "querystring": params.urlencode(),
            "field_options": _options(Field, language, filters.field),
            "agency_options": _options(ImplementingAgency, language, filters.agency),
            "level_options": _choice_options(Level, filters.level),
            "online_level_options": _choice_options(OnlineLevel, filters.online_level),
        },
    )


@require_GET
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The whole procedure. The page is the same for everyone, so it is kept in the cache for the
    current catalog revision (a catalog change gives a new key)."""
    version_id = public_version_id(code)
    if version_id is None:
        raise Http404(_("Không có thủ tục công khai mã %(code)s.") % {"code": code})
    language = _language()
    key = f"catalog:detail:{current_revision()}:{language}:{code}"
    html = cache.get(key)
    if html is None:
        (view,) = present_many([version_id], language, with_documents=True)
        html = render_to_string(
            "catalog/procedure_detail.html",
            {"p": view, "one_stop_units": view.one_stop_units, "panels": panels_for(code)},
            request=request,
        )
        cache.set(key, html, timeout=24 * 3600)
    return HttpResponse(html)


@require_GET
def fields(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/fields.html", {"categories": _categories()})


@require_GET
def agencies(request: HttpRequest) -> HttpResponse:
    counts = Counter(slug for doc in index_for("vi").docs for slug in doc.agency_slugs)
    rows = [
        {"slug": a.slug, "name": _tr(a.name_translations, a.name), "count": counts[a.slug]}
        for a in ImplementingAgency.objects.order_by("name")
        if counts.get(a.slug)
    ]
    return render(request, "catalog/agencies.html", {"agencies": rows})


@require_GET
def life_event(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(LifeEvent, slug=slug)
    language = _language()
    public_ids = {doc.code: doc.version_id for doc in index_for("vi").docs}
    ids = [public_ids[p.code] for p in event.procedures.order_by("-popularity", "code") if p.code in public_ids]
    results = present_many(ids, language)
    return render(
        request,
        "catalog/life_event.html",
        {
            "event": {
                "name": _tr(event.name_translations, event.name),
                "description": _tr(event.description_translations, event.description),
            },
            "results": results,
        },
    )


@require_GET
def suggestions(request: HttpRequest) -> HttpResponse:
    """The suggestion list under the search box (htmx partial)."""
    q = request.GET.get("q", "")[: settings.SEARCH_MAX_QUERY_LENGTH]
    language = _language()
    hits = suggest(q, language=language) if q.strip() else []
    views = present_many([h.version_id for h in hits], language)
    return render(request, "catalog/_suggestions.html", {"q": q, "suggestions": views})
