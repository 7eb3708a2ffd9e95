from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Phí, lệ phí và thanh toán trực tuyến")

    def ready(self) -> None:
        _register_on_the_shell()
        from dossiers.fees import register_fee_desk

        from .selectors import Desk

        register_fee_desk(Desk())
        from dossiers.signals import dossier_transitioned

        dossier_transitioned.connect(on_dossier_transitioned, dispatch_uid="payments.on_dossier_transitioned")


def on_dossier_transitioned(sender: Any, *, dossier: Any, event: Any, action: Any, **kwargs: Any) -> None:
    """A dossier that is withdrawn or stopped waits for no money: its open payments are cancelled
    in the same transaction (a "paid" arriving later is flagged for refund). A dossier asked for
    payment whose fees were already paid (online, at submission) moves on in a task recorded with
    the request (confirmed by the payment platform, or for a counter payment by the officer who
    asked: ``services.payment_settle_request``)."""
    from django.utils.translation import gettext

    from common.tasks import enqueue_on_commit
    from dossiers.rules import Action

    from .services import payments_cancel_for_dossier
    from .tasks import settle_payment_request

    if action == Action.REQUEST_PAYMENT:
        enqueue_on_commit(settle_payment_request, dossier.pk, event.actor_id)
    elif action in (Action.WITHDRAW, Action.STOP):
        payments_cancel_for_dossier(
            dossier=dossier,
            reason=gettext("Hồ sơ đã %(action)s.") % {"action": Action(action).label.lower()},
            now=event.at,
        )


def _register_on_the_shell() -> None:
    """Entry points on the portal's menus and home page (common.shell)."""
    from common.shell import Audience, Entry, register_entry

    register_entry(
        Entry(
            "payments.reconcile",
            _("Đối soát thanh toán"),
            "payments:reconcile",
            order=230,
            audience=Audience.OFFICER,
            roles=frozenset({"counter_officer", "leader"}),
        )
    )
