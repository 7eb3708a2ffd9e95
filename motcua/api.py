"""The JSON API (/api/v1/). Each app contributes a router; errors are problem+json."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer

from accounts.api import router as accounts_router
from catalog.api import router as catalog_router
from common.api import problem_media_types, validation_problem
from common.problems import Problem, problem_response
from contest.api import router as contest_router
from documents.api import router as documents_router
from dossiers.api import router as dossiers_router
from dossiers.api_officer import router as officer_router
from integrations.api import router as integrations_router
from org.api import router as org_router
from payments.api import router as payments_router
from reports.api import router as reports_router
from results.api import router as results_router
from surveys.api import router as surveys_router


class Renderer(JSONRenderer):
    """JSON with Vietnamese as it is written (no \\u escapes)."""

    json_dumps_params = {"ensure_ascii": False}


class Api(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        """The problem answers under the media type they are sent with (application/problem+json)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return problem_media_types(schema)


api = Api(
    title="motcua API",
    renderer=Renderer(),
    version="1",
    description="Cổng Dịch vụ công – Hệ thống thông tin một cửa điện tử: API công khai.",
    urls_namespace="api",
)
api.add_router("/", catalog_router)
api.add_router("/", dossiers_router)
api.add_router("/", officer_router)
api.add_router("/", accounts_router)
api.add_router("/", org_router)
api.add_router("/", payments_router)
api.add_router("/", documents_router)
api.add_router("/", results_router)
api.add_router("/", integrations_router)
api.add_router("/", surveys_router)
api.add_router("/", "news.api.router")
api.add_router("/", reports_router)
api.add_router("/", "dossiers.api_figures.router")
api.add_router("/", contest_router)


@api.exception_handler(Problem)
def on_problem(request: HttpRequest, exc: Problem) -> HttpResponse:
    return problem_response(request, exc)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """400 for parameters or a body that cannot be read, 422 for values out of their bounds."""
    return problem_response(request, validation_problem(exc.errors))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """django-ninja's own refusals (a body that cannot be parsed, a failed CSRF check)."""
    from django.utils.translation import gettext as _

    if exc.status_code == 400:
        problem = Problem(400, "invalid_request", _("Yêu cầu không hợp lệ"), _("Không đọc được nội dung gửi lên."))
    elif exc.status_code == 403:
        problem = Problem(403, "forbidden", _("Không có quyền"), _("Yêu cầu bị từ chối."))
    else:
        problem = Problem(exc.status_code, "http_error", _("Không thực hiện được"), str(exc))
    return problem_response(request, problem)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    """Another agency's or another person's object answers exactly like a missing one
    (org.permissions.get_scoped_or_404, owned_or_404)."""
    from django.utils.translation import gettext as _

    problem = Problem(404, "not_found", _("Không tìm thấy"), _("Không có đối tượng này, hoặc bạn không được xem."))
    return problem_response(request, problem)
