"""Writes of dossiers, by concern: ``intake`` (online submission and counter registration),
``drafts`` (the citizen's drafts), ``machinery`` (``_apply``, the one write path of every
transition), ``transitions`` (one function per action after submission) and ``notifications``
(what a transition tells the citizen, through the outbox of the notifications app). Callers
import from ``dossiers.services``."""

from .drafts import dossier_draft_delete, dossier_draft_save, dossier_draft_submit
from .intake import Applicant, HandedDocument, Intake, dossier_register, dossier_submit
from .machinery import SystemActor, _acting_role, _apply, next_daily_number, read_for_transition
from .transitions import (
    dossier_approve,
    dossier_assign,
    dossier_extend,
    dossier_forward,
    dossier_mark_paid,
    dossier_receive,
    dossier_refuse,
    dossier_refuse_intake,
    dossier_request_payment,
    dossier_request_supplement,
    dossier_result_ready,
    dossier_return_result,
    dossier_return_step,
    dossier_stop,
    dossier_supplement,
    dossier_withdraw,
)

__all__ = [
    "Applicant",
    "HandedDocument",
    "Intake",
    "SystemActor",
    "_acting_role",
    "_apply",
    "dossier_approve",
    "dossier_assign",
    "dossier_draft_delete",
    "dossier_draft_save",
    "dossier_draft_submit",
    "dossier_extend",
    "dossier_forward",
    "dossier_mark_paid",
    "dossier_receive",
    "dossier_refuse",
    "dossier_refuse_intake",
    "dossier_register",
    "dossier_request_payment",
    "dossier_request_supplement",
    "dossier_result_ready",
    "dossier_return_result",
    "dossier_return_step",
    "dossier_stop",
    "dossier_submit",
    "dossier_supplement",
    "dossier_withdraw",
    "next_daily_number",
    "read_for_transition",
]
