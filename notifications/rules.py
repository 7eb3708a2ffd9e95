"""Pure rules of the outbox: how long a failed delivery waits, and how a message template
(data, one TOML table per ``"<context>.<event>"`` and language) is filled from a payload.

A template has a ``subject``, ``body`` (paragraphs), an optional ``items`` (the name of a payload
list shown as a bulleted list in an e-mail), ``sms`` (one text, or pieces joined by a space) and
an optional ``link_label`` (the words of the link to ``payload["link"]``). Each text is a
``str.format`` string with named placeholders, or a table ``{ text = …, if = "field", else = … }``.
Placeholders may name a format: ``{due_on:date}`` (an ISO date, written as the language writes
dates), ``{amount_vnd:vnd}`` (money), ``{missing:list}`` (a list joined by "; "), ``{fee:fee}``
(an assessment of fees explained in one sentence, ``common.formats.fee_sentence``).

A text whose placeholders are not all filled is left out (a reception without a due date never
prints "due on ."), or replaced by its ``else``; a text with ``if`` is used only when that payload
field is truthy."""

from __future__ import annotations

import datetime
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from common.formats import fee_sentence, format_vnd, short_date

Text = str | Mapping[str, Any]


def backoff(attempt: int, *, base_seconds: int, cap_seconds: int) -> datetime.timedelta:
    """How long to wait after the ``attempt``-th failed try (1, 2, …): ``base`` doubled at each
    failure, never more than ``cap``."""
    if attempt < 1:
        raise ValueError("attempt counts from 1")
    seconds = base_seconds * 2 ** min(attempt - 1, 32)
    return datetime.timedelta(seconds=min(seconds, cap_seconds))


@dataclass(frozen=True)
class Message:
    """A notification as it is sent: the e-mail's subject, paragraphs and list, the SMS text,
    and the link (with its words) to where the recipient can read more."""

    subject: str
    paragraphs: list[str]
    items: list[str] = field(default_factory=list)
    sms: str = ""
    link: str = ""
    link_label: str = ""
    language: str = "vi"


class TemplateError(KeyError):
    """A template that is missing or cannot give a message: trying again changes nothing."""


class _Formatter(string.Formatter):
    def __init__(self, language: str) -> None:
        self.language = language

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "date":
            return short_date(datetime.date.fromisoformat(str(value)[:10]), self.language)
        if format_spec == "vnd":
            return format_vnd(int(value), self.language)
        if format_spec == "fee":
            return fee_sentence(value, self.language) if isinstance(value, Mapping) else str(value)
        if format_spec == "list":
            return "; ".join(_strings(value))
        return str(super().format_field(value, format_spec))


def _strings(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(item) for item in value if str(item).strip()]
    return [str(value)] if value not in (None, "") else []


def _empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, list | tuple) and not _strings(value))


def _truthy(value: Any) -> bool:
    return bool(value) and not _empty(value)


def placeholders(text: Text) -> set[str]:
    """The payload fields a text (with its ``if`` and ``else``) reads."""
    if isinstance(text, str):
        return {name.split(".")[0].split("[")[0] for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}
    names = placeholders(text.get("text", ""))
    if "if" in text:
        names.add(str(text["if"]))
    if "else" in text:
        names |= placeholders(text["else"])
    return names


def template_placeholders(template: Mapping[str, Any]) -> set[str]:
    """Every payload field a template reads (a translation must read the same ones)."""
    texts: list[Text] = [template.get("subject", "")]
    texts += list(_texts(template.get("body", [])))
    texts += list(_texts(template.get("sms", "")))
    names = set().union(*(placeholders(t) for t in texts))
    if template.get("items"):
        names.add(str(template["items"]))
    return names


def _texts(value: Text | Sequence[Text]) -> Iterable[Text]:
    if isinstance(value, str | Mapping):
        return [value]
    return list(value)


def fill(text: Text, payload: Mapping[str, Any], language: str) -> str | None:
    """``text`` filled from ``payload``; None when it is left out."""
    if not isinstance(text, str):
        condition = text.get("if")
        chosen = None
        if condition is None or _truthy(payload.get(str(condition))):
            chosen = fill(text.get("text", ""), payload, language)
        if chosen is None and "else" in text:
            return fill(text["else"], payload, language)
        return chosen
    if any(_empty(payload.get(name)) for name in placeholders(text)):
        return None
    return _Formatter(language).vformat(text, (), payload)


def render(template: Mapping[str, Any], payload: Mapping[str, Any], language: str) -> Message:
    """The message ``template`` gives for ``payload`` in ``language``."""
    subject = fill(template.get("subject", ""), payload, language)
    if not subject:
        raise TemplateError("the template's subject is missing or cannot be filled")
    paragraphs = [p for p in (fill(t, payload, language) for t in _texts(template.get("body", []))) if p]
    pieces = [p for p in (fill(t, payload, language) for t in _texts(template.get("sms", ""))) if p]
    items = _strings(payload.get(str(template["items"]))) if template.get("items") else []
    return Message(
        subject=subject,
        paragraphs=paragraphs,
        items=items,
        sms=" ".join(pieces),
        link=str(payload.get("link") or ""),
        link_label=str(template.get("link_label", "")),
        language=language,
    )
