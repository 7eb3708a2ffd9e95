"""Which registered entry points (common.shell) a visitor sees, as links in the current language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

from accounts.officer_services import is_verified_officer
from common.shell import Audience, Entry, Place, registered_entries, registered_panels
from org.permissions import capabilities_of, memberships_held


@dataclass(frozen=True)
class Link:
    key: str
    label: str
    url: str
    description: str
    audience: Audience


def _link(entry: Entry) -> Link | None:
    try:
        url = reverse(entry.url_name, args=entry.args)
    except NoReverseMatch:  # the entry's app is not installed here (a stand-in, a test settings)
        return None
    return Link(entry.key, str(entry.label), url, str(entry.description), entry.audience)


def public_links(place: Place) -> list[Link]:
    """What everyone sees in ``place``: the same for every visitor, part of cacheable pages."""
    links = (_link(e) for e in registered_entries() if e.audience is Audience.EVERYONE and place in e.places)
    return [link for link in links if link is not None]


def _allowed(entry: Entry, user: Any, officer: bool, capabilities: frozenset[str], roles: frozenset[str]) -> bool:
    if entry.audience is Audience.SIGNED_IN:
        return bool(user.is_authenticated)
    if not officer or (entry.staff and not user.is_staff):
        return False
    if entry.capabilities and not entry.capabilities & capabilities:
        return False
    return not entry.roles or bool(entry.roles & roles)


def personal_links(user: Any, place: Place) -> list[Link]:
    """The signed-in visitor's own entries in ``place``: signed-in people's, and officers' that
    their capabilities and roles of today allow. Nothing for an anonymous visitor."""
    if not user.is_authenticated:
        return []
    officer = is_verified_officer(user)
    capabilities = capabilities_of(user) if officer else frozenset()
    roles = frozenset(str(held.role) for held in memberships_held(user)) if officer else frozenset()
    links = (
        _link(e)
        for e in registered_entries()
        if e.audience is not Audience.EVERYONE and place in e.places and _allowed(e, user, officer, capabilities, roles)
    )
    return [link for link in links if link is not None]


def services_panel(request: HttpRequest) -> dict[str, Any]:
    return {"links": public_links(Place.HOME)}


def home_panels(request: HttpRequest) -> list[SafeString]:
    """The registered panels of the home page, rendered in order."""
    return [
        mark_safe(render_to_string(panel.template, dict(panel.context(request)), request=request))
        for panel in registered_panels()
    ]
