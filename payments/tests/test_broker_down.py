"""Nothing lost, nothing doubled: a payment confirmed while the task broker is down still moves its
dossier on, once, when the broker is back and the worker's periodic redrive runs; so does a
payment request for fees paid ahead."""

from __future__ import annotations

import pytest
from django.test import Client

from common.models import PendingTask
from common.tasks import redrive_tasks
from dossiers import services as dossier_services
from dossiers.models import DossierEvent
from dossiers.rules import Action, State
from dossiers.tests.factories import submitted
from payments.models import Payment

from .factories import awaiting, pending, vnpay_ipn

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _redrive_at_once(settings):
    settings.TASK_REDRIVE_SECONDS = 0  # due at once: as if the redrive delay had passed


def test_an_ipn_committed_with_the_broker_down_moves_the_dossier_on_once(
    w, broker_down, django_capture_on_commit_callbacks, caplog
):
    dossier = awaiting(w)
    payment = pending(w, dossier)

    with django_capture_on_commit_callbacks(execute=True):
        answer = Client().get("/api/v1/payments/vnpay/ipn", vnpay_ipn(payment)).json()

    assert answer["RspCode"] == "00"
    assert Payment.objects.get(pk=payment.pk).state == "paid"
    dossier.refresh_from_db()
    assert dossier.state == State.AWAITING_PAYMENT  # the task never reached the broker
    assert "could not enqueue payments.tasks.move_dossier_on" in caplog.text

    broker_down()  # the broker is back
    redrive_tasks()
    redrive_tasks()

    dossier.refresh_from_db()
    assert dossier.state == State.IN_PROGRESS
    assert DossierEvent.objects.filter(dossier=dossier, action=Action.MARK_PAID).count() == 1
    assert not PendingTask.objects.exists()


def test_a_request_for_fees_paid_ahead_committed_with_the_broker_down_settles_once(
    w, broker_down, django_capture_on_commit_callbacks
):
    dossier = submitted(w)
    payment = pending(w, dossier)
    with django_capture_on_commit_callbacks(execute=True):
        Client().get("/api/v1/payments/vnpay/ipn", vnpay_ipn(payment))
    dossier = dossier_services.dossier_receive(actor=w.counter, dossier=dossier)
    dossier = dossier_services.dossier_assign(actor=w.counter, dossier=dossier, to=w.processor)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_services.dossier_request_payment(actor=w.processor, dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.state == State.AWAITING_PAYMENT

    broker_down()
    redrive_tasks()
    redrive_tasks()

    dossier.refresh_from_db()
    assert dossier.state == State.IN_PROGRESS
    assert DossierEvent.objects.filter(dossier=dossier, action=Action.MARK_PAID).count() == 1
    assert not PendingTask.objects.exists()


def test_the_dossier_moving_on_twice_for_one_payment_moves_it_once(w, django_capture_on_commit_callbacks):
    """A message and its redrive may both arrive (the worker died after the effect, before it
    could say so): the second run changes nothing."""
    from payments.tasks import move_dossier_on

    dossier = awaiting(w)
    payment = pending(w, dossier)
    with django_capture_on_commit_callbacks(execute=True):
        Client().get("/api/v1/payments/vnpay/ipn", vnpay_ipn(payment))

    assert move_dossier_on(payment.pk) == "dossier_not_waiting"

    assert DossierEvent.objects.filter(dossier=dossier, action=Action.MARK_PAID).count() == 1
