"""Procedure search: the main way people find a procedure.

An in-memory inverted index per language, built from the public catalog and rebuilt whenever the
catalog revision or the day changes. Ranking is done here in Python from the same data on every
database, so SQLite and PostgreSQL give the same results.

What a query goes through:
1. an exact national code (``1.001193``) puts that procedure first;
2. text is folded (``common.text``): no diacritics or case, NFC = NFD, đ = d, hoà = hòa, kí = ký,
   "1" = "một"; Chinese, Japanese and Korean are cut into character pairs;
3. synonyms (``SearchSynonym``, editable by controllers) give alternative wordings;
4. each word matches itself, or, when the index does not know it and it has 5 letters or more,
   the indexed words one typo away (3 or 4 letters: two neighbouring letters swapped, or a
   Vietnamese onset's second letter left out, ``short_word_typos``); the last word also matches
   as a prefix (search as you type);
5. each query word weighs what it tells apart: the rarer among the procedures' names, the more
   (a word in every fifth name or more, "đăng ký", "giấy", "cấp", is generic). A procedure
   matches when it holds words carrying at least half of the query's weight, one of them not
   generic; a query of generic words alone, of words the catalog does not know, or longer than
   ``SEARCH_MAX_QUERY_LENGTH`` matches nothing (the page then offers suggestions);
6. scores: BM25-like per field (name weighs most), times the share of the query's weight matched,
   plus how much of the procedure's name the query covers (so the short general procedure ranks
   above its special variants), a bonus for words found side by side in the name, and a small
   one for the first issue ("cấp") over re-issue, change or correction when the query asks for
   none of these;
7. only procedures scoring at least ``RELATIVE_CUTOFF`` of the best are results: the rest share
   a word with the query but not its meaning.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.core.signals import request_finished, request_started

from common.text import cjk_bigrams, fold, normalize, words

from .models import ProcedureTranslation, SearchSynonym, TranslationStatus
from .selectors import catalog_token, public_versions, today

CJK_LANGUAGES = {"zh-hans", "ja", "ko"}
CODE_RE = re.compile(r"(?<![\d.])(\d\.\d{6}(?:\.[A-Za-z0-9]+)?)(?![\d])")
# Words that carry no meaning for finding a procedure.
STOP_PHRASES = [("thu", "tuc"), ("thu", "tuc", "hanh", "chinh")]
STOP_WORDS = {
    *("cho", "cua", "va", "cac", "nhung", "toi", "muon", "gi", "nao", "o", "dau", "lam", "nhu", "minh"),
    # "xin" (to ask for) and "bị" (to suffer) say how, not what.
    *("xin", "bi"),
}
# A word in this share of the procedures' names or more tells nothing apart on its own (counted
# in a catalog of at least GENERIC_MIN_NAMES names: a handful says nothing about the language).
GENERIC_SHARE = 0.2
GENERIC_MIN_NAMES = 50
# "1" is read as "một": a number alone tells nothing apart.
NUMBER_WORDS = {"mot"}
# A word no name holds weighs as one in this share of the names (a citizen's own word that the
# catalog does not use: it counts against a match, a little).
UNKNOWN_SHARE = 0.05
# Chinese, Japanese and Korean are cut into every pair of characters, so a query holds pairs
# that straddle two words ("生届" in "出生届"); an unknown pair weighs this share of an unknown word.
CJK_UNKNOWN_SHARE = 0.3
MIN_COVERAGE = 0.5
RELATIVE_CUTOFF = 0.55
# How a name begins when it is a variant of a first issue (re-issue, exchange, change, renewal,
# correction, revocation, removal, registering again); the query words that ask for one; and the
# words of a name that say it is the first issue.
VARIANT_BEGINNINGS = [
    ("cap", "lai"),
    ("cap", "doi"),
    ("cap", "dieu", "chinh"),
    ("doi",),
    ("dinh", "chinh"),
    ("thu", "hoi"),
    ("gia", "han"),
    ("dieu", "chinh"),
    ("xoa",),
    ("thay", "doi"),
    ("dang", "ki", "lai"),
    ("dang", "ki", "thay", "doi"),
    ("dung",),
    ("tam", "ngung"),
    ("tam", "dung"),
    ("tiep", "tuc"),
    ("cham", "dut"),
    ("giai", "the"),
    ("registration", "of", "changes"),
    ("re", "issuance"),
    ("renewal",),
    ("correction",),
    ("extension",),
    ("deletion",),
]
# In Chinese, Japanese and Korean the word saying so may stand anywhere in the name.
CJK_VARIANT_MARKERS = {
    *("补发", "换发", "变更", "更正", "注销", "延期", "暂停", "终止"),
    *("재발", "교체", "교환", "변경", "정정", "말소", "연장", "휴업", "종료"),
    *("再交", "再発", "切替", "変更", "訂正", "抹消", "延長", "停止", "終了"),
}
VARIANT_QUERY_WORDS = {
    *CJK_VARIANT_MARKERS,
    *("lai", "doi", "chinh", "hoi", "han", "xoa", "mat", "hong", "sai", "thay", "ngung", "cham"),
    *("change", "changes", "renew", "renewal", "reissue", "replace", "replacement", "lost", "exchange"),
    *("extend", "extension", "correct", "correction", "delete", "deletion", "cancel"),
}
# What a query word asks for among the variants, beside itself: a lost or damaged paper is
# issued again ("mất bằng lái" is "cấp lại giấy phép lái xe").
VARIANT_ASKED = {
    "mat": {"lai"},
    "hong": {"lai", "doi"},
    "lost": {"re", "issuance"},
    "replace": {"re", "issuance"},
    "replacement": {"re", "issuance"},
    "reissue": {"re", "issuance"},
    "renew": {"renewal"},
    "extend": {"extension"},
}
# Words of a variant's beginning that say nothing of which variant it is.
VARIANT_NEUTRAL = {"cap", "dang", "ki", "registration", "of"}
FIRST_ISSUE = ("lan", "dau")
VARIANT_PENALTY = 0.2
FIRST_ISSUE_BONUS = 0.12
FIELD_WEIGHTS = {"name": 3.0, "meta": 1.0, "result": 0.8, "documents": 0.35}
# Where a Vietnamese query of several words must find two of them side by side (a procedure whose
# long list of documents holds "kết quả" and "miễn" somewhere is no answer to "kết quả xổ số
# miền Nam").
PHRASE_FIELDS = {"name", "meta"}
# BM25's b per field: a word weighs less in a longer name (one name of the catalog runs to 230
# words and holds nearly every word of its field).
LENGTH_NORMALIZATION = {"name": 0.3}
TYPO_WEIGHT = 0.75
PREFIX_WEIGHT = 0.85
MAX_VARIANTS = 12
TEXT_WEIGHT = 0.5
NAME_WEIGHT = 0.4
PAIR_WEIGHT = 0.1
PHRASE_WEIGHT = 0.1
POPULARITY_WEIGHT = 0.05
EXACT_CODE_SCORE = 1000.0
OTHER_LANGUAGE_DISCOUNT = 0.9


@dataclass
class IndexedProcedure:
    code: str
    version_id: int
    name: str
    name_tokens: list[str]
    name_pairs: set[tuple[str, str]]
    name_counts: dict[str, int]
    popularity: int
    field_slug: str
    agency_slugs: frozenset[str]
    levels: frozenset[str]
    online_level: str
    # -1 a variant of a first issue, 1 the first issue, 0 neither (see VARIANT_BEGINNINGS), and
    # the words that say which variant ("lai" for "cấp lại").
    issue: int = 0
    variant_words: frozenset[str] = frozenset()


@dataclass
class LanguageIndex:
    language: str
    docs: list[IndexedProcedure] = field(default_factory=list)
    # word -> (ids of the procedures that contain it, their weighted scores)
    postings: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    popularity: np.ndarray = field(default_factory=lambda: np.zeros(0))
    filter_masks: dict[Filters, np.ndarray] = field(default_factory=dict)
    # Names only: word -> (ids, times in the name); (word, next word) -> ids; words per name.
    name_postings: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    name_pair_postings: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    name_lengths: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # For another language: the id of each procedure in the Vietnamese index.
    vi_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    vocabulary: list[str] = field(default_factory=list)
    # Every two words written side by side in some procedure's text.
    text_pairs: set[tuple[str, str]] = field(default_factory=set)
    # Vietnamese: two words side by side in a procedure's name, field, agencies or result -> ids.
    phrase_postings: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    # How much each word tells procedures apart (from its share of names), and which are generic.
    weights: dict[str, float] = field(default_factory=dict)
    generic: frozenset[str] = frozenset()
    unknown_weight: float = 1.0
    issues: np.ndarray = field(default_factory=lambda: np.zeros(0))
    variant_postings: dict[str, np.ndarray] = field(default_factory=dict)
    deletions: dict[str, set[str]] = field(default_factory=dict)
    by_code: dict[str, int] = field(default_factory=dict)
    synonyms: list[list[tuple[str, ...]]] = field(default_factory=list)


@dataclass(frozen=True)
class Hit:
    code: str
    version_id: int
    name: str
    score: float


@dataclass(frozen=True)
class Filters:
    field: str | None = None
    agency: str | None = None
    level: str | None = None
    online_level: str | None = None

    def accepts(self, doc: IndexedProcedure) -> bool:
        return (
            (not self.field or doc.field_slug == self.field)
            and (not self.agency or self.agency in doc.agency_slugs)
            and (not self.level or self.level in doc.levels)
            and (not self.online_level or doc.online_level == self.online_level)
        )


def tokenize(text: str, language: str) -> list[str]:
    if language in CJK_LANGUAGES:
        return cjk_bigrams(text)
    return words(text)


def _drop_stop_words(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for phrase in sorted(STOP_PHRASES, key=len, reverse=True):
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                i += len(phrase)
                break
        else:
            if tokens[i] not in STOP_WORDS or len(tokens) == 1:
                out.append(tokens[i])
            i += 1
    return out


def _deletions(token: str) -> set[str]:
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


def edit_distance_at_most_one(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one insertion, deletion, substitution or
    swap of two neighbouring letters."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    if la > lb:
        return a[i + 1 :] == b[i:]
    return a[i:] == b[i + 1 :]


def _saturate(tf: float, length_ratio: float, b: float, k: float = 1.2) -> float:
    """BM25's term frequency: saturating, and lower in a longer text by ``b``."""
    return tf * (k + 1) / (tf + k * (1 - b + b * length_ratio))


