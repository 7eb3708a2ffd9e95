from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "Truyền thông cải cách hành chính"

    def ready(self) -> None:
        _register_on_the_shell()
        from wagtail.signals import page_published, task_submitted

        from .models import BulletinPage
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
