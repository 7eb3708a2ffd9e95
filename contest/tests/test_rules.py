"""The contest's rules without a database: the draw (reproducible, per topic and group), option
shuffling, timing with a fixed clock, scoring, the ranking with its tie-breaks and the prizes, as
properties over generated inputs where the space is large."""

from __future__ import annotations

import datetime
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contest import rules
from contest.rules import Entry, Group, Prize, PrizeSpec, QuestionKind

T0 = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)

# --- The draw --------------------------------------------------------------------------------------

# A question belongs to one topic: each topic's ids are its own (topic n holds n*10000 + k).
TOPICS = ["TTHC", "MC", "DVC", "PL"]
pools = st.dictionaries(
    st.sampled_from(TOPICS),
    st.lists(st.integers(1, 9_999), min_size=0, max_size=30, unique=True),
    min_size=1,
).map(lambda pool: {topic: [TOPICS.index(topic) * 10_000 + k for k in ids] for topic, ids in pool.items()})


@st.composite
def pool_and_counts(draw):
    pool = draw(pools)
    counts = {topic: draw(st.integers(0, len(ids))) for topic, ids in pool.items()}
    return pool, counts


@given(pool_and_counts(), st.integers(0, 2**63))
def test_a_draw_takes_exactly_the_count_of_each_topic_without_repeating_a_question(pc, seed):
    pool, counts = pc
    drawn = rules.draw_questions(pool, counts, seed)
    assert len(drawn) == len(set(drawn)) == sum(counts.values())
    for topic, wanted in counts.items():
        assert len(set(drawn) & set(pool[topic])) == wanted


@given(pool_and_counts(), st.integers(0, 2**63), st.randoms())
def test_the_same_seed_draws_the_same_questions_whatever_the_pools_order(pc, seed, rnd):
    pool, counts = pc
    shuffled_pool = {topic: rnd.sample(ids, len(ids)) for topic, ids in reversed(list(pool.items()))}
    assert rules.draw_questions(pool, counts, seed) == rules.draw_questions(shuffled_pool, counts, seed)


def test_different_participants_draw_different_papers_from_a_large_bank():
    pool = {"TTHC": list(range(1, 201)), "MC": list(range(201, 401))}
    papers = {
        tuple(rules.draw_questions(pool, {"TTHC": 10, "MC": 10}, rules.seed_for(7, participant, 1)))
        for participant in range(50)
    }
    assert len(papers) == 50


def test_a_topic_with_too_few_questions_makes_the_draw_impossible():
    with pytest.raises(rules.DrawImpossible) as refused:
        rules.draw_questions({"TTHC": [1, 2, 3]}, {"TTHC": 4}, seed=1)
    assert (refused.value.topic, refused.value.wanted, refused.value.available) == ("TTHC", 4, 3)


def test_seeds_are_stable_across_processes():
    # hash() is salted per process; seed_for must give what it gave when the round was drawn.
    assert rules.seed_for(1, 2, 3) == 9144361847926503038
    assert rules.seed_for(1, 2, 3) == rules.seed_for("1", "2", "3") != rules.seed_for(1, 2, 4)


def test_a_group_draws_its_own_counts_else_the_common_ones():
    spec = {"*": {"TTHC": 10}, Group.CIVIL_SERVANT: {"TTHC": 5, "NV": 15}}
    assert rules.counts_for_group(spec, Group.CIVIL_SERVANT) == {"TTHC": 5, "NV": 15}
    assert rules.counts_for_group(spec, Group.STUDENT) == {"TTHC": 10}
    assert rules.counts_for_group({Group.STUDENT: {"A": 1}}, Group.WORKER) == {}


def test_draw_problems_name_what_the_bank_cannot_give():
    assert rules.draw_problems({"*": {"TTHC": 10}}, {"TTHC": 10}) == []
    assert rules.draw_problems({"*": {"TTHC": 11}}, {"TTHC": 10}) == ["TTHC:11>10"]
    assert rules.draw_problems({"teachers": {"TTHC": 1}}, {"TTHC": 10}) == ["group:teachers"]
    assert rules.draw_problems({"*": {"TTHC": 0}}, {"TTHC": 10}) == ["empty"]


@given(st.lists(st.integers(1, 10**6), unique=True, max_size=8), st.integers(0, 2**63))
def test_shuffled_options_are_a_reproducible_permutation(options, seed):
    once = rules.shuffled(options, seed)
    assert sorted(once) == sorted(options)
    assert rules.shuffled(list(reversed(options)), seed) == once


# --- Timing ----------------------------------------------------------------------------------------


def test_the_round_is_upcoming_open_then_ended():
    opens, closes = T0, T0 + datetime.timedelta(days=7)
    assert rules.round_phase(opens - MINUTE, opens, closes) == rules.RoundPhase.UPCOMING
    assert rules.round_phase(opens, opens, closes) == rules.RoundPhase.OPEN
    assert rules.round_phase(closes - MINUTE, opens, closes) == rules.RoundPhase.OPEN
    assert rules.round_phase(closes, opens, closes) == rules.RoundPhase.ENDED


