"""Rules of digitization and reuse (số hóa, tái sử dụng): plain functions, no I/O.

- A document is digitized when its file is there and its metadata was confirmed by an officer:
  the document type, the holder and the date of issue at least (number and issuer where the
  document has them).
- A dossier is digitized when every document it was handed in with is.
- A stored document may be reused while it is valid: no end date, or an end date not passed.
- Recognized text proposes a number, dates and an issuer; the officer confirms.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from common.text import fold


def is_digitized(
    *, has_file: bool, document_type: object, holder: str, issued_on: datetime.date | None, confirmed: bool
) -> bool:
    return bool(has_file and document_type and holder.strip() and issued_on is not None and confirmed)


def dossier_is_digitized(slots: Sequence[bool]) -> bool:
    """``slots``: for each document the dossier was handed in with, whether it is digitized."""
    return bool(slots) and all(slots)


def is_valid_on(valid_until: datetime.date | None, day: datetime.date) -> bool:
    return valid_until is None or valid_until >= day


def valid_until_for(issued_on: datetime.date | None, valid_months: int | None) -> datetime.date | None:
    """The end of validity of a document issued on ``issued_on`` for a type valid ``valid_months``
    (None: no end). The same day ``valid_months`` later, the month's last day if it has no such day."""
    if issued_on is None or not valid_months:
        return None
    month_index = issued_on.month - 1 + valid_months
    year, month = issued_on.year + month_index // 12, month_index % 12 + 1
    for day in (issued_on.day, 30, 29, 28):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def matching_type(name: str, types: Iterable[tuple[object, Sequence[str]]]) -> object | None:
    """The type whose longest keyword appears in ``name`` (both folded: no case, no diacritics),
    or None. ``types``: (type, keywords) pairs. The longest match wins so that "giấy chứng nhận
    quyền sử dụng đất" is not taken for a mere "giấy chứng nhận"."""
    folded = f" {fold(name)} "
    best: tuple[int, object] | None = None
    for kind, keywords in types:
        for keyword in keywords:
            key = fold(keyword)
            if key and f" {key} " in folded and (best is None or len(key) > best[0]):
                best = (len(key), kind)
    return best[1] if best else None


# --- Proposals from recognized text -------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """What recognition read; every field may be missing."""

    number: str = ""
    issued_on: datetime.date | None = None
    issuer: str = ""
    dates: tuple[datetime.date, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {
            "number": self.number,
            "issued_on": self.issued_on.isoformat() if self.issued_on else "",
            "issuer": self.issuer,
            "dates": [d.isoformat() for d in self.dates],
        }


_NUMBER = re.compile(r"\bS[ốô]\s*(?:hi[ệe]u)?\s*[:.]?\s*([0-9][0-9A-Za-zĐđ./\-]{0,40})", re.IGNORECASE)
_WORDY_DATE = re.compile(r"ng[àa]y\s+(\d{1,2})\s+th[áa]ng\s+(\d{1,2})\s+n[ăa]m\s+(\d{4})", re.IGNORECASE)
_SHORT_DATE = re.compile(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\b")
_ISSUERS = (
    "ủy ban nhân dân",
    "uỷ ban nhân dân",
    "sở ",
    "phòng ",
    "cục ",
    "bộ ",
    "công an",
    "tòa án",
    "văn phòng đăng ký đất đai",
)


def propose_metadata(text: str) -> Proposal:
    """Number, dates and issuer found in a document's recognized text. The date of issue is the
    first date written the official way ("ngày 07 tháng 11 năm 2022"), else the first dd/mm/yyyy;
    the issuer is the first line naming an authority (Ủy ban nhân dân…, Sở…, Công an…)."""
    number_match = _NUMBER.search(text)
    number = number_match.group(1).rstrip(".-/") if number_match else ""
    dates: list[datetime.date] = []
    wordy: list[datetime.date] = []
    for pattern, target in ((_WORDY_DATE, wordy), (_SHORT_DATE, dates)):
        for day, month, year in pattern.findall(text):
            try:
                target.append(datetime.date(int(year), int(month), int(day)))
            except ValueError:
                continue
    every = tuple(dict.fromkeys([*wordy, *dates]))
    issued_on = wordy[0] if wordy else (dates[0] if dates else None)
    issuer = ""
    for line in text.splitlines():
        clean = " ".join(line.split())
        if clean and clean.casefold().startswith(_ISSUERS) and len(clean) <= 200:
            issuer = clean
            break
    return Proposal(number=number, issued_on=issued_on, issuer=issuer, dates=every)
