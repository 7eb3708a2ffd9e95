"""Today's figures for the centre's board: received today, online share and on-time share of the
month, counted as the national index counts them; cached for a few seconds."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from dossiers import services
from dossiers.figures import share, today_figures_uncached
from dossiers.models import Dossier
from dossiers.rules import Channel, State
from dossiers.tests.factories import at, walk_to, world

pytestmark = pytest.mark.django_db


def test_shares_are_percent_with_one_decimal_and_none_of_nothing():
    assert share(1, 3) == 33.3
    assert share(2, 3) == 66.7
    assert share(1, 8) == 12.5
    assert share(5, 5) == 100.0
    assert share(0, 7) == 0.0
    assert share(0, 0) is None


def received_at_counter(w, now):
    d = services.dossier_register(actor=w.counter, intake=w.intake(channel=Channel.COUNTER), now=now)
    return services.dossier_receive(actor=w.counter, dossier=d, now=now)


def approved(w, *, received, finished):
    d = walk_to(w, State.IN_PROGRESS, now=received)
    return services.dossier_approve(actor=w.leader, dossier=d, now=finished)


def test_the_days_and_the_months_figures():
    w = world(processing_days=3)
    walk_to(w, State.RECEIVED, now=at(2025, 11, 25, 9))  # online, today
    received_at_counter(w, at(2025, 11, 25, 9, 30))  # at the counter, today
    walk_to(w, State.RECEIVED, now=at(2025, 11, 3))  # online, earlier this month
    walk_to(w, State.RECEIVED, now=at(2025, 10, 28))  # last month
    approved(w, received=at(2025, 11, 3), finished=at(2025, 11, 4))  # on time
    approved(w, received=at(2025, 11, 3), finished=at(2025, 11, 20))  # late
    approved(w, received=at(2025, 10, 28), finished=at(2025, 11, 3))  # received last month, late
    twice = approved(w, received=at(2025, 11, 3), finished=at(2025, 11, 4))
    Dossier.objects.filter(pk=twice.pk).update(supplement_request_count=2)  # in time, but asked twice: late
    walk_to(w, State.RECEIVED, now=at(2025, 11, 25, 11))  # after the moment asked: not yet

    figures = today_figures_uncached(at(2025, 11, 25, 10))
    assert figures.received_today == 2
    assert (figures.received_this_month, figures.online_this_month, figures.online_share) == (6, 5, 83.3)
    assert (figures.finished_this_month, figures.on_time_this_month, figures.on_time_share) == (4, 1, 25.0)


def test_the_first_morning_of_a_month_has_no_share_yet():
    world()
    figures = today_figures_uncached(at(2025, 12, 1, 7))
    assert (figures.received_today, figures.online_share, figures.on_time_share) == (0, None, None)


def test_the_endpoint_answers_from_the_cache_for_a_few_seconds(settings):
    settings.TODAY_FIGURES_CACHE_SECONDS = 5
    cache.clear()
    w = world()
    first = Client().get("/api/v1/figures/today")
    assert first.status_code == 200
    assert first.json()["received_today"] == 0
    assert set(first.json()) == {
        "day",
        "received_today",
        "received_this_month",
        "online_this_month",
        "online_share",
        "finished_this_month",
        "on_time_this_month",
        "on_time_share",
        "as_of",
    }
    services.dossier_receive(actor=w.counter, dossier=walk_to(w, State.SUBMITTED))  # now
    assert Client().get("/api/v1/figures/today").json()["received_today"] == 0
    cache.clear()
    assert Client().get("/api/v1/figures/today").json()["received_today"] == 1
