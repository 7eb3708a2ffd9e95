"""API of the online contests (/api/v1/contests…): published contests and their rounds, and for a
registered participant (the VNeID account signed in, or the participant this session confirmed by
phone on the pages): start an attempt, read it (never the right answers while it is open), save
answers, submit, read the result, and the leaderboard (names masked, paginated).

Writes are idempotent by their nature, so a retry after a dropped connection is always safe:
starting again resumes the open attempt; an answer carries the taker's own counter ``seq`` (the
same or a lower ``seq`` again changes nothing and answers with what is kept, ``replayed``);
submitting again answers with the submitted attempt. Refusals are problem+json with the codes of
``contest.errors``; whatever is refused changed nothing."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.security import APIKeyCookie

from common.api import LocalDateTime, PageOut, PageParams, answers
from common.problems import Problem

from . import selectors, services
from .errors import ContestError, NotFound, NotRegistered, ResultNotYet
from .models import Attempt, Contest, ContestKind, Initiative, Round
from .visitors import known_to_session, visitor_participant

router = Router(tags=["contests"])


def problem_from(error: ContestError) -> Problem:
    return Problem(error.status, error.code, _("Không thực hiện được"), error.message)


class ParticipantSession(APIKeyCookie):
    """The session of the portal's pages (CSRF checked on writes): a signed-in account, or a
    participant confirmed by phone in it. Anyone else: 401."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not known_to_session(request):
            raise Problem(
                401,
                "authentication_required",
                _("Cần đăng nhập"),
                _("Hãy đăng nhập bằng VNeID hoặc đăng ký dự thi bằng số điện thoại."),
            )
        return True


# --- Schemas ------------------------------------------------------------------------------------


class RoundOut(Schema):
    id: int
    number: int
    title: str
    phase: str = Field(..., description="upcoming (sắp diễn ra), open (đang diễn ra), ended (đã kết thúc)")
    opens_at: LocalDateTime
    closes_at: LocalDateTime
    time_limit_seconds: int
    attempts_allowed: int
    tie_break_question: str
    participants: int = Field(..., description="Số người tham gia (đã bắt đầu làm bài)")
    ranked: bool


class ContestOut(Schema):
    slug: str
    title: str
    kind: str = Field(..., description="quiz (tìm hiểu pháp luật) hoặc initiative (sáng kiến, giải pháp CCHC)")
    summary: str
    organiser: str
    rounds: list[RoundOut]


class CriterionOut(Schema):
    name: str
    description: str
    weight: int
    max_points: int


class InitiativeWindowOut(Schema):
    submissions_open_at: LocalDateTime | None
    submissions_close_at: LocalDateTime | None
    submissions_open: bool
    judging_open: bool
    results_published: bool
    criteria: list[CriterionOut] = Field(..., description="Tiêu chí chấm, trọng số và thang điểm")


class ContestDetailOut(ContestOut):
    rules_text: str
    prizes: dict[str, int] = Field(..., description="Số giải mỗi vòng: first, second, third, consolation, per_group")
    initiative: InitiativeWindowOut | None = Field(None, description="Chỉ với cuộc thi sáng kiến")


class RankedInitiativeOut(Schema):
    rank: int
    code: str
    title: str
    author_name: str
    author_unit: str
    average: float = Field(..., description="Điểm trung bình của hội đồng, thang 100, hai chữ số thập phân")
    scorecards: int
    prize: str | None


class InitiativePageOut(PageOut):
    results: list[RankedInitiativeOut]


class WinnerOut(RankedInitiativeOut):
    problem: str
    solution: str
    expected_effect: str


class ContestPageOut(PageOut):
    results: list[ContestOut]


class OptionOut(Schema):
    id: int
    text: str


class QuestionOut(Schema):
    id: int
    number: int
    kind: str = Field(..., description="single (một lựa chọn) hoặc multiple (nhiều lựa chọn)")
    text: str
    options: list[OptionOut]
    chosen: list[int] = Field(..., description="Các phương án đã lưu")
    seq: int = Field(..., description="Bộ đếm của lần lưu gần nhất (gửi số lớn hơn để đổi câu trả lời)")


class AttemptOut(Schema):
    id: str = Field(..., description="Mã lượt thi (UUID)")
    round_id: int
    number: int
    state: str
    started_at: LocalDateTime
    ends_at: LocalDateTime = Field(..., description="Giờ kết thúc do máy chủ ấn định khi bắt đầu")
    seconds_left: int
    accepts_answers: bool
    prediction: int | None
    questions: list[QuestionOut]


