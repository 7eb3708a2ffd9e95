"""The national service index (Bộ chỉ số theo Quyết định 766/QĐ-TTg) and the per-dossier
evaluation of the circular (Thông tư 01/2018/TT-VPCP, now Thông tư 03/2025/TT-VPCP), as pure
functions over dated data.

The groups, indicators, points and thresholds are not in the code: they are JSON files in
``reports/indices/`` (``qd766_<effective date>.json``, ``tt01_<effective date>.json``), which the
office can correct or supersede with a newer file; a period is scored by the rules in force on its
last day (DESIGN.md, "Rules change with time"). ``load_*`` read those files; everything else
here takes plain values and returns plain values.

Scorecard: each indicator is a ratio of two named inputs (``selectors.scorecard_inputs`` counts
them), scored either in proportion to a target (``proportional``: the full points once the ratio
reaches the target) or by steps (``steps``: the points of the highest threshold reached). An
indicator whose denominator is zero, or whose source is not installed, has no data: it shows
"no data" and its points are left out of the total and of the points available; except an
indicator marked ``"when_none": "full"``, where nothing to count is the best case (no dossier in
progress: none overdue).

Evaluation: each dossier gets 2, 1 or 0 points per indicator (an indicator without data is not
scored), its score is its points over the points it could get × 100, a unit's score is the mean
over its dossiers, and the grade follows the thresholds (xuất sắc, tốt, khá, trung bình, yếu).
Dossiers are evaluated by profile (the tuple of their indicator inputs) with a count, so a year of
a million dossiers is a few hundred profiles.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy

DATA = Path(__file__).resolve().parent / "indices"

GRADE_NAMES = {
    "excellent": gettext_lazy("Xuất sắc"),
    "good": gettext_lazy("Tốt"),
    "fair": gettext_lazy("Khá"),
    "average": gettext_lazy("Trung bình"),
    "weak": gettext_lazy("Yếu"),
}


class IndexDataError(ValueError):
    """A data file of the indices that does not add up (points, unknown method)."""


# --- The scorecard (QĐ 766) -------------------------------------------------------------------


@dataclass(frozen=True)
class Scoring:
    method: str  # proportional | steps
    target: float = 1.0
    steps: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class IndicatorRule:
    code: str
    name: str
    formula: str
    numerator: str
    denominator: str
    points: float
    scoring: Scoring
    full_when_none: bool = False  # a zero denominator earns the full points (none in progress: none overdue)


@dataclass(frozen=True)
class GroupRule:
    code: str
    number: int
    name: str
    points: float
    indicators: tuple[IndicatorRule, ...]


@dataclass(frozen=True)
class IndexRules:
    name: str
    effective_from: datetime.date
    groups: tuple[GroupRule, ...]

    @property
    def inputs(self) -> frozenset[str]:
        return frozenset(name for g in self.groups for i in g.indicators for name in (i.numerator, i.denominator))


def parse_index(data: Mapping[str, Any]) -> IndexRules:
    groups = []
    for g in data["groups"]:
        indicators = []
        for i in g["indicators"]:
            s = i["scoring"]
            if s["method"] not in ("proportional", "steps"):
                raise IndexDataError(f"{i['code']}: unknown scoring method {s['method']!r}")
            steps = tuple(sorted(((float(t), float(p)) for t, p in s.get("steps", ())), reverse=True))
            if s["method"] == "steps" and (not steps or max(p for _t, p in steps) != float(i["points"])):
                raise IndexDataError(f"{i['code']}: the highest step must give the indicator's points")
            indicators.append(
                IndicatorRule(
                    code=i["code"],
                    name=i["name"],
                    formula=i["formula"],
                    numerator=i["numerator"],
                    denominator=i["denominator"],
                    points=float(i["points"]),
                    scoring=Scoring(method=s["method"], target=float(s.get("target", 1.0)), steps=steps),
                    full_when_none=i.get("when_none") == "full",
                )
            )
        if abs(sum(i.points for i in indicators) - float(g["points"])) > 1e-9:
            raise IndexDataError(f"group {g['code']}: indicators' points do not add up to {g['points']}")
        groups.append(
            GroupRule(
                code=g["code"],
                number=int(g["number"]),
                name=g["name"],
                points=float(g["points"]),
                indicators=tuple(indicators),
            )
        )
    return IndexRules(
        name=data["name"], effective_from=datetime.date.fromisoformat(data["effective_from"]), groups=tuple(groups)
    )


def indicator_points(rule: IndicatorRule, ratio: float) -> float:
    """The points an indicator earns at ``ratio`` (0..1), rounded to hundredths."""
    if rule.scoring.method == "proportional":
        reached = min(1.0, ratio / rule.scoring.target) if rule.scoring.target > 0 else 1.0
        return round(rule.points * max(0.0, reached), 2)
    for threshold, points in rule.scoring.steps:
        if ratio >= threshold:
            return points
    return 0.0


@dataclass(frozen=True)
class IndicatorScore:
    rule: IndicatorRule
    numerator: int | None
    denominator: int | None
    ratio: float | None  # None: no data
    points: float | None


@dataclass(frozen=True)
class GroupScore:
    rule: GroupRule
    indicators: tuple[IndicatorScore, ...]

    @property
    def points(self) -> float:
        return round(sum(i.points for i in self.indicators if i.points is not None), 2)

    @property
    def available(self) -> float:
        """The points of the indicators that have data."""
        return round(sum(i.rule.points for i in self.indicators if i.points is not None), 2)


@dataclass(frozen=True)
class Scorecard:
    rules: IndexRules
    groups: tuple[GroupScore, ...]

    @property
    def points(self) -> float:
        return round(sum(g.points for g in self.groups), 2)

    @property
    def available(self) -> float:
        return round(sum(g.available for g in self.groups), 2)

    def group(self, code: str) -> GroupScore:
        return next(g for g in self.groups if g.rule.code == code)


def score(rules: IndexRules, inputs: Mapping[str, int | None]) -> Scorecard:
    """The scorecard of ``inputs`` (a count for each input the rules name; None: no data)."""
    groups = []
    for g in rules.groups:
        scored = []
        for i in g.indicators:
            top, bottom = inputs.get(i.numerator), inputs.get(i.denominator)
            if top is not None and bottom == 0 and i.full_when_none:
                scored.append(IndicatorScore(i, top, bottom, None, i.points))
                continue
            if top is None or not bottom:
                scored.append(IndicatorScore(i, top, bottom, None, None))
                continue
            ratio = top / bottom
            scored.append(IndicatorScore(i, top, bottom, ratio, indicator_points(i, ratio)))
        groups.append(GroupScore(g, tuple(scored)))
    return Scorecard(rules, tuple(groups))


@dataclass(frozen=True)
class WhatIf:
    """Nếu ``dossiers`` hồ sơ quá hạn này được giải quyết đúng hạn: the progress group before and
    after, and the whole scorecard's gain."""

    dossiers: int
    before: Scorecard
    after: Scorecard

    @property
    def progress_gain(self) -> float:
        return round(self.after.group("progress").points - self.before.group("progress").points, 2)

    @property
    def total_gain(self) -> float:
        return round(self.after.points - self.before.points, 2)


