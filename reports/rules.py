"""How a dossier counts in the statistics (số liệu thống kê TTHC), as pure functions.

A dossier contributes, on the days things happened to it, to a handful of measures: received on
the day it was received, finished early / on time / late on the day processing ended, withdrawn,
stopped, paid online on the day it was paid, and so on (``contribution``). A period's figures are
sums of those measures over its days, plus two running balances over every day up to the period's
edges: the dossiers received and not yet ended (carried over into the period, still in progress at
its end) and, of those in progress, the ones past their due date (``figures_from``). The daily
table of ``reports.models`` holds the sums; this module says what is summed, so that the table,
a recount from the dossiers and a hand count on paper agree.

Rules are dated (DESIGN.md, "Rules change with time"): a dossier finished in 2021 is judged by the
rules in force in 2021 (``counting_rules_on``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from enum import StrEnum

# States, as dossiers.rules.State names them (strings, so that this module stands alone).
DONE_STATES = frozenset({"done", "returned"})
OPEN_STATES = frozenset({"received", "in_progress", "supplement_requested", "awaiting_payment"})
ONLINE = "online"

MEASURES: tuple[str, ...] = (
    "received",  # tiếp nhận mới (received on the day)
    "received_online",  # of which submitted online
    "ended",  # received dossiers whose processing ended (finished, stopped, withdrawn)
    "early",  # giải quyết trước hạn
    "on_time",  # giải quyết đúng hạn
    "late",  # giải quyết quá hạn
    "stopped",  # dừng xử lý
    "withdrawn",  # rút hồ sơ (before or after reception)
    "not_received",  # từ chối tiếp nhận
    "overdue_in",  # an open dossier passes its due date (the day after it)
    "overdue_out",  # a dossier past its due date ends
    "digitized",  # received dossiers digitized at reception
    "reused",  # received dossiers that reused the citizen data store
    "decided",  # approved (the results counted for e-results)
    "e_results",  # approved with an electronic result
    "paid_dossiers",  # dossiers paying (on the day of their first payment)
    "paid_online_dossiers",  # dossiers paying online (on the day of their first online payment)
    "paid_vnd",
    "paid_online_vnd",
    "reductions_vnd",
    "exemptions_vnd",
)

Contribution = dict[datetime.date, dict[str, int]]


@dataclass(frozen=True)
class Paid:
    """One payment received for a dossier."""

    day: datetime.date
    amount_vnd: int
    online: bool
    reduction_vnd: int = 0
    exemption_vnd: int = 0


@dataclass(frozen=True)
class DossierFacts:
    """What the statistics need of a dossier, read once (``reports.services``)."""

    state: str
    channel: str
    outcome: str = ""
    received_on: datetime.date | None = None
    finished_on: datetime.date | None = None  # processing ended (finish, stop, withdrawal)
    closed_on: datetime.date | None = None  # the day of a refusal at intake or a withdrawal before it
    due_on: datetime.date | None = None  # the original due date: statistics ignore extensions
    supplement_requests: int = 0
    digitized: bool = False
    reused: bool = False
    e_result: bool = False
    payments: tuple[Paid, ...] = field(default=())


# --- Dated counting rules ---------------------------------------------------------------------


@dataclass(frozen=True)
class CountingRules:
    """The rules in force from ``effective_from``."""

    name: str
    effective_from: datetime.date
    # More supplement requests than this make a finished dossier late whatever its date
    # (Quyết định 766/QĐ-TTg, chỉ số tiến độ giải quyết); None: only the date counts.
    supplements_on_time: int | None


COUNTING_RULES: tuple[CountingRules, ...] = (
    CountingRules("Thông tư 01/2018/TT-VPCP", datetime.date.min, None),
    CountingRules("Quyết định 766/QĐ-TTg", datetime.date(2022, 6, 23), 1),
)


def counting_rules_on(day: datetime.date) -> CountingRules:
    """The counting rules in force on ``day``."""
    found = COUNTING_RULES[0]
    for rules in COUNTING_RULES:
        if rules.effective_from <= day:
            found = rules
    return found


class Finish(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


def finish_class(
    *, finished_on: datetime.date, due_on: datetime.date | None, supplement_requests: int, rules: CountingRules
) -> Finish:
    """Trước hạn (before the due date), đúng hạn (on it) or quá hạn (after it, or more supplement
    requests than the rules allow). A procedure without a time limit is never late."""
    if rules.supplements_on_time is not None and supplement_requests > rules.supplements_on_time:
        return Finish.LATE
    if due_on is None:
        return Finish.ON_TIME
    if finished_on > due_on:
        return Finish.LATE
    return Finish.EARLY if finished_on < due_on else Finish.ON_TIME


def contribution(facts: DossierFacts) -> Contribution:
    """The dossier's additions to the daily measures, by day (only non-zero measures)."""
    out: Contribution = {}

    def add(day: datetime.date, measure: str, amount: int = 1) -> None:
        if amount:
            row = out.setdefault(day, {})
            row[measure] = row.get(measure, 0) + amount

    if facts.state == "not_received" and facts.closed_on is not None:
        add(facts.closed_on, "not_received")
    if facts.state == "withdrawn" and facts.received_on is None and facts.closed_on is not None:
        add(facts.closed_on, "withdrawn")
    received = facts.received_on
    if received is not None:
        add(received, "received")
        if facts.channel == ONLINE:
            add(received, "received_online")
        if facts.digitized:
            add(received, "digitized")
        if facts.reused:
            add(received, "reused")
        ended = facts.finished_on if facts.state not in OPEN_STATES else None
        if ended is not None:
            add(ended, "ended")
            if facts.state in DONE_STATES:
                add(
                    ended,
                    finish_class(
                        finished_on=ended,
                        due_on=facts.due_on,
                        supplement_requests=facts.supplement_requests,
                        rules=counting_rules_on(ended),
                    ).value,
                )
                if facts.outcome == "approved":
                    add(ended, "decided")
                    if facts.e_result:
                        add(ended, "e_results")
            elif facts.state == "stopped":
                add(ended, "stopped")
            elif facts.state == "withdrawn":
                add(ended, "withdrawn")
        if facts.due_on is not None and (ended is None or ended > facts.due_on):
            add(facts.due_on + datetime.timedelta(days=1), "overdue_in")
            if ended is not None:
                add(ended, "overdue_out")
    first_paid: datetime.date | None = None
    first_online: datetime.date | None = None
    for paid in facts.payments:
        add(paid.day, "paid_vnd", paid.amount_vnd)
        add(paid.day, "reductions_vnd", paid.reduction_vnd)
        add(paid.day, "exemptions_vnd", paid.exemption_vnd)
        first_paid = paid.day if first_paid is None else min(first_paid, paid.day)
        if paid.online:
            add(paid.day, "paid_online_vnd", paid.amount_vnd)
            first_online = paid.day if first_online is None else min(first_online, paid.day)
    if first_paid is not None:
        add(first_paid, "paid_dossiers")
    if first_online is not None:
        add(first_online, "paid_online_dossiers")
    return out


