"""How integrations follows the dossiers' lifecycle (``dossiers.signals.dossier_transitioned``,
sent inside each transition's transaction): the national portal's sync message is written in
that transaction, and its delivery asked for once it commits."""

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

    if sync_message_write(dossier=dossier, action=action) is not None:
        enqueue_on_commit(tasks.sync_dossier, dossier.pk)
