"""The national service index (QĐ 766) and the per-dossier evaluation (TT 01/2018, TT 03/2025)
against figures worked out by hand.

The agency of the scorecard fixture, over a period:
  10 procedures public, 9 of them with complete information, 4 fully online;
  20 dossiers received, 15 synced to the national portal, 10 online, 10 digitized, 5 reusing data;
  16 finished, 12 of them early or on time; 5 in progress at the end, 3 of them within the due date;
  12 decided, 6 with an electronic result; 4 paid, 1 online;
  4 feedback items answered, 3 on time, 2 published; 10 invitations to rate, no rating yet;
  8 returned, 7 of them without a complaint.
"""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import pytest

from reports import indices
from reports.indices import DossierProfile

INPUTS: dict[str, int | None] = {
    "procedures_public": 10,
    "procedures_complete": 9,
    "procedures_full_online": 4,
    "received_new": 20,
    "received_synced": 15,
    "received_online": 10,
    "digitized": 10,
    "reused": 5,
    "finished": 16,
    "finished_in_time": 12,
    "in_progress": 5,
    "in_progress_on_time": 3,
    "decided": 12,
    "e_results": 6,
    "paid_dossiers": 4,
    "paid_online_dossiers": 1,
    "feedback_answered": 4,
    "feedback_answered_on_time": 3,
    "feedback_published": 2,
    "invited": 10,
    "ratings": 0,
    "ratings_satisfied": 0,
    "returned": 8,
    "returned_without_complaint": 7,
}

RULES = indices.index_on(datetime.date(2023, 12, 31))


def points(card: indices.Scorecard) -> dict[str, float | None]:
    return {i.rule.code: i.points for g in card.groups for i in g.indicators}


def test_the_five_groups_weigh_18_20_22_22_18():
    assert [(g.code, g.points) for g in RULES.groups] == [
        ("publicity", 18),
        ("progress", 20),
        ("digitization", 22),
        ("online", 22),
        ("satisfaction", 18),
    ]
    assert RULES.name == "Quyết định 766/QĐ-TTg"


def test_each_indicator_scored_as_worked_out_by_hand():
    card = indices.score(RULES, INPUTS)
    assert points(card) == {
        "1.1": 5.4,  # 9/10 × 6
        "1.2": 6.0,  # 15/20 × 8
        "1.3": 2.0,  # 2/4 × 4
        "2.1": 9.0,  # 12/16 × 12
        "2.2": 4.8,  # 3/5 × 8
        "3.1": 4.0,  # 10/20 × 8
        "3.2": 4.0,  # 6/12 × 8
        "3.3": 3.0,  # 5/20 = 25%, half of the 50% target: 6 / 2
        "4.1": 3.0,  # 4/10 = 40%, half of the 80% target: 6 / 2
        "4.2": 8.0,  # 10/20 = 50% reaches the top step
        "4.3": 4.0,  # 1/4 = 25%: the 20% step
        "5.1": 3.0,  # 3/4 × 4
        "5.2": None,  # nobody rated: no data, not zero
        "5.3": 0.0,  # 0 of 10 invited rated
        "5.4": 3.5,  # 7/8 × 4
    }
    assert [
        card.group(code).points for code in ("publicity", "progress", "digitization", "online", "satisfaction")
    ] == [
        13.4,
        13.8,
        11.0,
        15.0,
        6.5,
    ]
    assert card.points == 59.7
    assert card.available == 94.0  # 5.2's six points have no data
    shown = card.group("progress").indicators[0]
    assert (shown.numerator, shown.denominator, shown.ratio) == (12, 16, 0.75)
    assert "trước hạn" in shown.rule.formula


def test_a_missing_source_is_no_data_everywhere_it_is_used():
    card = indices.score(RULES, {**INPUTS, "feedback_answered": None, "feedback_published": None})
    assert points(card)["1.3"] is None and points(card)["5.1"] is None
    assert card.group("publicity").available == 14.0


def test_nothing_in_progress_is_nothing_overdue():
    card = indices.score(RULES, {**INPUTS, "in_progress": 0, "in_progress_on_time": 0})
    assert points(card)["2.2"] == 8.0
    assert card.group("progress").available == 20.0


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [(0.0, 0.0), (0.0001, 2.0), (0.19, 2.0), (0.2, 4.0), (0.3, 6.0), (0.49, 6.0), (0.5, 8.0), (1, 8)],
)
def test_steps_give_the_points_of_the_highest_threshold_reached(ratio, expected):
    rule = RULES.groups[3].indicators[1]  # 4.2
    assert indices.indicator_points(rule, ratio) == expected


def test_what_if_the_overdue_dossiers_were_finished_on_time():
    found = indices.what_if_overdue_finished(RULES, INPUTS, 2)
    # 2.1: 14/18 × 12 = 9.33; 2.2: 3/3 × 8 = 8 → 17.33 instead of 13.8
    assert found.after.group("progress").points == 17.33
    assert found.progress_gain == 3.53
    assert found.total_gain == 3.53
    # only two are overdue: asking for five moves two
    assert indices.what_if_overdue_finished(RULES, INPUTS, 5).dossiers == 2


