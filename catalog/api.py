"""Public catalog API: procedures, fields and implementing agencies."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field as SchemaField
from ninja import Query, Router, Schema

from common.api import PageOut, PageParams, answers, localized
from common.i18n import request_language
from common.problems import Problem

from .models import Field, ImplementingAgency, Procedure
from .presenters import present_many
from .search import Filters, public_version_id, suggest
from .selectors import declaration_form_in_force, procedure_page

router = Router(tags=["catalog"])
SUGGESTIONS = 8


class ProcedureListParams(PageParams):
    q: str = ""
    lang: str | None = None
    field: str | None = None
    agency: str | None = None
    level: str | None = None
    online_level: str | None = None


class FeeOut(Schema):
    channel: str
    amount_vnd: int
    unit: str
    description: str


class ProcedureSummaryOut(Schema):
    code: str
    name: str
    field: str
    agencies: list[str]
    level: str
    online_level: str
    processing_days: int | None
    processing_time_text: str
    fees: list[FeeOut]
    url: str
    translation_missing: bool


class ProcedurePageOut(PageOut):
    query: str
    language: str
    results: list[ProcedureSummaryOut]


class SuggestionOut(Schema):
    code: str
    name: str
    url: str


class SuggestionsOut(Schema):
    query: str
    results: list[SuggestionOut] = SchemaField(..., max_length=SUGGESTIONS)


class DocumentOut(Schema):
    case: str
    name: str
    original_count: int
    copy_count: int
    template_name: str
    template_url: str


class DecisionOut(Schema):
    number: str
    effective_on: datetime.date


class ProcedureOut(ProcedureSummaryOut):
    vietnamese_name: str
    category: str
    levels: list[str]
    channels: list[str]
    fee_text: str
    documents: list[DocumentOut]
    conditions: str
    steps: list[str]
    legal_bases: list[str]
    result: str
    decision: DecisionOut
    source_url: str


class FieldOut(Schema):
    slug: str
    name: str
    category: str | None


class FieldPageOut(PageOut):
    results: list[FieldOut]


class AgencyOut(Schema):
    slug: str
    name: str


class AgencyPageOut(PageOut):
    results: list[AgencyOut]


def _check_query(q: str) -> None:
    if len(q) > settings.SEARCH_MAX_QUERY_LENGTH:
        raise Problem(
            400,
            "query_too_long",
            _("Từ khóa quá dài"),
            _("Từ khóa tìm kiếm dài tối đa %(max)d ký tự.") % {"max": settings.SEARCH_MAX_QUERY_LENGTH},
        )


@router.get(
    "/procedures", response=answers({200: ProcedurePageOut}, 400, 422), summary="Tìm kiếm, liệt kê thủ tục hành chính"
)
def list_procedures(request: HttpRequest, response: HttpResponse, params: Query[ProcedureListParams]) -> object:
    """Public procedures, ranked by relevance when `q` is given, else the most used first."""
    language = request_language(request, params.lang)
    localized(response, language)
    with translation.override(language):
        _check_query(params.q)
        filters = Filters(
            field=params.field or None,
            agency=params.agency or None,
            level=params.level or None,
            online_level=params.online_level or None,
        )
        count, views = procedure_page(
            query=params.q, language=language, filters=filters, limit=params.limit, offset=params.offset
        )
        return {
            "count": count,
            "limit": params.limit,
            "offset": params.offset,
            "query": params.q,
            "language": language,
            "results": [view.summary() for view in views],
        }


@router.get("/procedures/suggest", response=answers({200: SuggestionsOut}, 400), summary="Gợi ý khi gõ")
def suggest_procedures(request: HttpRequest, response: HttpResponse, q: str = "", lang: str | None = None) -> object:
    """At most eight procedures whose names begin with what has been typed."""
    language = request_language(request, lang)
    localized(response, language)
    with translation.override(language):
        _check_query(q)
        hits = suggest(q, language=language, limit=SUGGESTIONS)
        views = present_many([h.version_id for h in hits], language)
        return {"query": q, "results": [{"code": v.code, "name": v.name, "url": v.url} for v in views]}


@router.get(
    "/procedures/{code}", response=answers({200: ProcedureOut}, 400, 404), summary="Chi tiết thủ tục hành chính"
)
def get_procedure(request: HttpRequest, response: HttpResponse, code: str, lang: str | None = None) -> object:
    language = request_language(request, lang)
    localized(response, language)
    with translation.override(language):
        version_id = public_version_id(code)
        if version_id is None:
            raise Problem(
                404,
                "procedure_not_found",
                _("Không tìm thấy thủ tục"),
                _("Không có thủ tục công khai mã %(code)s.") % {"code": code[:40]},
            )
        (view,) = present_many([version_id], language, with_documents=True)
        return view.summary() | {
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
            "decision": {"number": view.decision_number, "effective_on": view.decision_effective_on},
            "source_url": view.source_url,
        }


# The birth registration form shipped in the repository, shown as the OpenAPI document's example.
_BIRTH_FORM = json.loads((Path(__file__).parent / "declaration_forms" / "1.001193.json").read_text(encoding="utf-8"))


class DeclarationFormOut(Schema):
    """Tờ khai of a procedure: a JSON Schema document (draft 2020-12) that a submission's ``form``
    must satisfy, with its layout for people and valid examples. Formats of our own: ``vn-date``
    (an ISO date; ``dd/mm/yyyy`` is accepted on submission and stored ISO), ``vn-personal-id`` (12
    digits); keyword ``x-max-date``/``x-min-date``: the latest/earliest date (``today`` or ISO)."""

    id: int
    procedure_code: str
    title: str
    form_number: str
    legal_basis: str
    effective_from: datetime.date
    form_schema: dict[str, Any] = SchemaField(
        alias="schema", description="JSON Schema, draft 2020-12", examples=[_BIRTH_FORM["schema"]]
    )
    layout: dict[str, Any] = SchemaField(examples=[_BIRTH_FORM["layout"]])
    examples: list[Any] = SchemaField(examples=[_BIRTH_FORM["examples"]])


@router.get(
    "/procedures/{code}/declaration-form",
    response=answers({200: DeclarationFormOut}, 400, 404),
    by_alias=True,
    summary="Tờ khai của thủ tục (JSON Schema)",
)
def get_declaration_form(
    request: HttpRequest, response: HttpResponse, code: str, on: datetime.date | None = None
) -> object:
    """The declaration form in force on ``on`` (default today) for a public procedure; the body
    of a submission (``POST /dossiers``) carries its data as ``form``."""
    procedure = Procedure.objects.filter(code=code[:40]).first() if public_version_id(code) is not None else None
    form = declaration_form_in_force(procedure.pk, on=on) if procedure is not None else None
    if form is None:
        raise Problem(
            404,
            "declaration_form_not_found",
            _("Không có tờ khai điện tử"),
            _("Thủ tục mã %(code)s không có tờ khai điện tử.") % {"code": code[:40]},
        )
    return {
        "id": form.pk,
        "procedure_code": procedure.code if procedure is not None else code,
        "title": form.title,
        "form_number": form.form_number,
        "legal_basis": form.legal_basis,
        "effective_from": form.effective_from,
        "schema": form.schema,
        "layout": form.layout,
        "examples": form.examples,
    }


@router.get("/fields", response=answers({200: FieldPageOut}, 400, 422), summary="Lĩnh vực")
def list_fields(
    request: HttpRequest, response: HttpResponse, page: Query[PageParams], lang: str | None = None
) -> object:
    """The fields (lĩnh vực) of the catalog, by name."""
    language = request_language(request, lang)
    localized(response, language)
    fields = Field.objects.select_related("category").order_by("name", "pk")
    return {
        "count": fields.count(),
        "limit": page.limit,
        "offset": page.offset,
        "results": [
            {
                "slug": f.slug,
                "name": f.name_translations.get(language) or f.name,
                "category": (f.category.name_translations.get(language) or f.category.name) if f.category else None,
            }
            for f in fields[page.window()]
        ],
    }


@router.get("/agencies", response=answers({200: AgencyPageOut}, 400, 422), summary="Cơ quan thực hiện")
def list_agencies(
    request: HttpRequest, response: HttpResponse, page: Query[PageParams], lang: str | None = None
) -> object:
    """The implementing agencies (cơ quan thực hiện) of the catalog, by name."""
    language = request_language(request, lang)
    localized(response, language)
    agencies = ImplementingAgency.objects.order_by("name", "pk")
    return {
        "count": agencies.count(),
        "limit": page.limit,
        "offset": page.offset,
        "results": [
            {"slug": a.slug, "name": a.name_translations.get(language) or a.name} for a in agencies[page.window()]
        ],
    }
