"""Public tracking guarded against guessing the check value (số kiểm tra): after
``WRONG_CHECKS_PER_HOUR`` wrong checks on one dossier code within the clock hour, that code answers
nothing, right check included, until the hour ends. Counted per code as typed (normalized), known or
not, so that the lock says no more than "not found" does about whether the code exists. Counted in
the cache shared by the web processes (``MOTCUA_CACHE_URL``; each process's own memory otherwise),
like the rate limits."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.core.cache import cache

from .selectors import TrackingView, dossier_track

WRONG_CHECKS_PER_HOUR = 10
HOUR = 3600


@dataclass(frozen=True)
class TrackingLocked(Exception):
    """The code is locked for tracking; ``retry_after`` seconds until the hour ends."""

    retry_after: int


def _key(code: str, now: float) -> str:
    return f"tracking-wrong:{code.strip().upper()[:80]}:{int(now // HOUR)}"


def dossier_track_guarded(*, code: str, check: str, now: float | None = None) -> TrackingView | None:
    """``dossier_track``, refused with ``TrackingLocked`` while the code is locked; a wrong check
    (or an unknown code) is counted."""
    now = time.time() if now is None else now
    key = _key(code, now)
    retry_after = max(1, math.ceil((int(now // HOUR) + 1) * HOUR - now))
    if (cache.get(key) or 0) >= WRONG_CHECKS_PER_HOUR:
        raise TrackingLocked(retry_after)
    view = dossier_track(code=code, check=check)
    if view is None:
        cache.add(key, 0, timeout=HOUR + 60)
        try:
            cache.incr(key)
        except ValueError:  # evicted in between
            cache.set(key, 1, timeout=HOUR + 60)
    return view
