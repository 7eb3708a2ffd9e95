"""How integrations follows the dossiers' lifecycle (``dossiers.signals.dossier_transitioned``,
sent inside each transition's transaction): the national portal's sync message is written in
that transaction; the workers are asked, once it commits, to deliver it and the citizen's
notifications (which dossiers wrote in the same transaction)."""

from __future__ import annotations

from typing import Any

from common.tasks import enqueue_on_commit
from dossiers import rules as dossier_rules
from dossiers.models import Dossier, DossierEvent

from .services import sync_message_write


def on_dossier_transitioned(
    sender: Any, *, dossier: Dossier, event: DossierEvent, action: dossier_rules.Action, **kwargs: Any
) -> None:
    from . import tasks

    message = sync_message_write(dossier=dossier, action=action)
    notifies = dossier_rules.TRANSITIONS[action].notifies
    # One task per transition, whatever it asks the workers to deliver (and, in a request, one
    # message to the broker for all its tasks: common.tasks).
    if notifies and message is not None:
        enqueue_on_commit(tasks.deliver_dossier, dossier.pk)
    elif notifies:
        enqueue_on_commit(tasks.deliver_dossier_notifications, dossier.pk)
    elif message is not None:
        enqueue_on_commit(tasks.sync_dossier, dossier.pk)
