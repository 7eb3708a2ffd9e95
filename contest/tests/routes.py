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

public("contest:participation", _PUBLISHED + "; counts only (by group, age band, commune), never a person")
public("contest:certificate", _ATTEMPT + "; only once the round is ranked (contest/tests/test_certificates.py)")

# Initiative contests.
_STAFF = (
    "officers signed in with both steps only (others are sent to the officers' sign-in); within the "
    "contest's window; writes only the officer's own initiative"
)
public("contest:initiative_submit", _PUBLISHED + "; " + _STAFF)
_PANEL = (
    "officers signed in with both steps, and only the judges on this contest's panel: anybody else gets the "
    "contest's 404 page; the page never shows an initiative's author (contest/tests/test_initiatives.py, "
    "test_off_the_panel_the_judging_pages_answer_not_found_and_anonymous_visitors_sign_in)"
)
for _name in ("contest:judging", "contest:judging_score"):
    public(_name, _PANEL)
_PUBLISHED_RESULTS = (
    "an initiative contest's results, public only once the organiser published them (409 before); "
    "a winning initiative only"
)
for _name in ("contest:initiative_results", "contest:initiative_winner"):
    public(_name, _PUBLISHED_RESULTS)
public(
    "contest:initiative_attachment",
    "an initiative's attachment for its author, the contest's judges, or anybody once the initiative is a "
    "published winner; anybody else gets 404",
)
for _name in ("api:list_ranked_initiatives", "api:get_winning_initiative"):
    public(_name, _PUBLISHED_RESULTS)
