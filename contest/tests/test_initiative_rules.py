"""The initiative contest's rules without a database: a judge's weighted score against the rubric,
the panel's average, the ranking by it with its tie-breaks, and the prizes, as properties over
generated rubrics and scorecards."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from contest import rules
from contest.rules import Criterion, InitiativeEntry, Prize, PrizeSpec

T0 = datetime.datetime(2026, 5, 4, 8, 0, tzinfo=datetime.UTC)

rubrics = st.lists(st.tuples(st.integers(1, 50), st.integers(1, 20)), min_size=1, max_size=6).map(
    lambda rows: [Criterion(n, weight, top) for n, (weight, top) in enumerate(rows, 1)]
)


@st.composite
def rubric_and_cards(draw, min_cards=1, max_cards=5):
    rubric = draw(rubrics)
    cards = draw(
        st.lists(
            st.fixed_dictionaries({c.id: st.integers(0, c.max_points) for c in rubric}),
            min_size=min_cards,
            max_size=max_cards,
        )
    )
    return rubric, cards


def full_marks(rubric):
    return {c.id: c.max_points for c in rubric}


# --- A judge's score ----------------------------------------------------------------------------


@given(rubric_and_cards(max_cards=1))
def test_a_scorecard_is_between_0_and_100_full_marks_give_100_and_nothing_gives_0(rc):
    rubric, (card,) = rc
    assert Decimal(0) <= rules.weighted_score(rubric, card) <= Decimal(100)
    assert rules.weighted_score(rubric, full_marks(rubric)) == Decimal(100)
    assert rules.weighted_score(rubric, {c.id: 0 for c in rubric}) == Decimal(0)


@given(rubric_and_cards(max_cards=1), st.data())
def test_more_points_on_any_criterion_never_lower_the_score(rc, data):
    rubric, (card,) = rc
    criterion = data.draw(st.sampled_from(rubric))
    assume(card[criterion.id] < criterion.max_points)
    better = {**card, criterion.id: card[criterion.id] + 1}
    assert rules.weighted_fraction(rubric, better) > rules.weighted_fraction(rubric, card)


def test_weights_count_as_the_rubric_says():
    # Tính mới 40%, hiệu quả 40%, khả năng nhân rộng 20%; each out of 10 points.
    rubric = [Criterion(1, 40, 10), Criterion(2, 40, 10), Criterion(3, 20, 10)]
    assert rules.weighted_score(rubric, {1: 10, 2: 5, 3: 0}) == Decimal("60.00")
    assert rules.weighted_score(rubric, {1: 0, 2: 5, 3: 10}) == Decimal("40.00")
    # Scaling every weight by the same factor changes nothing.
    doubled = [Criterion(c.id, c.weight * 2, c.max_points) for c in rubric]
    assert rules.weighted_score(doubled, {1: 7, 2: 3, 3: 9}) == rules.weighted_score(rubric, {1: 7, 2: 3, 3: 9})


def test_points_problems_name_what_is_missing_out_of_range_or_unknown():
    rubric = [Criterion(1, 1, 10), Criterion(2, 1, 5)]
    assert rules.points_problems(rubric, {1: 10, 2: 5}) == {}
    assert rules.points_problems(rubric, {1: 11}) == {1: "range", 2: "missing"}
    assert rules.points_problems(rubric, {1: -1, 2: 0, 9: 3}) == {1: "range", 9: "unknown"}
    assert rules.rubric_problems([]) == ["empty"]
    assert rules.rubric_problems([Criterion(1, 0, 10)]) == ["1:weight"]


# --- The panel's average ------------------------------------------------------------------------


@given(rubric_and_cards())
def test_the_average_lies_between_the_lowest_and_highest_judge_and_ignores_their_order(rc):
    rubric, cards = rc
    scores = [rules.weighted_score(rubric, card) for card in cards]
    average = rules.panel_average(rubric, cards)
    assert average is not None
    assert min(scores) - Decimal("0.01") <= average <= max(scores) + Decimal("0.01")
    assert rules.panel_average(rubric, list(reversed(cards))) == average


@given(rubric_and_cards(max_cards=1), st.integers(1, 6))
def test_judges_agreeing_average_to_what_each_gave(rc, judges):
    rubric, (card,) = rc
    assert rules.panel_average(rubric, [card] * judges) == rules.weighted_score(rubric, card)


def test_nobody_scored_no_average():
    assert rules.panel_average([Criterion(1, 1, 10)], []) is None


def test_the_average_is_exact_then_rounded_half_up():
    rubric = [Criterion(1, 1, 3)]
    # 1/3 of 100 and 2/3 of 100: 33.33… and 66.66…, average 50 exactly (not 49.995 → 50.00 by luck).
    assert rules.panel_average(rubric, [{1: 1}, {1: 2}]) == Decimal("50.00")
    assert rules.panel_average(rubric, [{1: 2}]) == Decimal("66.67")


# --- Ranking ------------------------------------------------------------------------------------


def mean(cards: list[int]) -> Decimal | None:
    if not cards:
        return None
    return (sum((Decimal(c) / 4 for c in cards), Decimal(0)) / len(cards)).quantize(Decimal("0.01"))


entries = st.lists(
    st.builds(
        lambda pk, cards, minutes: InitiativeEntry(
            pk,
            tuple(Decimal(c) / 4 for c in cards),
            mean(cards),
            T0 + datetime.timedelta(minutes=minutes),
        ),
        st.integers(1, 10**6),
        st.lists(st.integers(0, 400), max_size=4),
        st.integers(0, 3),
    ),
    max_size=25,
    unique_by=lambda e: e.initiative_id,
)


@given(entries, st.integers(1, 3))
def test_ranking_places_1_to_n_the_initiatives_with_enough_scorecards_by_average(es, quorum):
    ranked = rules.rank_initiatives(es, quorum)
    counted = [e for e in es if e.average is not None and len(e.card_scores) >= quorum]
    assert [r.rank for r in ranked] == list(range(1, len(counted) + 1))
    assert {r.entry.initiative_id for r in ranked} == {e.initiative_id for e in counted}
    averages = [r.entry.average for r in ranked]
    assert averages == sorted(averages, reverse=True)


@given(entries)
def test_equal_averages_go_to_the_initiative_the_panel_agrees_on_then_the_earlier_submission(es):
    ranked = rules.rank_initiatives(es)
    for above, below in itertools.pairwise(ranked):
        a, b = above.entry, below.entry
        if a.average == b.average:
            assert min(a.card_scores) >= min(b.card_scores)
            if min(a.card_scores) == min(b.card_scores):
                assert (a.submitted_at, a.initiative_id) < (b.submitted_at, b.initiative_id)


@given(entries)
def test_the_ranking_does_not_depend_on_the_order_the_initiatives_came_in(es):
    forward = [(r.rank, r.entry.initiative_id) for r in rules.rank_initiatives(es)]
    backward = [(r.rank, r.entry.initiative_id) for r in rules.rank_initiatives(list(reversed(es)))]
    assert forward == backward


def test_a_tie_on_average_is_broken_by_the_lowest_judge_then_the_submission_time():
    steady = InitiativeEntry(1, (Decimal(70), Decimal(70)), Decimal(70), T0 + datetime.timedelta(hours=1))
    split = InitiativeEntry(2, (Decimal(90), Decimal(50)), Decimal(70), T0)
    early = InitiativeEntry(3, (Decimal(70), Decimal(70)), Decimal(70), T0)
    assert [r.entry.initiative_id for r in rules.rank_initiatives([steady, split, early])] == [3, 1, 2]


# --- Prizes -------------------------------------------------------------------------------------


@given(entries, st.integers(0, 100))
def test_prizes_go_down_the_ranking_never_below_the_threshold(es, threshold):
    ranked = rules.rank_initiatives(es)
    spec = PrizeSpec(first=1, second=2, third=3, consolation=2)
    prizes = rules.award_initiatives(ranked, spec, Decimal(threshold))
    order = [Prize.FIRST, Prize.SECOND, Prize.THIRD, Prize.CONSOLATION]
    given_out = [prizes[r.entry.initiative_id] for r in ranked if r.entry.initiative_id in prizes]
    assert given_out == sorted(given_out, key=order.index)
    for r in ranked:
        if r.entry.initiative_id in prizes:
            assert r.entry.average is not None and r.entry.average >= threshold and r.entry.average > 0
    assert sum(1 for p in prizes.values() if p == Prize.FIRST) <= 1
    assert len(prizes) <= 8


def test_windows_submissions_then_judging_until_the_ranking():
    opens, closes = T0, T0 + datetime.timedelta(days=30)
    assert not rules.submissions_open(opens - datetime.timedelta(seconds=1), opens, closes)
    assert rules.submissions_open(opens, opens, closes)
    assert not rules.submissions_open(closes, opens, closes)
    assert not rules.submissions_open(opens, None, closes)
    assert not rules.judging_open(closes - datetime.timedelta(seconds=1), closes, ranked=False)
    assert rules.judging_open(closes, closes, ranked=False)
    assert not rules.judging_open(closes, closes, ranked=True)
