"""Who may work in Wagtail's admin (/cms/), from the portal's roles.

Wagtail grants its permissions through Django groups (pages: ``GroupPagePermission``; images,
documents, snippets: model permissions). The portal's truth is the officer's memberships
(org.permissions): these groups are derived from them, never edited by hand. The gate
(news.middleware) lets only verified officers holding a ``news.*`` capability through, and brings
their groups in line with their capabilities on every admin request, so that a role that ended
yesterday grants nothing today.

Capability → group:
- ``news.edit``    → "Biên tập viên"      (write and submit for review; no publishing)
- ``news.publish`` → "Duyệt tin, bài"     (the workflow's review task; publish)
- ``news.indices`` → "Nhập chỉ số CCHC"   (the reform indices only)
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group

from org.permissions import capabilities_of

EDITORS = "Biên tập viên"
REVIEWERS = "Duyệt tin, bài"
INDEX_ENTRY = "Nhập chỉ số CCHC"

GROUP_OF_CAPABILITY = {"news.edit": EDITORS, "news.publish": REVIEWERS, "news.indices": INDEX_ENTRY}
EDITORIAL_GROUPS = frozenset(GROUP_OF_CAPABILITY.values())


def editorial_capabilities(user: Any) -> frozenset[str]:
    """The ``news.*`` capabilities the user holds today, in any agency (news is province-wide)."""
    return frozenset(capabilities_of(user)) & frozenset(GROUP_OF_CAPABILITY)


def groups_for(capabilities: frozenset[str]) -> frozenset[str]:
    """The editorial groups that ``capabilities`` give (pure)."""
    return frozenset(GROUP_OF_CAPABILITY[c] for c in capabilities if c in GROUP_OF_CAPABILITY)


def sync_editorial_groups(user: Any) -> None:
    """Put the user in exactly the editorial groups their capabilities give (other groups stay)."""
    wanted = groups_for(editorial_capabilities(user))
    held = set(user.groups.filter(name__in=EDITORIAL_GROUPS).values_list("name", flat=True))
    if held == wanted:
        return
    if held - wanted:
        user.groups.remove(*Group.objects.filter(name__in=held - wanted))
    if wanted - held:
        user.groups.add(*Group.objects.filter(name__in=wanted - held))
    # Wagtail and Django keep permissions on the user object for the request.
    for cache in ("_perm_cache", "_group_perm_cache", "_user_perm_cache", "_page_permission_cache"):
        user.__dict__.pop(cache, None)


def sync_reviewers() -> None:
    """Bring every officer who may approve news today into the reviewers' group (and out of the
    groups they no longer hold), before Wagtail tells the task's group that a page waits for review:
    a reviewer who has not opened /cms/ since getting the role is told too, one who lost it is not."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q
    from django.utils import timezone

    from org.permissions import roles_with

    today = timezone.localdate()
    in_force = Q(memberships__valid_from__lte=today) & (
        Q(memberships__valid_to__isnull=True) | Q(memberships__valid_to__gt=today)
    )
    holders = get_user_model().objects.filter(
        in_force, is_active=True, memberships__role__in=roles_with("news.publish")
    )
    grouped = get_user_model().objects.filter(groups__name=REVIEWERS)
    for user in holders.union(grouped):
        sync_editorial_groups(user)