def test_an_attempt_ends_at_its_time_limit_or_the_rounds_close_whichever_comes_first():
    closes = T0 + 60 * MINUTE
    assert rules.attempt_ends_at(T0, 20 * MINUTE, closes) == T0 + 20 * MINUTE
    assert rules.attempt_ends_at(T0 + 50 * MINUTE, 20 * MINUTE, closes) == closes


def test_answers_are_taken_until_the_end_plus_grace_and_never_after():
    ends, grace = T0 + 20 * MINUTE, datetime.timedelta(seconds=10)
    assert rules.accepts_answers(ends, ends, grace)
    assert rules.accepts_answers(ends + grace, ends, grace)
    assert not rules.accepts_answers(ends + grace + datetime.timedelta(microseconds=1), ends, grace)
    assert rules.is_overdue(ends + grace + datetime.timedelta(seconds=1), ends, grace)
    assert not rules.is_overdue(ends, ends, grace)


def test_the_countdown_comes_from_the_servers_clock_and_stops_at_zero():
    ends = T0 + 20 * MINUTE
    assert rules.seconds_left(T0, ends) == 1200
    assert rules.seconds_left(ends + MINUTE, ends) == 0


def test_time_taken_never_counts_beyond_the_attempts_end():
    ends = T0 + 20 * MINUTE
    assert rules.time_taken_ms(T0, T0 + 90 * datetime.timedelta(seconds=1), ends) == 90_000
    assert rules.time_taken_ms(T0, ends + 5 * MINUTE, ends) == 20 * 60 * 1000


# --- Scoring ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "correct", "chosen", "right"),
    [
        (QuestionKind.SINGLE, [2], [2], True),
        (QuestionKind.SINGLE, [2], [3], False),
        (QuestionKind.SINGLE, [2], [], False),
        (QuestionKind.SINGLE, [2], [2, 3], False),
        (QuestionKind.MULTIPLE, [1, 3], [3, 1], True),
        (QuestionKind.MULTIPLE, [1, 3], [1], False),  # no part marks
        (QuestionKind.MULTIPLE, [1, 3], [1, 2, 3], False),
        (QuestionKind.MULTIPLE, [1, 3], [], False),
    ],
)
def test_a_question_is_right_only_with_exactly_the_right_options(kind, correct, chosen, right):
    assert rules.is_correct(kind, correct, chosen) is right


@given(st.lists(st.tuples(st.booleans(), st.integers(1, 3)), max_size=30))
def test_the_score_is_the_sum_of_the_points_of_the_questions_answered_right(marks):
    questions, answers = [], {}
    for qid, (right, points) in enumerate(marks, 1):
        questions.append({"id": qid, "kind": "single", "correct": [qid * 10], "points": points})
        answers[qid] = [qid * 10] if right else [qid * 10 + 1]
    assert rules.score(questions, answers) == sum(points for right, points in marks if right)
    assert rules.score(questions, {}) == 0


def test_a_saved_choice_names_options_of_the_question_once_and_one_for_single_choice():
    assert rules.valid_choice("single", [1, 2, 3], [2])
    assert rules.valid_choice("single", [1, 2, 3], [])  # clearing an answer
    assert not rules.valid_choice("single", [1, 2, 3], [1, 2])
    assert not rules.valid_choice("multiple", [1, 2, 3], [1, 1])
    assert not rules.valid_choice("multiple", [1, 2, 3], [4])
    assert rules.valid_choice("multiple", [1, 2, 3], [3, 1])


# --- Ranking ---------------------------------------------------------------------------------------

entries = st.lists(
    st.builds(
        Entry,
        participant_id=st.integers(1, 40),
        attempt_id=st.integers(1, 10**6),
        score=st.integers(0, 20),
        prediction=st.none() | st.integers(0, 30_000),
        time_taken_ms=st.integers(0, 1_200_000),
        submitted_at=st.datetimes(min_value=datetime.datetime(2026, 3, 2), max_value=datetime.datetime(2026, 3, 9)).map(
            lambda d: d.replace(tzinfo=datetime.UTC)
        ),
    ),
    max_size=60,
    unique_by=lambda e: e.attempt_id,
)


@settings(max_examples=300)
@given(entries, st.integers(0, 30_000))
def test_the_ranking_orders_by_score_then_prediction_then_time_then_submission(items, actual):
    ranked = rules.rank(items, actual)
    assert [r.rank for r in ranked] == list(range(1, len(ranked) + 1))
    for a, b in itertools.pairwise(ranked):
        x, y = a.entry, b.entry
        assert x.score >= y.score
        if x.score == y.score:
            gx = abs(x.prediction - actual) if x.prediction is not None else None
            gy = abs(y.prediction - actual) if y.prediction is not None else None
            assert gy is None or (gx is not None and gx <= gy)  # no prediction ranks behind any
            if gx == gy:
                assert x.time_taken_ms <= y.time_taken_ms
                if x.time_taken_ms == y.time_taken_ms:
                    assert x.submitted_at <= y.submitted_at