class IndexBuilder:
    def __init__(self, language: str) -> None:
        self.index = LanguageIndex(language)
        self._raw: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        self._fields: list[tuple[int, str, dict[str, int], int]] = []
        self._phrases: dict[tuple[str, str], set[int]] = defaultdict(set)

    def add(self, doc: IndexedProcedure, texts: dict[str, Iterable[str]]) -> None:
        doc_id = len(self.index.docs)
        self.index.docs.append(doc)
        self.index.by_code[doc.code] = doc_id
        for field_name, parts in texts.items():
            counts: dict[str, int] = defaultdict(int)
            for part in parts:
                tokens = tokenize(part, self.index.language)
                for token in tokens:
                    counts[token] += 1
                if self.index.language == "vi":
                    self.index.text_pairs.update(itertools.pairwise(tokens))
                    if field_name in PHRASE_FIELDS:
                        for pair in itertools.pairwise(tokens):
                            self._phrases[pair].add(doc_id)
            self._fields.append((doc_id, field_name, counts, sum(counts.values())))

    def build(self) -> LanguageIndex:
        n = max(len(self.index.docs), 1)
        lengths: dict[str, list[int]] = defaultdict(list)
        for _doc_id, field_name, _counts, length in self._fields:
            lengths[field_name].append(length)
        average = {name: max(sum(values) / len(values), 1.0) for name, values in lengths.items()}
        for doc_id, field_name, counts, length in self._fields:
            weight = FIELD_WEIGHTS[field_name]
            b = LENGTH_NORMALIZATION.get(field_name, 0.0)
            for token, tf in counts.items():
                self._raw[token][doc_id] += weight * _saturate(tf, length / average[field_name], b)
        postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for token, per_doc in self._raw.items():
            df = len(per_doc)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            ids = np.fromiter(per_doc.keys(), dtype=np.int32, count=df)
            scores = np.fromiter(per_doc.values(), dtype=np.float64, count=df) * idf
            postings[token] = (ids, scores)
        self.index.postings = postings
        self.index.popularity = np.log1p(np.array([d.popularity for d in self.index.docs], dtype=np.float64))
        names: dict[str, dict[int, int]] = defaultdict(dict)
        pairs: dict[tuple[str, str], list[int]] = defaultdict(list)
        for doc_id, doc in enumerate(self.index.docs):
            for word, times in doc.name_counts.items():
                names[word][doc_id] = times
            for pair in doc.name_pairs:
                pairs[pair].append(doc_id)
        self.index.name_postings = {
            word: (np.fromiter(d.keys(), dtype=np.int32), np.fromiter(d.values(), dtype=np.float64))
            for word, d in names.items()
        }
        self.index.name_pair_postings = {pair: np.array(ids, dtype=np.int32) for pair, ids in pairs.items()}
        self.index.phrase_postings = {pair: np.fromiter(ids, dtype=np.int32) for pair, ids in self._phrases.items()}
        self.index.name_lengths = np.array([max(len(d.name_tokens), 1) for d in self.index.docs], dtype=np.float64)
        self.index.issues = np.array([d.issue for d in self.index.docs], dtype=np.float64)
        by_variant_word: dict[str, list[int]] = defaultdict(list)
        for doc_id, doc in enumerate(self.index.docs):
            for word in doc.variant_words:
                by_variant_word[word].append(doc_id)
        self.index.variant_postings = {w: np.array(ids, dtype=np.int32) for w, ids in by_variant_word.items()}
        self.index.unknown_weight = math.log(1 / UNKNOWN_SHARE)
        self.index.weights = {word: math.log((n + 1) / max(len(names.get(word, ())), 1)) for word in postings}
        self.index.generic = frozenset(
            [word for word, per_doc in names.items() if len(per_doc) >= GENERIC_SHARE * n and n >= GENERIC_MIN_NAMES]
            + list(NUMBER_WORDS)
        )
        self.index.vocabulary = sorted(postings)
        deletions: dict[str, set[str]] = defaultdict(set)
        if self.index.language not in CJK_LANGUAGES:
            for token in postings:
                if len(token) >= 4 and not token.isdigit():
                    for variant in _deletions(token):
                        deletions[variant].add(token)
        self.index.deletions = dict(deletions)
        return self.index


