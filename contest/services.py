"""Writes of the contest: registering participants (a phone confirmed by a one-time code, or
VNeID), starting an attempt, saving answers, submitting, closing a round (the open attempts are
submitted with what was saved) and ranking it.

Each function is one transaction that changes nothing when it refuses (``errors``). ``now`` is
the server's clock, passed in by the caller: no client clock is trusted.

Concurrency: "one attempt" and "one open attempt" are unique constraints (``models.Attempt``);
two starts at once both try to insert attempt number n, the database keeps one and the other
start answers with that one. Saves, submissions and the worker's closing of one attempt lock its
row first (``select_for_update``), so an answer is never taken after the score was computed.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
import secrets
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from documents.errors import UploadRejected
from documents.services import file_store
from notifications.channels import channel_backend
from notifications.rules import Message

from . import rules
from .errors import (
    AlreadyRegistered,
    AttemptClosed,
    DrawUnavailable,
    InitiativeInvalid,
    InvalidChoice,
    JudgingClosed,
    NoAttemptLeft,
    NotFound,
    OwnInitiative,
    PhoneCodeInvalid,
    PhoneCodeTooSoon,
    QuestionNotInAttempt,
    RoundNotOpen,
    SubmissionsClosed,
    TooLate,
)
from .models import (
    Answer,
    Attempt,
    Contest,
    ContestEvent,
    Criterion,
    EventAction,
    Initiative,
    InitiativeAttachment,
    Judge,
    Option,
    Participant,
    PhoneCode,
    Question,
    Round,
    Scorecard,
    Standing,
)
from .rules import AttemptState

logger = logging.getLogger(__name__)

PHONE_CODE_TTL = datetime.timedelta(minutes=5)
PHONE_CODE_RESEND = datetime.timedelta(seconds=60)
PHONE_CODE_TRIES = 5
CLOSE_BATCH = 2000


# --- Phone confirmation -------------------------------------------------------------------------


def normalize_phone(raw: str) -> str | None:
    """A Vietnamese mobile number as 0xxxxxxxxx (10 digits), from what people type (spaces, dots,
    +84); None when it is not one."""
    digits = "".join(ch for ch in raw if ch.isdigit())
    if digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if len(digits) == 10 and digits[0] == "0" and digits[1] in "35789":
        return digits
    return None


def _code_hash(phone: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"contest-phone|{phone}|{code}".encode(), hashlib.sha256).hexdigest()


def phone_code_send(*, phone: str, now: datetime.datetime) -> None:
    """Send a 6-digit code by SMS (at most one a minute per number); only its hash is kept."""
    last = PhoneCode.objects.filter(phone=phone).order_by("-created_at").first()
    if last is not None and now < last.created_at + PHONE_CODE_RESEND:
        raise PhoneCodeTooSoon(int((last.created_at + PHONE_CODE_RESEND - now).total_seconds()) + 1)
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        PhoneCode.objects.create(
            phone=phone, code_hash=_code_hash(phone, code), created_at=now, expires_at=now + PHONE_CODE_TTL
        )
        text = _("Ma xac nhan du thi cua ban la %(code)s, co hieu luc 5 phut. Khong chia se ma nay.") % {"code": code}
        # Sent once the code is stored, by the SMS channel of the notifications app but not through
        # its outbox (the outbox keeps what it sends; a code is kept only as its hash). A code that
        # never arrives is asked for again a minute later.
        message = Message(subject="", paragraphs=[], sms=text, language=get_language() or settings.LANGUAGE_CODE)
        transaction.on_commit(lambda: channel_backend("sms").send(address=phone, message=message))


def phone_code_confirm(*, phone: str, code: str, now: datetime.datetime) -> None:
    """Accept the latest unexpired code of the number, at most ``PHONE_CODE_TRIES`` tries; it then
    cannot be used again."""
    with transaction.atomic():
        latest = (
            PhoneCode.objects.select_for_update()
            .filter(phone=phone, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        accepted = (
            latest is not None
            and latest.tries < PHONE_CODE_TRIES
            and hmac.compare_digest(latest.code_hash, _code_hash(phone, code.strip()))
        )
        if latest is not None and accepted:
            PhoneCode.objects.filter(pk=latest.pk).update(used_at=now)
        elif latest is not None:
            # The failed try is kept (committed) even though the caller is refused.
            PhoneCode.objects.filter(pk=latest.pk).update(tries=latest.tries + 1)
    if not accepted:
        raise PhoneCodeInvalid()


# --- Participants -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Registration:
    full_name: str
    birth_date: datetime.date
    commune_id: int
    group: str


def participant_register(
    *,
    contest: Contest,
    registration: Registration,
    now: datetime.datetime,
    phone: str | None = None,
    user: Any = None,
) -> tuple[Participant, bool]:
    """The participant of this person in this contest, created if new: by the signed-in account's
    identification number (VNeID) or by a confirmed phone. Returns (participant, created). A second
    registration of the same person finds the first (unique constraints decide under a race)."""
    personal_id = getattr(user, "personal_id", None) or None
    if personal_id is None and phone is None:
        raise ValueError("a participant is known by an identification number or a confirmed phone")
    existing = _participant_of(contest, personal_id, phone)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            participant = Participant.objects.create(
                contest=contest,
                user=user if personal_id else None,
                full_name=registration.full_name.strip(),
                birth_date=registration.birth_date,
                commune_id=registration.commune_id,
                group=registration.group,
                phone=phone or "",
                phone_confirmed_at=now if phone else None,
                personal_id=personal_id,
            )
    except IntegrityError:
        existing = _participant_of(contest, personal_id, phone)
        if existing is None:
            raise AlreadyRegistered() from None
        return existing, False
    return participant, True


def _participant_of(contest: Contest, personal_id: str | None, phone: str | None) -> Participant | None:
    query = Q()
    if personal_id:
        query |= Q(personal_id=personal_id)
    if phone:
        query |= Q(phone=phone, phone_confirmed_at__isnull=False)
    return Participant.objects.filter(query, contest=contest).first()


# --- Attempts -----------------------------------------------------------------------------------


def _pool(round_: Round) -> dict[str, list[int]]:
    pool: dict[str, list[int]] = defaultdict(list)
    for qid, topic in Question.objects.filter(bank_id=round_.bank_id, is_current=True).values_list("id", "topic__code"):
        pool[topic].append(qid)
    return pool


def snapshot(question_ids: Sequence[int], seed: int) -> list[dict[str, Any]]:
    """The drawn questions as the attempt keeps them, options in this attempt's order."""
    questions = {q.pk: q for q in Question.objects.filter(pk__in=question_ids)}
    options: dict[int, list[Option]] = defaultdict(list)
    for option in Option.objects.filter(question_id__in=question_ids).order_by("position"):
        options[option.question_id].append(option)
    kept = []
    for qid in question_ids:
        question = questions[qid]
        by_id = {o.pk: o for o in options[qid]}
        order = rules.shuffled(list(by_id), rules.seed_for(seed, qid))
        kept.append(
            {
                "id": qid,
                "code": question.code,
                "version": question.version,
                "kind": question.kind,
                "text": question.text,
                "points": question.points,
                "options": [{"id": oid, "text": by_id[oid].text} for oid in order],
                "correct": sorted(oid for oid, o in by_id.items() if o.is_correct),
                "explanation": question.explanation,
                "legal_basis": question.legal_basis,
            }
        )
    return kept


