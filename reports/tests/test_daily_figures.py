"""The daily table kept by the transitions equals a recount from the dossiers, and the figures
read from it equal plain counts of the dossiers."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossiers import services as dossier_services
from dossiers.models import Dossier
from dossiers.rules import ResultDelivery, State
from dossiers.tests.factories import MONDAY, World, submitted, walk_to, world
from reports import selectors, services
from reports.models import DailyFigure, DossierFact
from reports.selectors import Scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(db) -> World:
    return world()


def _run(callbacks: Any, act: Callable[[], Any]) -> Any:
    with callbacks(execute=True):
        return act()


def test_each_transition_keeps_the_table_equal_to_a_recount(w, django_capture_on_commit_callbacks):
    for state in (
        State.SUBMITTED,
        State.NOT_RECEIVED,
        State.WITHDRAWN,
        State.IN_PROGRESS,
        State.STOPPED,
        State.RETURNED,
    ):
        _run(django_capture_on_commit_callbacks, lambda state=state: walk_to(w, state))
    assert services.table_as_counted() == services.recount()
    assert DailyFigure.objects.exists()


def test_the_figures_are_the_dossiers_counted(w, django_capture_on_commit_callbacks):
    for state in (State.IN_PROGRESS, State.RETURNED, State.RETURNED, State.WITHDRAWN, State.NOT_RECEIVED):
        _run(django_capture_on_commit_callbacks, lambda state=state: walk_to(w, state))
    day = MONDAY.date()
    f = selectors.dossier_figures(start=day, end=day)
    received = Dossier.objects.filter(received_at__isnull=False)
    assert f.received_new == received.count() == 3
    assert f.finished == received.filter(state=State.RETURNED).count() == 2
    assert f.in_progress == received.filter(state=State.IN_PROGRESS).count() == 1
    assert f.not_received == 1
    assert f.withdrawn == 1  # withdrawn before reception
    assert f.received_online == received.filter(channel="online").count()


def test_refreshing_twice_changes_nothing(w, django_capture_on_commit_callbacks):
    d = _run(django_capture_on_commit_callbacks, lambda: walk_to(w, State.IN_PROGRESS))
    before = services.table_as_counted()
    assert services.figures_refresh(dossier_id=d.pk) is False
    assert services.table_as_counted() == before


def test_a_rebuild_counts_dossiers_written_without_transitions(w, django_capture_on_commit_callbacks):
    for state in (State.IN_PROGRESS, State.RETURNED, State.STOPPED):
        walk_to(w, state)  # callbacks not run: the table knows nothing of them
    assert services.table_as_counted() == {}
    done = services.figures_rebuild()
    assert done["dossiers"] == 3
    assert services.table_as_counted() == services.recount()
    assert DossierFact.objects.count() == 3


def test_an_agency_counts_with_the_agencies_under_it(w, django_capture_on_commit_callbacks):
    from org.tests.factories import agency

    province = agency("Văn phòng Ủy ban nhân dân tỉnh")
    w.agency.parent = province
    w.agency.save()
    _run(django_capture_on_commit_callbacks, lambda: walk_to(w, State.IN_PROGRESS))
    day = MONDAY.date()
    inside = Scope(agencies=selectors.agency_tree([province.pk]))
    assert selectors.dossier_figures(start=day, end=day, scope=inside).received_new == 1
    alone = Scope(agencies=frozenset({province.pk}))
    assert selectors.dossier_figures(start=day, end=day, scope=alone).received_new == 0


# --- Random transitions --------------------------------------------------------------------------

WORLD: dict[str, World] = {}


def _step(w: World, dossier: Dossier, choice: int, now: datetime.datetime) -> None:
    """Take one of the transitions allowed now, picked by ``choice``; nothing if none."""
    s = dossier_services
    state = State(dossier.state)
    options: list[Callable[[], Any]] = []
    if state == State.SUBMITTED:
        options += [
            lambda: s.dossier_receive(actor=w.counter, dossier=dossier, now=now),
            lambda: s.dossier_refuse_intake(actor=w.counter, dossier=dossier, reason="Sai thẩm quyền", now=now),
        ]
    if state == State.RECEIVED:
        options += [lambda: s.dossier_assign(actor=w.counter, dossier=dossier, to=w.processor, now=now)]
    if state == State.IN_PROGRESS:
        options += [
            lambda: s.dossier_request_supplement(actor=w.processor, dossier=dossier, missing=["Bản sao"], now=now),
            lambda: s.dossier_request_payment(
                actor=w.processor,
                dossier=dossier,
                override_vnd=25_000,
                override_reason="Mức thu theo biểu phí của tỉnh",
                now=now,
            ),
            lambda: s.dossier_approve(actor=w.leader, dossier=dossier, now=now),
            lambda: s.dossier_refuse(actor=w.leader, dossier=dossier, reasons=["Không đủ điều kiện"], now=now),
            lambda: s.dossier_stop(actor=w.leader, dossier=dossier, reason="Theo đề nghị", now=now),
        ]
    if state == State.SUPPLEMENT_REQUESTED:
        options += [lambda: s.dossier_supplement(actor=w.citizen, dossier=dossier, now=now)]
    if state == State.AWAITING_PAYMENT:
        options += [lambda: s.dossier_mark_paid(actor=w.counter, dossier=dossier, receipt_number="BL-1", now=now)]
    if state == State.DONE:
        options += [
            lambda: s.dossier_return_result(actor=w.counter, dossier=dossier, method=ResultDelivery.COUNTER, now=now)
        ]
    if state in (State.SUBMITTED, State.RECEIVED, State.IN_PROGRESS, State.SUPPLEMENT_REQUESTED):
        options += [lambda: s.dossier_withdraw(actor=w.citizen, dossier=dossier, reason="Không cần nữa", now=now)]
    if options:
        options[choice % len(options)]()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 9), st.integers(0, 40)), min_size=1, max_size=15))
def test_after_random_transitions_the_table_equals_a_recount(steps, w, django_capture_on_commit_callbacks):
    dossiers: list[Dossier] = []
    with django_capture_on_commit_callbacks(execute=True):
        for which, choice, days in steps:
            now = MONDAY + datetime.timedelta(days=days, hours=choice % 8)
            if which >= len(dossiers):
                dossiers.append(submitted(w, now=now))
                continue
            dossier = Dossier.objects.get(pk=dossiers[which].pk)
            when = max(now, dossier.updated_at + datetime.timedelta(minutes=1))
            _step(w, dossier, choice, when)
    assert services.table_as_counted() == services.recount()