def _issue(tokens: list[str], raw_pairs: set[tuple[str, str]], language: str) -> tuple[int, frozenset[str]]:
    """Whether a name is a variant of a first issue (-1, with the words saying which), the first
    issue (1) or neither (0)."""
    if language in CJK_LANGUAGES:
        markers = CJK_VARIANT_MARKERS.intersection(tokens)
        return (-1, frozenset(markers)) if markers else (0, frozenset())
    for beginning in VARIANT_BEGINNINGS:
        if tuple(tokens[: len(beginning)]) == beginning:
            return -1, frozenset(beginning) - VARIANT_NEUTRAL
    return (1 if FIRST_ISSUE in raw_pairs else 0), frozenset()


def _name_doc(code: str, version_id: int, name: str, language: str, **attrs: object) -> IndexedProcedure:
    tokens = _drop_stop_words(tokenize(name, language)) or tokenize(name, language)
    pairs = set(itertools.pairwise(tokens))
    issue, variant_words = _issue(tokens, set(itertools.pairwise(tokenize(name, language))), language)
    return IndexedProcedure(
        code=code,
        version_id=version_id,
        name=name,
        name_tokens=tokens,
        name_pairs=pairs,
        name_counts=dict(Counter(tokens)),
        # "lần đầu" with its stop word ("đâu") kept.
        issue=issue,
        variant_words=variant_words,
        **attrs,  # type: ignore[arg-type]
    )