def attempt_start(*, round_: Round, participant: Participant, now: datetime.datetime) -> tuple[Attempt, bool]:
    """Start the participant's next attempt, its end fixed now by the server; or, while one is
    open, return that one (a second tab or a reconnect resumes it). Returns (attempt, started)."""
    if participant.contest_id != round_.contest_id:
        raise NotFound()
    open_attempt = Attempt.objects.filter(round=round_, participant=participant, state=AttemptState.OPEN).first()
    if open_attempt is not None and rules.accepts_answers(now, open_attempt.ends_at, _grace(round_)):
        return open_attempt, False
    if rules.round_phase(now, round_.opens_at, round_.closes_at) != rules.RoundPhase.OPEN:
        raise RoundNotOpen()
    if open_attempt is not None:  # past its end, not yet closed by the worker
        with transaction.atomic():
            overdue = Attempt.objects.select_for_update().get(pk=open_attempt.pk)
            if overdue.state == AttemptState.OPEN:
                attempt_finish(attempt=overdue, now=now, by_worker=True)
    used = Attempt.objects.filter(round=round_, participant=participant).count()
    if used >= round_.attempts_allowed:
        # A start of the same participant that came first may have opened it since the look
        # above (a second tab, a double tap): resume that one.
        raced = Attempt.objects.filter(round=round_, participant=participant, state=AttemptState.OPEN).first()
        if raced is not None and rules.accepts_answers(now, raced.ends_at, _grace(round_)):
            return raced, False
        raise NoAttemptLeft(round_.attempts_allowed)
    number = used + 1
    seed = rules.seed_for(round_.pk, participant.pk, number)
    counts = rules.counts_for_group(round_.draw_spec, participant.group)
    try:
        drawn = rules.draw_questions(_pool(round_), counts, seed)
    except rules.DrawImpossible:
        logger.error("round %s cannot draw for group %s", round_.pk, participant.group)
        raise DrawUnavailable() from None
    if not drawn:
        raise DrawUnavailable()
    questions = snapshot(drawn, seed)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                round=round_,
                participant=participant,
                number=number,
                started_at=now,
                ends_at=rules.attempt_ends_at(
                    now, datetime.timedelta(seconds=round_.time_limit_seconds), round_.closes_at
                ),
                questions=questions,
            )
    except IntegrityError:
        # Another start of the same participant came first (same number, or an open attempt).
        raced = Attempt.objects.filter(round=round_, participant=participant, state=AttemptState.OPEN).first()
        if raced is None:
            raise NoAttemptLeft(round_.attempts_allowed) from None
        return raced, False
    return attempt, True