class Standing(StrEnum):
    """Where a dossier stood at the end of a period, as the dossier list of the drill-down says."""

    EARLY = "early"  # giải quyết trước hạn
    ON_TIME = "on_time"  # giải quyết đúng hạn
    LATE = "late"  # giải quyết quá hạn
    OPEN_ON_TIME = "open_on_time"  # đang giải quyết trong hạn
    OPEN_OVERDUE = "open_overdue"  # đang giải quyết quá hạn
    STOPPED = "stopped"
    WITHDRAWN = "withdrawn"
    NOT_RECEIVED = "not_received"


def standing(facts: DossierFacts, end: datetime.date) -> Standing:
    """The dossier at the close of ``end``, counted as ``contribution`` counts it: a dossier
    finished after ``end`` was still in progress then (overdue from the day after its due date)."""
    if facts.received_on is None or facts.received_on > end:
        return Standing.NOT_RECEIVED if facts.state == "not_received" else Standing.WITHDRAWN
    ended = facts.finished_on if facts.state not in OPEN_STATES else None
    if ended is None or ended > end:
        overdue = facts.due_on is not None and facts.due_on < end
        return Standing.OPEN_OVERDUE if overdue else Standing.OPEN_ON_TIME
    if facts.state in DONE_STATES:
        found = finish_class(
            finished_on=ended,
            due_on=facts.due_on,
            supplement_requests=facts.supplement_requests,
            rules=counting_rules_on(ended),
        )
        return Standing(found.value)
    return Standing.STOPPED if facts.state == "stopped" else Standing.WITHDRAWN


def difference(new: Contribution, old: Contribution) -> Contribution:
    """``new`` − ``old``, day by day, without the zeros."""
    out: Contribution = {}
    for day in set(new) | set(old):
        now, then = new.get(day, {}), old.get(day, {})
        row = {m: d for m in set(now) | set(then) if (d := now.get(m, 0) - then.get(m, 0))}
        if row:
            out[day] = row
    return out


def total(contributions: Iterable[Contribution]) -> Contribution:
    """The sum of several contributions, day by day."""
    out: Contribution = {}
    for one in contributions:
        for day, row in one.items():
            target = out.setdefault(day, {})
            for measure, amount in row.items():
                target[measure] = target.get(measure, 0) + amount
    return out


# --- A period's figures -----------------------------------------------------------------------


@dataclass(frozen=True)
class Sums:
    """The daily measures summed over a period, and the balances at its edges."""

    period: Mapping[str, int]
    open_before: int  # received − ended, every day before the period
    open_at_end: int  # received − ended, every day up to its last
    overdue_at_end: int  # overdue_in − overdue_out, every day up to its last


