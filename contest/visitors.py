"""Who the visitor is in a contest: the participant of the signed-in VNeID account (by its
identification number), else the participant this browser session confirmed by phone. A
participant registered by phone has no account; the session remembers it per contest."""

from __future__ import annotations

from django.http import HttpRequest

from . import selectors
from .models import Contest, Participant

SESSION_KEY = "contest.participants"  # {contest id: participant id} confirmed by phone here


def participant_id_in_session(request: HttpRequest, contest: Contest) -> int | None:
    value = request.session.get(SESSION_KEY, {}).get(str(contest.pk))
    return int(value) if isinstance(value, int) else None


def visitor_participant(request: HttpRequest, contest: Contest) -> Participant | None:
    return selectors.participant_of(
        contest, user=request.user, participant_id=participant_id_in_session(request, contest)
    )


def remember(request: HttpRequest, participant: Participant) -> None:
    known = dict(request.session.get(SESSION_KEY, {}))
    known[str(participant.contest_id)] = participant.pk
    request.session[SESSION_KEY] = known


def known_to_session(request: HttpRequest) -> bool:
    """Signed in, or a participant confirmed by phone in this session."""
    return bool(request.user.is_authenticated or request.session.get(SESSION_KEY))
