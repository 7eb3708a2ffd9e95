from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "Truyền thông cải cách hành chính"

    def ready(self) -> None:
        _register_on_the_shell()
        _register_search()
        from catalog.panels import register_panel

        register_panel(url_name="news:procedure_documents", title=_("Văn bản liên quan"), order=40)
        from wagtail.models import Page
        from wagtail.signals import page_published, page_unpublished, post_page_move, task_submitted

        from .models import BulletinPage, LegalDocument, Topic
        from .setup import on_post_migrate

        # After every app's post_migrate (the last one's): the permissions of Wagtail's apps, which
        # come after ours, exist by then (after a test's flush too).
        post_migrate.connect(on_post_migrate, dispatch_uid="news.setup")
        # Every way a bulletin goes live (the editor's publish, the reviewer's approval, the
        # schedule) passes through Wagtail's page_published: the printed issue is made there.
        page_published.connect(_print_bulletin, sender=BulletinPage, dispatch_uid="news.bulletin_print")
        # Before Wagtail's own receiver (wagtail.admin comes after news in INSTALLED_APPS, so its
        # ready() connects later) e-mails the reviewers' group: the group is made current first.
        task_submitted.connect(_sync_reviewers, dispatch_uid="news.sync_reviewers")
        _leave_wagtail_content_to_wagtail()
        # What the public sees changed: the search index and the cached pages are made again.
        for signal, sender in ((page_published, None), (page_unpublished, None), (post_page_move, None)):
            signal.connect(_changed, sender=sender, dispatch_uid=f"news.changed.{id(signal)}")
        post_delete.connect(_changed, sender=Page, dispatch_uid="news.changed.page_deleted")
        for model in (LegalDocument, Topic):
            post_save.connect(_changed, sender=model, dispatch_uid=f"news.changed.{model.__name__}.save")
            post_delete.connect(_changed, sender=model, dispatch_uid=f"news.changed.{model.__name__}.delete")


def _changed(sender: Any, **kwargs: Any) -> None:
    from .services import revision_bump

    revision_bump()


def _register_search() -> None:
    """The section's groups in the portal's one search box (common.search), after procedures."""
    from common.search import Provider, register_provider

    from . import search

    register_provider(Provider("news.articles", _("Tin, bài"), search.find_articles, order=20))
    register_provider(
        Provider(
            "news.documents",
            _("Văn bản"),
            search.find_documents,
            order=30,
            more_url_name="wagtail_serve",
            more_args=("van-ban/",),
        )
    )
    register_provider(Provider("news.events", _("Sự kiện"), search.find_events, order=40))


def _leave_wagtail_content_to_wagtail() -> None:
    """Wagtail's documents, images and tags are edited in Wagtail's admin (/cms/), with its
    collections and editors' permissions; the packages also put them in Django's admin (every
    admin module is imported before any app is ready), where they would bypass both."""
    from django.contrib import admin
    from taggit.models import Tag
    from wagtail.documents.models import Document
    from wagtail.images.models import Image

    for model in (Document, Image, Tag):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


def _print_bulletin(sender: Any, instance: Any, **kwargs: Any) -> None:
    from .services import bulletin_print

    bulletin_print(instance)


def _sync_reviewers(sender: Any, **kwargs: Any) -> None:
    from .access import sync_reviewers

    sync_reviewers()


def _register_on_the_shell() -> None:
    """Entry points on the portal's menus and home page (common.shell)."""
    from common.shell import Audience, Entry, Place, register_entry

    register_entry(Entry("news.home", _("Tin tức cải cách hành chính"), "wagtail_serve", order=40, args=("",)))
    register_entry(
        Entry(
            "news.library",
            _("Văn bản chỉ đạo, điều hành"),
            "wagtail_serve",
            order=42,
            args=("van-ban/",),
            places=frozenset({Place.HOME}),
        )
    )
    register_entry(
        Entry(
            "news.editor",
            _("Soạn tin, bài"),
            "wagtailadmin_home",
            order=260,
            audience=Audience.OFFICER,
            capabilities=frozenset({"news.edit"}),
        )
    )
