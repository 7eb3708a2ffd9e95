"""Message templates as data: each app that notifies keeps ``message_templates/<language>.toml``,
one table per context and one sub-table per event (``[dossier.receive]`` is the template
``"dossier.receive"``); plain values of the context's table (``link_label``…) are shared by its
templates. The five languages of the portal each have their file; a test holds them to the same
keys and placeholders. Filling them is ``rules.render``."""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings

from .rules import Message, TemplateError, render

FOLDER = "message_templates"


def supported_language(language: str) -> str:
    """``language`` if the portal speaks it, else the portal's own (Vietnamese)."""
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def template_files(language: str) -> list[Path]:
    """The template files of ``language``, one per installed app that has one."""
    files = (Path(config.path) / FOLDER / f"{language}.toml" for config in apps.get_app_configs())
    return [path for path in files if path.is_file()]


def _read(path: Path) -> dict[str, dict[str, Any]]:
    with path.open("rb") as f:
        data = tomllib.load(f)
    templates: dict[str, dict[str, Any]] = {}
    for context, table in data.items():
        if not isinstance(table, dict):
            raise TemplateError(f"{path}: {context!r} is not a table of templates")
        shared = {key: value for key, value in table.items() if not isinstance(value, dict)}
        for event, template in table.items():
            if isinstance(template, dict):
                templates[f"{context}.{event}"] = {**shared, **template}
    return templates


@functools.cache
def templates(language: str) -> Mapping[str, Mapping[str, Any]]:
    """Every template of ``language``, by key. Two apps may not define one key."""
    found: dict[str, dict[str, Any]] = {}
    for path in template_files(language):
        for key, template in _read(path).items():
            if key in found:
                raise TemplateError(f"{path}: the template {key!r} is defined twice")
            found[key] = template
    return found


def compose(template_key: str, payload: Mapping[str, Any], language: str) -> Message:
    """The notification ``template_key`` with ``payload`` in ``language`` (Vietnamese when the
    portal does not speak it). Raises ``TemplateError`` (a ``KeyError``) for an unknown template."""
    language = supported_language(language)
    try:
        template = templates(language)[template_key]
    except KeyError:
        raise TemplateError(f"no template {template_key!r} in {language!r}") from None
    return render(template, payload, language)
