"""Reads of the contest for pages, the API and the reports: published contests and their rounds
with their phase (đang diễn ra / sắp diễn ra / đã kết thúc), the participant of a visitor, an
attempt as its taker sees it (never the right answers while it is open), a result with the
answers explained (only once the round has ended), the leaderboard with masked names, and the
participation figures (by commune, group and age band).

Nothing here writes. ``now`` is passed in by the caller (the server's clock)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet

from . import rules
from .errors import NotFound, ResultNotYet
from .models import (
    Answer,
    Attempt,
    Contest,
    Criterion,
    Initiative,
    InitiativeAttachment,
    Judge,
    Participant,
    Round,
    Scorecard,
    Standing,
)
from .rules import AttemptState, RoundPhase

LEADERBOARD_MAX_LIMIT = 100


# --- Contests and rounds ------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundCard:
    round: Round
    phase: RoundPhase
    participants: int


def published_contests() -> QuerySet[Contest]:
    return Contest.objects.filter(is_published=True).prefetch_related("rounds")


def contest_by_slug(slug: str) -> Contest:
    contest = Contest.objects.filter(slug=slug, is_published=True).first()
    if contest is None:
        raise NotFound()
    return contest


def round_of(contest: Contest, number: int) -> Round:
    round_ = Round.objects.filter(contest=contest, number=number).select_related("contest").first()
    if round_ is None:
        raise NotFound()
    return round_


def round_by_id(round_id: int) -> Round:
    round_ = (
        Round.objects.filter(pk=round_id, contest__is_published=True).select_related("contest").first()
        if 0 < round_id < 2**31
        else None
    )
    if round_ is None:
        raise NotFound()
    return round_


def phase_of(round_: Round, now: datetime.datetime) -> RoundPhase:
    if round_.closed_at is not None:
        return RoundPhase.ENDED
    return rules.round_phase(now, round_.opens_at, round_.closes_at)


def round_cards(rounds: Iterable[Round], now: datetime.datetime) -> list[RoundCard]:
    rounds = list(rounds)
    counts = participation_live([r for r in rounds if r.participants_count is None])
    return [
        RoundCard(
            r,
            phase_of(r, now),
            r.participants_count if r.participants_count is not None else counts.get(r.pk, 0),
        )
        for r in rounds
    ]


def participation_live(rounds: Iterable[Round]) -> dict[int, int]:
    """Participants per round having started an attempt (the live counter)."""
    ids = [r.pk for r in rounds]
    if not ids:
        return {}
    rows = (
        Attempt.objects.filter(round_id__in=ids).values("round_id").annotate(n=Count("participant_id", distinct=True))
    )
    return {row["round_id"]: row["n"] for row in rows}


# --- The visitor's participant and attempts -----------------------------------------------------


def participant_of(contest: Contest, *, user: Any = None, participant_id: int | None = None) -> Participant | None:
    """The visitor's participant in ``contest``: by the signed-in account's identification number
    (VNeID), else by the participant confirmed by phone in this browser session."""
    personal_id = getattr(user, "personal_id", None) if user is not None and user.is_authenticated else None
    if personal_id:
        found = Participant.objects.filter(contest=contest, personal_id=personal_id).first()
        if found is not None:
            return found
    if participant_id is not None:
        return Participant.objects.filter(contest=contest, pk=participant_id).first()
    return None


def attempts_of(participant: Participant, rounds: Iterable[Round]) -> dict[int, list[Attempt]]:
    """The participant's attempts per round id, newest first."""
    by_round: dict[int, list[Attempt]] = {}
    for attempt in Attempt.objects.filter(participant=participant, round__in=list(rounds)).order_by("-number"):
        by_round.setdefault(attempt.round_id, []).append(attempt)
    return by_round


def attempt_of(public_id: Any, participant: Participant | None) -> Attempt:
    """The participant's attempt by its public id; another's, a malformed or made-up id, or no
    participant at all: ``NotFound`` (the same answer, nothing told)."""
    import uuid

    if participant is None:
        raise NotFound()
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound() from None
    attempt = (
        Attempt.objects.filter(public_id=key, participant=participant).select_related("round", "round__contest").first()
    )
    if attempt is None:
        raise NotFound()
    return attempt


