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
   the indexed words one typo away; the last word also matches as a prefix (search as you type);
5. scores: BM25-like per field (name weighs most), times the share of query words matched,
   plus how much of the procedure's name the query covers (so the short general procedure ranks
   above its special variants) and a bonus for words found side by side in the name.
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
from django.core.signals import request_finished, request_started

from common.text import cjk_bigrams, fold, normalize, words

from .models import ProcedureTranslation, SearchSynonym, TranslationStatus
from .selectors import catalog_token, public_versions, today

CJK_LANGUAGES = {"zh-hans", "ja", "ko"}
CODE_RE = re.compile(r"(?<![\d.])(\d\.\d{6}(?:\.[A-Za-z0-9]+)?)(?![\d])")
# Words that carry no meaning for finding a procedure.
STOP_PHRASES = [("thu", "tuc"), ("thu", "tuc", "hanh", "chinh")]
STOP_WORDS = {"cho", "cua", "va", "cac", "nhung", "toi", "muon", "gi", "the", "nao", "o", "dau", "lam", "nhu", "minh"}
FIELD_WEIGHTS = {"name": 3.0, "meta": 1.0, "result": 0.8, "documents": 0.35}
TYPO_WEIGHT = 0.75
PREFIX_WEIGHT = 0.85
MAX_VARIANTS = 12
TEXT_WEIGHT = 0.5
NAME_WEIGHT = 0.4
PAIR_WEIGHT = 0.1
PHRASE_WEIGHT = 0.1
POPULARITY_WEIGHT = 0.002
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


def _saturate(tf: float, k: float = 1.2) -> float:
    return tf * (k + 1) / (tf + k)


class IndexBuilder:
    def __init__(self, language: str) -> None:
        self.index = LanguageIndex(language)
        self._raw: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))

    def add(self, doc: IndexedProcedure, texts: dict[str, Iterable[str]]) -> None:
        doc_id = len(self.index.docs)
        self.index.docs.append(doc)
        self.index.by_code[doc.code] = doc_id
        for field_name, parts in texts.items():
            counts: dict[str, int] = defaultdict(int)
            for part in parts:
                for token in tokenize(part, self.index.language):
                    counts[token] += 1
            weight = FIELD_WEIGHTS[field_name]
            for token, tf in counts.items():
                self._raw[token][doc_id] += weight * _saturate(tf)

    def build(self) -> LanguageIndex:
        n = max(len(self.index.docs), 1)
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
        self.index.name_lengths = np.array([max(len(d.name_tokens), 1) for d in self.index.docs], dtype=np.float64)
        self.index.vocabulary = sorted(postings)
        deletions: dict[str, set[str]] = defaultdict(set)
        if self.index.language not in CJK_LANGUAGES:
            for token in postings:
                if len(token) >= 4 and not token.isdigit():
                    for variant in _deletions(token):
                        deletions[variant].add(token)
        self.index.deletions = dict(deletions)
        return self.index


def _name_doc(code: str, version_id: int, name: str, language: str, **attrs: object) -> IndexedProcedure:
    tokens = _drop_stop_words(tokenize(name, language)) or tokenize(name, language)
    return IndexedProcedure(
        code=code,
        version_id=version_id,
        name=name,
        name_tokens=tokens,
        name_pairs=set(itertools.pairwise(tokens)),
        name_counts=dict(Counter(tokens)),
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


def _variants(tokens: list[str], synonyms: list[list[tuple[str, ...]]]) -> list[tuple[list[str], float]]:
    """The query and its rewordings by synonym groups, each with a small discount."""
    variants: list[tuple[list[str], float]] = [(tokens, 1.0)]
    for group in synonyms:
        for phrase in group:
            n = len(phrase)
            for start in range(len(tokens) - n + 1):
                if tuple(tokens[start : start + n]) != phrase:
                    continue
                for other in group:
                    if other == phrase:
                        continue
                    for base, _weight in list(variants):
                        if tuple(base[start : start + n]) == phrase:
                            variants.append(([*base[:start], *other, *base[start + n :]], 0.95))
                        if len(variants) >= MAX_VARIANTS:
                            return variants
    return variants


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


def _filter_mask(index: LanguageIndex, filters: Filters) -> np.ndarray:
    mask = index.filter_masks.get(filters)
    if mask is None:
        mask = np.fromiter((filters.accepts(d) for d in index.docs), dtype=bool, count=len(index.docs))
        if len(index.filter_masks) < 256:
            index.filter_masks[filters] = mask
    return mask


def _score_variant(
    index: LanguageIndex, tokens: list[str], *, prefix: bool, discount: float, filters: Filters
) -> np.ndarray | None:
    """The score of every indexed procedure for one wording of the query (0 where it does not
    match), or None when nothing matches."""
    n = len(tokens)
    if not n or not index.docs:
        return None
    size = len(index.docs)
    totals = np.zeros(size)
    matched = np.zeros(size, dtype=np.int16)
    per_position: list[dict[str, float]] = []
    for position, token in enumerate(tokens):
        candidates = _candidates(index, token, is_last=position == n - 1, prefix=prefix)
        per_position.append(candidates)
        if not candidates:
            continue
        best = np.zeros(size)
        for word, weight in candidates.items():
            ids, scores = index.postings[word]
            best[ids] = np.maximum(best[ids], scores * weight)
        totals += best
        matched += best > 0
    needed = 1 if n <= 2 else math.ceil(n / 2)
    eligible = (matched >= needed) & _filter_mask(index, filters)
    if not eligible.any():
        return None
    text = np.where(eligible, totals * (matched / n) ** 2, 0.0)
    # Relevance of the text is relative to the best match of this query, so that the name
    # signals below weigh the same for every query.
    result = TEXT_WEIGHT * text / text.max() + POPULARITY_WEIGHT * index.popularity
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
        found = np.zeros(size, dtype=bool)
        for a in left:
            for b in right:
                pair_ids = index.name_pair_postings.get((a, b))
                if pair_ids is not None:
                    found[pair_ids] = True
        pairs += found
    name_fit = (in_name / n) * (in_name / index.name_lengths)
    result += NAME_WEIGHT * name_fit
    if n > 1:
        result += PAIR_WEIGHT * pairs / (n - 1)
        # The whole query stands in the name as one phrase ("chứng thực bản sao …").
        result += PHRASE_WEIGHT * (pairs == n - 1)
    return np.where(eligible, result * discount, 0.0)


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
    codes = CODE_RE.findall(query)
    text = CODE_RE.sub(" ", query)
    for position, lang in enumerate([language] if language == "vi" else [language, "vi"]):
        index = indexes[lang]
        combined = np.zeros(len(index.docs))
        # Synonyms first, on the words as typed ("làm giấy khai sinh"), then the stop words go.
        for variant, discount in _variants(tokenize(text, lang), index.synonyms):
            scores = _score_variant(
                index,
                _drop_stop_words(variant),
                prefix=prefix and not query.endswith(" "),
                discount=discount,
                filters=filters,
            )
            if scores is not None:
                np.maximum(combined, scores, out=combined)
        for code in codes:
            doc_id = index.by_code.get(code)
            if doc_id is not None and filters.accepts(index.docs[doc_id]):
                combined[doc_id] = EXACT_CODE_SCORE
        if lang != "vi":
            scattered = np.zeros(len(vi.docs))
            scattered[index.vi_ids] = combined
            combined = scattered
        np.maximum(final, combined * (1.0 if position == 0 else OTHER_LANGUAGE_DISCOUNT), out=final)
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
