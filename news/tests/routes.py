"""Routes of the news section for the permission walk (tests/route_registry.py)."""

from __future__ import annotations

from tests.route_registry import gated, public

gated(
    "cms/",
    capabilities=("news.edit", "news.publish", "news.indices"),
    reason="Wagtail's admin: officers with an editorial role and a verified second factor (news.middleware)",
)
public("wagtail_serve", "the news section's published pages (Wagtail serves live, public pages only)")
public("wagtaildocs_serve", "files attached to published news (legal texts, bulletins); collection privacy applies")
public("wagtaildocs_authenticate_with_password", "Wagtail's password form for a private document collection")
public("wagtailcore_authenticate_with_password", "Wagtail's password form for a private page")
public("news:rss_topic", "the RSS feed of one CCHC topic's published articles")
public("news:atom_topic", "the Atom feed of one CCHC topic's published articles")
public("public_media", "the news section's published images, where no web server serves them (make run)")
public("api:news_figures", "counts of what the news section has published (annual report): public items only")
public("news:procedure_documents", "the documents of the library a public procedure's legal bases cite (public texts)")