@dataclass(frozen=True)
class TakerQuestion:
    """A question as the taker sees it while the attempt is open: no right answer, no
    explanation, no legal basis."""

    number: int
    id: int
    kind: str
    text: str
    options: list[dict[str, Any]]
    chosen: list[int]
    seq: int


@dataclass(frozen=True)
class TakerView:
    attempt: Attempt
    questions: list[TakerQuestion]
    seconds_left: int
    answered: int
    accepts_answers: bool


def taker_view(attempt: Attempt, now: datetime.datetime) -> TakerView:
    kept = {a.question_id: a for a in Answer.objects.filter(attempt=attempt)}
    questions = []
    for number, q in enumerate(attempt.questions, 1):
        answer = kept.get(q["id"])
        questions.append(
            TakerQuestion(
                number=number,
                id=q["id"],
                kind=q["kind"],
                text=q["text"],
                options=[{"id": o["id"], "text": o["text"]} for o in q["options"]],
                chosen=list(answer.chosen) if answer else [],
                seq=answer.seq if answer else 0,
            )
        )
    grace = datetime.timedelta(seconds=attempt.round.grace_seconds)
    return TakerView(
        attempt=attempt,
        questions=questions,
        seconds_left=rules.seconds_left(now, attempt.ends_at),
        answered=sum(1 for q in questions if q.chosen),
        accepts_answers=attempt.state == AttemptState.OPEN and rules.accepts_answers(now, attempt.ends_at, grace),
    )


@dataclass(frozen=True)
class ExplainedQuestion:
    number: int
    text: str
    kind: str
    options: list[dict[str, Any]]  # id, text, correct, chosen
    is_correct: bool
    answered: bool
    explanation: str
    legal_basis: str
    points: int


@dataclass(frozen=True)
class Result:
    attempt: Attempt
    total_points: int
    answers_public: bool  # the round has ended: right answers and explanations may be shown
    questions: list[ExplainedQuestion] = field(default_factory=list)
    standing: Standing | None = None


def result_of(attempt: Attempt, now: datetime.datetime) -> Result:
    """The finished attempt's result. The right answers and their explanation come only once the
    round has ended (before, a taker could pass them to those still taking it)."""
    if attempt.state == AttemptState.OPEN:
        raise ResultNotYet()
    round_ = attempt.round
    total = sum(int(q.get("points", 1)) for q in attempt.questions)
    public = phase_of(round_, now) == RoundPhase.ENDED
    if not public:
        return Result(attempt, total, False)
    kept = dict(Answer.objects.filter(attempt=attempt).values_list("question_id", "chosen"))
    explained = []
    for number, q in enumerate(attempt.questions, 1):
        chosen = kept.get(q["id"], [])
        correct = set(q["correct"])
        explained.append(
            ExplainedQuestion(
                number=number,
                text=q["text"],
                kind=q["kind"],
                options=[
                    {"id": o["id"], "text": o["text"], "correct": o["id"] in correct, "chosen": o["id"] in chosen}
                    for o in q["options"]
                ],
                is_correct=rules.is_correct(q["kind"], q["correct"], chosen),
                answered=bool(chosen),
                explanation=q.get("explanation", ""),
                legal_basis=q.get("legal_basis", ""),
                points=int(q.get("points", 1)),
            )
        )
    standing = Standing.objects.filter(round=round_, participant_id=attempt.participant_id).first()
    return Result(attempt, total, True, explained, standing)


# --- Leaderboard --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeaderRow:
    rank: int
    name: str
    commune: str
    group: str
    score: int
    prediction_gap: int | None
    time_taken_ms: int
    prize: str
    prize_label: str