def _grace(round_: Round) -> datetime.timedelta:
    return datetime.timedelta(seconds=round_.grace_seconds)


def _locked_attempt(public_id: Any, participant: Participant) -> Attempt:
    """The participant's attempt by its public id, its row locked until the transaction ends.
    Another's attempt, a malformed or made-up id: ``NotFound``."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound() from None
    attempt = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("round")
        .filter(public_id=key, participant=participant)
        .first()
    )
    if attempt is None:
        raise NotFound()
    return attempt


def _writable(attempt: Attempt, now: datetime.datetime) -> None:
    if attempt.state != AttemptState.OPEN:
        raise AttemptClosed()
    if not rules.accepts_answers(now, attempt.ends_at, _grace(attempt.round)):
        raise TooLate()


@dataclass(frozen=True)
class Saved:
    question_id: int
    chosen: list[int]
    seq: int
    replayed: bool


def answer_save(
    *,
    public_id: Any,
    participant: Participant,
    question_id: int,
    chosen: Sequence[int],
    seq: int,
    now: datetime.datetime,
) -> Saved:
    """Save one answer as given. Idempotent: the same save again, or one older than what is kept
    (a lower ``seq``: a retry overtaken by a later choice), changes nothing and answers with what
    is kept (``replayed``)."""
    with transaction.atomic():
        attempt = _locked_attempt(public_id, participant)
        _writable(attempt, now)
        question = next((q for q in attempt.questions if q["id"] == question_id), None)
        if question is None:
            raise QuestionNotInAttempt()
        chosen = list(chosen)
        if not rules.valid_choice(question["kind"], [o["id"] for o in question["options"]], chosen):
            raise InvalidChoice()
        kept = Answer.objects.filter(attempt=attempt, question_id=question_id).first()
        if kept is not None and kept.seq >= seq:
            return Saved(question_id, list(kept.chosen), kept.seq, True)
        if kept is None:
            Answer.objects.create(attempt=attempt, question_id=question_id, chosen=chosen, seq=seq, saved_at=now)
        else:
            Answer.objects.filter(pk=kept.pk).update(chosen=chosen, seq=seq, saved_at=now)
    return Saved(question_id, chosen, seq, False)


def prediction_save(*, public_id: Any, participant: Participant, prediction: int, now: datetime.datetime) -> None:
    """The answer to the tie-break question, kept like an answer (a closed attempt keeps it)."""
    with transaction.atomic():
        attempt = _locked_attempt(public_id, participant)
        _writable(attempt, now)
        Attempt.objects.filter(pk=attempt.pk).update(prediction=prediction)


def attempt_submit(
    *, public_id: Any, participant: Participant, now: datetime.datetime, prediction: int | None = None
) -> Attempt:
    """Nộp bài: scored from the saved answers. Submitting again answers with the submitted attempt;
    after the end and the grace it is refused (the worker submits what was saved)."""
    with transaction.atomic():
        attempt = _locked_attempt(public_id, participant)
        if attempt.state != AttemptState.OPEN:
            return attempt
        _writable(attempt, now)
        if prediction is not None:
            attempt.prediction = prediction
        return attempt_finish(attempt=attempt, now=now, by_worker=False)


def attempt_finish(*, attempt: Attempt, now: datetime.datetime, by_worker: bool) -> Attempt:
    """Score and close one open attempt whose row the caller holds."""
    answers = dict(Answer.objects.filter(attempt=attempt).values_list("question_id", "chosen"))
    attempt.score = rules.score(attempt.questions, answers)
    attempt.submitted_at = now
    attempt.time_taken_ms = rules.time_taken_ms(attempt.started_at, now, attempt.ends_at)
    attempt.state = AttemptState.AUTO_SUBMITTED if by_worker else AttemptState.SUBMITTED
    attempt.save(update_fields=["score", "submitted_at", "time_taken_ms", "state", "prediction"])
    return attempt


def attempts_close_overdue(*, now: datetime.datetime, round_: Round | None = None) -> int:
    """The worker's sweep: submit every open attempt past its end and grace with what was saved,
    in batches, each attempt's row locked (a taker's submission racing it is either first, or
    finds the attempt closed). Returns how many were closed."""
    closed = 0
    rounds = Round.objects.filter(pk=round_.pk) if round_ is not None else Round.objects.all()
    for r in rounds.filter(attempts__state=AttemptState.OPEN).distinct():
        cutoff = now - _grace(r)
        while True:
            with transaction.atomic():
                batch = list(
                    Attempt.objects.select_for_update(skip_locked=True)
                    .filter(round=r, state=AttemptState.OPEN, ends_at__lt=cutoff)
                    .order_by("pk")[:CLOSE_BATCH]
                )
                if not batch:
                    break
                answers: dict[int, dict[int, list[int]]] = defaultdict(dict)
                rows = Answer.objects.filter(attempt__in=batch).values_list("attempt_id", "question_id", "chosen")
                for attempt_id, question_id, chosen in rows:
                    answers[attempt_id][question_id] = chosen
                for attempt in batch:
                    attempt.score = rules.score(attempt.questions, answers[attempt.pk])
                    attempt.submitted_at = now
                    attempt.time_taken_ms = rules.time_taken_ms(attempt.started_at, now, attempt.ends_at)
                    attempt.state = AttemptState.AUTO_SUBMITTED
                Attempt.objects.bulk_update(batch, ["score", "submitted_at", "time_taken_ms", "state"], batch_size=500)
                closed += len(batch)
    return closed


# --- Rounds -------------------------------------------------------------------------------------


def round_close(*, round_: Round, now: datetime.datetime, actor: Any = None) -> int:
    """Close a round once every attempt has ended (its close plus the grace): submit what is still
    open, then rank. Idempotent: a closed round is only ranked again. Returns attempts closed."""
    if now < round_.closes_at + _grace(round_):
        raise RoundNotOpen()
    closed = attempts_close_overdue(now=now, round_=round_)
    with transaction.atomic():
        if Round.objects.filter(pk=round_.pk, closed_at__isnull=True).update(closed_at=now):
            _event(EventAction.ROUND_CLOSED, round_, actor, now, auto_submitted=closed)
    round_rank(round_=round_, now=now, actor=actor)
    round_.refresh_from_db()
    return closed


def round_rank(*, round_: Round, now: datetime.datetime, actor: Any = None) -> int:
    """Rank the closed round: one standing per participant (best attempt), prizes by rank and by
    group. Run again, it gives the same standings. Returns how many were ranked."""
    finished = Attempt.objects.filter(round=round_).exclude(state=AttemptState.OPEN)
    rows = finished.values_list(
        "participant_id", "pk", "score", "prediction", "time_taken_ms", "submitted_at", "participant__group"
    )
    entries, group_of = [], {}
    for participant_id, pk, score_, prediction, taken, submitted_at, group in rows.iterator(chunk_size=5000):
        entries.append(rules.Entry(participant_id, pk, score_ or 0, prediction, taken or 0, submitted_at or now))
        group_of[participant_id] = group
    actual = len(group_of)
    ranked = rules.rank(entries, actual)
    contest = round_.contest
    spec = rules.PrizeSpec(
        first=contest.first_prizes,
        second=contest.second_prizes,
        third=contest.third_prizes,
        consolation=contest.consolation_prizes,
        per_group=contest.group_prizes,
    )
    prizes = rules.award(ranked, spec, group_of)
    standings = [
        Standing(
            round=round_,
            participant_id=r.entry.participant_id,
            attempt_id=r.entry.attempt_id,
            rank=r.rank,
            score=r.entry.score,
            prediction_gap=r.prediction_gap,
            time_taken_ms=r.entry.time_taken_ms,
            prize=prizes.get(r.entry.participant_id, ""),
        )
        for r in ranked
    ]
    with transaction.atomic():
        Standing.objects.filter(round=round_).delete()
        Standing.objects.bulk_create(standings, batch_size=2000)
        Round.objects.filter(pk=round_.pk).update(ranked_at=now, participants_count=actual)
        _event(EventAction.ROUND_RANKED, round_, actor, now, participants=actual)
    return len(standings)


def _event(action: str, round_: Round, actor: Any, now: datetime.datetime, **details: Any) -> None:
    ContestEvent.objects.create(
        at=now, actor=actor, action=action, contest_id=round_.contest_id, round=round_, details=details
    )


def rounds_close_due(*, now: datetime.datetime) -> list[int]:
    """The worker's sweep: close and rank every round whose end (plus grace) has passed."""
    done = []
    for round_ in Round.objects.filter(closed_at__isnull=True, closes_at__lt=now).select_related("contest"):
        if now >= round_.closes_at + _grace(round_):
            round_close(round_=round_, now=now)
            done.append(round_.pk)
    return done