def build_indexes() -> dict[str, LanguageIndex]:
    """Build the index of every language from the public catalog."""
    versions = list(
        public_versions()
        .select_related("procedure", "field", "field__category")
        .prefetch_related("agencies", "documents")
        .order_by("procedure__code")
    )
    translations: dict[tuple[int, str], ProcedureTranslation] = {
        (t.version_id, t.language): t
        for t in ProcedureTranslation.objects.filter(
            version__in=[v.id for v in versions], status=TranslationStatus.REVIEWED
        )
    }
    builders = {code: IndexBuilder(code) for code in ("vi", "en", "zh-hans", "ko", "ja")}
    for v in versions:
        agencies = list(v.agencies.all())
        attrs = {
            "popularity": v.procedure.popularity,
            "field_slug": v.field.slug,
            "agency_slugs": frozenset(a.slug for a in agencies),
            "levels": frozenset(v.levels),
            "online_level": v.online_level,
        }
        category = v.field.category
        builders["vi"].add(
            _name_doc(v.procedure.code, v.id, v.name, "vi", **attrs),
            {
                "name": [v.name],
                "meta": [v.field.name, category.name if category else "", *(a.name for a in agencies)],
                "result": [v.result],
                "documents": [d.name for d in v.documents.all()],
            },
        )
        for language in ("en", "zh-hans", "ko", "ja"):
            tr = translations.get((v.id, language))
            if tr is None:
                continue
            meta = [v.field.name_translations.get(language, "")]
            if category:
                meta.append(category.name_translations.get(language, ""))
            meta.extend(a.name_translations.get(language, "") for a in agencies)
            builders[language].add(
                _name_doc(v.procedure.code, v.id, tr.name, language, **attrs),
                {
                    "name": [tr.name],
                    "meta": meta,
                    "result": [tr.result],
                    "documents": [d.get("name", "") for d in tr.documents],
                },
            )
    indexes = {code: builder.build() for code, builder in builders.items()}
    for index in indexes.values():
        index.vi_ids = np.array([indexes["vi"].by_code[d.code] for d in index.docs], dtype=np.int64)
    groups: dict[str, list[list[tuple[str, ...]]]] = defaultdict(list)
    for synonym in SearchSynonym.objects.filter(is_active=True):
        phrases = [tuple(tokenize(p, synonym.language)) for p in synonym.phrase_list()]
        phrases = [p for p in phrases if p]
        if len(phrases) > 1:
            groups[synonym.language].append(phrases)
    for code, index in indexes.items():
        index.synonyms = groups.get(code, [])
    return indexes


