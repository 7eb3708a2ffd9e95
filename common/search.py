"""The portal's one search box (tìm kiếm toàn cổng): what each context offers to it.

The shell (``portal``, top layer) asks every registered provider and shows their results in
groups, in the providers' order (procedures first); it never imports a context. A context
registers its provider in its ``AppConfig.ready()``::

    register_provider(Provider("catalog.procedures", _("Thủ tục hành chính"), find_procedures, order=10,
                               more_url_name="catalog:list"))

A provider's ``find(query, language, limit)`` returns its best ``limit`` results for ``query``
(text as the visitor typed it: each provider folds it with ``common.text``, so "ho khau",
"hộ khẩu" and "HỘ KHẨU" find the same) and how many it found in all. Registering the same key
again replaces the provider.

``FoldedIndex`` is a small in-memory index of folded words for providers whose items are few
enough to keep in memory (tens of thousands of titles and summaries): every query word must be
found (the last one also as the beginning of a word, search as you type), a word in the title
weighs more than one in the summary, newer first among equals.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from .text import words

# A query longer than this is cut (a pasted page searches its beginning).
MAX_QUERY_LENGTH = 200
# Words that say nothing of what is looked for.
STOP_WORDS = frozenset({"cua", "va", "cac", "nhung", "cho", "ve", "tai", "o", "toi", "muon", "the", "of", "and"})


@dataclass(frozen=True)
class Result:
    """One thing found: its title, a link to it, a line of text, and what kind of thing it is
    (the group's own word: "Quyết định", "Tập huấn", "Infographic")."""

    title: str
    url: str
    summary: str = ""
    kind: str = ""
    meta: str = ""  # a code, a number and symbol, a date


@dataclass(frozen=True)
class Found:
    results: list[Result]
    total: int


Finder = Callable[[str, str, int], Found]


@dataclass(frozen=True)
class Provider:
    key: str
    label: str | Promise
    find: Finder
    order: int = 100
    # Where the provider's own search shows every result: reversed, with ``?<more_param>=<query>``.
    more_url_name: str = ""
    more_args: tuple[Any, ...] = ()
    more_param: str = "q"


_providers: dict[str, Provider] = {}


def register_provider(provider: Provider) -> None:
    _providers[provider.key] = provider


def registered_providers() -> list[Provider]:
    return sorted(_providers.values(), key=lambda p: (p.order, p.key))


def unregister_provider(key: str) -> None:
    """For tests that register a provider of their own."""
    _providers.pop(key, None)


def query_words(query: str) -> list[str]:
    """The folded words of ``query`` that say what is looked for (stop words dropped, unless the
    query is made of them alone)."""
    folded = words(query[:MAX_QUERY_LENGTH])
    meaningful = [w for w in folded if w not in STOP_WORDS]
    return (meaningful or folded)[:12]


@dataclass
class FoldedIndex:
    """Items (any objects) found by the folded words of their title and of their other text."""

    items: list[Any] = field(default_factory=list)
    _title: dict[str, set[int]] = field(default_factory=dict)
    _text: dict[str, set[int]] = field(default_factory=dict)
    _vocabulary: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, entries: Iterable[tuple[Any, str, str]]) -> FoldedIndex:
        """``entries``: (item, title, other text), the newest first (ties rank in this order)."""
        index = cls()
        for item, title, text in entries:
            position = len(index.items)
            index.items.append(item)
            for word in words(title):
                index._title.setdefault(word, set()).add(position)
            for word in words(text):
                index._text.setdefault(word, set()).add(position)
        index._vocabulary = sorted(index._title.keys() | index._text.keys())
        return index

    def _holding(self, word: str, *, prefix: bool) -> tuple[set[int], set[int]]:
        if not prefix:
            return self._title.get(word, set()), self._text.get(word, set())
        titles: set[int] = set()
        texts: set[int] = set()
        start = bisect.bisect_left(self._vocabulary, word)
        for known in self._vocabulary[start : start + 200]:
            if not known.startswith(word):
                break
            titles |= self._title.get(known, set())
            texts |= self._text.get(known, set())
        return titles, texts

    def find(self, query: str, limit: int) -> tuple[list[Any], int]:
        """The best ``limit`` items holding every word of ``query``, and how many hold them."""
        asked = query_words(query)
        if not asked:
            return [], 0
        scores: dict[int, float] | None = None
        for position, word in enumerate(asked):
            titles, texts = self._holding(word, prefix=position == len(asked) - 1 and len(word) >= 2)
            holding = titles | texts
            if scores is None:
                scores = {i: 0.0 for i in holding}
            else:
                scores = {i: s for i, s in scores.items() if i in holding}
            if not scores:
                return [], 0
            for i in scores:
                scores[i] += 2.0 if i in titles else 1.0
        assert scores is not None
        best = sorted(scores, key=lambda i: (-scores[i], i))[:limit]
        return [self.items[i] for i in best], len(scores)
