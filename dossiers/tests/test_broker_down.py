"""Nothing lost, nothing doubled: a reception committed while the task broker is down still gets
its stored receipt slip and its notices, once each, when the broker is back and the worker's
periodic redrive runs."""

from __future__ import annotations

import pytest

from common.models import PendingTask
from common.tasks import redrive_tasks
from dossiers import services
from dossiers.models import DossierSlip
from dossiers.tests.factories import MONDAY, submitted
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_reception_committed_with_the_broker_down_stores_its_slip_and_sends_its_notices_once(
    w, broker_down, django_capture_on_commit_callbacks, settings, mailoutbox
):
    settings.TASK_REDRIVE_SECONDS = 0  # due at once: as if the redrive delay had passed
    dossier = submitted(w)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = services.dossier_receive(actor=w.counter, dossier=dossier, now=MONDAY)
    assert not DossierSlip.objects.filter(dossier=dossier).exists()
    assert "dossiers.tasks.store_slip" in set(PendingTask.objects.values_list("name", flat=True))
    mailoutbox.clear()

    broker_down()  # the broker is back
    redrive_tasks()
    redrive_tasks()

    assert DossierSlip.objects.filter(dossier=dossier, kind="receipt").count() == 1
    notice = Notification.objects.about(dossier).get(template_key="dossier.receive", channel="email")
    assert notice.sent_at is not None
    assert [m.subject for m in mailoutbox].count(f"Hồ sơ {dossier.code} đã được tiếp nhận") == 1
    assert not PendingTask.objects.exists()
