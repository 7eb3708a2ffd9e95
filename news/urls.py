from django.urls import path

from . import feeds, views

app_name = "news"

# Before Wagtail's pages (motcua.urls): these take their addresses under /tin-tuc/ first.
urlpatterns = [
    path("tin-tuc/rss/bai-viet/", feeds.ArticlesRss(), name="rss_articles"),
    path("tin-tuc/atom/bai-viet/", feeds.ArticlesAtom(), name="atom_articles"),
    path("tin-tuc/rss/chu-de/<slug:slug>/", feeds.ArticlesRss(), name="rss_topic"),
    path("tin-tuc/atom/chu-de/<slug:slug>/", feeds.ArticlesAtom(), name="atom_topic"),
    path("tin-tuc/rss/van-ban/", feeds.DocumentsRss(), name="rss_documents"),
    path("tin-tuc/atom/van-ban/", feeds.DocumentsAtom(), name="atom_documents"),
    path("tin-tuc/rss/su-kien/", feeds.EventsRss(), name="rss_events"),
    path("tin-tuc/atom/su-kien/", feeds.EventsAtom(), name="atom_events"),
    path("bang-dien-tu/", views.signage, name="signage"),
    # The panel "Văn bản liên quan" of a procedure's page (catalog.panels).
    path("van-ban-lien-quan/thu-tuc/<str:code>/", views.procedure_documents, name="procedure_documents"),
]