def test_a_period_is_scored_by_the_index_in_force_on_its_last_day(tmp_path: Path):
    shutil.copy(indices.DATA / "qd766_2022-06-23.json", tmp_path / "qd766_2022-06-23.json")
    newer = json.loads((indices.DATA / "qd766_2022-06-23.json").read_text(encoding="utf-8"))
    newer["name"] = "Bộ chỉ số sửa đổi"
    progress = newer["groups"][1]["indicators"]
    progress[0]["points"], progress[1]["points"] = 15, 5
    (tmp_path / "qd766_2026-01-01.json").write_text(json.dumps(newer), encoding="utf-8")
    assert indices.index_on(datetime.date(2025, 12, 31), tmp_path).name == "Quyết định 766/QĐ-TTg"
    later = indices.index_on(datetime.date(2026, 3, 31), tmp_path)
    assert later.name == "Bộ chỉ số sửa đổi"
    # 12/16 × 15 + 3/5 × 5 = 11.25 + 3
    assert indices.score(later, INPUTS).group("progress").points == 14.25


def test_index_files_that_do_not_add_up_are_refused():
    data = json.loads((indices.DATA / "qd766_2022-06-23.json").read_text(encoding="utf-8"))
    data["groups"][0]["indicators"][0]["points"] = 7
    with pytest.raises(indices.IndexDataError, match="publicity"):
        indices.parse_index(data)


# --- Per-dossier evaluation -------------------------------------------------------------------

FAST = DossierProfile("early", 0, "online", attitude=5, complaint="none", digitized=True, e_result=True)
SLOW = DossierProfile("late", 2, "counter", attitude=None, complaint="open")
MIDDLE = DossierProfile("on_time", 1, "postal", attitude=3, complaint="answered", digitized=True)
CIRCULAR_2018 = indices.evaluation_on(datetime.date(2024, 12, 31))
CIRCULAR_2025 = indices.evaluation_on(datetime.date(2025, 7, 1))


def test_the_circular_in_force_is_chosen_by_date():
    assert CIRCULAR_2018.name == "Thông tư 01/2018/TT-VPCP"
    assert CIRCULAR_2025.name == "Thông tư 03/2025/TT-VPCP"


def test_each_dossier_is_scored_2_1_0_per_indicator_under_tt_01_2018():
    assert indices.evaluate_dossier(CIRCULAR_2018, FAST).points == {
        "time": 2, "supplements": 2, "channel": 2, "attitude": 2, "complaint": 2
    }  # fmt: skip
    slow = indices.evaluate_dossier(CIRCULAR_2018, SLOW)
    assert slow.points == {"time": 0, "supplements": 1, "channel": 0, "attitude": None, "complaint": 0}
    assert slow.score == 12.5  # 1 of 8 points (attitude not rated, not scored)
    middle = indices.evaluate_dossier(CIRCULAR_2018, MIDDLE)
    assert middle.points == {"time": 1, "supplements": 2, "channel": 1, "attitude": 1, "complaint": 1}
    assert middle.score == 60.0


def test_the_unit_grade_is_the_mean_of_its_dossiers():
    unit = indices.evaluate_unit(CIRCULAR_2018, {FAST: 3, SLOW: 1, MIDDLE: 1})
    assert unit.dossiers == 5
    assert unit.score == 74.5  # (3 × 100 + 12.5 + 60) / 5
    assert unit.grade == "fair"
    assert unit.grade_name == "Khá"
    assert unit.points_count["time"] == {2: 3, 1: 1, 0: 1}
    same = indices.evaluate_unit(CIRCULAR_2018, [FAST, FAST, FAST, SLOW, MIDDLE])
    assert same.score == unit.score


def test_tt_03_2025_is_stricter_on_supplements_and_scores_digitization():
    slow = indices.evaluate_dossier(CIRCULAR_2025, SLOW)
    assert slow.points["supplements"] == 0 and slow.points["digital"] == 0
    assert slow.score == 0.0
    middle = indices.evaluate_dossier(CIRCULAR_2025, MIDDLE)
    assert (middle.points["supplements"], middle.points["digital"]) == (1, 1)
    assert middle.score == 50.0
    assert indices.evaluate_unit(CIRCULAR_2025, {FAST: 3, SLOW: 1, MIDDLE: 1}).score == 70.0  # (300 + 0 + 50) / 5


@pytest.mark.parametrize(
    ("score", "grade"),
    [(100, "excellent"), (90, "excellent"), (89.99, "good"), (80, "good"), (79.99, "fair"), (65, "fair"),
     (64.99, "average"), (50, "average"), (49.99, "weak"), (0, "weak")],
)  # fmt: skip
def test_grades(score, grade):
    assert CIRCULAR_2018.grade(score) == grade


def test_a_unit_without_finished_dossiers_has_no_grade():
    unit = indices.evaluate_unit(CIRCULAR_2018, {})
    assert (unit.dossiers, unit.score, unit.grade, unit.grade_name) == (0, None, None, "")
