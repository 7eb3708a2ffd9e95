"""Nothing lost, nothing doubled: a leader's approval committed while the task broker is down
still gets its one signed result, once the broker is back and the worker's periodic redrive runs."""

from __future__ import annotations

import pytest

from common.models import PendingTask
from common.tasks import redrive_tasks
from dossiers import services as dossier_services
from dossiers.rules import State
from dossiers.tests.factories import MONDAY, walk_to
from results.models import ElectronicResult

pytestmark = pytest.mark.django_db


def test_an_approval_committed_with_the_broker_down_gets_its_signed_result_once(
    w, broker_down, django_capture_on_commit_callbacks, settings, caplog
):
    settings.TASK_REDRIVE_SECONDS = 0  # due at once: as if the redrive delay had passed
    dossier = walk_to(w, State.IN_PROGRESS)

    with django_capture_on_commit_callbacks(execute=True):
        dossier_services.dossier_approve(actor=w.leader, dossier=dossier, note="Đồng ý cấp.", now=MONDAY)

    assert "could not enqueue results.tasks.issue_result" in caplog.text
    assert not ElectronicResult.objects.filter(dossier=dossier).exists()
    assert PendingTask.objects.filter(name="results.tasks.issue_result").count() == 1

    broker_down()  # the broker is back
    redrive_tasks()
    redrive_tasks()  # a second sweep finds nothing left to send

    [result] = ElectronicResult.objects.filter(dossier=dossier)
    assert result.code == f"{dossier.code}-KQ1"
    assert not PendingTask.objects.filter(name="results.tasks.issue_result").exists()