def participation_counts(round_ids: Iterable[int]) -> dict[int, int]:
    """Participants per round (having started an attempt), for the live counter."""
    rows = (
        Attempt.objects.filter(round_id__in=list(round_ids))
        .values("round_id")
        .annotate(n=Count("participant_id", distinct=True))
    )
    return {row["round_id"]: row["n"] for row in rows}


# --- Organisers ---------------------------------------------------------------------------------


def questions_import(*, bank: Any, file: Any, actor: Any, now: datetime.datetime, dry_run: bool = False) -> Any:
    """Nhập câu hỏi from an XLSX file into ``bank``: every row checked first; all imported in one
    transaction with its log entry, or nothing (the row errors are in the report). ``dry_run``
    only checks."""
    from . import imports

    if dry_run:
        parsed, errors = imports.parse(file)
        report = imports.ImportReport(errors=errors)
        report.created = len(parsed)
        return report
    with transaction.atomic():
        report = imports.import_questions(bank=bank, file=file)
        if report.ok:
            ContestEvent.objects.create(
                at=now,
                actor=actor,
                action=EventAction.QUESTIONS_IMPORTED,
                details={
                    "bank": bank.pk,
                    "created": report.created,
                    "new_versions": report.new_versions,
                    "unchanged": report.unchanged,
                },
            )
    return report


