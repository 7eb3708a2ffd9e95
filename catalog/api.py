"""Public catalog API: procedures, fields and implementing agencies."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from common.i18n import request_language
from common.problems import Problem

from .models import Field, ImplementingAgency
from .presenters import present_many
from .search import Filters, public_version_id, suggest
from .selectors import procedure_page

router = Router(tags=["catalog"])


class ProcedureListParams(Schema):
    q: str = ""
    lang: str | None = None
    field: str | None = None
    agency: str | None = None
    level: str | None = None
    online_level: str | None = None
    limit: int = 20
    offset: int = 0


def _json(data: Any, language: str, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Content-Language"] = language
    response["Vary"] = "Accept-Language"
    return response


def _check_query(q: str) -> None:
    if len(q) > settings.SEARCH_MAX_QUERY_LENGTH:
        raise Problem(
            400,
            "query_too_long",
            _("Từ khóa quá dài"),
            _("Từ khóa tìm kiếm dài tối đa %(max)d ký tự.") % {"max": settings.SEARCH_MAX_QUERY_LENGTH},
        )


@router.get("/procedures", summary="Tìm kiếm, liệt kê thủ tục hành chính")
def list_procedures(request: HttpRequest, params: Query[ProcedureListParams]) -> HttpResponse:
    """Public procedures, ranked by relevance when `q` is given, else the most used first."""
    language = request_language(request, params.lang)
    with translation.override(language):
        _check_query(params.q)
        limit = max(1, min(params.limit, settings.API_MAX_LIMIT))
        offset = max(0, params.offset)
        filters = Filters(
            field=params.field or None,
            agency=params.agency or None,
            level=params.level or None,
            online_level=params.online_level or None,
        )
        count, views = procedure_page(query=params.q, language=language, filters=filters, limit=limit, offset=offset)
        return _json(
            {
                "count": count,
                "limit": limit,
                "offset": offset,
                "query": params.q,
                "language": language,
                "results": [view.summary() for view in views],
            },
            language,
        )


@router.get("/procedures/suggest", summary="Gợi ý khi gõ")
def suggest_procedures(request: HttpRequest, q: str = "", lang: str | None = None) -> HttpResponse:
    language = request_language(request, lang)
    with translation.override(language):
        _check_query(q)
        hits = suggest(q, language=language)
        views = present_many([h.version_id for h in hits], language)
        return _json({"query": q, "results": [{"code": v.code, "name": v.name, "url": v.url} for v in views]}, language)


@router.get("/procedures/{code}", summary="Chi tiết thủ tục hành chính")
def get_procedure(request: HttpRequest, code: str, lang: str | None = None) -> HttpResponse:
    language = request_language(request, lang)
    with translation.override(language):
        version_id = public_version_id(code)
        if version_id is None:
            raise Problem(
                404,
                "procedure_not_found",
                _("Không tìm thấy thủ tục"),
                _("Không có thủ tục công khai mã %(code)s.") % {"code": code},
            )
        (view,) = present_many([version_id], language, with_documents=True)
        body = view.summary() | {
            "vietnamese_name": view.vietnamese_name,
            "category": view.category,
            "levels": view.levels,
            "channels": view.channels,
            "fee_text": view.fee_text,
            "documents": [
                {
                    "case": d.case,
                    "name": d.name,
                    "original_count": d.original_count,
                    "copy_count": d.copy_count,
                    "template_name": d.template_name,
                    "template_url": d.template_url,
                }
                for d in view.documents
            ],
            "conditions": view.conditions,
            "steps": view.steps,
            "legal_bases": view.legal_bases,
            "result": view.result,
            "decision": {"number": view.decision_number, "effective_on": view.decision_effective_on.isoformat()},
            "source_url": view.source_url,
        }
        return _json(body, language)


@router.get("/fields", summary="Lĩnh vực")
def list_fields(request: HttpRequest, lang: str | None = None) -> HttpResponse:
    language = request_language(request, lang)
    fields = Field.objects.select_related("category").order_by("name")
    return _json(
        {
            "count": len(fields),
            "results": [
                {
                    "slug": f.slug,
                    "name": f.name_translations.get(language) or f.name,
                    "category": (f.category.name_translations.get(language) or f.category.name) if f.category else None,
                }
                for f in fields
            ],
        },
        language,
    )


@router.get("/agencies", summary="Cơ quan thực hiện")
def list_agencies(request: HttpRequest, lang: str | None = None) -> HttpResponse:
    language = request_language(request, lang)
    agencies = ImplementingAgency.objects.order_by("name")
    return _json(
        {
            "count": len(agencies),
            "results": [{"slug": a.slug, "name": a.name_translations.get(language) or a.name} for a in agencies],
        },
        language,
    )
