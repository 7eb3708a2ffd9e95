"""The glossary (bảng thuật ngữ) of each translated language: how the terms of the Vietnamese
administration are written, and the variants that must not appear.

``catalog/translations/<lang>/glossary.toml`` holds ``[[term]]`` tables::

    [[term]]
    vi = ["đăng ký khai sinh"]        # the Vietnamese term (whole words, any case)
    use = ["출생신고"]                 # accepted forms, the preferred first
    avoid = ["출생 등록", "출생등록"]  # forms that must never appear
    require = true                    # default: a text whose source has the term uses a form of ``use``

A term with no ``vi`` only forbids its ``avoid`` forms (placeholder particles, for example). A
glossary may set ``full_width_punctuation = true`` at the top (Chinese): no ASCII , . : ; ? ! in
CJK text, except between digits, in placeholders and in web or file names.

Pure functions: the test (``catalog/tests/test_glossary.py``) reads the files and the pairs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from common.text import normalize


@dataclass(frozen=True)
class Term:
    vi: tuple[str, ...]
    use: tuple[str, ...]
    avoid: tuple[str, ...]
    require: bool
    case_sensitive: bool


@dataclass(frozen=True)
class Glossary:
    lang: str
    terms: tuple[Term, ...]
    full_width_punctuation: bool = False

    @property
    def preferred(self) -> dict[str, str]:
        """Each Vietnamese term → its preferred form."""
        return {vi: term.use[0] for term in self.terms if term.use for vi in term.vi}


class GlossaryError(ValueError):
    """The glossary file does not have the expected shape."""


def _strings(value: Any, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise GlossaryError(f"“{key}” must be a list of non-empty strings")
    return tuple(value)


def glossary_from_data(lang: str, data: Mapping[str, Any]) -> Glossary:
    """Build the glossary of ``lang`` from the parsed TOML (or JSON) data."""
    terms = []
    for index, raw in enumerate(data.get("term", []), start=1):
        if not isinstance(raw, Mapping):
            raise GlossaryError(f"term {index} is not a table")
        term = Term(
            vi=_strings(raw.get("vi"), "vi"),
            use=_strings(raw.get("use"), "use"),
            avoid=_strings(raw.get("avoid"), "avoid"),
            require=bool(raw.get("require", True)),
            case_sensitive=bool(raw.get("case_sensitive", False)),
        )
        if term.vi and not term.use:
            raise GlossaryError(f"term {index} ({term.vi[0]}) has no form to use")
        if not term.vi and not term.avoid:
            raise GlossaryError(f"term {index} says nothing")
        clash = set(term.use) & set(term.avoid)
        if clash:
            raise GlossaryError(f"term {index} both uses and avoids {sorted(clash)}")
        terms.append(term)
    return Glossary(lang=lang, terms=tuple(terms), full_width_punctuation=bool(data.get("full_width_punctuation")))


def _contains(text: str, form: str, *, case_sensitive: bool) -> bool:
    return form in text if case_sensitive else form.casefold() in text.casefold()


def _source_has(source: str, vi: str) -> bool:
    # With its diacritics: folded, "phường" (ward) would be "phương" (method) too.
    pattern = r"(?<!\w)" + re.escape(normalize(vi).casefold()) + r"(?!\w)"
    return re.search(pattern, normalize(source).casefold()) is not None


# An ASCII mark is allowed between digits (1.5, 10:30, 1,000), inside placeholders (%(name)s,
# {count}), in web addresses and file names (https://…, hồ sơ.pdf); anywhere else in text with
# Chinese characters it must be the full-width mark.
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef\u3000-\u303f]")
_ASCII_MARK_RE = re.compile(r"[,.:;?!]")
_EXEMPT_RE = re.compile(
    r"%\([^)]*\)[sdif]|\{[^{}]*\}|https?://\S+|www\.\S+|[\w.-]+@[\w.-]+|\b\w+\.(?:pdf|docx?|xlsx?|jpe?g|png|vn|gov)\b"
    r"|<[^<>]*>|&\w+;|\b[A-Za-z_][\w.]*:\d+\b"
)


def ascii_punctuation_in_cjk(text: str) -> list[str]:
    """The places (with a little context) where ``text``, written with Chinese characters, uses
    an ASCII , . : ; ? ! instead of the full-width mark."""
    if not _CJK_RE.search(text):
        return []
    masked = _EXEMPT_RE.sub(lambda m: "x" * len(m.group()), text)
    found = []
    for match in _ASCII_MARK_RE.finditer(masked):
        i = match.start()
        before = masked[i - 1] if i else ""
        after = masked[i + 1] if i + 1 < len(masked) else ""
        if before.isdigit() and after.isdigit():
            continue
        if match.group() == "." and before.isalnum() and after.isalnum() and not _CJK_RE.match(before + after):
            continue  # abbreviations and codes written in Latin letters: "No.5", "TT.BTC"
        found.append(text[max(0, i - 8) : i + 4])
    return found


def violations(glossary: Glossary, source: str, text: str) -> list[str]:
    """What is wrong in ``text``, the translation of the Vietnamese ``source`` (empty when the
    source is unknown): forbidden forms, terms of the source not written as the glossary says,
    ASCII punctuation in Chinese text."""
    problems = []
    for term in glossary.terms:
        for form in term.avoid:
            if _contains(text, form, case_sensitive=term.case_sensitive):
                problems.append(f"uses “{form}” (write “{term.use[0]}”)" if term.use else f"uses “{form}”")
        if source and term.require and term.vi and any(_source_has(source, vi) for vi in term.vi):
            if not any(_contains(text, form, case_sensitive=term.case_sensitive) for form in term.use):
                problems.append(f"“{term.vi[0]}” not written as “{term.use[0]}”")
    if glossary.full_width_punctuation:
        problems += [f"ASCII punctuation in “{place}”" for place in ascii_punctuation_in_cjk(text)]
    return problems
