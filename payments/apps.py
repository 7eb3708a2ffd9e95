from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Phí, lệ phí và thanh toán trực tuyến")

    def ready(self) -> None:
        from dossiers.signals import dossier_transitioned

        dossier_transitioned.connect(on_dossier_transitioned, dispatch_uid="payments.on_dossier_transitioned")


def on_dossier_transitioned(sender: Any, *, dossier: Any, event: Any, action: Any, **kwargs: Any) -> None:
    """A dossier that is withdrawn or stopped waits for no money: its open payments are cancelled
    in the same transaction (a "paid" arriving later is flagged for refund)."""
    from django.utils.translation import gettext

    from dossiers.rules import Action

    from .services import payments_cancel_for_dossier

    if action in (Action.WITHDRAW, Action.STOP):
        payments_cancel_for_dossier(
            dossier=dossier,
            reason=gettext("Hồ sơ đã %(action)s.") % {"action": Action(action).label.lower()},
            now=event.at,
        )
