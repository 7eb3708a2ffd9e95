"""Routes of the contest for the permission walk (tests/route_registry.py).

A participant registered by phone has no account: an attempt's pages are not behind sign-in but
answer only the participant this browser session confirmed (or the VNeID account whose number
registered), by the attempt's random public id; anyone else, a made-up or malformed id get the
contest's own "not found" page and change nothing (contest/tests/test_views.py,
test_a_tampered_or_anothers_attempt_id_answers_not_found)."""

from __future__ import annotations

from tests.route_registry import public

_PUBLISHED = "a published contest (or its round) by its slug and number, the same for everyone; unknown: 404"
for _name in ("contest:detail", "contest:leaderboard"):
    public(_name, _PUBLISHED)
public("contest:register", _PUBLISHED + "; registers the visitor themself (VNeID or a phone confirmed by a code)")
public("contest:confirm", _PUBLISHED + "; confirms the phone of the registration pending in this session only")
public("contest:start", _PUBLISHED + "; starts or resumes the attempt of this session's own participant only")
_ATTEMPT = (
    "an attempt by its random public id (UUID), for its own participant only: the one this session confirmed by "
    "phone or the signed-in VNeID account's; anyone else gets the contest's 404 page and nothing changes"
)
for _name in ("contest:attempt", "contest:answer", "contest:prediction", "contest:submit", "contest:result"):
    public(_name, _ATTEMPT)

public("api:list_contests", "published contests and their rounds, the same for everyone")
public("api:get_contest", _PUBLISHED)
public(
    "api:get_leaderboard",
    "a ranked round's leaderboard, names masked (family name and initials), the same for everyone",
)
_API_ATTEMPT = (
    "behind the contest's participant session (401 without one); an attempt by its random public id for its own "
    "participant only (the session's, or the VNeID account's), anyone else gets 404 not_found and nothing changes "
    "(contest/tests/test_api.py, test_refusals_are_problems_and_change_nothing)"
)
for _name in ("api:start_attempt", "api:get_attempt", "api:save_answer", "api:save_prediction", "api:submit_attempt"):
    public(_name, _API_ATTEMPT)
public("api:get_result", _API_ATTEMPT)
