from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.views.static import serve


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database status, for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        database = "error"
    status = 200 if database == "ok" else 503
    return JsonResponse({"status": "ok" if status == 200 else "degraded", "database": database}, status=status)


def ping(request: HttpRequest) -> HttpResponse:
    """Liveness without touching the database; also the bare view the benchmarks compare with."""
    return HttpResponse("ok", content_type="text/plain")


def public_media(request: HttpRequest, path: str) -> HttpResponseBase:
    """A public image under MEDIA_ROOT (the URL pattern admits only the news images' folders),
    served only where no web server does it (settings.SERVE_PUBLIC_MEDIA, or DEBUG). Django's
    static view refuses any path that leaves the folder."""
    if not (settings.SERVE_PUBLIC_MEDIA or settings.DEBUG):
        raise Http404
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    response["Cache-Control"] = "public, max-age=86400"
    return response
