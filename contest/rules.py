"""Cuộc thi trực tuyến as pure functions: the question draw, option shuffling, the timing of an
attempt, scoring, the ranking with the customary tie-break question ("bao nhiêu người tham gia?"),
prizes by rank and by group, masked names and age bands.

Nothing here reads or writes the database or a clock: ``services`` passes ``now`` and the rows it
read, and applies what these functions decide.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db import models
from django.utils.translation import gettext_lazy

# --- Vocabulary -------------------------------------------------------------------------------


class Group(models.TextChoices):
    """Đối tượng dự thi."""

    CIVIL_SERVANT = "civil_servant", gettext_lazy("Cán bộ, công chức, viên chức")
    STUDENT = "student", gettext_lazy("Học sinh, sinh viên")
    WORKER = "worker", gettext_lazy("Công nhân, người lao động")
    OTHER = "other", gettext_lazy("Đối tượng khác")


ALL_GROUPS = "*"  # a draw or prize spec entry that applies to every group


class QuestionKind(models.TextChoices):
    SINGLE = "single", gettext_lazy("Một lựa chọn đúng")
    MULTIPLE = "multiple", gettext_lazy("Nhiều lựa chọn đúng")


class AttemptState(models.TextChoices):
    OPEN = "open", gettext_lazy("Đang làm bài")
    SUBMITTED = "submitted", gettext_lazy("Đã nộp bài")
    AUTO_SUBMITTED = "auto_submitted", gettext_lazy("Tự động nộp khi hết giờ")


class RoundPhase(models.TextChoices):
    UPCOMING = "upcoming", gettext_lazy("Sắp diễn ra")
    OPEN = "open", gettext_lazy("Đang diễn ra")
    ENDED = "ended", gettext_lazy("Đã kết thúc")


class Prize(models.TextChoices):
    FIRST = "first", gettext_lazy("Giải Nhất")
    SECOND = "second", gettext_lazy("Giải Nhì")
    THIRD = "third", gettext_lazy("Giải Ba")
    CONSOLATION = "consolation", gettext_lazy("Giải Khuyến khích")
    GROUP = "group", gettext_lazy("Giải theo đối tượng")


PRIZES_IN_ORDER = (Prize.FIRST, Prize.SECOND, Prize.THIRD, Prize.CONSOLATION)


# --- The draw ---------------------------------------------------------------------------------


class DrawImpossible(ValueError):
    """A topic holds fewer questions than the draw asks of it."""

    def __init__(self, topic: str, wanted: int, available: int) -> None:
        super().__init__(f"topic {topic}: {wanted} wanted, {available} available")
        self.topic, self.wanted, self.available = topic, wanted, available


def seed_for(*parts: object) -> int:
    """A reproducible seed from the parts (round, participant, attempt number): the same inputs
    draw the same questions on any machine and any Python (``hash()`` is salted per process)."""
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def counts_for_group(spec: Mapping[str, Mapping[str, int]], group: str) -> Mapping[str, int]:
    """The per-topic counts a participant of ``group`` draws: the group's own entry, else the one
    for every group (``"*"``), else nothing."""
    if group in spec:
        return spec[group]
    return spec.get(ALL_GROUPS, {})


def draw_problems(spec: Mapping[str, Mapping[str, int]], pool_sizes: Mapping[str, int]) -> list[str]:
    """What makes a draw spec unusable for a bank (as messages for the organiser, in English
    codes: ``topic:wanted>available``); empty when every group can draw."""
    problems = []
    for group, counts in spec.items():
        if group != ALL_GROUPS and group not in Group.values:
            problems.append(f"group:{group}")
        for topic, wanted in counts.items():
            if wanted < 0:
                problems.append(f"{topic}:{wanted}<0")
            elif wanted > pool_sizes.get(topic, 0):
                problems.append(f"{topic}:{wanted}>{pool_sizes.get(topic, 0)}")
    if spec and not any(sum(counts.values()) for counts in spec.values()):
        problems.append("empty")
    return problems


def draw_questions(pool: Mapping[str, Sequence[int]], counts: Mapping[str, int], seed: int) -> list[int]:
    """Draw ``counts[topic]`` distinct questions of each topic from ``pool`` (question ids per
    topic), then mix the topics. The pool's order does not matter (it is sorted first), so the
    same seed and the same bank give the same questions in the same order."""
    rng = random.Random(seed)
    drawn: list[int] = []
    for topic in sorted(counts):
        wanted = counts[topic]
        if wanted <= 0:
            continue
        available = sorted(set(pool.get(topic, ())))
        if len(available) < wanted:
            raise DrawImpossible(topic, wanted, len(available))
        drawn.extend(rng.sample(available, wanted))
    rng.shuffle(drawn)
    return drawn


def shuffled(items: Sequence[int], seed: int) -> list[int]:
    """The options of a question in the order one attempt shows them."""
    ordered = sorted(items)
    random.Random(seed).shuffle(ordered)
    return ordered


# --- Timing -----------------------------------------------------------------------------------


def round_phase(now: datetime.datetime, opens_at: datetime.datetime, closes_at: datetime.datetime) -> RoundPhase:
    if now < opens_at:
        return RoundPhase.UPCOMING
    if now < closes_at:
        return RoundPhase.OPEN
    return RoundPhase.ENDED


def attempt_ends_at(
    started_at: datetime.datetime, time_limit: datetime.timedelta, closes_at: datetime.datetime
) -> datetime.datetime:
    """Fixed by the server when the attempt starts: the time limit, cut at the round's close."""
    return min(started_at + time_limit, closes_at)


