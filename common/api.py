"""What every operation of the JSON API (/api/v1/) shares, so that each declares its input and
output with schemas and the OpenAPI document says everything the API does:

- ``ProblemOut`` and ``answers()``: the refusals an operation can give, as problem+json
  (RFC 9457), declared beside its success answer (429 and 503 on every operation: the rate limits
  and an unavailable database apply to all);
- ``PageParams``/``PageOut``: one pagination convention, bounded (``limit`` 1..100, default 20;
  ``offset`` 0..1,000,000): anything outside is a 422 problem, never a 500;
- ``LocalDateTime``: moments in the portal's time zone (``2026-03-02T09:15:00.123456+07:00``);
- ``localized()``: the ``Content-Language`` of an answer;
- ``ApiHeadersMiddleware``: ``Cache-Control: private, no-store`` on every answer to an
  authenticated operation (personal data: /me, the data store, an officer's queues…).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ConfigDict, PlainSerializer, WithJsonSchema

from .problems import Problem

API_PREFIX = "/api/"

# --- Problems --------------------------------------------------------------------------------------

PROBLEM_MEDIA_TYPE = "application/problem+json"
# Every operation may answer these: the rate limits (common.ratelimit) and an unavailable
# database (common.unavailable) come before any handler.
ALWAYS = (429, 503)


class ProblemOut(Schema):
    """Một lỗi theo RFC 9457 (application/problem+json): ``code`` is stable, ``detail`` is
    localized; ``errors`` names the fields at fault when there are some."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(..., description="https://motcua.example/problems/<code>")
    title: str
    status: int
    code: str = Field(..., description="Mã lỗi ổn định, ví dụ invalid_request, not_found")
    detail: str
    instance: str = Field(..., description="Đường dẫn của yêu cầu")
    errors: dict[str, str] | list[dict[str, Any]] | None = Field(
        None, description="Lỗi theo trường (tên trường → lời nhắn) hoặc theo tham số"
    )


def answers(ok: dict[int, Any], *problems: int) -> dict[int, Any]:
    """The ``response=`` of an operation: its success answers ``ok`` and the problem statuses it
    can give (plus 429 and 503, which every operation can)."""
    return {**ok, **{status: ProblemOut for status in sorted({*problems, *ALWAYS})}}


def check_period(start: datetime.date, end: datetime.date, *, max_years: int) -> None:
    """Refuse a period whose end comes before its start, or longer than ``max_years`` (of 366
    days), with the ``invalid_period`` problem every figures endpoint answers."""
    if end < start or (end - start).days > max_years * 366:
        raise Problem(
            400,
            "invalid_period",
            _("Khoảng thời gian không hợp lệ"),
            _("Từ ngày phải trước đến ngày, tối đa %(years)d năm.") % {"years": max_years},
        )


# Pydantic's error types for a value that was read but is out of bounds (422); any other
# (a number that is not one, a missing field, a body that is not JSON) is a request that could
# not be read (400).
OUT_OF_BOUNDS = frozenset(
    {
        "greater_than",
        "greater_than_equal",
        "less_than",
        "less_than_equal",
        "multiple_of",
        "string_too_long",
        "string_too_short",
        "too_long",
        "too_short",
        "literal_error",
        "enum",
        "string_pattern_mismatch",
    }
)


def validation_problem(errors: Iterable[dict[str, Any]]) -> Problem:
    """The problem for parameters or a body that do not validate: 422 when every error is a value
    out of its bounds (an ``offset`` of 10²³, a ``limit`` of 0), else 400."""
    listed = [{key: value for key, value in error.items() if key in ("type", "loc", "msg")} for error in errors]
    if listed and all(error.get("type") in OUT_OF_BOUNDS for error in listed):
        return Problem(422, "invalid_request", _("Yêu cầu không hợp lệ"), _("Tham số ngoài giới hạn."), errors=listed)
    return Problem(400, "invalid_request", _("Yêu cầu không hợp lệ"), _("Tham số không hợp lệ."), errors=listed)


def problem_media_types(schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document with the problem answers under ``application/problem+json`` (the media
    type they are sent with) instead of django-ninja's ``application/json``."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, answer in operation.get("responses", {}).items():
                content = answer.get("content", {})
                if int(status) >= 400 and "application/json" in content:
                    answer["content"] = {PROBLEM_MEDIA_TYPE: content["application/json"]}
    return schema


# --- Pagination ------------------------------------------------------------------------------------

MAX_LIMIT: int = settings.API_MAX_LIMIT
MAX_OFFSET = 1_000_000


class PageParams(Schema):
    """Phân trang: ``limit`` items (1..100, default 20) from ``offset`` (0..1,000,000)."""

    limit: int = Field(20, ge=1, le=MAX_LIMIT, description="Số mục một trang (1 đến 100)")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Bỏ qua bao nhiêu mục đầu (0 đến 1.000.000)")

    def window(self) -> slice:
        return slice(self.offset, self.offset + self.limit)


class PageOut(Schema):
    """A page of a list: ``count`` items in all, ``limit`` of them from ``offset`` in ``results``."""

    count: int
    limit: int
    offset: int


# --- Values ----------------------------------------------------------------------------------------


def _local_iso(value: datetime.datetime) -> str:
    return timezone.localtime(value).isoformat()


# A moment, written in the portal's time zone with its offset.
LocalDateTime = Annotated[
    datetime.datetime,
    PlainSerializer(_local_iso, return_type=str, when_used="always"),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]

# A database id (a 64-bit integer): anything larger is out of bounds (422), not a crash.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


def localized(response: HttpResponse, language: str) -> None:
    """Says which language the answer is in (and that it depends on Accept-Language)."""
    response["Content-Language"] = language
    patch_vary_headers(response, ["Accept-Language"])


# --- Headers ---------------------------------------------------------------------------------------


class ApiHeadersMiddleware:
    """Under /api/, an answer to an authenticated operation (django-ninja set ``request.auth``) is
    personal: ``Cache-Control: private, no-store`` and ``Vary: Cookie``, so that no shared cache
    keeps it and no browser keeps it on disk."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith(API_PREFIX) and getattr(request, "auth", None) is not None:
            patch_cache_control(response, private=True, no_store=True)
            patch_vary_headers(response, ["Cookie"])
        return response