class AnswerIn(Schema):
    chosen: list[int] = Field(..., max_length=10, description="Các phương án chọn (rỗng: xóa câu trả lời)")
    seq: int = Field(..., ge=1, le=2**31 - 1, description="Bộ đếm của người làm bài, tăng sau mỗi lần chọn")


class SavedOut(Schema):
    question_id: int
    chosen: list[int]
    seq: int
    replayed: bool = Field(..., description="Đã có lần lưu này hoặc mới hơn: không thay đổi gì")


class PredictionIn(Schema):
    prediction: int = Field(..., ge=0, le=10_000_000, description="Dự đoán số người tham gia vòng thi")


class SubmitIn(Schema):
    prediction: int | None = Field(None, ge=0, le=10_000_000)


class ExplainedOptionOut(Schema):
    id: int
    text: str
    correct: bool
    chosen: bool


class ExplainedOut(Schema):
    number: int
    text: str
    kind: str
    options: list[ExplainedOptionOut]
    is_correct: bool
    explanation: str
    legal_basis: str


class ResultOut(Schema):
    id: str
    state: str
    score: int
    total_points: int
    time_taken_ms: int
    submitted_at: LocalDateTime
    prediction: int | None
    answers_public: bool = Field(..., description="Vòng thi đã kết thúc: có đáp án và giải thích")
    rank: int | None
    prize: str | None
    questions: list[ExplainedOut]


class LeaderOut(Schema):
    rank: int
    name: str = Field(..., description="Họ và chữ cái đầu của tên (Nguyễn V. A.)")
    commune: str
    score: int
    prediction_gap: int | None
    time_taken_ms: int
    prize: str | None


class LeaderboardOut(PageOut):
    round_id: int
    participants: int
    results: list[LeaderOut]


# --- Helpers ------------------------------------------------------------------------------------


def _round_out(card: selectors.RoundCard) -> dict[str, Any]:
    r = card.round
    return {
        "id": r.pk,
        "number": r.number,
        "title": str(r),
        "phase": str(card.phase),
        "opens_at": r.opens_at,
        "closes_at": r.closes_at,
        "time_limit_seconds": r.time_limit_seconds,
        "attempts_allowed": r.attempts_allowed,
        "tie_break_question": r.tie_break_question,
        "participants": card.participants,
        "ranked": r.ranked_at is not None,
    }


def _contest_out(contest: Contest, now: datetime.datetime) -> dict[str, Any]:
    return {
        "slug": contest.slug,
        "title": contest.title,
        "kind": contest.kind,
        "summary": contest.summary,
        "organiser": contest.organiser,
        "rounds": [_round_out(card) for card in selectors.round_cards(contest.rounds.all(), now)],
    }


def _attempt_out(view: selectors.TakerView) -> dict[str, Any]:
    a = view.attempt
    return {
        "id": str(a.public_id),
        "round_id": a.round_id,
        "number": a.number,
        "state": a.state,
        "started_at": a.started_at,
        "ends_at": a.ends_at,
        "seconds_left": view.seconds_left,
        "accepts_answers": view.accepts_answers,
        "prediction": a.prediction,
        "questions": [q.__dict__ for q in view.questions],
    }


def _mine(request: HttpRequest, attempt_id: str) -> tuple[Attempt, Any]:
    """The caller's attempt; another's, a made-up or malformed id: 404 not_found."""
    try:
        key = uuid.UUID(attempt_id)
    except ValueError:
        raise problem_from(NotFound()) from None
    contest = Contest.objects.filter(rounds__attempts__public_id=key).first()
    participant = visitor_participant(request, contest) if contest is not None else None
    try:
        return selectors.attempt_of(key, participant), participant
    except ContestError as error:
        raise problem_from(error) from None


def _round(round_id: int) -> Round:
    try:
        return selectors.round_by_id(round_id)
    except ContestError as error:
        raise problem_from(error) from None


# --- Operations ---------------------------------------------------------------------------------


