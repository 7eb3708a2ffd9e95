"""How the reports follow the dossiers (connected in ``ReportsConfig.ready``): every transition
asks, in its own transaction, for its dossier's figures to be refreshed once it has committed
(``common.tasks.enqueue_on_commit``: recorded with the change, re-driven until done)."""

from __future__ import annotations

from typing import Any

from common.tasks import enqueue_on_commit


def on_dossier_transitioned(sender: Any, *, dossier: Any, event: Any, action: Any, **kwargs: Any) -> None:
    from .tasks import refresh_figures

    enqueue_on_commit(refresh_figures, dossier.pk)
