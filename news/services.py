"""Writes of the news section that are not made in Wagtail's admin: rich text from outside (the
demo set, imports) goes through the editor's own whitelist, and pages are created and published
through Wagtail's revisions, as an editor's would be."""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.models import Page

from common.text import strip_diacritics

from .models import RICH_TEXT_FEATURES


def clean_rich_text(html: str) -> str:
    """The HTML an editor could have written: through the rich text editor's conversion (its
    whitelist of elements and attributes), so no script, event handler or javascript: link
    survives."""
    converter = ContentstateConverter(features=RICH_TEXT_FEATURES)
    return converter.to_database_format(converter.from_database_format(html))


def page_add(*, parent: Page, page: Page, user: Any = None, publish: bool = True) -> Page:
    """Add ``page`` under ``parent`` and save its first revision (published when ``publish``)."""
    if not page.slug:
        page.slug = title_slug(page.title)
    page.live = False
    parent.add_child(instance=page)
    # A draft may still lack what publishing needs (Wagtail validates drafts only on title and slug).
    revision = page.save_revision(user=user, log_action=True, clean=publish)
    if publish:
        revision.publish(user=user)
        page.refresh_from_db()
    return page


def title_slug(title: str) -> str:
    """An ASCII address from a Vietnamese title ("Đề án 06" → "de-an-06")."""
    return slugify(strip_diacritics(title))[:80].strip("-")
