from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.admin_site import OfficerAdminSite
from catalog.sitemaps import ProcedureSitemap
from common.views import healthz, ping, public_media
from news.sitemaps import LegalDocumentSitemap, NewsPageSitemap

# Error pages in the visitor's language (problem+json under /api/): the portal's shell.
handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"

# Staff reach the admin only with a session verified by their authenticator app (django-otp).
admin.site.__class__ = OfficerAdminSite

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("ping", ping, name="ping"),
    # The news section's images (Wagtail's originals and renditions) when no web server serves
    # MEDIA_ROOT: `make run` (settings.SERVE_PUBLIC_MEDIA); a 404 otherwise.
    re_path(r"^media/(?P<path>(?:original_images|images)/[^/]+)$", public_media, name="public_media"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("motcua.api_urls")),
    # Wagtail's admin for the news section: verified editors only (news.middleware.EditorialAdminGate).
    path("cms/", include(wagtailadmin_urls)),
    path("tep-tin-tuc/", include(wagtaildocs_urls)),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"thu-tuc": ProcedureSitemap, "tin-tuc": NewsPageSitemap, "van-ban": LegalDocumentSitemap}},
        name="sitemap",
    ),
]
urlpatterns += i18n_patterns(
    path("", include("portal.urls")),
    path("", include("catalog.urls")),
    path("", include("accounts.urls")),
    path("", include("dossiers.urls")),
    path("", include("payments.urls")),
    path("", include("documents.urls")),
    path("", include("results.urls")),
    path("", include("integrations.urls")),
    path("", include("feedback.urls")),
    path("", include("surveys.urls")),
    path("", include("news.urls")),
    path("", include("reports.urls")),
    path("", include("contest.urls")),
    # The news section's pages (Wagtail), last: its pattern takes any path under the prefix.
    path("tin-tuc/", include(wagtail_urls)),
    prefix_default_language=False,
)
if "idp" in settings.INSTALLED_APPS:
    urlpatterns.append(path("idp/", include("idp.urls")))
if "integrations.portal_standin" in settings.INSTALLED_APPS:
    urlpatterns.append(path("cong-quoc-gia-thu/", include("integrations.portal_standin.urls")))
if "payments.standin" in settings.INSTALLED_APPS:
    urlpatterns.append(path("thanh-toan-thu/", include("payments.standin.urls")))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
