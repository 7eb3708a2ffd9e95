"""The portal's one search box: every provider registered in common.search, asked in its order
(procedures first), its results shown as a group with a link to the provider's own search when
it found more than the group shows."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from common.search import MAX_QUERY_LENGTH, Provider, Result, registered_providers

PER_GROUP = 5


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    results: list[Result]
    total: int
    more_url: str


def _more_url(provider: Provider, query: str) -> str:
    if not provider.more_url_name:
        return ""
    try:
        url = reverse(provider.more_url_name, args=provider.more_args)
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode({provider.more_param: query})}"


def search_everything(query: str, *, language: str | None = None, per_group: int = PER_GROUP) -> list[Group]:
    """The groups that found something for ``query``, in the providers' order."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    if not query:
        return []
    languages = {code for code, _name in settings.LANGUAGES}
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    language = language if language in languages else settings.LANGUAGE_CODE
    groups = []
    for provider in registered_providers():
        found = provider.find(query, language, per_group)
        if found.results:
            more = _more_url(provider, query) if found.total > len(found.results) else ""
            groups.append(Group(provider.key, str(provider.label), found.results, found.total, more))
    return groups
