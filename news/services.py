"""Writes of the news section that are not made in Wagtail's admin: rich text from outside (the
demo set, imports) goes through the editor's own whitelist, and pages are created and published
through Wagtail's revisions, as an editor's would be."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone
from django.utils.text import slugify
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.models import Page

from common.text import strip_diacritics

from .models import RICH_TEXT_FEATURES, NewsRevision


def revision_bump() -> None:
    """Mark what the public sees of the section as changed (inside the writing transaction)."""
    NewsRevision.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


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


def bulletin_print(page: Any) -> Any:
    """Make the printed issue (PDF) of a published bulletin from what it holds now, attach it to
    the page as a document and return that document. Run on every publication of the issue
    (news.apps: Wagtail's page_published), so the print always matches the page."""
    from django.core.files.base import ContentFile
    from django.utils.html import strip_tags
    from django.utils.translation import gettext as _
    from wagtail.documents.models import Document

    from .bulletin_pdf import PrintedDocument, PrintedIssue, PrintedItem, render_bulletin
    from .models import BulletinPage

    items = []
    for content in page.contents():
        text = getattr(content, "text_alternative", "")
        for block in getattr(content, "body", []):
            if block.block_type == "paragraph":
                text += "\n" + strip_tags(block.value.source.replace("</p>", "</p>\n"))
        published = content.first_published_at
        items.append(
            PrintedItem(
                kind=str(content.kind_label),
                title=content.title,
                published=timezone.localdate(published) if published else None,
                summary=content.summary,
                text=text.strip(),
            )
        )
    issue = PrintedIssue(
        masthead=_("Bản tin Cải cách hành chính"),
        label=page.label,
        issued_on=page.issued_on,
        intro=page.intro,
        items=items,
        documents=[
            PrintedDocument(number=d.number, kind=str(d.get_doc_type_display()), issued_on=d.issued_on, title=d.title)
            for d in page.documents.order_by("-issued_on", "number")
        ],
        headings={
            "documents": _("Văn bản mới"),
            "number": _("Số, ký hiệu"),
            "type": _("Loại văn bản"),
            "date": _("Ngày ban hành"),
            "title": _("Trích yếu"),
        },
    )
    name = f"ban-tin-cchc-so-{page.number}-{page.issued_on.year}.pdf"
    document = Document.objects.create(title=f"{page.label} (PDF)", file=ContentFile(render_bulletin(issue), name=name))
    previous = page.pdf_id
    # Not a new revision: the print belongs to the issue as published.
    BulletinPage.objects.filter(pk=page.pk).update(pdf=document)
    page.pdf = document
    if previous and previous != document.pk:
        Document.objects.filter(pk=previous).delete()
    return document
