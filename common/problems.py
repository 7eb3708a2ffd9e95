"""One way to answer an API error: application/problem+json (RFC 9457) with a stable ``code``
and a localized ``detail``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse


class Problem(Exception):
    def __init__(self, status: int, code: str, title: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.code, self.title, self.detail, self.extra = status, code, title, detail, extra


def problem_response(request: HttpRequest, problem: Problem) -> JsonResponse:
    body = {
        "type": f"https://motcua.example/problems/{problem.code}",
        "title": problem.title,
        "status": problem.status,
        "code": problem.code,
        "detail": problem.detail,
        "instance": request.path,
        **problem.extra,
    }
    return JsonResponse(
        body,
        status=problem.status,
        content_type="application/problem+json",
        json_dumps_params={"ensure_ascii": False},
    )