@router.get("/contests", response=answers({200: ContestPageOut}, 400, 422), summary="Các cuộc thi và vòng thi")
def list_contests(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    now = timezone.now()
    contests = selectors.published_contests().order_by("-created_at", "pk")
    return {
        "count": contests.count(),
        "limit": page.limit,
        "offset": page.offset,
        "results": [_contest_out(c, now) for c in contests[page.window()]],
    }


@router.get(
    "/contests/{slug}", response=answers({200: ContestDetailOut}, 404), summary="Một cuộc thi: thể lệ, vòng thi"
)
def get_contest(request: HttpRequest, slug: str) -> dict[str, Any]:
    try:
        contest = selectors.contest_by_slug(slug[:80])
    except ContestError as error:
        raise problem_from(error) from None
    return {
        **_contest_out(contest, timezone.now()),
        "rules_text": contest.rules_text,
        "prizes": {
            "first": contest.first_prizes,
            "second": contest.second_prizes,
            "third": contest.third_prizes,
            "consolation": contest.consolation_prizes,
            "per_group": contest.group_prizes,
        },
        "initiative": _initiative_window(contest) if contest.kind == ContestKind.INITIATIVE else None,
    }


def _initiative_window(contest: Contest) -> dict[str, Any]:
    stage = selectors.initiative_stage(contest, timezone.now())
    return {
        "submissions_open_at": contest.submissions_open_at,
        "submissions_close_at": contest.submissions_close_at,
        "submissions_open": stage.submissions_open,
        "judging_open": stage.judging_open,
        "results_published": stage.published,
        "criteria": [
            {"name": c.name, "description": c.description, "weight": c.weight, "max_points": c.max_points}
            for c in selectors.criteria_of(contest)
        ],
    }


def _ranked_out(i: Initiative) -> dict[str, Any]:
    return {
        "rank": i.rank,
        "code": i.code,
        "title": i.title,
        "author_name": i.author_name,
        "author_unit": i.author_unit,
        "average": float(i.average or 0),
        "scorecards": i.scorecards,
        "prize": i.prize or None,
    }


def _initiative_contest(slug: str) -> Contest:
    try:
        contest = selectors.contest_by_slug(slug[:80])
    except ContestError as error:
        raise problem_from(error) from None
    if contest.kind != ContestKind.INITIATIVE:
        raise problem_from(NotFound())
    return contest


@router.get(
    "/contests/{slug}/initiatives",
    response=answers({200: InitiativePageOut}, 400, 404, 409, 422),
    summary="Kết quả cuộc thi sáng kiến: bảng xếp hạng (sau khi công bố)",
)
def list_ranked_initiatives(request: HttpRequest, slug: str, page: Query[PageParams]) -> dict[str, Any]:
    """The published ranking, with authors (the judging was blind, the results are not); 409
    result_not_yet before the organiser publishes."""
    contest = _initiative_contest(slug)
    try:
        ranked = selectors.initiative_results(contest)
    except ContestError as error:
        raise problem_from(error) from None
    return {
        "count": len(ranked),
        "limit": page.limit,
        "offset": page.offset,
        "results": [_ranked_out(i) for i in ranked[page.window()]],
    }


@router.get(
    "/contests/{slug}/initiatives/{code}",
    response=answers({200: WinnerOut}, 404, 409),
    summary="Một sáng kiến đoạt giải, toàn văn (sau khi công bố)",
)
def get_winning_initiative(request: HttpRequest, slug: str, code: str) -> dict[str, Any]:
    contest = _initiative_contest(slug)
    try:
        winner = selectors.published_winner(contest, code)
    except ContestError as error:
        raise problem_from(error) from None
    return {
        **_ranked_out(winner),
        "problem": winner.problem,
        "solution": winner.solution,
        "expected_effect": winner.expected_effect,
    }


@router.post(
    "/contests/rounds/{round_id}/attempts",
    auth=ParticipantSession(),
    response=answers({200: AttemptOut, 201: AttemptOut}, 400, 401, 403, 404, 409, 422),
    summary="Bắt đầu (hoặc tiếp tục) làm bài",
)
def start_attempt(request: HttpRequest, round_id: int) -> Status:
    """201 with a new attempt whose end the server fixed now; 200 with the open one when there is
    one (a retry, a second device). No right answer is in the answer."""
    now = timezone.now()
    round_ = _round(round_id)
    participant = visitor_participant(request, round_.contest)
    try:
        if participant is None:
            raise NotRegistered()
        attempt, started = services.attempt_start(round_=round_, participant=participant, now=now)
    except ContestError as error:
        raise problem_from(error) from None
    return Status(201 if started else 200, _attempt_out(selectors.taker_view(attempt, now)))


@router.get(
    "/contests/attempts/{attempt_id}",
    auth=ParticipantSession(),
    response=answers({200: AttemptOut}, 400, 401, 404),
    summary="Bài thi của tôi (không có đáp án)",
)
def get_attempt(request: HttpRequest, attempt_id: str) -> dict[str, Any]:
    attempt, _participant = _mine(request, attempt_id)
    return _attempt_out(selectors.taker_view(attempt, timezone.now()))


@router.put(
    "/contests/attempts/{attempt_id}/answers/{question_id}",
    auth=ParticipantSession(),
    response=answers({200: SavedOut}, 400, 401, 403, 404, 409, 422),
    summary="Lưu một câu trả lời (idempotent theo seq)",
)
def save_answer(request: HttpRequest, attempt_id: str, question_id: int, body: AnswerIn) -> dict[str, Any]:
    attempt, participant = _mine(request, attempt_id)
    try:
        saved = services.answer_save(
            public_id=attempt.public_id,
            participant=participant,
            question_id=question_id,
            chosen=body.chosen,
            seq=body.seq,
            now=timezone.now(),
        )
    except ContestError as error:
        raise problem_from(error) from None
    return saved.__dict__


@router.put(
    "/contests/attempts/{attempt_id}/prediction",
    auth=ParticipantSession(),
    response=answers({204: None}, 400, 401, 403, 404, 409, 422),
    summary="Lưu câu trả lời câu hỏi dự đoán",
)
def save_prediction(request: HttpRequest, attempt_id: str, body: PredictionIn) -> Status:
    attempt, participant = _mine(request, attempt_id)
    try:
        services.prediction_save(
            public_id=attempt.public_id, participant=participant, prediction=body.prediction, now=timezone.now()
        )
    except ContestError as error:
        raise problem_from(error) from None
    return Status(204, None)


@router.post(
    "/contests/attempts/{attempt_id}/submit",
    auth=ParticipantSession(),
    response=answers({200: ResultOut}, 400, 401, 403, 404, 409, 422),
    summary="Nộp bài (nộp lại: trả về bài đã nộp)",
)
def submit_attempt(request: HttpRequest, attempt_id: str, body: SubmitIn) -> dict[str, Any]:
    attempt, participant = _mine(request, attempt_id)
    now = timezone.now()
    try:
        done = services.attempt_submit(
            public_id=attempt.public_id, participant=participant, now=now, prediction=body.prediction
        )
        return _result_out(selectors.result_of(done, now))
    except ContestError as error:
        raise problem_from(error) from None


@router.get(
    "/contests/attempts/{attempt_id}/result",
    auth=ParticipantSession(),
    response=answers({200: ResultOut}, 400, 401, 404, 409),
    summary="Kết quả của tôi (đáp án, giải thích khi vòng thi đã kết thúc)",
)
def get_result(request: HttpRequest, attempt_id: str) -> dict[str, Any]:
    attempt, _participant = _mine(request, attempt_id)
    try:
        return _result_out(selectors.result_of(attempt, timezone.now()))
    except ContestError as error:
        raise problem_from(error) from None


def _result_out(result: selectors.Result) -> dict[str, Any]:
    a = result.attempt
    return {
        "id": str(a.public_id),
        "state": a.state,
        "score": a.score or 0,
        "total_points": result.total_points,
        "time_taken_ms": a.time_taken_ms or 0,
        "submitted_at": a.submitted_at,
        "prediction": a.prediction,
        "answers_public": result.answers_public,
        "rank": result.standing.rank if result.standing else None,
        "prize": (result.standing.prize or None) if result.standing else None,
        "questions": [q.__dict__ for q in result.questions],
    }


@router.get(
    "/contests/rounds/{round_id}/leaderboard",
    response=answers({200: LeaderboardOut}, 400, 404, 409, 422),
    summary="Bảng xếp hạng của vòng thi (tên viết tắt)",
)
def get_leaderboard(request: HttpRequest, round_id: int, page: Query[PageParams]) -> dict[str, Any]:
    round_ = _round(round_id)
    if round_.ranked_at is None:
        raise problem_from(ResultNotYet())
    count, rows = selectors.leaderboard(round_, limit=page.limit, offset=page.offset)
    return {
        "round_id": round_.pk,
        "participants": round_.participants_count or 0,
        "count": count,
        "limit": page.limit,
        "offset": page.offset,
        "results": [
            {
                "rank": r.rank,
                "name": r.name,
                "commune": r.commune,
                "score": r.score,
                "prediction_gap": r.prediction_gap,
                "time_taken_ms": r.time_taken_ms,
                "prize": r.prize or None,
            }
            for r in rows
        ],
    }