def what_if_overdue_finished(rules: IndexRules, inputs: Mapping[str, int | None], dossiers: int) -> WhatIf:
    """The scorecard if ``dossiers`` of the overdue dossiers in progress at the period's end had
    been finished on time within it: they leave the dossiers in progress (overdue ones) and join
    those finished in time."""
    overdue = (inputs.get("in_progress") or 0) - (inputs.get("in_progress_on_time") or 0)
    moved = max(0, min(dossiers, overdue))
    changed = dict(inputs)
    changed["in_progress"] = (inputs.get("in_progress") or 0) - moved
    changed["finished"] = (inputs.get("finished") or 0) + moved
    changed["finished_in_time"] = (inputs.get("finished_in_time") or 0) + moved
    return WhatIf(dossiers=moved, before=score(rules, inputs), after=score(rules, changed))


# --- The per-dossier evaluation (TT 01/2018 → TT 03/2025) ------------------------------------


@dataclass(frozen=True)
class EvaluationIndicator:
    code: str
    name: str
    input: str
    points: Mapping[str, int] | None = None  # a value → points
    at_most: tuple[tuple[int, int], ...] = ()  # value ≤ limit → points, in order
    at_least: tuple[tuple[int, int], ...] = ()  # value ≥ limit → points, in order
    otherwise: int = 0

    def score(self, value: Any) -> int | None:
        if value is None:
            return None
        if self.points is not None:
            return self.points.get(str(value), self.otherwise)
        for limit, points in self.at_most:
            if value <= limit:
                return points
        for limit, points in self.at_least:
            if value >= limit:
                return points
        return self.otherwise


@dataclass(frozen=True)
class EvaluationRules:
    name: str
    effective_from: datetime.date
    indicators: tuple[EvaluationIndicator, ...]
    grades: tuple[tuple[float, str], ...]  # (lowest score, grade), highest first
    lowest_grade: str

    def grade(self, score: float) -> str:
        for limit, grade in self.grades:
            if score >= limit:
                return grade
        return self.lowest_grade


