"""Panels that other contexts add to a procedure's public page, without the catalog knowing them:
an app registers one in its ``AppConfig.ready()`` with the name of a URL that takes the procedure's
code, and the page loads it after itself (htmx), so that its content stays fresh while the page
is cached for the catalog revision. The feedback app's "Câu hỏi thường gặp" is one."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class Panel:
    url_name: str  # a URL taking the procedure's ``code``
    title: str | Promise
    order: int = 100


_panels: dict[str, Panel] = {}


def register_panel(*, url_name: str, title: str | Promise, order: int = 100) -> None:
    _panels[url_name] = Panel(url_name=url_name, title=title, order=order)


def panels_for(code: str) -> list[tuple[str, str]]:
    """(URL, title) of each registered panel for the procedure ``code``, in order."""
    return [
        (reverse(panel.url_name, kwargs={"code": code}), str(panel.title))
        for panel in sorted(_panels.values(), key=lambda p: (p.order, p.url_name))
    ]