class _IndexCache:
    """Indexes of this process, rebuilt when the catalog revision or the day changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stamp: tuple[str, object] | None = None
        self._indexes: dict[str, LanguageIndex] = {}

    def current(self) -> dict[str, LanguageIndex]:
        # One cheap query per request (a page asks several times: search, presentation, cache key);
        # outside a request, every call asks.
        token = getattr(_request, "token", None)
        if token is None:
            token = catalog_token()
            if getattr(_request, "active", False):
                _request.token = token
        stamp = (token, today())
        if stamp != self._stamp:
            with self._lock:
                if stamp != self._stamp:
                    self._indexes = build_indexes()
                    self._stamp = stamp
        return self._indexes

    @property
    def revision(self) -> str:
        return f"{self._stamp[0]}:{self._stamp[1]}" if self._stamp else ""


_request = threading.local()


def _request_started(**kwargs: object) -> None:
    _request.active, _request.token = True, None


def _request_finished(**kwargs: object) -> None:
    _request.active, _request.token = False, None


request_started.connect(_request_started, dispatch_uid="catalog.search.request_started")
request_finished.connect(_request_finished, dispatch_uid="catalog.search.request_finished")

_cache = _IndexCache()
LANGUAGES = ("vi", "en", "zh-hans", "ko", "ja")


def current_revision() -> str:
    """The catalog revision of this process's indexes, checked against the database."""
    _cache.current()
    return _cache.revision


def index_for(language: str) -> LanguageIndex:
    return _cache.current()[language if language in LANGUAGES else "vi"]


def _in_names(index: LanguageIndex, phrase: tuple[str, ...]) -> bool:
    """Whether some procedure's name holds ``phrase`` (word by word, side by side)."""
    if len(phrase) == 1:
        return phrase[0] in index.name_postings
    return all(pair in index.name_pair_postings for pair in itertools.pairwise(phrase))


@dataclass
class _Wording:
    """One wording of the query: its words, its discount, and the pairs of words a procedure
    must say side by side (the head of each official phrase put in for a citizen's word: "sổ đỏ"
    read as "giấy chứng nhận quyền sử dụng đất" asks for a "giấy chứng nhận", not for any
    procedure that mentions land use rights)."""

    tokens: list[str]
    discount: float = 1.0
    heads: tuple[tuple[str, str], ...] = ()


def _variants(tokens: list[str], index: LanguageIndex) -> list[_Wording]:
    """The query and its rewordings by synonym groups, each with a small discount. A wording
    no name uses ("sổ hồng") is not tried in place of another; and where the words typed are
    such a wording ("sổ đỏ"), only their rewordings are searched, not the words one by one."""
    variants = [_Wording(tokens)]
    literal_unused = False
    for group in index.synonyms:
        for phrase in group:
            n = len(phrase)
            for start in range(len(tokens) - n + 1):
                if tuple(tokens[start : start + n]) != phrase:
                    continue
                replaced = False
                for other in group:
                    if other == phrase or not _in_names(index, other):
                        continue
                    for base in list(variants):
                        if tuple(base.tokens[start : start + n]) == phrase:
                            head = ((other[0], other[1]),) if len(other) > 1 else ()
                            tokens_after = [*base.tokens[:start], *other, *base.tokens[start + n :]]
                            variants.append(_Wording(tokens_after, 0.95, base.heads + head))
                            replaced = True
                        if len(variants) >= MAX_VARIANTS:
                            break
                literal_unused |= replaced and n > 1 and not _in_names(index, phrase)
    if literal_unused and len(variants) > 1:
        variants = [_Wording(v.tokens, 1.0, v.heads) for v in variants[1:]]
    return variants[:MAX_VARIANTS]


# Vietnamese onsets written with a second letter that a hurried thumb leaves out ("kai" for "khai",
# "nhan" for "nhanh"): the short word's missing "h" or "g".
SHORT_ONSETS = {"k": "kh", "t": "th", "n": "nh", "c": "ch", "p": "ph", "g": "gh"}


def short_word_typos(token: str, language: str) -> set[str]:
    """What a short word (3 or 4 letters) the index does not know may have been meant as: the
    word with two neighbouring letters swapped ("khia" for "khai"), and in Vietnamese with the
    second letter of its onset put back ("kai" for "khai", "tu" stays "tu"). Not every one-letter
    edit: among words this short, those would turn most unknown words into some known one."""
    near = {token[:i] + token[i + 1] + token[i] + token[i + 2 :] for i in range(len(token) - 1)}
    near.discard(token)
    if language == "vi" and token[0] in SHORT_ONSETS and token[1] not in "hg":
        near.add(SHORT_ONSETS[token[0]] + token[1:])
    return near


