"""The statistics' formulas against a dozen dossiers counted on paper (March 2023).

code  received   channel  end          state          due     note
A     20/02      counter  02/03 done   approved       03/03   carried over, early
B     25/02      counter  —            in_progress    10/03   carried over, overdue at 31/03
C     01/03      online   05/03 done   approved       05/03   on time; digitized, e-result; paid 25.000 online
D     02/03      online   20/03 done   approved       10/03   late (overdue 11/03 → 20/03)
E     03/03      counter  06/03 done   refused        10/03   late: two supplement requests
F     10/03      online   —            in_progress    05/04   in progress on time
G     12/03      counter  15/03        withdrawn      24/03   withdrawn after reception
H     —          counter  04/03        not_received           refused at intake
I     —          online   06/03        withdrawn              withdrawn before reception
J     20/03      counter  25/03        stopped        31/03   stopped
K     02/04      counter  —            in_progress    10/04   after the period
L     10/01      counter  01/02 done   approved       20/01   before the period, late
M     15/03      counter  16/03 done   approved       20/03   early; digitized, reused, e-result;
                                                                  paid 50.000 at the counter
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports import rules
from reports.rules import DossierFacts, Paid


def d(day: int, month: int, year: int = 2023) -> datetime.date:
    return datetime.date(year, month, day)


DOSSIERS = {
    "A": DossierFacts("done", "counter", "approved", d(20, 2), d(2, 3), due_on=d(3, 3)),
    "B": DossierFacts("in_progress", "counter", received_on=d(25, 2), due_on=d(10, 3)),
    "C": DossierFacts(
        "returned",
        "online",
        "approved",
        d(1, 3),
        d(5, 3),
        due_on=d(5, 3),
        digitized=True,
        e_result=True,
        payments=(Paid(d(3, 3), 25_000, online=True),),
    ),
    "D": DossierFacts("done", "online", "approved", d(2, 3), d(20, 3), due_on=d(10, 3)),
    "E": DossierFacts("done", "counter", "refused", d(3, 3), d(6, 3), due_on=d(10, 3), supplement_requests=2),
    "F": DossierFacts("supplement_requested", "online", received_on=d(10, 3), due_on=d(5, 4)),
    "G": DossierFacts(
        "withdrawn", "counter", received_on=d(12, 3), finished_on=d(15, 3), closed_on=d(15, 3), due_on=d(24, 3)
    ),
    "H": DossierFacts("not_received", "counter", closed_on=d(4, 3)),
    "I": DossierFacts("withdrawn", "online", finished_on=d(6, 3), closed_on=d(6, 3)),
    "J": DossierFacts("stopped", "counter", received_on=d(20, 3), finished_on=d(25, 3), due_on=d(31, 3)),
    "K": DossierFacts("in_progress", "counter", received_on=d(2, 4), due_on=d(10, 4)),
    "L": DossierFacts("returned", "counter", "approved", d(10, 1), d(1, 2), due_on=d(20, 1)),
    "M": DossierFacts(
        "returned",
        "counter",
        "approved",
        d(15, 3),
        d(16, 3),
        due_on=d(20, 3),
        digitized=True,
        reused=True,
        e_result=True,
        payments=(Paid(d(16, 3), 50_000, online=False, reduction_vnd=0, exemption_vnd=10_000),),
    ),
}
MARCH = (d(1, 3), d(31, 3))


def march(dossiers: dict[str, DossierFacts] = DOSSIERS) -> rules.Figures:
    daily = rules.total(rules.contribution(f) for f in dossiers.values())
    return rules.figures_from(rules.sums_of(daily, *MARCH))


def test_received_new_and_carried_over():
    f = march()
    assert (f.carried_over, f.received_new, f.received_total) == (2, 7, 9)  # A, B; C D E F G J M


def test_finished_early_on_time_late():
    f = march()
    assert (f.finished_early, f.finished_on_time, f.finished_late) == (2, 1, 2)  # A M; C; D E
    assert f.finished == 5
    assert f.on_time_share == pytest.approx(3 / 5)


def test_in_progress_at_the_end_of_the_period():
    f = march()
    assert (f.in_progress_on_time, f.in_progress_overdue) == (1, 1)  # F; B (due 10/03)


def test_withdrawn_stopped_not_received():
    f = march()
    assert (f.withdrawn, f.stopped, f.not_received) == (2, 1, 1)  # G I; J; H


def test_every_dossier_received_is_accounted_for():
    f = march()
    withdrawn_after_reception = 1  # G
    assert f.received_total == f.finished + f.stopped + withdrawn_after_reception + f.in_progress


def test_online_share():
    f = march()
    assert f.received_online == 3  # C D F
    assert f.online_share == pytest.approx(3 / 7)


def test_payments():
    f = march()
    assert (f.paid_dossiers, f.paid_online_dossiers) == (2, 1)
    assert (f.paid_vnd, f.paid_online_vnd, f.exemptions_vnd) == (75_000, 25_000, 10_000)
    assert f.paid_online_share == pytest.approx(0.5)


def test_digitization_reuse_and_electronic_results():
    f = march()
    assert (f.digitized, f.reused) == (2, 1)  # C M; M
    assert (f.decided, f.e_results) == (4, 2)  # A C D M approved (E refused); C M electronic
    assert f.digitized_share == pytest.approx(2 / 7)
    assert f.e_result_share == pytest.approx(0.5)


def test_an_empty_period_has_no_shares_rather_than_zero():
    daily = rules.total(rules.contribution(f) for f in DOSSIERS.values())
    f = rules.figures_from(rules.sums_of(daily, d(1, 7, 2030), d(31, 7, 2030)))
    assert f.received_new == 0
    assert f.online_share is None and f.on_time_share is None and f.paid_online_share is None


def test_the_2022_rules_judge_a_2022_dossier():
    """Before Quyết định 766/QĐ-TTg (23/6/2022) only the date made a dossier late; after it, more
    than one supplement request does too."""
    before = DossierFacts(
        "done", "counter", "refused", d(3, 3, 2022), d(6, 3, 2022), due_on=d(10, 3, 2022), supplement_requests=2
    )
    after = DossierFacts(
        "done", "counter", "refused", d(3, 8, 2022), d(6, 8, 2022), due_on=d(10, 8, 2022), supplement_requests=2
    )
    assert "early" in rules.contribution(before)[d(6, 3, 2022)]
    assert "late" in rules.contribution(after)[d(6, 8, 2022)]
    assert rules.counting_rules_on(d(22, 6, 2022)).name == "Thông tư 01/2018/TT-VPCP"
    assert rules.counting_rules_on(d(23, 6, 2022)).name == "Quyết định 766/QĐ-TTg"


def test_a_procedure_without_a_time_limit_is_never_late_by_date():
    facts = DossierFacts("done", "counter", "approved", d(1, 3), d(30, 6))
    assert rules.contribution(facts)[d(30, 6)] == {"ended": 1, "on_time": 1, "decided": 1}


@pytest.mark.parametrize(
    ("start", "end", "problem"),
    [
        (d(2, 3), d(1, 3), "reversed"),
        (d(1, 1, 2020), d(1, 1, 2025), "too_long"),
        (d(29, 2, 2024), d(28, 2, 2029), "too_long"),
    ],
)
def test_periods_refused(start, end, problem):
    with pytest.raises(rules.PeriodError, match=problem):
        rules.check_period(start, end)


def test_a_period_of_just_under_five_years_is_allowed():
    rules.check_period(d(1, 1, 2020), d(31, 12, 2024))


def test_same_period_last_year():
    assert rules.same_period_last_year(d(1, 3, 2024), d(29, 2, 2024)) == (d(1, 3, 2023), d(28, 2, 2023))


def _without_zeros(daily: rules.Contribution) -> rules.Contribution:
    cleaned = {day: {m: n for m, n in row.items() if n} for day, row in daily.items()}
    return {day: row for day, row in cleaned.items() if row}


@given(st.lists(st.sampled_from(sorted(DOSSIERS)), max_size=8), st.lists(st.sampled_from(sorted(DOSSIERS)), max_size=8))
def test_the_difference_turns_one_count_into_another(old_names, new_names):
    old = rules.total(rules.contribution(DOSSIERS[n]) for n in old_names)
    new = rules.total(rules.contribution(DOSSIERS[n]) for n in new_names)
    assert _without_zeros(rules.total([old, rules.difference(new, old)])) == _without_zeros(new)


def test_where_each_dossier_stood_at_the_end_of_march():
    S = rules.Standing
    found = {code: rules.standing(facts, MARCH[1]) for code, facts in DOSSIERS.items() if code not in "KL"}
    assert found == {
        "A": S.EARLY,
        "B": S.OPEN_OVERDUE,
        "C": S.ON_TIME,
        "D": S.LATE,
        "E": S.LATE,  # two supplement requests
        "F": S.OPEN_ON_TIME,
        "G": S.WITHDRAWN,
        "H": S.NOT_RECEIVED,
        "I": S.WITHDRAWN,
        "J": S.STOPPED,
        "M": S.EARLY,
    }
    # The list of the drill-down adds up to the period's figures.
    f = march()
    counts = {s: list(found.values()).count(s) for s in S}
    assert (counts[S.EARLY], counts[S.ON_TIME], counts[S.LATE]) == (
        f.finished_early,
        f.finished_on_time,
        f.finished_late,
    )
    assert (counts[S.OPEN_ON_TIME], counts[S.OPEN_OVERDUE]) == (f.in_progress_on_time, f.in_progress_overdue)
    assert (counts[S.WITHDRAWN], counts[S.STOPPED], counts[S.NOT_RECEIVED]) == (f.withdrawn, f.stopped, f.not_received)


def test_a_dossier_finished_after_the_period_was_in_progress_at_its_end():
    assert rules.standing(DOSSIERS["D"], d(15, 3)) is rules.Standing.OPEN_OVERDUE  # due 10/03, finished 20/03
    assert rules.standing(DOSSIERS["D"], d(9, 3)) is rules.Standing.OPEN_ON_TIME
    assert rules.standing(DOSSIERS["D"], d(10, 3)) is rules.Standing.OPEN_ON_TIME  # overdue from the day after
