"""Links other contexts add to a citizen's dossiers on "Hồ sơ của tôi" and on a dossier's page,
without dossiers knowing them (the contexts above it import dossiers, never the reverse): surveys
adds "Đánh giá mức độ hài lòng" to a dossier returned in the last 14 days. A provider registers in
its ``AppConfig.ready()``; it receives the dossiers of the page at once and answers in a fixed
number of queries, whatever their count."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .models import Dossier


@dataclass(frozen=True)
class CitizenLink:
    label: str
    url: str
    hint: str = ""


Provider = Callable[[Sequence[Dossier], Any], Mapping[int, CitizenLink]]
_providers: dict[str, Provider] = {}


def register_citizen_links(key: str, provider: Provider) -> None:
    """``provider(dossiers, user)`` gives, by dossier id, the link it adds for ``user``."""
    _providers[key] = provider


def citizen_links(dossiers: Sequence[Dossier], user: Any) -> dict[int, list[CitizenLink]]:
    found: dict[int, list[CitizenLink]] = {}
    if not dossiers:
        return found
    for key in sorted(_providers):
        for pk, link in _providers[key](dossiers, user).items():
            found.setdefault(pk, []).append(link)
    return found