def winners_exported(*, round_: Round, actor: Any, now: datetime.datetime, count: int) -> None:
    """Record that an organiser exported the winners list of a round (who, when, how many)."""
    _event(EventAction.WINNERS_EXPORTED, round_, actor, now, winners=count)


# --- Initiative contests ------------------------------------------------------------------------

MAX_ATTACHMENTS = 5
TEXT_LIMITS = {"title": 300, "problem": 20_000, "solution": 40_000, "expected_effect": 20_000, "author_unit": 300}


@dataclass(frozen=True)
class InitiativeDraft:
    title: str
    problem: str
    solution: str
    expected_effect: str
    author_unit: str


@dataclass(frozen=True)
class Upload:
    data: Any  # bytes or a file object
    name: str


def _draft_problems(draft: InitiativeDraft) -> dict[str, str]:
    problems = {}
    for name, limit in TEXT_LIMITS.items():
        value = getattr(draft, name).strip()
        if not value:
            problems[name] = _("Vui lòng điền mục này.")
        elif len(value) > limit:
            problems[name] = _("Tối đa %(n)d ký tự.") % {"n": limit}
    return problems


def initiative_submit(
    *, contest: Contest, author: Any, draft: InitiativeDraft, uploads: Sequence[Upload], now: datetime.datetime
) -> Initiative:
    """Gửi sáng kiến: by a member of staff, within the contest's window. The attachments go
    through the documents app's checks (type by content, size, malware scan) before anything is
    written; a refused file refuses the whole submission (``InitiativeInvalid``, per field)."""
    if contest.kind != "initiative" or not rules.submissions_open(
        now, contest.submissions_open_at, contest.submissions_close_at
    ):
        raise SubmissionsClosed()
    problems = _draft_problems(draft)
    if len(uploads) > MAX_ATTACHMENTS:
        problems["attachments"] = _("Gửi tối đa %(n)d tệp đính kèm.") % {"n": MAX_ATTACHMENTS}
    if problems:
        raise InitiativeInvalid(problems)
    stored = []
    for upload in uploads:
        try:
            stored.append((file_store(data=upload.data, name=upload.name, actor=author), upload.name[:200]))
        except UploadRejected as refusal:
            problems["attachments"] = f"{upload.name[:80]}: {refusal.message}"
            raise InitiativeInvalid(problems) from None
    for _try in range(5):
        try:
            with transaction.atomic():
                last = Initiative.objects.filter(contest=contest).aggregate(n=Count("pk"), top=Max("code"))
                number = max(int(last["n"] or 0), int(str(last["top"] or "SK-0").split("-")[-1])) + 1
                initiative = Initiative.objects.create(
                    contest=contest,
                    code=f"SK-{number:03d}",
                    author=author,
                    author_name=(getattr(author, "full_name", "") or str(author))[:200],
                    author_unit=draft.author_unit.strip(),
                    title=" ".join(draft.title.split()),
                    problem=draft.problem.strip(),
                    solution=draft.solution.strip(),
                    expected_effect=draft.expected_effect.strip(),
                    submitted_at=now,
                )
                InitiativeAttachment.objects.bulk_create(
                    [InitiativeAttachment(initiative=initiative, file=f, name=name) for f, name in stored]
                )
                return initiative
        except IntegrityError:  # another submission took the code meanwhile: take the next one
            continue
    raise SubmissionsClosed()


