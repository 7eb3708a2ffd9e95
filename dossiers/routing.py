"""Routing inside the processing agency and what an officer may do now, as pure functions.

A procedure's processing steps (``models.ProcessingStep``, kept by procedure controllers) say
whose hands a dossier passes through after the one-stop unit hands it over: a processing officer
then a leader by default, or officer → head of division → leader. Forwarding proposes the people
of the next step; returning a step goes back one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext

from .rules import LEADER, PROCESSOR, Action, State, allowed_actions


@dataclass(frozen=True)
class Step:
    order: int
    name: str
    role: str


def steps_or_default(configured: Sequence[Step]) -> tuple[Step, ...]:
    """The procedure's steps in order; the default (officer, then leader) when none is set."""
    if not configured:
        return (
            Step(1, gettext("Chuyên viên thẩm định, xử lý"), PROCESSOR),
            Step(2, gettext("Lãnh đạo phê duyệt"), LEADER),
        )
    return tuple(sorted(configured, key=lambda step: step.order))


def step_position(hand_overs: Iterable[Action | str], steps: Sequence[Step]) -> int:
    """Which step (0-based) the dossier is at, from its hand-overs in order: handing it to the
    agency starts the first step, forwarding moves one step on (not past the last), returning
    moves one back (not before the first)."""
    position = 0
    for action in hand_overs:
        if action == Action.ASSIGN:
            position = 0
        elif action == Action.FORWARD:
            position = min(position + 1, len(steps) - 1)
        elif action == Action.RETURN_STEP:
            position = max(position - 1, 0)
    return position


def proposed_step(action: Action | str, position: int, steps: Sequence[Step]) -> Step:
    """The step whose people a hand-over proposes: the first on handing the dossier to the
    agency, the next one on forwarding (the last stays the last)."""
    if action == Action.ASSIGN:
        return steps[0]
    return steps[min(position + 1, len(steps) - 1)]


def officer_actions(
    *,
    state: State | str,
    roles: Iterable[str],
    result_ready: bool,
    extended: bool,
    has_due_date: bool,
    has_previous_step: bool,
) -> list[Action]:
    """What an officer holding ``roles`` on a dossier may do now, in the transition table's
    order. Submitting is the citizen's (a counter officer registers instead); an apology with a
    new date needs a due date and is issued once; the citizen is told of the result once; a
    dossier at its first step has no step to return to."""
    hidden = {Action.SUBMIT}
    if result_ready:
        hidden.add(Action.RESULT_READY)
    if extended or not has_due_date:
        hidden.add(Action.EXTEND)
    if not has_previous_step:
        hidden.add(Action.RETURN_STEP)
    return [action for action in allowed_actions(state, sorted(roles)) if action not in hidden]