def sums_of(daily: Contribution, start: datetime.date, end: datetime.date) -> Sums:
    """What the database's query computes, from daily rows in memory (tests, recounts)."""
    period: dict[str, int] = dict.fromkeys(MEASURES, 0)
    before = at_end = overdue = 0
    for day, row in daily.items():
        balance = row.get("received", 0) - row.get("ended", 0)
        if day < start:
            before += balance
        if day <= end:
            at_end += balance
            overdue += row.get("overdue_in", 0) - row.get("overdue_out", 0)
        if start <= day <= end:
            for measure, amount in row.items():
                period[measure] += amount
    return Sums(period=period, open_before=before, open_at_end=at_end, overdue_at_end=overdue)


def share(part: int, whole: int) -> float | None:
    """part / whole, None (no data) when there is nothing to divide by."""
    return part / whole if whole else None


@dataclass(frozen=True)
class Figures:
    """Số liệu giải quyết TTHC of a period, in the national report's terms."""

    carried_over: int  # số kỳ trước chuyển qua
    received_new: int  # số mới tiếp nhận
    received_online: int
    finished_early: int
    finished_on_time: int
    finished_late: int
    in_progress_on_time: int  # đang giải quyết trong hạn, at the period's end
    in_progress_overdue: int  # đang giải quyết quá hạn
    withdrawn: int
    stopped: int
    not_received: int
    digitized: int
    reused: int
    decided: int
    e_results: int
    paid_dossiers: int
    paid_online_dossiers: int
    paid_vnd: int
    paid_online_vnd: int
    reductions_vnd: int
    exemptions_vnd: int

    @property
    def received_total(self) -> int:
        """Tổng số hồ sơ nhận giải quyết: carried over and new."""
        return self.carried_over + self.received_new

    @property
    def finished(self) -> int:
        return self.finished_early + self.finished_on_time + self.finished_late

    @property
    def in_progress(self) -> int:
        return self.in_progress_on_time + self.in_progress_overdue

    @property
    def on_time_share(self) -> float | None:
        """Tỷ lệ giải quyết trước hạn và đúng hạn."""
        return share(self.finished_early + self.finished_on_time, self.finished)

    @property
    def online_share(self) -> float | None:
        return share(self.received_online, self.received_new)

    @property
    def paid_online_share(self) -> float | None:
        return share(self.paid_online_dossiers, self.paid_dossiers)

    @property
    def digitized_share(self) -> float | None:
        return share(self.digitized, self.received_new)

    @property
    def reused_share(self) -> float | None:
        return share(self.reused, self.received_new)

    @property
    def e_result_share(self) -> float | None:
        return share(self.e_results, self.decided)


def added(figures: Iterable[Figures]) -> Figures:
    """The figures of several agencies together (every figure is a count or a sum)."""
    names = [f.name for f in dataclass_fields(Figures)]
    totals = dict.fromkeys(names, 0)
    for one in figures:
        for name in names:
            totals[name] += getattr(one, name)
    return Figures(**totals)


def figures_from(sums: Sums) -> Figures:
    p = sums.period
    return Figures(
        carried_over=sums.open_before,
        received_new=p["received"],
        received_online=p["received_online"],
        finished_early=p["early"],
        finished_on_time=p["on_time"],
        finished_late=p["late"],
        in_progress_on_time=sums.open_at_end - sums.overdue_at_end,
        in_progress_overdue=sums.overdue_at_end,
        withdrawn=p["withdrawn"],
        stopped=p["stopped"],
        not_received=p["not_received"],
        digitized=p["digitized"],
        reused=p["reused"],
        decided=p["decided"],
        e_results=p["e_results"],
        paid_dossiers=p["paid_dossiers"],
        paid_online_dossiers=p["paid_online_dossiers"],
        paid_vnd=p["paid_vnd"],
        paid_online_vnd=p["paid_online_vnd"],
        reductions_vnd=p["reductions_vnd"],
        exemptions_vnd=p["exemptions_vnd"],
    )


# --- Periods ----------------------------------------------------------------------------------

MAX_PERIOD_YEARS = 5


class PeriodError(ValueError):
    """A period the statistics refuse (reversed, or longer than five years)."""


def check_period(start: datetime.date, end: datetime.date) -> None:
    if end < start:
        raise PeriodError("reversed")
    try:
        limit = start.replace(year=start.year + MAX_PERIOD_YEARS)
    except ValueError:  # 29 February
        limit = start.replace(year=start.year + MAX_PERIOD_YEARS, day=28)
    if end >= limit:
        raise PeriodError("too_long")


def same_period_last_year(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    def back(day: datetime.date) -> datetime.date:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:
            return day.replace(year=day.year - 1, day=28)

    return back(start), back(end)
