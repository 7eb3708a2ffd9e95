"""How integrations follows the dossiers' lifecycle (``dossiers.signals.dossier_transitioned``,
sent inside each transition's transaction): the national portal's sync message is written in
that transaction; the workers are asked, once it commits, to deliver it and the citizen's
notifications (which dossiers wrote in the same transaction)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction

from dossiers import rules as dossier_rules
from dossiers.models import Dossier, DossierEvent

from .services import sync_message_write

logger = logging.getLogger(__name__)


def _enqueue(task: Any, dossier_id: int) -> Callable[[], None]:
    def run() -> None:
        try:
            task.delay(dossier_id)
        except Exception:  # the transition has committed; the sweep delivers later
            logger.exception("could not enqueue %s for dossier %s; the periodic sweep will", task.name, dossier_id)

    return run


def on_dossier_transitioned(
    sender: Any, *, dossier: Dossier, event: DossierEvent, action: dossier_rules.Action, **kwargs: Any
) -> None:
    from . import tasks

    message = sync_message_write(dossier=dossier, action=action)
    notifies = dossier_rules.TRANSITIONS[action].notifies
    # One message to the broker per transition, whatever it asks the workers to deliver.
    if notifies and message is not None:
        transaction.on_commit(_enqueue(tasks.deliver_dossier, dossier.pk))
    elif notifies:
        transaction.on_commit(_enqueue(tasks.deliver_dossier_notifications, dossier.pk))
    elif message is not None:
        transaction.on_commit(_enqueue(tasks.sync_dossier, dossier.pk))