def accepts_answers(now: datetime.datetime, ends_at: datetime.datetime, grace: datetime.timedelta) -> bool:
    """An answer or a submission is taken until the end plus a small grace (the network's time
    for a click made before the end), never after."""
    return now <= ends_at + grace


def is_overdue(now: datetime.datetime, ends_at: datetime.datetime, grace: datetime.timedelta) -> bool:
    """An open attempt past its end and grace: the worker submits it with what was saved."""
    return not accepts_answers(now, ends_at, grace)


def seconds_left(now: datetime.datetime, ends_at: datetime.datetime) -> int:
    """What the countdown shows, from the server's clock."""
    return max(0, int((ends_at - now).total_seconds()))


def time_taken_ms(started_at: datetime.datetime, finished_at: datetime.datetime, ends_at: datetime.datetime) -> int:
    """From start to submission, never beyond the attempt's end (a submission in the grace, or
    the worker's late auto-submission, does not count the extra time against the taker)."""
    finished = min(finished_at, ends_at)
    return max(0, int((finished - started_at).total_seconds() * 1000))


# --- Scoring ----------------------------------------------------------------------------------


def is_correct(kind: str, correct: Iterable[int], chosen: Iterable[int]) -> bool:
    """Single choice: the one right option. Multiple choice: exactly the right options, all of
    them and nothing else (no part marks, as the contests' rules say)."""
    right, given = frozenset(correct), frozenset(chosen)
    if kind == QuestionKind.SINGLE and len(given) != 1:
        return False
    return bool(given) and given == right


def score(questions: Sequence[Mapping[str, object]], answers: Mapping[int, Sequence[int]]) -> int:
    """Points of an attempt from its snapshot of questions (``id``, ``kind``, ``correct``,
    ``points``) and its saved answers (chosen option ids per question id)."""
    total = 0
    for question in questions:
        qid = int(question["id"])  # type: ignore[call-overload]
        chosen = answers.get(qid)
        if chosen is not None and is_correct(str(question["kind"]), question["correct"], chosen):  # type: ignore[arg-type]
            total += int(question.get("points", 1))  # type: ignore[call-overload]
    return total


def valid_choice(kind: str, option_ids: Iterable[int], chosen: Sequence[int]) -> bool:
    """A saved answer names options of the question, each once; one at most for single choice.
    An empty choice clears the answer."""
    if len(set(chosen)) != len(chosen) or not set(chosen) <= set(option_ids):
        return False
    return not (kind == QuestionKind.SINGLE and len(chosen) > 1)


# --- Ranking ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One finished attempt as the ranking sees it."""

    participant_id: int
    attempt_id: int
    score: int
    prediction: int | None
    time_taken_ms: int
    submitted_at: datetime.datetime


@dataclass(frozen=True)
class Ranked:
    rank: int
    entry: Entry
    prediction_gap: int | None


def prediction_gap(prediction: int | None, actual: int) -> int | None:
    return None if prediction is None else abs(prediction - actual)