def _candidates(index: LanguageIndex, token: str, *, is_last: bool, prefix: bool) -> dict[str, float]:
    """Indexed words that may stand for ``token``, with the weight of each."""
    found: dict[str, float] = {}
    if token in index.postings:
        found[token] = 1.0
    elif len(token) >= 5 and index.language not in CJK_LANGUAGES and not token.isdigit():
        near: set[str] = set(index.deletions.get(token, ()))
        for variant in _deletions(token):
            if variant in index.postings:
                near.add(variant)
            near.update(index.deletions.get(variant, ()))
        for word in near:
            if edit_distance_at_most_one(token, word):
                found[word] = TYPO_WEIGHT
    elif len(token) >= 3 and index.language not in CJK_LANGUAGES and not token.isdigit():
        for word in short_word_typos(token, index.language):
            if word in index.postings:
                found[word] = TYPO_WEIGHT
    if is_last and prefix and len(token) >= 2 and index.language not in CJK_LANGUAGES:
        start = bisect.bisect_left(index.vocabulary, token)
        expansions = []
        for word in index.vocabulary[start : start + 200]:
            if not word.startswith(token):
                break
            if word != token:
                expansions.append(word)
        expansions.sort(key=lambda w: -index.postings[w][0].size)
        for word in expansions[:20]:
            found.setdefault(word, PREFIX_WEIGHT)
    return found


def _unattested(index: LanguageIndex, found: list[dict[str, float]]) -> list[int]:
    """Positions of the query's words that the catalog never writes beside either neighbouring
    word of the query. In "thời tiết nha trang" each syllable is somewhere in the catalog, but
    never "thời tiết" nor "tiết nha" nor "nha trang": such words would match only by accident,
    and count as unknown. Only Vietnamese, where a word is often two syllables; a query of one
    known word is taken as typed."""
    if index.language != "vi" or sum(1 for candidates in found if candidates) < 2:
        return []

    def together(left: dict[str, float], right: dict[str, float]) -> bool:
        return any((a, b) in index.text_pairs for a in left for b in right)

    attested: set[int] = set()
    for i in range(len(found) - 1):
        if found[i] and found[i + 1] and together(found[i], found[i + 1]):
            attested.update((i, i + 1))
    return [i for i, candidates in enumerate(found) if candidates and i not in attested]


def _said_together(index: LanguageIndex, pair: tuple[str, str], size: int) -> np.ndarray:
    found = np.zeros(size, dtype=bool)
    for postings in (index.phrase_postings, index.name_pair_postings):
        ids = postings.get(pair)
        if ids is not None:
            found[ids] = True
    return found


def _phrase_mask(index: LanguageIndex, per_position: list[dict[str, float]], size: int) -> np.ndarray:
    """Which procedures say two neighbouring words of a Vietnamese query side by side (all, for
    a query of one known word and in other languages)."""
    if index.language != "vi" or sum(1 for candidates in per_position if candidates) < 2:
        return np.ones(size, dtype=bool)
    found = np.zeros(size, dtype=bool)
    for left, right in itertools.pairwise(per_position):
        for a in left:
            for b in right:
                ids = index.phrase_postings.get((a, b))
                if ids is not None:
                    found[ids] = True
    return found


def _filter_mask(index: LanguageIndex, filters: Filters) -> np.ndarray:
    mask = index.filter_masks.get(filters)
    if mask is None:
        mask = np.fromiter((filters.accepts(d) for d in index.docs), dtype=bool, count=len(index.docs))
        if len(index.filter_masks) < 256:
            index.filter_masks[filters] = mask
    return mask


@dataclass
class _Scored:
    """One wording of the query scored: its text relevance (BM25 times the share of the query's
    weight matched; 0 where the procedure does not match) and the signals from the names."""

    text: np.ndarray
    signals: np.ndarray
    discount: float


