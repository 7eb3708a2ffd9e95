"""Public tracking guarded against guessing the check value (số kiểm tra): after
``WRONG_CHECKS_PER_HOUR`` wrong checks on one dossier code within the clock hour, that code answers
nothing, right check included, until the hour ends. Counted per code as typed (normalized), known or
not, so that the lock says no more than "not found" does about whether the code exists. Counted in
the cache shared by the web processes (``MOTCUA_CACHE_URL``; each process's own memory otherwise),
like the rate limits, under a digest of the code (a key never holds what was typed). The check that
locks the code tells the dossier's applicant, if the code is a dossier's."""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache

from .selectors import TrackingView, dossier_track
from .services.notifications import tracking_locked_notify

WRONG_CHECKS_PER_HOUR = 10
HOUR = 3600


@dataclass(frozen=True)
class TrackingLocked(Exception):
    """The code is locked for tracking; ``retry_after`` seconds until the hour ends."""

    retry_after: int


def _key(code: str, now: float) -> str:
    typed = hashlib.sha256(code.strip().upper()[:80].encode()).hexdigest()[:32]
    return f"tracking-wrong:{typed}:{int(now // HOUR)}"


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
            wrong = cache.incr(key)
        except ValueError:  # evicted in between
            wrong = 1
            cache.set(key, wrong, timeout=HOUR + 60)
        if wrong == WRONG_CHECKS_PER_HOUR:
            tracking_locked_notify(code=code.strip()[:80])
    return view
