"""Phí, lệ phí as the dossier context needs them, through a port the payments context fills in
(``register_fee_desk`` in its ``AppConfig.ready()``): dossiers sit below payments and never import
them, yet the officer who asks for payment picks the catalog's fee lines and the amount asked is
the one ``payments.rules.assess`` gives, the same the payment will charge.

An assessment travels as the plain dict ``payments.rules.Assessment.as_dict`` makes (kept in the
dossier's history with the request, in the notification's payload, with the payment); the one
sentence that explains it is ``common.formats.fee_sentence``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class FeeChoice:
    """A fee item of the dossier's procedure version an officer may ask for: ``key`` is the
    catalog's FeeItem id, ``counted`` when it is charged per unit (a quantity makes sense)."""

    key: int
    description: str
    amount_vnd: int
    unit: str
    counted: bool
    default: bool  # asked for unless the officer unticks it


class FeeDesk(Protocol):
    def choices(self, dossier: Any) -> list[FeeChoice]:
        """The fee lines the officer may pick for ``dossier``."""
        ...

    def assess(
        self, dossier: Any, picks: Mapping[int, int] | None, override_vnd: int | None, override_reason: str
    ) -> dict[str, Any]:
        """The assessment of the picked lines (FeeItem id → quantity; None: the default lines),
        as a dict. Raises ``ValueError`` for a pick that is not one of ``choices``."""
        ...

    def owed(self, dossier: Any) -> dict[str, Any] | None:
        """What the citizen owes now (the open request's assessment, else the default one) as a
        dict; None when nothing is to pay (paid already, or the dossier no longer payable)."""
        ...


_desk: list[FeeDesk] = []


def register_fee_desk(desk: FeeDesk) -> None:
    _desk[:] = [desk]


def fee_desk() -> FeeDesk:
    if not _desk:
        raise RuntimeError("No fee desk registered: is the payments app installed?")
    return _desk[0]