def _score_variant(index: LanguageIndex, wording: _Wording, *, prefix: bool, filters: Filters) -> _Scored | None:
    """Score every indexed procedure for one wording of the query, or None when nothing
    matches."""
    tokens, discount = wording.tokens, wording.discount
    n = len(tokens)
    if not n or not index.docs:
        return None
    size = len(index.docs)
    totals = np.zeros(size)
    # The weight of the query's words each procedure holds.
    covered = np.zeros(size)
    informative = np.zeros(size, dtype=bool)
    query_weight = 0.0
    seen: set[str] = set()
    per_position: list[dict[str, float]] = []
    found = [
        _candidates(index, token, is_last=position == n - 1, prefix=prefix) for position, token in enumerate(tokens)
    ]
    for position in _unattested(index, found):
        found[position] = {}
    for position, token in enumerate(tokens):
        is_last = position == n - 1
        candidates = found[position]
        per_position.append(candidates)
        # A word said twice weighs once.
        repeated = token in seen
        seen.add(token)
        if not candidates:
            # A word being typed is not held against the query; a whole unknown word is.
            if not (is_last and prefix) and not repeated:
                query_weight += index.unknown_weight * (CJK_UNKNOWN_SHARE if index.language in CJK_LANGUAGES else 1)
            continue
        # A whole word weighs what it is, whatever longer words it also begins.
        own = [token] if token in candidates else list(candidates)
        weight_of_word = 0.0 if repeated else min(index.weights[word] for word in own)
        query_weight += weight_of_word
        best = np.zeros(size)
        in_name = np.zeros(size, dtype=bool)
        for word, weight in candidates.items():
            ids, scores = index.postings[word]
            best[ids] = np.maximum(best[ids], scores * weight)
            if word in index.name_postings:
                in_name[index.name_postings[word][0]] = True
        totals += best
        covered += weight_of_word * (best > 0)
        if not set(own) <= index.generic:
            informative |= in_name
    if not query_weight:
        return None
    eligible_phrase = _phrase_mask(index, per_position, size)
    for head in wording.heads:
        eligible_phrase &= _said_together(index, head, size)
    coverage = covered / query_weight
    eligible = (coverage >= MIN_COVERAGE) & informative & eligible_phrase & _filter_mask(index, filters)
    if not eligible.any():
        return None
    text = np.where(eligible, totals * coverage**2, 0.0)
    signals = POPULARITY_WEIGHT * index.popularity
    # How much of the name the query covers: the general procedure ("đăng ký kết hôn") before
    # its variants ("đăng ký lại kết hôn", "… lưu động"). Each name word counts once: "cấp lại
    # giấy phép lái xe" holds "lai" twice, "cấp giấy phép lái xe" once.
    in_name = np.zeros(size)
    for group, times in Counter(frozenset(c) for c in per_position if c).items():
        most = np.zeros(size)
        for word in group:
            if word in index.name_postings:
                ids, counts = index.name_postings[word]
                most[ids] = np.maximum(most[ids], counts)
        in_name += np.minimum(most, times)
    pairs = np.zeros(size)
    for left, right in itertools.pairwise(per_position):
        side_by_side = np.zeros(size, dtype=bool)
        for a in left:
            for b in right:
                pair_ids = index.name_pair_postings.get((a, b))
                if pair_ids is not None:
                    side_by_side[pair_ids] = True
        pairs += side_by_side
    name_fit = (in_name / n) * (in_name / index.name_lengths)
    signals = signals + NAME_WEIGHT * name_fit
    if n > 1:
        signals += PAIR_WEIGHT * pairs / (n - 1)
        # The whole query stands in the name as one phrase ("chứng thực bản sao …").
        signals += PHRASE_WEIGHT * (pairs == n - 1)
    if not VARIANT_QUERY_WORDS.intersection(tokens):
        signals += np.where(index.issues > 0, FIRST_ISSUE_BONUS, VARIANT_PENALTY * index.issues)
    else:
        # The variant asked for ("cấp lại", or "mất" that asks for it) before the others.
        asked = set(CJK_VARIANT_MARKERS.intersection(tokens)).union(*(VARIANT_ASKED.get(t, ()) for t in tokens))
        for beginning in VARIANT_BEGINNINGS:
            if any(tuple(tokens[i : i + len(beginning)]) == beginning for i in range(n)):
                asked.update(set(beginning) - VARIANT_NEUTRAL)
        for word in asked:
            variant_ids = index.variant_postings.get(word)
            if variant_ids is not None:
                signals[variant_ids] += VARIANT_PENALTY
    return _Scored(text, signals, discount)


def _combine(scored: list[_Scored]) -> np.ndarray:
    """The best score of each procedure over the wordings of the query. Text relevance is
    relative to the best match of the whole query, so that the name signals weigh the same for
    every query, and a wording that matches only weakly (the two short words of "sổ đỏ" read
    apart) cannot rank as high as the official name it stands for."""
    best_text = max(s.text.max() for s in scored)
    combined = np.zeros(scored[0].text.size)
    for s in scored:
        score = TEXT_WEIGHT * s.text / best_text + s.signals
        np.maximum(combined, np.where(s.text > 0, np.maximum(score, 1e-6) * s.discount, 0.0), out=combined)
    return combined


@dataclass(frozen=True)
class Ranking:
    """The procedures matching a query, best first (ties in code order), as ids of the
    Vietnamese index, which holds every public procedure."""

    index: LanguageIndex
    order: np.ndarray
    scores: np.ndarray

    @property
    def count(self) -> int:
        return int(self.order.size)

    def hits(self, offset: int = 0, limit: int | None = None) -> list[Hit]:
        chosen = self.order[offset : None if limit is None else offset + limit].tolist()
        return [
            Hit(self.index.docs[i].code, self.index.docs[i].version_id, self.index.docs[i].name, float(self.scores[i]))
            for i in chosen
        ]


