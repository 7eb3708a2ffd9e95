"""The scorecard and the unit evaluation read from the database: their inputs are the dossiers
counted, and the evaluation's profiles are the dossiers one by one, grouped."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest

from catalog.models import OnlineLevel
from dossiers.models import Dossier
from dossiers.rules import State
from dossiers.tests.factories import World, walk_to, world
from reports import indices, selectors, services
from reports.selectors import Scope

pytestmark = pytest.mark.django_db

START, END = datetime.date(2025, 11, 1), datetime.date(2025, 11, 30)


@pytest.fixture
def w(db) -> World:
    """Two dossiers returned the day they came (early), one still in progress at the end of
    November, past its three working days."""
    w = world()
    for state in (State.RETURNED, State.RETURNED, State.IN_PROGRESS):
        walk_to(w, state)
    services.figures_rebuild()
    return w


def test_the_inputs_are_the_dossiers_counted(w):
    scope = Scope(agencies=selectors.agency_tree([w.agency.pk]))
    inputs = selectors.scorecard_inputs(start=START, end=END, scope=scope)
    dossiers = Dossier.objects.filter(processing_agency=w.agency)
    assert inputs["received_new"] == dossiers.filter(received_at__isnull=False).count() == 3
    assert inputs["finished"] == inputs["finished_in_time"] == dossiers.filter(state=State.RETURNED).count() == 2
    assert inputs["in_progress"] == 1 and inputs["in_progress_on_time"] == 0
    assert inputs["procedures_public"] == 1  # the world's one procedure, carried out by its agency
    assert inputs["procedures_full_online"] == (1 if w.version.online_level == OnlineLevel.FULL else 0)
    assert inputs["returned"] == 2 and inputs["returned_without_complaint"] == 2
    assert inputs["received_synced"] == 0  # nothing has reached the national portal's stand-in yet


def test_another_agencys_scope_counts_none_of_them(w):
    other = world()
    inputs = selectors.scorecard_inputs(start=START, end=END, scope=Scope(agencies=frozenset({other.agency.pk})))
    assert inputs["received_new"] == 0 and inputs["procedures_public"] == 1


def test_what_if_the_overdue_dossier_had_been_finished_on_time(w):
    scope = Scope(agencies=frozenset({w.agency.pk}))
    overdue = list(selectors.overdue_dossiers(end=END, scope=scope))
    assert [f.dossier_id for f in overdue] == list(
        Dossier.objects.filter(state=State.IN_PROGRESS, processing_agency=w.agency).values_list("id", flat=True)
    )
    found = selectors.what_if(start=START, end=END, scope=scope, dossiers=len(overdue))
    # before: 2.1 = 2/2 × 12, 2.2 = 0/1 × 8; after: 3/3 × 12 and nothing left in progress (8)
    assert found.before.group("progress").points == 12.0
    assert found.after.group("progress").points == 20.0
    assert found.progress_gain == 8.0


def test_the_evaluation_groups_the_dossiers_it_would_score_one_by_one(w):
    scope = Scope(agencies=frozenset({w.agency.pk}))
    profiles = selectors.evaluation_profiles(start=START, end=END, scope=scope)
    one_by_one = Counter(
        indices.DossierProfile(
            finish="early" if d.finished_at.date() < d.original_due_on else "on_time",
            supplement_requests=d.supplement_request_count,
            channel=d.channel,
        )
        for d in Dossier.objects.filter(state=State.RETURNED, processing_agency=w.agency)
    )
    assert profiles == dict(one_by_one)
    unit = selectors.unit_evaluation(start=START, end=END, scope=scope)
    assert unit.rules.name == "Thông tư 03/2025/TT-VPCP"  # November 2025
    assert unit.dossiers == 2
    assert unit.score == indices.evaluate_unit(unit.rules, one_by_one).score


def test_the_scorecard_of_an_agency_with_no_data_is_not_zero(w):
    card = selectors.scorecard(start=START, end=END, scope=Scope(agencies=frozenset({world().agency.pk})))
    progress = card.group("progress")
    assert progress.indicators[0].points is None  # nothing finished: no data
    assert card.group("digitization").available == 0
    assert card.points == card.group("publicity").points + card.group("progress").points  # 2.2: none overdue


def test_every_agencys_scorecard_rolls_up_the_agencies_under_it(w):
    from org.tests.factories import agency

    province = agency("Ủy ban nhân dân tỉnh thử", code="000.00.00.H99")
    w.agency.parent = province
    w.agency.save()
    cards = dict(selectors.agency_scorecards(start=START, end=END, allowed=None))
    alone = selectors.scorecard(start=START, end=END, scope=Scope(agencies=selectors.agency_tree([province.pk])))
    assert cards[province] == alone
    assert cards[province].group("progress").points == cards[w.agency].group("progress").points == 12.0
    seen = dict(selectors.agency_scorecards(start=START, end=END, allowed=frozenset({w.agency.pk})))
    assert list(seen) == [w.agency]


def test_the_scorecard_api_shows_formulas_inputs_points_and_the_what_if(w):
    from django.test import Client

    client = Client()
    client.force_login(w.leader)
    period = {"start": START.isoformat(), "end": END.isoformat()}
    card = client.get("/api/v1/figures/scorecard", {**period, "overdue_finished": 120}).json()
    assert card["index"] == "Quyết định 766/QĐ-TTg"
    assert [(g["code"], g["max_points"]) for g in card["groups"]] == [
        ("publicity", 18), ("progress", 20), ("digitization", 22), ("online", 22), ("satisfaction", 18)
    ]  # fmt: skip
    on_time = card["groups"][1]["indicators"][0]
    assert (on_time["numerator"], on_time["denominator"], on_time["points"]) == (2, 2, 12.0)
    assert on_time["formula"].startswith("(Số hồ sơ giải quyết trước hạn")
    # only one dossier is overdue, whatever the question asks
    assert card["what_if"] == {
        "dossiers": 1, "progress_before": 12.0, "progress_after": 20.0, "progress_gain": 8.0, "total_gain": 8.0
    }  # fmt: skip
    graded = client.get("/api/v1/figures/evaluation", period).json()
    assert graded["circular"] == "Thông tư 03/2025/TT-VPCP" and graded["dossiers"] == 2
    assert graded["indicators"][0] == {
        "code": "time", "name": "Tổng thời gian giải quyết so với thời gian quy định",
        "dossiers_2": 2, "dossiers_1": 0, "dossiers_0": 0,
    }  # fmt: skip
    assert graded["grade"] in indices.GRADE_NAMES


def test_the_scorecard_of_an_agency_outside_the_scope_is_not_found(w):
    from django.test import Client

    client = Client()
    client.force_login(world().leader)
    answer = client.get(
        "/api/v1/figures/scorecard", {"start": START.isoformat(), "end": END.isoformat(), "agency": w.agency.code}
    )
    assert answer.status_code == 404
    reversed_period = client.get("/api/v1/figures/evaluation", {"start": END.isoformat(), "end": START.isoformat()})
    assert reversed_period.status_code == 400
