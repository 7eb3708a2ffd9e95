"""Concurrent writers, each thread with its own database connection: codes stay consecutive and
unique (given at submission, kept at reception), of two conflicting actions exactly one wins, and
a double submission makes one dossier. Runs the same on SQLite (IMMEDIATE transactions) and PostgreSQL (row locks)."""

from __future__ import annotations

from typing import Any

import pytest

from common.testing import at_once
from dossiers import services
from dossiers.errors import DossierChanged
from dossiers.models import DailySequence, Dossier, DossierEvent
from dossiers.rules import State

from .factories import MONDAY, submitted, walk_to, world

pytestmark = pytest.mark.django_db(transaction=True)


def test_fifty_concurrent_submissions_get_fifty_consecutive_codes():
    w = world()
    results = at_once(
        [lambda: services.dossier_submit(applicant=w.citizen, intake=w.intake(), now=MONDAY) for _ in range(50)]
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    codes = sorted(Dossier.objects.values_list("code", flat=True))
    assert codes == [f"{w.unit.code}-251103-{n:04d}" for n in range(1, 51)]
    assert DailySequence.objects.get(unit=w.unit).last_number == 50


def test_concurrent_receptions_keep_the_codes_given_at_submission():
    w = world()
    dossiers = [submitted(w) for _ in range(20)]
    given = {d.pk: d.code for d in dossiers}
    results = at_once([lambda d=d: services.dossier_receive(actor=w.counter, dossier=d, now=MONDAY) for d in dossiers])
    assert [r for r in results if isinstance(r, Exception)] == []
    assert dict(Dossier.objects.values_list("pk", "code")) == given
    assert DailySequence.objects.get(unit=w.unit).last_number == 20


def test_of_two_officers_acting_at_once_exactly_one_wins():
    w = world()
    for _round in range(5):
        d = walk_to(w, State.IN_PROGRESS)
        seen_by_leader, seen_by_processor = Dossier.objects.get(pk=d.pk), Dossier.objects.get(pk=d.pk)
        results = at_once(
            [
                lambda seen=seen_by_leader: services.dossier_approve(actor=w.leader, dossier=seen),
                lambda seen=seen_by_processor: services.dossier_request_supplement(
                    actor=w.processor, dossier=seen, missing=["Tờ khai"]
                ),
            ]
        )
        assert sorted(type(r).__name__ for r in results) == ["Dossier", "DossierChanged"]
        error = next(r for r in results if isinstance(r, DossierChanged))
        assert error.message == "Hồ sơ đã thay đổi, vui lòng tải lại."
        assert DossierEvent.objects.filter(dossier=d).count() == 4  # submit, receive, assign, the winner
        assert Dossier.objects.get(pk=d.pk).version == d.version + 1


def test_many_counters_receiving_one_dossier_use_one_number():
    w = world()
    d = submitted(w)
    copies = [Dossier.objects.get(pk=d.pk) for _ in range(8)]
    results = at_once([lambda c=c: services.dossier_receive(actor=w.counter, dossier=c, now=MONDAY) for c in copies])
    assert sum(isinstance(r, Dossier) for r in results) == 1
    assert sum(isinstance(r, DossierChanged) for r in results) == 7
    assert Dossier.objects.get(pk=d.pk).code == f"{w.unit.code}-251103-0001"
    assert DailySequence.objects.get(unit=w.unit).last_number == 1


def test_many_clicks_submitting_one_draft_use_one_number():
    w = world()
    draft = services.dossier_draft_save(applicant=w.citizen, intake=w.intake())
    copies = [Dossier.objects.get(pk=draft.pk) for _ in range(6)]
    results = at_once(
        [lambda c=c: services.dossier_draft_submit(applicant=w.citizen, draft=c, now=MONDAY) for c in copies]
    )
    assert sum(isinstance(r, Dossier) for r in results) == 1
    assert Dossier.objects.get(pk=draft.pk).code == f"{w.unit.code}-251103-0001"
    assert DailySequence.objects.get(unit=w.unit).last_number == 1


def test_a_double_submission_at_once_makes_one_dossier():
    w = world()
    intake = w.intake()
    results = at_once(
        [
            lambda: services.dossier_submit(applicant=w.citizen, intake=intake, idempotency_key="double-click")
            for _ in range(6)
        ]
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    assert len({dossier.pk for dossier, _created in results}) == 1
    assert sum(created for _dossier, created in results) == 1
    assert Dossier.objects.count() == 1


def test_a_failed_submission_gives_its_number_back(monkeypatch):
    w = world()

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    with monkeypatch.context() as patch:
        patch.setattr(DossierEvent.objects, "create", broken)
        with pytest.raises(RuntimeError):
            submitted(w)
    assert not Dossier.objects.exists()
    first, second = submitted(w), submitted(w)
    assert [first.code, second.code] == [f"{w.unit.code}-251103-0001", f"{w.unit.code}-251103-0002"]


def test_each_unit_and_day_has_its_own_sequence():
    w, other = world(), world()
    a = submitted(w, now=MONDAY)
    b = submitted(other, now=MONDAY)
    c = submitted(w, now=MONDAY.replace(day=4))
    assert (a.code, b.code, c.code) == (
        f"{w.unit.code}-251103-0001",
        f"{other.unit.code}-251103-0001",
        f"{w.unit.code}-251104-0001",
    )