def ranking_key(entry: Entry, actual: int) -> tuple[int, int, int, int, datetime.datetime, int]:
    """Score (higher first), then the prediction's distance from the actual number of
    participants (closer first; none given: last), then time taken (shorter first), then the
    earlier submission, then the attempt id so that the order is total."""
    gap = prediction_gap(entry.prediction, actual)
    return (
        -entry.score,
        0 if gap is not None else 1,
        gap or 0,
        entry.time_taken_ms,
        entry.submitted_at,
        entry.attempt_id,
    )


def best_attempts(entries: Iterable[Entry], actual: int) -> list[Entry]:
    """With several attempts allowed, the best of each participant counts (by the same order)."""
    best: dict[int, Entry] = {}
    for entry in entries:
        held = best.get(entry.participant_id)
        if held is None or ranking_key(entry, actual) < ranking_key(held, actual):
            best[entry.participant_id] = entry
    return list(best.values())


def rank(entries: Iterable[Entry], actual: int) -> list[Ranked]:
    """Places 1, 2, 3 … one per participant, best attempt only. ``actual`` is the number of
    participants of the round, the answer to the tie-break question."""
    ordered = sorted(best_attempts(entries, actual), key=lambda entry: ranking_key(entry, actual))
    return [Ranked(place, entry, prediction_gap(entry.prediction, actual)) for place, entry in enumerate(ordered, 1)]


# --- Prizes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrizeSpec:
    """How many prizes of each kind by rank, and per group the best of that group not already
    holding a prize. A zero-score attempt wins nothing."""

    first: int = 1
    second: int = 2
    third: int = 3
    consolation: int = 5
    per_group: int = 0

    def by_rank(self) -> list[tuple[Prize, int]]:
        return [
            (Prize.FIRST, self.first),
            (Prize.SECOND, self.second),
            (Prize.THIRD, self.third),
            (Prize.CONSOLATION, self.consolation),
        ]


def award(ranked: Sequence[Ranked], spec: PrizeSpec, group_of: Mapping[int, str]) -> dict[int, Prize]:
    """Participant id → prize. Rank prizes go down the ranking in order; then each group's best
    ``per_group`` participants without a prize get the group prize."""
    prizes: dict[int, Prize] = {}
    eligible = [r for r in ranked if r.entry.score > 0]
    position = 0
    for prize, count in spec.by_rank():
        for r in eligible[position : position + count]:
            prizes[r.entry.participant_id] = prize
        position += count
    if spec.per_group:
        taken: dict[str, int] = {}
        for r in eligible:
            pid = r.entry.participant_id
            group = group_of.get(pid, Group.OTHER)
            if pid in prizes or taken.get(group, 0) >= spec.per_group:
                continue
            prizes[pid] = Prize.GROUP
            taken[group] = taken.get(group, 0) + 1
    return prizes


# --- Presentation -----------------------------------------------------------------------------


def mask_name(full_name: str) -> str:
    """The leaderboard shows the family name and initials: "Nguyễn Văn An" → "Nguyễn V. A."."""
    words = full_name.split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0][0] + "."
    return " ".join([words[0], *(word[0] + "." for word in words[1:])])


AGE_BANDS = ((0, 17, "<18"), (18, 30, "18-30"), (31, 45, "31-45"), (46, 60, "46-60"), (61, 200, ">60"))


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def age_band(birth_date: datetime.date | None, day: datetime.date) -> str:
    if birth_date is None:
        return "?"
    age = age_on(birth_date, day)
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return "?"


# --- Initiative contests (sáng kiến, giải pháp cải cách hành chính) ------------------------------

SCORE_SCALE = 100  # a scorecard's score and a panel's average are out of 100
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Criterion:
    """Tiêu chí chấm: its relative weight and the most points a judge may give it."""

    id: int
    weight: int
    max_points: int


def rubric_problems(criteria: Sequence[Criterion]) -> list[str]:
    """What makes a rubric unusable (codes for the organiser); empty when judges can use it."""
    problems = []
    if not criteria:
        problems.append("empty")
    for c in criteria:
        if c.weight <= 0:
            problems.append(f"{c.id}:weight")
        if c.max_points <= 0:
            problems.append(f"{c.id}:max_points")
    return problems


