"""How results follow the dossiers (connected in ``ResultsConfig.ready``): an approval enqueues
the signing of its result once the approval has committed."""

from __future__ import annotations

from typing import Any

from common.tasks import enqueue_on_commit
from dossiers.rules import Action


def on_dossier_transitioned(sender: Any, *, dossier: Any, event: Any, action: Any, **kwargs: Any) -> None:
    if action != Action.APPROVE:
        return
    from .tasks import issue_result

    approval_id = event.pk
    enqueue_on_commit(issue_result, approval_id)
