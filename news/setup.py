"""The editorial set-up that every installation needs, made idempotently after ``migrate``: the
five content languages, the section's page tree and its Wagtail site, the editorial groups with
their permissions (news.access) and the review workflow (draft → review → publish)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .access import EDITORS, INDEX_ENTRY, REVIEWERS

WORKFLOW_NAME = "Duyệt tin, bài"
REVIEW_TASK_NAME = "Duyệt nội dung trước khi đăng"
HOME_SLUG = "cai-cach-hanh-chinh"

# Model permissions per group ("app_label.codename").
_COMMON = [
    "wagtailadmin.access_admin",
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
    "news.add_topic",
    "news.change_topic",
    "news.add_legaldocument",
    "news.change_legaldocument",
    "news.change_signagesettings",
]
MODEL_PERMISSIONS: dict[str, list[str]] = {
    EDITORS: _COMMON,
    REVIEWERS: [*_COMMON, "news.delete_topic", "news.delete_legaldocument"],
    INDEX_ENTRY: [
        "wagtailadmin.access_admin",
        "news.add_reformindexscore",
        "news.change_reformindexscore",
        "news.view_reformindexscore",
    ],
}
PAGE_PERMISSIONS: dict[str, list[str]] = {
    EDITORS: ["add_page", "change_page"],
    REVIEWERS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}


def _sections() -> list[tuple[Any, str, str]]:
    from .models import ArticleIndexPage, BulletinIndexPage, DocumentLibraryPage, EventIndexPage, ReformIndicesPage

    return [
        (ArticleIndexPage, "Tin, bài", "bai-viet"),
        (DocumentLibraryPage, "Văn bản", "van-ban"),
        (EventIndexPage, "Sự kiện", "su-kien"),
        (ReformIndicesPage, "Chỉ số cải cách hành chính", "chi-so"),
        (BulletinIndexPage, "Bản tin Cải cách hành chính", "ban-tin"),
    ]


def _permission(label: str) -> Permission:
    app_label, codename = label.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def ensure_editorial_setup() -> Page:
    """Make what is missing; change nothing an editor made. Returns the section's home page."""
    from .models import NewsHomePage

    for code, _name in settings.LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    default_locale = Locale.objects.get(language_code=settings.LANGUAGE_CODE)

    # Wagtail's root collection, which its images and documents belong to by default (made by its
    # migrations; made again after a test emptied the tables).
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")

    home = NewsHomePage.objects.filter(locale=default_locale).first()
    if home is None:
        # Wagtail's tree root (made by its migrations; made again after a test emptied the tables).
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root", locale=default_locale)
        )
        home = root.add_child(
            instance=NewsHomePage(
                title="Cải cách hành chính",
                slug=HOME_SLUG,
                locale=default_locale,
                intro="Tin tức, infographic, văn bản, sự kiện và chỉ số cải cách hành chính của tỉnh.",
            )
        )
    for model, title, slug in _sections():
        if not model.objects.child_of(home).exists():
            home.add_child(instance=model(title=title, slug=slug, locale=default_locale))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True, site_name="Cải cách hành chính")
    elif site.root_page_id != home.pk:
        welcome = site.root_page
        site.root_page = home
        site.site_name = "Cải cách hành chính"
        site.save()
        # Wagtail's placeholder "Welcome" page, if nobody built on it.
        if type(welcome.specific) is Page and welcome.slug == "home" and not welcome.get_children().exists():
            welcome.delete()

    groups: dict[str, Group] = {}
    for name, labels in MODEL_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*(_permission(label) for label in labels))
        groups[name] = group
    # Images and documents are permitted per collection in Wagtail (a model permission alone lists
    # none of them in the choosers): the same ones on the root collection, which holds them all.
    root_collection = Collection.get_first_root_node()
    for name, labels in MODEL_PERMISSIONS.items():
        for label in labels:
            if label.startswith(("wagtailimages.", "wagtaildocs.")):
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[name], collection=root_collection, permission=_permission(label)
                )
    for name, codenames in PAGE_PERMISSIONS.items():
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=groups[name], page=home, permission=_permission(f"wagtailcore.{codename}")
            )

    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
        WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    # The review step itself. (Written through its own table: a workflow's tasks are a deferred
    # relation, which ``workflow.workflow_tasks.create`` never saved: a workflow made that way had
    # no step, so a submission finished it at once and tried to publish as the submitter.)
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        task = GroupApprovalTask.objects.filter(name=REVIEW_TASK_NAME).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=REVIEW_TASK_NAME)
        task.groups.add(groups[REVIEWERS])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return home


def on_post_migrate(sender: Any, **kwargs: Any) -> None:
    from django.apps import apps

    last = list(apps.get_app_configs())[-1]
    if sender is last and kwargs.get("using", "default") == "default":
        ensure_editorial_setup()
