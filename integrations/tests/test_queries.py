"""What the national portal's outbox costs a transition: a fixed number of queries, whatever the
dossier's history (reception is benchmarked at ≥ 200 per second)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers import services
from dossiers.models import Dossier, DossierEvent
from dossiers.rules import Action
from dossiers.tests.factories import MONDAY, world
from integrations.receivers import on_dossier_transitioned
from integrations.tests.test_national_portal import a_whole_life

pytestmark = pytest.mark.django_db


def queries_of_one_sync_message(dossier: Dossier) -> int:
    event = DossierEvent.objects.filter(dossier=dossier).latest("at", "id")
    with CaptureQueriesContext(connection) as captured:
        on_dossier_transitioned(Dossier, dossier=dossier, event=event, action=Action.FORWARD)
    return len(captured)


def test_the_sync_message_of_a_transition_takes_a_constant_number_of_queries():
    w = world()
    fresh, _created = services.dossier_submit(applicant=w.citizen, intake=w.intake(), now=MONDAY)
    fresh = services.dossier_receive(actor=w.counter, dossier=fresh, now=MONDAY)
    long_lived = a_whole_life(w)
    short, long = queries_of_one_sync_message(fresh), queries_of_one_sync_message(long_lived)
    assert short == long <= 12