def parse_evaluation(data: Mapping[str, Any]) -> EvaluationRules:
    indicators = tuple(
        EvaluationIndicator(
            code=i["code"],
            name=i["name"],
            input=i["input"],
            points=i.get("points"),
            at_most=tuple((int(a), int(b)) for a, b in i.get("at_most", ())),
            at_least=tuple((int(a), int(b)) for a, b in i.get("at_least", ())),
            otherwise=int(i.get("otherwise", 0)),
        )
        for i in data["indicators"]
    )
    for i in indicators:
        given = [*(i.points or {}).values(), *(p for _l, p in i.at_most), *(p for _l, p in i.at_least), i.otherwise]
        if any(p not in (0, 1, 2) for p in given):
            raise IndexDataError(f"{i.code}: an indicator scores 2, 1 or 0")
    grades = tuple(sorted(((float(a), str(b)) for a, b in data["grades"]), reverse=True))
    for _limit, grade in (*grades, (0, data["lowest_grade"])):
        if grade not in GRADE_NAMES:
            raise IndexDataError(f"unknown grade {grade!r}")
    return EvaluationRules(
        name=data["name"],
        effective_from=datetime.date.fromisoformat(data["effective_from"]),
        indicators=indicators,
        grades=grades,
        lowest_grade=data["lowest_grade"],
    )


@dataclass(frozen=True)
class DossierProfile:
    """What the evaluation needs of a finished dossier."""

    finish: str  # early | on_time | late (by dates only: the supplements are their own indicator)
    supplement_requests: int
    channel: str
    attitude: int | None = None  # the citizen's rating of the officers' attitude, 1..5; None: not rated
    complaint: str = "none"  # none | answered | open
    digitized: bool = False
    e_result: bool = False

    def value(self, name: str) -> Any:
        if name == "digital":
            return {2: "both", 1: "one", 0: "none"}[int(self.digitized) + int(self.e_result)]
        return getattr(self, name)


@dataclass(frozen=True)
class DossierEvaluation:
    points: Mapping[str, int | None]  # by indicator code; None: not scored

    @property
    def score(self) -> float:
        """Điểm của hồ sơ, 0..100."""
        given = [p for p in self.points.values() if p is not None]
        return 100.0 * sum(given) / (2 * len(given)) if given else 0.0


def evaluate_dossier(rules: EvaluationRules, profile: DossierProfile) -> DossierEvaluation:
    return DossierEvaluation({i.code: i.score(profile.value(i.input)) for i in rules.indicators})


@dataclass(frozen=True)
class UnitEvaluation:
    rules: EvaluationRules
    dossiers: int
    score: float | None  # None: no dossier finished in the period
    grade: str | None
    points_count: Mapping[str, Mapping[int, int]]  # indicator → points → dossiers

    @property
    def grade_name(self) -> str:
        return str(GRADE_NAMES[self.grade]) if self.grade else ""


def evaluate_unit(
    rules: EvaluationRules, profiles: Mapping[DossierProfile, int] | Iterable[DossierProfile]
) -> UnitEvaluation:
    """The unit's mean score and grade over its dossiers (given as profiles with their counts,
    or one profile per dossier)."""
    counts: dict[DossierProfile, int] = {}
    if isinstance(profiles, Mapping):
        counts = {p: n for p, n in profiles.items() if n > 0}
    else:
        for p in profiles:
            counts[p] = counts.get(p, 0) + 1
    total = sum(counts.values())
    spread: dict[str, dict[int, int]] = {i.code: {2: 0, 1: 0, 0: 0} for i in rules.indicators}
    weighted = 0.0
    for profile, n in counts.items():
        evaluation = evaluate_dossier(rules, profile)
        weighted += evaluation.score * n
        for code, points in evaluation.points.items():
            if points is not None:
                spread[code][points] += n
    if not total:
        return UnitEvaluation(rules, 0, None, None, spread)
    mean = round(weighted / total, 2)
    return UnitEvaluation(rules, total, mean, rules.grade(mean), spread)


# --- The dated data files -----------------------------------------------------------------------


def _dated_files(prefix: str, folder: Path) -> list[tuple[datetime.date, Path]]:
    found = []
    for path in folder.glob(f"{prefix}_*.json"):
        found.append((datetime.date.fromisoformat(path.stem.split("_", 1)[1]), path))
    return sorted(found)


def _in_force(prefix: str, day: datetime.date, folder: Path) -> Path:
    files = _dated_files(prefix, folder)
    if not files:
        raise IndexDataError(f"no {prefix}_*.json in {folder}")
    chosen = files[0][1]
    for effective, path in files:
        if effective <= day:
            chosen = path
    return chosen


@cache
def _read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def index_on(day: datetime.date, folder: Path = DATA) -> IndexRules:
    """The scorecard's rules in force on ``day`` (the earliest file before any is in force)."""
    return parse_index(_read(_in_force("qd766", day, folder)))


def evaluation_on(day: datetime.date, folder: Path = DATA) -> EvaluationRules:
    """The evaluation circular in force on ``day``."""
    return parse_evaluation(_read(_in_force("tt01", day, folder)))