def leaderboard(
    round_: Round, *, limit: int = 20, offset: int = 0, prizes_only: bool = False
) -> tuple[int, list[LeaderRow]]:
    """One page of the ranked round (names masked), bounded to ``LEADERBOARD_MAX_LIMIT``."""
    limit = max(1, min(limit, LEADERBOARD_MAX_LIMIT))
    offset = max(0, offset)
    standings = Standing.objects.filter(round=round_)
    if prizes_only:
        standings = standings.exclude(prize="")
    count = standings.count()
    rows = standings.select_related("participant", "participant__commune").order_by("rank")[offset : offset + limit]
    prize_labels = dict(rules.Prize.choices)
    group_labels = dict(rules.Group.choices)
    return count, [
        LeaderRow(
            rank=s.rank,
            name=rules.mask_name(s.participant.full_name),
            commune=s.participant.commune.name,
            group=str(group_labels.get(s.participant.group, "")),
            score=s.score,
            prediction_gap=s.prediction_gap,
            time_taken_ms=s.time_taken_ms,
            prize=s.prize,
            prize_label=str(prize_labels.get(s.prize, "")) if s.prize else "",
        )
        for s in rows
    ]


def winners(round_: Round) -> QuerySet[Standing]:
    """The prize winners of a ranked round, for the organisers' list (names in full)."""
    return (
        Standing.objects.filter(round=round_)
        .exclude(prize="")
        .select_related("participant", "participant__commune")
        .order_by("rank")
    )


# --- Participation figures (for the reports) ----------------------------------------------------


@dataclass(frozen=True)
class Participation:
    """Lượt người tham gia: one per participant and round having started an attempt
    (``participants``: "gần 12.000 lượt người tham gia"), the attempts, the contests concerned, and
    the participants by commune, group and age band (their age on the round's opening day)."""

    contests: int
    participants: int
    attempts: int
    by_commune: dict[str, int]
    by_group: dict[str, int]
    by_age_band: dict[str, int]


def participation(
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    contest_id: int | None = None,
    round_ids: Iterable[int] | None = None,
) -> Participation:
    """Participation of the rounds that opened from ``start`` to ``end`` (dates in the portal's
    time zone, both included), optionally of one contest or some rounds."""
    attempts = Attempt.objects.all()
    if contest_id is not None:
        attempts = attempts.filter(round__contest_id=contest_id)
    if round_ids is not None:
        attempts = attempts.filter(round_id__in=list(round_ids))
    if start is not None:
        attempts = attempts.filter(round__opens_at__date__gte=start)
    if end is not None:
        attempts = attempts.filter(round__opens_at__date__lte=end)
    pairs = set(attempts.values_list("round_id", "participant_id").distinct().iterator(chunk_size=5000))
    rounds = dict(Round.objects.filter(pk__in={r for r, _p in pairs}).values_list("pk", "opens_at"))
    contests = set(Round.objects.filter(pk__in=list(rounds)).values_list("contest_id", flat=True))
    people = _participants({p for _r, p in pairs})
    by_commune: Counter[str] = Counter()
    by_group: Counter[str] = Counter()
    by_age: Counter[str] = Counter()
    for round_id, participant_id in pairs:
        commune, group, birth = people[participant_id]
        by_commune[commune] += 1
        by_group[group] += 1
        by_age[rules.age_band(birth, rounds[round_id].date())] += 1
    bands = [band for _low, _high, band in rules.AGE_BANDS] + ["?"]
    return Participation(
        contests=len(contests),
        participants=len(pairs),
        attempts=attempts.count(),
        by_commune=dict(by_commune.most_common()),
        by_group=dict(by_group),
        by_age_band={band: by_age[band] for band in bands if by_age[band]},
    )


def _participants(ids: set[int]) -> Mapping[int, tuple[str, str, datetime.date]]:
    rows = Participant.objects.filter(pk__in=ids).values_list("pk", "commune__name", "group", "birth_date")
    return {pk: (commune, group, birth) for pk, commune, group, birth in rows.iterator(chunk_size=5000)}


# --- Initiative contests ------------------------------------------------------------------------


