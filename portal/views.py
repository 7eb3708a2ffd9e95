"""The shell's pages: home, contact, the visitor's own parts of the page (the header's account
area, the home page's "for you" panel), and the error pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import oidc
from common.i18n import request_language
from common.problems import Problem, problem_response
from common.search import MAX_QUERY_LENGTH
from common.shell import Place

from .search import search_everything
from .shell import home_panels, personal_links


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The same for everyone: who is signed in is fetched after the page (htmx)."""
    return render(request, "portal/home.html", {"panels": home_panels(request)})


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Tìm kiếm toàn cổng: procedures, articles, documents, events, published answers, in groups."""
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    groups = search_everything(query)
    return render(
        request,
        "portal/search.html",
        {"q": query, "groups": groups, "total": sum(g.total for g in groups)},
    )


@require_GET
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/contact.html")


def _personal(request: HttpRequest, template: str, place: Place) -> HttpResponse:
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    next_url = oidc.local_path(current.path + (f"?{current.query}" if current.query else ""), "")
    response = render(request, template, {"next": next_url, "links": personal_links(request.user, place)})
    response["Vary"] = "Cookie"
    return response


@never_cache
@require_GET
def account_area(request: HttpRequest) -> HttpResponse:
    """The header's account area and the visitor's own menu, fetched by htmx after the page
    loads: pages are cached for everyone (the procedure page whole), so who is signed in cannot be
    part of them."""
    return _personal(request, "portal/_account_area.html", Place.MENU)


@never_cache
@require_GET
def for_you(request: HttpRequest) -> HttpResponse:
    """The home page's "Dành cho bạn": the signed-in visitor's entries (htmx)."""
    return _personal(request, "portal/_for_you.html", Place.HOME)


# --- Error pages -----------------------------------------------------------------------------------
# Friendly pages in the visitor's language (the URL's prefix, as every page) with a way home and the
# hotline; problem+json under /api/ (language by ?lang= or Accept-Language, as the API's). Rendered
# without the request's context processors and without the database: a 500 may be the database's.

_API_PROBLEMS = {
    400: ("bad_request", gettext_noop("Yêu cầu không hợp lệ"), gettext_noop("Không đọc được yêu cầu.")),
    403: ("forbidden", gettext_noop("Không có quyền"), gettext_noop("Yêu cầu bị từ chối.")),
    404: (
        "not_found",
        gettext_noop("Không tìm thấy"),
        gettext_noop("Không có đối tượng này, hoặc bạn không được xem."),
    ),
    500: (
        "server_error",
        gettext_noop("Lỗi hệ thống"),
        gettext_noop("Hệ thống gặp lỗi khi xử lý yêu cầu. Lỗi đã được ghi lại."),
    ),
}


def _problem(request: HttpRequest, status: int) -> HttpResponse:
    code, title, detail = _API_PROBLEMS[status]
    with translation.override(request_language(request, request.GET.get("lang"))):
        return problem_response(request, Problem(status, code, _(title), _(detail)))


def error_page(request: HttpRequest, status: int, *, csrf: bool = False) -> HttpResponse:
    """The error page for ``status`` (400, 403, 404, 500): problem+json under /api/."""
    if request.path_info.startswith("/api/") and status in _API_PROBLEMS:
        return _problem(request, status)
    language = translation.get_language() or settings.LANGUAGE_CODE
    homes = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            homes[code] = reverse("portal:home")
    body = render_to_string(
        "portal/error.html",
        {
            "status": status,
            "csrf": csrf,
            "language": language,
            "home_url": reverse("portal:home"),
            "contact_url": reverse("portal:contact"),
            # Each language's home page: the page asked for may not exist in any, and its address may
            # name an object the visitor may not see (never repeated on the page).
            "language_links": [
                {"code": code, "name": name, "url": homes[code], "current": code == language}
                for code, name in settings.LANGUAGES
            ],
            "portal_province": settings.PORTAL_PROVINCE_NAME,
            "portal_hotline": settings.PORTAL_HOTLINE,
        },
    )
    response = HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with an expired or missing security token (CSRF): a 403 that says to reload."""
    return error_page(request, 403, csrf=True)