@given(entries, st.integers(0, 30_000))
def test_each_participant_is_ranked_once_with_their_best_attempt(items, actual):
    ranked = rules.rank(items, actual)
    assert sorted(r.entry.participant_id for r in ranked) == sorted({e.participant_id for e in items})
    for r in ranked:
        theirs = [e for e in items if e.participant_id == r.entry.participant_id]
        assert r.entry.score == max(e.score for e in theirs)


@given(entries, st.integers(0, 30_000), st.randoms())
def test_the_ranking_does_not_depend_on_the_order_attempts_arrive_in(items, actual, rnd):
    again = rnd.sample(items, len(items))
    assert [r.entry for r in rules.rank(items, actual)] == [r.entry for r in rules.rank(again, actual)]


def _entry(pid, score, prediction, taken, minute=0):
    return Entry(pid, pid, score, prediction, taken, T0 + minute * MINUTE)


def test_a_closer_prediction_beats_a_faster_time_at_equal_score():
    actual = 11_876
    ranked = rules.rank(
        [_entry(1, 18, 12_000, 300_000), _entry(2, 18, 11_900, 600_000), _entry(3, 19, None, 900_000)], actual
    )
    assert [r.entry.participant_id for r in ranked] == [3, 2, 1]
    assert [r.prediction_gap for r in ranked] == [None, 24, 124]


def test_a_prediction_over_and_under_by_the_same_amount_tie_and_time_decides():
    ranked = rules.rank([_entry(1, 10, 110, 500), _entry(2, 10, 90, 400)], 100)
    assert [r.entry.participant_id for r in ranked] == [2, 1]


def test_at_full_tie_the_earlier_submission_ranks_first():
    ranked = rules.rank([_entry(1, 10, 100, 500, minute=9), _entry(2, 10, 100, 500, minute=3)], 100)
    assert [r.entry.participant_id for r in ranked] == [2, 1]


# --- Prizes ----------------------------------------------------------------------------------------


def test_prizes_go_down_the_ranking_by_kind_and_count():
    ranked = rules.rank([_entry(pid, 30 - pid, 0, 0) for pid in range(1, 15)], 0)
    prizes = rules.award(ranked, PrizeSpec(first=1, second=2, third=3, consolation=5), {})
    assert [prizes.get(pid) for pid in range(1, 14)] == [
        Prize.FIRST,
        *[Prize.SECOND] * 2,
        *[Prize.THIRD] * 3,
        *[Prize.CONSOLATION] * 5,
        None,
        None,
    ]


def test_a_group_prize_goes_to_the_best_of_each_group_without_a_prize_and_never_for_zero():
    ranked = rules.rank([_entry(pid, 10 - pid, 0, 0) for pid in range(1, 11)], 0)
    group_of = {pid: Group.STUDENT for pid in range(1, 11)} | {
        8: Group.WORKER,
        9: Group.WORKER,
        10: Group.CIVIL_SERVANT,
    }
    prizes = rules.award(ranked, PrizeSpec(first=1, second=1, third=1, consolation=0, per_group=1), group_of)
    assert prizes == {1: Prize.FIRST, 2: Prize.SECOND, 3: Prize.THIRD, 4: Prize.GROUP, 8: Prize.GROUP}
    assert 10 not in prizes  # score 0


@given(entries, st.integers(0, 5), st.integers(0, 5), st.integers(0, 5), st.integers(0, 5))
def test_nobody_holds_two_prizes_and_no_prize_count_is_exceeded(items, first, second, third, consolation):
    ranked = rules.rank(items, 100)
    prizes = rules.award(ranked, PrizeSpec(first, second, third, consolation), {})
    for prize, count in PrizeSpec(first, second, third, consolation).by_rank():
        assert sum(1 for p in prizes.values() if p == prize) <= count
    best_without = [r for r in ranked if r.entry.participant_id not in prizes and r.entry.score > 0]
    won = [r for r in ranked if r.entry.participant_id in prizes]
    if best_without and won:  # rank prizes leave nobody better placed without one
        assert max(r.rank for r in won) < min(r.rank for r in best_without)


# --- Presentation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "masked"),
    [("Nguyễn Văn An", "Nguyễn V. A."), ("Trần Thị Ánh Hồng", "Trần T. Á. H."), ("Mai", "M."), ("  ", "")],
)
def test_the_leaderboard_shows_the_family_name_and_initials(name, masked):
    assert rules.mask_name(name) == masked


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (datetime.date(2010, 3, 3), "<18"),
        (datetime.date(2008, 3, 2), "18-30"),
        (datetime.date(2008, 3, 3), "<18"),
        (datetime.date(1990, 1, 1), "31-45"),
        (datetime.date(1970, 1, 1), "46-60"),
        (datetime.date(1950, 1, 1), ">60"),
        (None, "?"),
    ],
)
def test_age_bands_on_the_day_of_the_round(born, band):
    assert rules.age_band(born, datetime.date(2026, 3, 2)) == band
