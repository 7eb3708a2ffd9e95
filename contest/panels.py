"""The home page's panel of contests (common.shell): rounds open now and the next to open, the
same for every visitor (the page is cached for everyone)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from . import selectors
from .models import Round
from .rules import RoundPhase


def home_panel(request: HttpRequest) -> Mapping[str, Any]:
    now = timezone.now()
    rounds = (
        Round.objects.filter(contest__is_published=True, closes_at__gt=now, closed_at__isnull=True)
        .select_related("contest")
        .order_by("opens_at")[:4]
    )
    cards = selectors.round_cards(rounds, now)
    return {"contest_cards": [c for c in cards if c.phase in (RoundPhase.OPEN, RoundPhase.UPCOMING)]}
