"""The portal's real routes and error handlers, plus three routes that fail on purpose: a page
that raises, a page that refuses (PermissionDenied), and an API path that raises."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from motcua import urls as real


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


def refused(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


urlpatterns = [
    path("api/v1/loi-thu", broken),
    *i18n_patterns(path("loi-thu/", broken), path("cam-thu/", refused), prefix_default_language=False),
    *real.urlpatterns,
]
handler400 = real.handler400
handler403 = real.handler403
handler404 = real.handler404
handler500 = real.handler500