@dataclass(frozen=True)
class InitiativeStage:
    """Where an initiative contest stands: staff submitting, the panel scoring, results out."""

    submissions_open: bool
    judging_open: bool
    published: bool


def initiative_stage(contest: Contest, now: datetime.datetime) -> InitiativeStage:
    return InitiativeStage(
        submissions_open=rules.submissions_open(now, contest.submissions_open_at, contest.submissions_close_at),
        judging_open=rules.judging_open(now, contest.submissions_close_at, contest.initiatives_ranked_at is not None),
        published=contest.results_published_at is not None,
    )


def criteria_of(contest: Contest) -> list[Criterion]:
    return list(Criterion.objects.filter(contest=contest).order_by("position"))


def initiatives_of_author(contest: Contest, user: Any) -> list[Initiative]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Initiative.objects.filter(contest=contest, author=user).order_by("submitted_at"))


def judge_of(contest: Contest, user: Any) -> Judge | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Judge.objects.filter(contest=contest, user=user).first()


@dataclass(frozen=True)
class BlindInitiative:
    """An initiative as a judge sees it: its code and content, never its author or their unit."""

    code: str
    title: str
    problem: str
    solution: str
    expected_effect: str
    attachments: list[InitiativeAttachment]
    own: bool
    card: Scorecard | None


def _blind(initiative: Initiative, judge: Judge, card: Scorecard | None, attachments: list[Any]) -> BlindInitiative:
    return BlindInitiative(
        code=initiative.code,
        title=initiative.title,
        problem=initiative.problem,
        solution=initiative.solution,
        expected_effect=initiative.expected_effect,
        attachments=attachments,
        own=initiative.author_id == judge.user_id,
        card=card,
    )


def judging_list(contest: Contest, judge: Judge) -> list[BlindInitiative]:
    """The initiatives the judge scores (by code), each with the judge's own scorecard if any."""
    cards = {c.initiative_id: c for c in Scorecard.objects.filter(judge=judge, initiative__contest=contest)}
    return [
        _blind(i, judge, cards.get(i.pk), [])
        for i in Initiative.objects.filter(contest=contest).only(
            "pk", "code", "title", "problem", "solution", "expected_effect", "author_id"
        )
    ]


def initiative_by_code(contest: Contest, code: str) -> Initiative:
    initiative = Initiative.objects.filter(contest=contest, code=code[:12]).select_related("contest").first()
    if initiative is None:
        raise NotFound()
    return initiative


def blind_initiative(contest: Contest, judge: Judge, code: str) -> tuple[Initiative, BlindInitiative]:
    initiative = initiative_by_code(contest, code)
    card = Scorecard.objects.filter(judge=judge, initiative=initiative).first()
    return initiative, _blind(initiative, judge, card, list(initiative.attachments.all()))


def attachment_for(contest: Contest, code: str, attachment_id: int, user: Any) -> InitiativeAttachment:
    """An attachment for its author, a judge of the contest, or anybody once the initiative is a
    published winner; for anybody else "not found"."""
    initiative = initiative_by_code(contest, code)
    found = InitiativeAttachment.objects.filter(initiative=initiative, pk=attachment_id).select_related("file").first()
    allowed = (
        (contest.results_published_at is not None and bool(initiative.prize))
        or (getattr(user, "is_authenticated", False) and initiative.author_id == user.pk)
        or judge_of(contest, user) is not None
    )
    if found is None or not allowed:
        raise NotFound()
    return found


def initiative_results(contest: Contest) -> list[Initiative]:
    """The published ranking: ranked initiatives in order, with their authors (the judging was
    blind; the results are not). Before publication: ``ResultNotYet``."""
    if contest.results_published_at is None:
        raise ResultNotYet()
    return list(Initiative.objects.filter(contest=contest, rank__isnull=False).order_by("rank"))


def published_winner(contest: Contest, code: str) -> Initiative:
    """A winning initiative in full, once the results are published."""
    if contest.results_published_at is None:
        raise ResultNotYet()
    initiative = initiative_by_code(contest, code)
    if not initiative.prize:
        raise NotFound()
    return initiative