def rank(
    query: str,
    *,
    language: str = "vi",
    filters: Filters | None = None,
    prefix: bool = True,
) -> Ranking:
    """Rank the public procedures for ``query`` in ``language`` (Vietnamese text is searched
    too on a page in another language, a little lower)."""
    filters = filters or Filters()
    query = normalize(query)
    language = language if language in LANGUAGES else "vi"
    indexes = _cache.current()
    vi = indexes["vi"]
    final = np.zeros(len(vi.docs))
    if len(query) > settings.SEARCH_MAX_QUERY_LENGTH:
        return Ranking(vi, np.zeros(0, dtype=np.int64), final)
    by_code = np.zeros(len(vi.docs), dtype=bool)
    for code in CODE_RE.findall(query):
        doc_id = vi.by_code.get(code)
        if doc_id is not None and filters.accepts(vi.docs[doc_id]):
            by_code[doc_id] = True
    text = CODE_RE.sub(" ", query)
    for position, lang in enumerate([language] if language == "vi" else [language, "vi"]):
        index = indexes[lang]
        # Synonyms first, on the words as typed ("làm giấy khai sinh"), then the stop words go.
        scored = [
            s
            for wording in _variants(tokenize(text, lang), index)
            if (
                s := _score_variant(
                    index,
                    _Wording(_drop_stop_words(wording.tokens), wording.discount, wording.heads),
                    prefix=prefix and not query.endswith(" "),
                    filters=filters,
                )
            )
            is not None
        ]
        if not scored:
            continue
        combined = _combine(scored)
        if lang != "vi":
            scattered = np.zeros(len(vi.docs))
            scattered[index.vi_ids] = combined
            combined = scattered
        np.maximum(final, combined * (1.0 if position == 0 else OTHER_LANGUAGE_DISCOUNT), out=final)
    by_text = np.where(by_code, 0.0, final)
    final[by_text < RELATIVE_CUTOFF * by_text.max(initial=0.0)] = 0.0
    final[by_code] = EXACT_CODE_SCORE
    ids = np.flatnonzero(final)
    order = ids[np.lexsort((ids, -final[ids]))]
    return Ranking(vi, order, final)


def search(
    query: str,
    *,
    language: str = "vi",
    filters: Filters | None = None,
    prefix: bool = True,
) -> list[Hit]:
    """All procedures matching ``query``, best first."""
    return rank(query, language=language, filters=filters, prefix=prefix).hits()


def browse(*, filters: Filters | None = None) -> list[int]:
    """Version ids of all public procedures that pass ``filters``, the most used first."""
    vi = index_for("vi")
    order = np.lexsort((np.arange(len(vi.docs)), -vi.popularity))
    if filters is not None:
        order = order[_filter_mask(vi, filters)[order]]
    return [vi.docs[i].version_id for i in order.tolist()]


def suggest(query: str, *, language: str = "vi", limit: int = 8) -> list[Hit]:
    """Suggestions while typing: the best names for what has been typed so far."""
    if len(fold(query)) < 2 and not any(ch.isalnum() for ch in query):
        return []
    return rank(query, language=language, prefix=True).hits(0, limit)


def public_version_id(code: str) -> int | None:
    """The public version of the procedure with this code, from the index (no query)."""
    vi = index_for("vi")
    doc_id = vi.by_code.get(code)
    return None if doc_id is None else vi.docs[doc_id].version_id


def when_nothing_matches(query: str, *, language: str = "vi", limit: int = 5) -> list[int]:
    """Version ids to offer when ``query`` matches nothing, the most used first: the procedures
    whose names hold every word of the query the catalog knows (a query of generic words,
    "đăng ký"), else the most used procedures of all."""
    language = language if language in LANGUAGES else "vi"
    index = index_for(language)
    words_known = [t for t in _drop_stop_words(tokenize(normalize(query), language)) if t in index.name_postings]
    order = np.lexsort((np.arange(len(index.docs)), -index.popularity))
    if words_known and len(query) <= settings.SEARCH_MAX_QUERY_LENGTH:
        holds_all = np.ones(len(index.docs), dtype=bool)
        for word in set(words_known):
            in_name = np.zeros(len(index.docs), dtype=bool)
            in_name[index.name_postings[word][0]] = True
            holds_all &= in_name
        if holds_all[order].any():
            order = order[holds_all[order]]
    return [index.docs[i].version_id for i in order[:limit].tolist()]