def rubric_of(contest: Contest) -> list[rules.Criterion]:
    return [
        rules.Criterion(c.pk, c.weight, c.max_points)
        for c in Criterion.objects.filter(contest=contest).order_by("position")
    ]


def scorecard_save(
    *, initiative: Initiative, user: Any, points: dict[int, int], comment: str, now: datetime.datetime
) -> Scorecard:
    """Chấm điểm: a judge of the contest's panel scores an initiative against the rubric (every
    criterion, within its maximum), once the submissions are in and until the ranking; saving
    again replaces the judge's scorecard. Nobody scores their own initiative; anybody off the
    panel is answered "not found"."""
    contest = initiative.contest
    judge = Judge.objects.filter(contest=contest, user=user).first()
    if judge is None:
        raise NotFound()
    if initiative.author_id == getattr(user, "pk", None):
        raise OwnInitiative()
    if not rules.judging_open(now, contest.submissions_close_at, contest.initiatives_ranked_at is not None):
        raise JudgingClosed()
    criteria = rubric_of(contest)
    wrong = rules.points_problems(criteria, points)
    if wrong or not criteria:
        messages_ = {
            "missing": _("Chưa cho điểm tiêu chí này."),
            "range": _("Điểm nằm ngoài thang điểm của tiêu chí."),
            "unknown": _("Không có tiêu chí này."),
        }
        raise InitiativeInvalid({f"criterion_{cid}": messages_[code] for cid, code in wrong.items()})
    score_ = rules.weighted_score(criteria, points)
    with transaction.atomic():
        # The contest's row locked: a ranking running now waits, or has already refused us.
        locked = Contest.objects.select_for_update().get(pk=contest.pk)
        if locked.initiatives_ranked_at is not None:
            raise JudgingClosed()
        card, _created = Scorecard.objects.update_or_create(
            initiative=initiative,
            judge=judge,
            defaults={
                "points": {str(k): v for k, v in points.items()},
                "score": score_,
                "comment": comment.strip()[:5000],
                "saved_at": now,
            },
        )
    return card


