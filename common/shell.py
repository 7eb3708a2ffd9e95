"""What each context offers on the portal's shell (lối vào): the links of the menus and of the home
page, and the panels of the home page.

The shell (the ``portal`` app, top layer) renders whatever is registered here and never imports a
context. A context registers its entry points in its ``AppConfig.ready()``::

    register_entry(Entry("dossiers.mine", _("Hồ sơ của tôi"), "dossiers:mine", order=40))
    register_panel(Panel("catalog.search", "catalog/_home_search.html", home_search, order=10))

Who sees an entry is data: everyone (the public menu and home page, the same for every visitor,
so that pages stay cacheable), signed-in people, or verified officers, optionally only those who
hold one of ``capabilities`` (org.permissions) or one of ``roles`` in an agency today. Signed-in
and officers' entries are shown in the parts of the page loaded for the visitor alone (the
header's account area and the home page's "for you" panel). Registering the same key again
replaces the entry (``ready()`` may run again when a test rebuilds the app registry)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise


class Audience(StrEnum):
    EVERYONE = "everyone"  # công khai: in the page itself
    SIGNED_IN = "signed_in"  # người đã đăng nhập: in the visitor's own part of the page
    OFFICER = "officer"  # cán bộ đã xác thực hai bước


class Place(StrEnum):
    MENU = "menu"  # the main navigation (public) or the account area's menu (personal)
    HOME = "home"  # the home page's tiles (public) or its "for you" panel (personal)


BOTH = frozenset({Place.MENU, Place.HOME})


@dataclass(frozen=True)
class Entry:
    """A link the shell shows. ``url_name`` is reversed with ``args`` in the visitor's language."""

    key: str
    label: str | Promise
    url_name: str
    order: int = 100
    places: frozenset[Place] = BOTH
    audience: Audience = Audience.EVERYONE
    capabilities: frozenset[str] = frozenset()  # officers holding any of these (empty: any)
    roles: frozenset[str] = frozenset()  # officers holding any of these roles (empty: any)
    staff: bool = False  # only staff (the admin site)
    description: str | Promise = ""
    args: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Panel:
    """A section of the home page: ``template`` rendered with ``context(request)``. Panels are in
    the page everyone gets, so their context must not depend on who is signed in."""

    key: str
    template: str
    context: Callable[[HttpRequest], Mapping[str, Any]] = field(default=lambda request: {})
    order: int = 100


_entries: dict[str, Entry] = {}
_panels: dict[str, Panel] = {}


def register_entry(entry: Entry) -> None:
    if entry.audience is Audience.EVERYONE and (entry.capabilities or entry.roles or entry.staff):
        raise ValueError(f"Entry {entry.key!r}: a public entry cannot ask for capabilities, roles or staff.")
    if entry.audience is not Audience.OFFICER and (entry.capabilities or entry.roles):
        raise ValueError(f"Entry {entry.key!r}: capabilities and roles are officers' (audience OFFICER).")
    _entries[entry.key] = entry


def register_panel(panel: Panel) -> None:
    _panels[panel.key] = panel


def registered_entries() -> list[Entry]:
    return sorted(_entries.values(), key=lambda e: (e.order, e.key))


def registered_panels() -> list[Panel]:
    return sorted(_panels.values(), key=lambda p: (p.order, p.key))


def unregister(key: str) -> None:
    """For tests that register an entry or a panel of their own."""
    _entries.pop(key, None)
    _panels.pop(key, None)