def points_problems(criteria: Sequence[Criterion], points: Mapping[int, int]) -> dict[int, str]:
    """Per criterion id what is wrong with a judge's points: ``missing``, ``range`` (below 0 or
    above the criterion's maximum), ``unknown`` (not a criterion of the rubric). Empty: usable."""
    known = {c.id: c for c in criteria}
    problems: dict[int, str] = {}
    for c in criteria:
        given = points.get(c.id)
        if given is None:
            problems[c.id] = "missing"
        elif not 0 <= given <= c.max_points:
            problems[c.id] = "range"
    for criterion_id in points:
        if criterion_id not in known:
            problems[criterion_id] = "unknown"
    return problems


def weighted_fraction(criteria: Sequence[Criterion], points: Mapping[int, int]) -> Fraction:
    """A scorecard's score out of 100, exactly: each criterion's share of its maximum, weighted."""
    total_weight = sum(c.weight for c in criteria)
    if total_weight <= 0:
        raise ValueError("a rubric needs a positive total weight")
    weighted = sum((Fraction(c.weight * points[c.id], c.max_points) for c in criteria), Fraction(0))
    return weighted * SCORE_SCALE / total_weight


def to_cents(value: Fraction) -> Decimal:
    """Rounded to two decimals, half up (as a panel rounds by hand)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT, rounding=ROUND_HALF_UP)


def weighted_score(criteria: Sequence[Criterion], points: Mapping[int, int]) -> Decimal:
    """A scorecard's score out of 100, to two decimals."""
    return to_cents(weighted_fraction(criteria, points))


def panel_average(criteria: Sequence[Criterion], cards: Sequence[Mapping[int, int]]) -> Decimal | None:
    """The panel's average of its judges' scores (computed exactly, then rounded to two decimals);
    None when nobody has scored."""
    if not cards:
        return None
    return to_cents(sum((weighted_fraction(criteria, card) for card in cards), Fraction(0)) / len(cards))


@dataclass(frozen=True)
class InitiativeEntry:
    """One initiative as its ranking sees it: the judges' scores (each out of 100)."""

    initiative_id: int
    card_scores: tuple[Decimal, ...]
    average: Decimal | None
    submitted_at: datetime.datetime


@dataclass(frozen=True)
class RankedInitiative:
    rank: int
    entry: InitiativeEntry


def initiative_key(entry: InitiativeEntry) -> tuple[Decimal, Decimal, datetime.datetime, int]:
    """The panel's average (higher first), then the lowest of its judges' scores (higher first:
    the initiative the panel agrees on), then the earlier submission, then the id (a total order)."""
    assert entry.average is not None
    return (-entry.average, -min(entry.card_scores), entry.submitted_at, entry.initiative_id)


def rank_initiatives(entries: Iterable[InitiativeEntry], quorum: int = 1) -> list[RankedInitiative]:
    """Places 1, 2, 3 … for the initiatives scored by at least ``quorum`` judges; the others are
    not ranked (the organiser sees them as lacking scorecards)."""
    counted = [e for e in entries if e.average is not None and len(e.card_scores) >= max(quorum, 1)]
    ordered = sorted(counted, key=initiative_key)
    return [RankedInitiative(place, entry) for place, entry in enumerate(ordered, 1)]


def award_initiatives(
    ranked: Sequence[RankedInitiative], spec: PrizeSpec, threshold: Decimal = Decimal(0)
) -> dict[int, Prize]:
    """Initiative id → prize, down the ranking; an initiative whose average is below
    ``threshold`` (out of 100) wins nothing, and nor does one scored 0."""
    prizes: dict[int, Prize] = {}
    eligible = [r for r in ranked if r.entry.average is not None and r.entry.average > 0]
    eligible = [r for r in eligible if r.entry.average is not None and r.entry.average >= threshold]
    position = 0
    for prize, count in spec.by_rank():
        for r in eligible[position : position + count]:
            prizes[r.entry.initiative_id] = prize
        position += count
    return prizes


def submissions_open(
    now: datetime.datetime, opens_at: datetime.datetime | None, closes_at: datetime.datetime | None
) -> bool:
    """Staff submit initiatives from the window's opening until its close."""
    return opens_at is not None and closes_at is not None and opens_at <= now < closes_at


def judging_open(now: datetime.datetime, submissions_close_at: datetime.datetime | None, ranked: bool) -> bool:
    """Judges score once the submissions are in, until the organiser ranks the initiatives."""
    return submissions_close_at is not None and now >= submissions_close_at and not ranked
