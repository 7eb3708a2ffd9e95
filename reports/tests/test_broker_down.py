"""Nothing lost, nothing doubled: a dossier's transitions committed while the task broker is down
are counted in the daily figures once the broker is back and the worker's periodic redrive runs,
and only once however often it runs."""

from __future__ import annotations

import pytest

from common.models import PendingTask
from common.tasks import redrive_tasks
from dossiers import services
from dossiers.tests.factories import MONDAY, submitted, world
from reports import selectors
from reports.selectors import Scope

pytestmark = pytest.mark.django_db


def test_a_reception_committed_with_the_broker_down_is_counted_once(
    broker_down, django_capture_on_commit_callbacks, settings
):
    settings.TASK_REDRIVE_SECONDS = 0  # due at once: as if the redrive delay had passed
    w = world()
    day = MONDAY.date()
    scope = Scope(agencies=frozenset({w.agency.pk}))
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submitted(w)
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_receive(actor=w.counter, dossier=dossier, now=MONDAY)
    assert selectors.dossier_figures(start=day, end=day, scope=scope).received_new == 0
    assert "reports.refresh_figures" in set(PendingTask.objects.values_list("name", flat=True))

    broker_down()  # the broker is back
    redrive_tasks()
    redrive_tasks()

    figures = selectors.dossier_figures(start=day, end=day, scope=scope)
    assert figures.received_new == 1
    assert not PendingTask.objects.exists()
