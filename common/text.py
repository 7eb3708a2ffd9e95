"""Vietnamese text handling: normalization and folding for search and comparison.

Folding turns what a person may type into one canonical form so that equal words compare equal:
- NFC and NFD input alike (phones often send decomposed Unicode);
- case and diacritics ignored, đ read as d, so the old and new tone placement fold together
  (hoà = hòa, thuỷ = thủy, khoẻ = khỏe);
- the i/y spellings after a consonant (kí = ký, lí = lý);
- the numerals 1–10 read as words ("1" = "một").
Folding keeps word boundaries: every word of the input gives exactly one word of the output.
"""

from __future__ import annotations

import re
import unicodedata

_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u1100-\u11ff\u3130-\u318f\uf900-\ufaff]")
_CJK_RUN_RE = re.compile("(" + _CJK_RE.pattern + "+)")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NUMBER_WORDS = {
    "1": "mot",
    "2": "hai",
    "3": "ba",
    "4": "bon",
    "5": "nam",
    "6": "sau",
    "7": "bay",
    "8": "tam",
    "9": "chin",
    "10": "muoi",
}
# A final "y" after one of these consonant onsets is the same sound as "i" (kí/ký, lí/lý, mĩ/mỹ).
_I_Y_ONSETS = {"k", "l", "m", "t", "s", "h", "n", "v", "d", "b"}


def normalize(text: str) -> str:
    """NFC, control characters removed, runs of white space collapsed."""
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL_RE.sub(" ", text)
    return " ".join(text.split())


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return base.replace("đ", "d").replace("Đ", "D")


def fold_word(word: str) -> str:
    """Fold one already lower-cased, diacritic-free word."""
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    if len(word) == 2 and word[1] == "y" and word[0] in _I_Y_ONSETS:
        return word[0] + "i"
    return word


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order."""
    plain = strip_diacritics(unicodedata.normalize("NFC", text).casefold())
    return [fold_word(w) for w in _WORD_RE.findall(plain)]


def fold(text: str) -> str:
    """The folded form of ``text``: its folded words joined by single spaces."""
    return " ".join(words(text))


def has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))


def cjk_bigrams(text: str) -> list[str]:
    """Tokens for Chinese, Japanese and Korean: overlapping character pairs inside each run of
    CJK characters (the character itself for a run of one), plus Latin and number words as usual."""
    tokens: list[str] = []
    for chunk in _WORD_RE.findall(unicodedata.normalize("NFC", text).casefold()):
        for piece in _CJK_RUN_RE.split(chunk):
            if not piece:
                continue
            if _CJK_RE.match(piece):
                if len(piece) == 1:
                    tokens.append(piece)
                tokens.extend(piece[i : i + 2] for i in range(len(piece) - 1))
            else:
                tokens.extend(words(piece))
    return tokens