def initiatives_rank(*, contest: Contest, now: datetime.datetime, actor: Any = None) -> int:
    """Xếp hạng sáng kiến: each initiative's panel average from its scorecards (recomputed from
    the points against the rubric), ranked (``rules.rank_initiatives``) and prized by rank. From
    then on judges cannot change their scorecards. Run again, it gives the same outcome. Returns
    how many initiatives were ranked."""
    if contest.submissions_close_at is None or now < contest.submissions_close_at:
        raise JudgingClosed()
    criteria = rubric_of(contest)
    cards: dict[int, list[dict[int, int]]] = defaultdict(list)
    for initiative_id, points in Scorecard.objects.filter(initiative__contest=contest).values_list(
        "initiative_id", "points"
    ):
        cards[initiative_id].append({int(k): int(v) for k, v in points.items()})
    initiatives = list(Initiative.objects.filter(contest=contest))
    entries = []
    for i in initiatives:
        mine = [c for c in cards.get(i.pk, []) if not rules.points_problems(criteria, c)]
        entries.append(
            rules.InitiativeEntry(
                i.pk,
                tuple(rules.weighted_score(criteria, c) for c in mine),
                rules.panel_average(criteria, mine),
                i.submitted_at,
            )
        )
    ranked = rules.rank_initiatives(entries, contest.judging_quorum)
    spec = rules.PrizeSpec(
        first=contest.first_prizes,
        second=contest.second_prizes,
        third=contest.third_prizes,
        consolation=contest.consolation_prizes,
    )
    prizes = rules.award_initiatives(ranked, spec, Decimal(contest.prize_threshold))
    place = {r.entry.initiative_id: r.rank for r in ranked}
    by_id = {e.initiative_id: e for e in entries}
    for i in initiatives:
        i.average = by_id[i.pk].average
        i.scorecards = len(by_id[i.pk].card_scores)
        i.rank = place.get(i.pk)
        i.prize = prizes.get(i.pk, "")
    with transaction.atomic():
        Contest.objects.select_for_update().filter(pk=contest.pk).first()
        Initiative.objects.filter(contest=contest).update(rank=None)
        Initiative.objects.bulk_update(initiatives, ["average", "scorecards", "rank", "prize"], batch_size=500)
        Contest.objects.filter(pk=contest.pk).update(initiatives_ranked_at=now)
        ContestEvent.objects.create(
            at=now, actor=actor, action=EventAction.INITIATIVES_RANKED, contest=contest, details={"ranked": len(ranked)}
        )
    contest.refresh_from_db()
    return len(ranked)


def initiatives_publish(*, contest: Contest, now: datetime.datetime, actor: Any = None) -> None:
    """Công bố kết quả: the ranking, the authors of the ranked initiatives and the full text of
    the winning ones become public. Only a ranked contest; publishing again changes nothing."""
    if contest.initiatives_ranked_at is None:
        raise JudgingClosed()
    with transaction.atomic():
        if Contest.objects.filter(pk=contest.pk, results_published_at__isnull=True).update(results_published_at=now):
            ContestEvent.objects.create(at=now, actor=actor, action=EventAction.RESULTS_PUBLISHED, contest=contest)
    contest.refresh_from_db()


def panel_changed(*, contest: Contest, actor: Any, now: datetime.datetime, judges: Sequence[str]) -> None:
    """Record who the organiser put on the panel."""
    ContestEvent.objects.create(
        at=now, actor=actor, action=EventAction.PANEL_CHANGED, contest=contest, details={"judges": list(judges)}
    )
