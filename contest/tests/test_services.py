"""The contest's writes against the database, with the server's clock passed in (a frozen clock):
starting, resuming, saving answers as given and idempotently, refusing what is bad with nothing
changed, submitting, the worker closing overdue attempts, closing and ranking a round."""

from __future__ import annotations

import datetime
import re
import uuid

import pytest

from contest import services
from contest.errors import (
    AttemptClosed,
    DrawUnavailable,
    InvalidChoice,
    NoAttemptLeft,
    NotFound,
    PhoneCodeInvalid,
    PhoneCodeTooSoon,
    QuestionNotInAttempt,
    RoundNotOpen,
    TooLate,
)
from contest.models import Answer, Attempt, ContestEvent, Option, Participant, Question, Standing
from contest.rules import AttemptState, Group, Prize
from integrations.sms import LocmemSmsBackend

from .factories import OPENS, bank, commune, contest_round, participant, right_answers

pytestmark = pytest.mark.django_db

SECOND = datetime.timedelta(seconds=1)
MINUTE = datetime.timedelta(minutes=1)
T = OPENS + 3 * MINUTE


def _started(round_, person=None, at=T):
    person = person or participant(round_.contest)
    attempt, _started = services.attempt_start(round_=round_, participant=person, now=at)
    return person, attempt


def _save(person, attempt, question_id, chosen, seq, at=T + MINUTE):
    return services.answer_save(
        public_id=attempt.public_id, participant=person, question_id=question_id, chosen=chosen, seq=seq, now=at
    )


# --- Starting ---------------------------------------------------------------------------------------


def test_starting_fixes_the_end_on_the_servers_clock_and_keeps_the_drawn_questions():
    r = contest_round(time_limit_seconds=20 * 60)
    _person, attempt = _started(r)
    assert attempt.ends_at == T + 20 * MINUTE
    assert len(attempt.questions) == 10
    assert sum(1 for q in attempt.questions if q["code"].startswith("TTHC")) == 5
    assert all(len(q["options"]) == 4 and q["correct"] for q in attempt.questions)


def test_an_attempt_started_near_the_close_ends_at_the_close():
    r = contest_round()
    _person, attempt = _started(r, at=r.closes_at - 5 * MINUTE)
    assert attempt.ends_at == r.closes_at


def test_starting_again_while_an_attempt_is_open_resumes_it():
    r = contest_round()
    person, attempt = _started(r)
    again, started = services.attempt_start(round_=r, participant=person, now=T + 2 * MINUTE)
    assert (again.pk, started) == (attempt.pk, False)
    assert Attempt.objects.count() == 1


def test_a_second_attempt_is_refused_when_one_is_allowed_and_nothing_is_created():
    r = contest_round()
    person, attempt = _started(r)
    services.attempt_submit(public_id=attempt.public_id, participant=person, now=T + MINUTE)
    with pytest.raises(NoAttemptLeft):
        services.attempt_start(round_=r, participant=person, now=T + 2 * MINUTE)
    assert Attempt.objects.count() == 1


def test_with_two_attempts_allowed_the_second_draws_another_paper():
    r = contest_round(bank({"TTHC": 40, "MC": 40}), attempts_allowed=2)
    person, first = _started(r)
    services.attempt_submit(public_id=first.public_id, participant=person, now=T + MINUTE)
    second, started = services.attempt_start(round_=r, participant=person, now=T + 2 * MINUTE)
    assert started and second.number == 2
    assert [q["id"] for q in second.questions] != [q["id"] for q in first.questions]


@pytest.mark.parametrize("at", [OPENS - SECOND, OPENS + datetime.timedelta(days=7)])
def test_a_round_not_open_refuses_to_start(at):
    r = contest_round()
    person = participant(r.contest)
    with pytest.raises(RoundNotOpen):
        services.attempt_start(round_=r, participant=person, now=at)
    assert not Attempt.objects.exists()


def test_a_participant_of_another_contest_cannot_start():
    r, other = contest_round(), contest_round()
    with pytest.raises(NotFound):
        services.attempt_start(round_=r, participant=participant(other.contest), now=T)


def test_the_same_participant_draws_the_same_paper_on_any_retry_of_the_draw():
    r = contest_round(bank({"TTHC": 40, "MC": 40}))
    person, attempt = _started(r)
    drawn = [q["id"] for q in attempt.questions]
    Attempt.objects.all().delete()
    _person, again = _started(r, person)
    assert [q["id"] for q in again.questions] == drawn
    assert [q["options"] for q in again.questions] == [q["options"] for q in attempt.questions]


def test_groups_draw_their_own_sets():
    qb = bank({"TTHC": 10, "CBCC": 10, "CD": 10})
    r = contest_round(qb, draw={Group.CIVIL_SERVANT: {"TTHC": 3, "CBCC": 7}, "*": {"TTHC": 3, "CD": 7}})
    _p, servant = _started(r, participant(r.contest, group=Group.CIVIL_SERVANT))
    _p, student = _started(r, participant(r.contest, group=Group.STUDENT))
    assert {q["code"][:2] for q in servant.questions} == {"TT", "CB"}
    assert {q["code"][:2] for q in student.questions} == {"TT", "CD"}


def test_a_bank_too_small_for_the_draw_refuses_to_start_with_nothing_created():
    r = contest_round(bank({"TTHC": 3}), draw={"*": {"TTHC": 5}})
    with pytest.raises(DrawUnavailable):
        _started(r)
    assert not Attempt.objects.exists()


def test_a_finished_round_keeps_its_questions_when_the_bank_changes():
    r = contest_round()
    _person, attempt = _started(r)
    first = attempt.questions[0]
    question = Question.objects.get(pk=first["id"])
    question.text = "Đã sửa"
    question.save()
    Option.objects.filter(question=question).update(is_correct=False)
    kept = Attempt.objects.get(pk=attempt.pk).questions[0]
    assert kept["text"] == first["text"] and kept["correct"] == first["correct"]


# --- Saving answers ----------------------------------------------------------------------------------


def test_an_answer_is_saved_as_given_and_a_replayed_save_changes_nothing():
    r = contest_round()
    person, attempt = _started(r)
    q = attempt.questions[0]
    first = _save(person, attempt, q["id"], [q["options"][0]["id"]], seq=1)
    replay = _save(person, attempt, q["id"], [q["options"][0]["id"]], seq=1, at=T + 2 * MINUTE)
    assert not first.replayed and replay.replayed
    row = Answer.objects.get()
    assert (row.chosen, row.seq, row.saved_at) == ([q["options"][0]["id"]], 1, T + MINUTE)


def test_a_later_choice_replaces_the_answer_and_an_overtaken_retry_does_not_bring_back_the_old_one():
    r = contest_round()
    person, attempt = _started(r)
    q = attempt.questions[0]
    a, b = q["options"][0]["id"], q["options"][1]["id"]
    _save(person, attempt, q["id"], [a], seq=1)
    _save(person, attempt, q["id"], [b], seq=2)
    late_retry = _save(person, attempt, q["id"], [a], seq=1)
    assert late_retry.replayed and late_retry.chosen == [b]
    assert Answer.objects.get().chosen == [b]


def test_an_answer_to_a_question_not_in_the_attempt_is_refused():
    r = contest_round(bank({"TTHC": 20, "MC": 20}))
    person, attempt = _started(r)
    elsewhere = Question.objects.exclude(pk__in=[q["id"] for q in attempt.questions]).first()
    with pytest.raises(QuestionNotInAttempt):
        _save(person, attempt, elsewhere.pk, [], seq=1)
    assert not Answer.objects.exists()


def test_an_option_of_another_question_or_two_for_single_choice_is_refused():
    r = contest_round(bank({"TTHC": 20, "MC": 20}, multiple_every=0))
    person, attempt = _started(r)
    q, other = attempt.questions[0], attempt.questions[1]
    with pytest.raises(InvalidChoice):
        _save(person, attempt, q["id"], [other["options"][0]["id"]], seq=1)
    with pytest.raises(InvalidChoice):
        _save(person, attempt, q["id"], [q["options"][0]["id"], q["options"][1]["id"]], seq=1)
    assert not Answer.objects.exists()


def test_answers_are_taken_within_the_grace_and_refused_after_it():
    r = contest_round(time_limit_seconds=600, grace_seconds=10)
    person, attempt = _started(r)
    q = attempt.questions[0]
    _save(person, attempt, q["id"], [q["options"][0]["id"]], seq=1, at=attempt.ends_at + 10 * SECOND)
    with pytest.raises(TooLate):
        _save(person, attempt, q["id"], [q["options"][1]["id"]], seq=2, at=attempt.ends_at + 11 * SECOND)
    assert Answer.objects.get().chosen == [q["options"][0]["id"]]


@pytest.mark.parametrize("tampered", ["another", "random", "not-a-uuid", ""])
def test_a_tampered_attempt_id_is_not_found_and_changes_nothing(tampered):
    r = contest_round()
    person, _attempt = _started(r)
    _stranger, theirs = _started(r)
    public_id = {"another": theirs.public_id, "random": uuid.uuid4(), "not-a-uuid": "1 OR 1=1", "": ""}[tampered]
    q = theirs.questions[0]
    with pytest.raises(NotFound):
        services.answer_save(
            public_id=public_id, participant=person, question_id=q["id"], chosen=[], seq=1, now=T + MINUTE
        )
    with pytest.raises(NotFound):
        services.attempt_submit(public_id=public_id, participant=person, now=T + MINUTE)
    assert not Answer.objects.exists()
    assert Attempt.objects.filter(state=AttemptState.OPEN).count() == 2


def test_an_attempt_resumed_after_a_dropped_connection_keeps_every_saved_answer():
    r = contest_round()
    person, attempt = _started(r)
    given = {q["id"]: [q["options"][2]["id"]] for q in attempt.questions[:6]}
    for seq, (qid, chosen) in enumerate(given.items(), 1):
        _save(person, attempt, qid, chosen, seq=seq)
    # The phone lost its connection; the taker opens the round again ten minutes later.
    resumed, started = services.attempt_start(round_=r, participant=person, now=T + 10 * MINUTE)
    assert (resumed.pk, started, resumed.ends_at) == (attempt.pk, False, attempt.ends_at)
    assert dict(Answer.objects.filter(attempt=resumed).values_list("question_id", "chosen")) == given


# --- Submitting and closing -----------------------------------------------------------------------


def test_submitting_scores_the_saved_answers_and_a_second_submission_changes_nothing():
    r = contest_round(time_limit_seconds=1200)
    person, attempt = _started(r)
    right = right_answers(attempt)
    for seq, q in enumerate(attempt.questions[:7], 1):
        _save(person, attempt, q["id"], right[q["id"]], seq=seq)
    wrong = attempt.questions[7]
    _save(
        person, attempt, wrong["id"], [next(o["id"] for o in wrong["options"] if o["id"] not in right[wrong["id"]])], 9
    )
    done = services.attempt_submit(
        public_id=attempt.public_id, participant=person, now=T + 5 * MINUTE, prediction=11876
    )
    assert (done.state, done.score, done.time_taken_ms, done.prediction) == ("submitted", 7, 300_000, 11876)
    again = services.attempt_submit(public_id=attempt.public_id, participant=person, now=T + 6 * MINUTE, prediction=1)
    assert (again.score, again.submitted_at, again.prediction) == (7, T + 5 * MINUTE, 11876)
    with pytest.raises(AttemptClosed):
        _save(person, attempt, wrong["id"], right[wrong["id"]], seq=10, at=T + 6 * MINUTE)


def test_a_submission_after_the_grace_is_refused_and_the_worker_submits_what_was_saved():
    r = contest_round(time_limit_seconds=600, grace_seconds=10)
    person, attempt = _started(r)
    q = attempt.questions[0]
    _save(person, attempt, q["id"], q["correct"], seq=1)
    services.prediction_save(public_id=attempt.public_id, participant=person, prediction=500, now=T + MINUTE)
    late = attempt.ends_at + 11 * SECOND
    with pytest.raises(TooLate):
        services.attempt_submit(public_id=attempt.public_id, participant=person, now=late)
    assert Attempt.objects.get().state == AttemptState.OPEN
    assert services.attempts_close_overdue(now=attempt.ends_at + 5 * SECOND) == 0  # still in its grace
    assert services.attempts_close_overdue(now=late) == 1
    closed = Attempt.objects.get()
    assert (closed.state, closed.score, closed.prediction, closed.time_taken_ms) == ("auto_submitted", 1, 500, 600_000)


def test_closing_a_round_submits_open_attempts_ranks_everyone_and_awards_prizes():
    r = contest_round(first_prizes=1, second_prizes=1, third_prizes=1, consolation_prizes=1, group_prizes=1)
    people = []
    for n in range(6):
        person, attempt = _started(r, participant(r.contest, group=Group.STUDENT if n < 5 else Group.WORKER))
        right = right_answers(attempt)
        for seq, q in enumerate(attempt.questions[: 9 - n], 1):
            _save(person, attempt, q["id"], right[q["id"]], seq=seq)
        if n % 2 == 0:  # the others are left open: the worker submits them at the close
            services.attempt_submit(
                public_id=attempt.public_id, participant=person, now=T + 2 * MINUTE, prediction=6 + n
            )
        people.append(person)
    with pytest.raises(RoundNotOpen):
        services.round_close(round_=r, now=r.closes_at)  # within the grace: attempts may still arrive
    closed = services.round_close(round_=r, now=r.closes_at + MINUTE)
    assert closed == 3
    r.refresh_from_db()
    assert r.participants_count == 6 and r.closed_at and r.ranked_at
    standings = list(Standing.objects.filter(round=r).order_by("rank"))
    assert [s.participant_id for s in standings] == [p.pk for p in people]
    assert [s.score for s in standings] == [9, 8, 7, 6, 5, 4]
    assert [s.prize for s in standings] == [
        Prize.FIRST,
        Prize.SECOND,
        Prize.THIRD,
        Prize.CONSOLATION,
        Prize.GROUP,
        Prize.GROUP,
    ]
    assert standings[0].prediction_gap == 0
    assert list(ContestEvent.objects.order_by("pk").values_list("action", "details")) == [
        ("round_closed", {"auto_submitted": 3}),
        ("round_ranked", {"participants": 6}),
    ]
    # Closing again changes nothing.
    assert services.round_close(round_=r, now=r.closes_at + 2 * MINUTE) == 0
    assert list(Standing.objects.filter(round=r).order_by("rank").values_list("participant_id", flat=True)) == [
        p.pk for p in people
    ]


def test_the_best_of_several_attempts_counts():
    r = contest_round(bank({"TTHC": 40, "MC": 40}), attempts_allowed=2)
    person, first = _started(r)
    services.attempt_submit(public_id=first.public_id, participant=person, now=T + MINUTE)
    second, _ = services.attempt_start(round_=r, participant=person, now=T + 2 * MINUTE)
    for seq, q in enumerate(second.questions[:3], 1):
        _save(person, second, q["id"], q["correct"], seq=seq, at=T + 3 * MINUTE)
    services.attempt_submit(public_id=second.public_id, participant=person, now=T + 4 * MINUTE)
    services.round_close(round_=r, now=r.closes_at + MINUTE)
    standing = Standing.objects.get()
    assert (standing.attempt_id, standing.score, standing.rank) == (second.pk, 3, 1)


# --- Participants and phone codes --------------------------------------------------------------------


def _code_in(text):
    return re.search(r"\b\d{6}\b", text).group()


def _send_code(phone, at, capture):
    with capture(execute=True):  # the SMS leaves once the code is committed
        services.phone_code_send(phone=phone, now=at)


def test_a_phone_code_confirms_once_and_a_wrong_one_is_refused(django_capture_on_commit_callbacks):
    LocmemSmsBackend.outbox.clear()
    _send_code("0905123456", T, django_capture_on_commit_callbacks)
    ((to, sms),) = LocmemSmsBackend.outbox
    code = _code_in(sms.text)
    assert to == "0905123456"
    with pytest.raises(PhoneCodeInvalid):
        services.phone_code_confirm(phone="0905123456", code="000000" if code != "000000" else "111111", now=T)
    services.phone_code_confirm(phone="0905123456", code=code, now=T + MINUTE)
    with pytest.raises(PhoneCodeInvalid):
        services.phone_code_confirm(phone="0905123456", code=code, now=T + MINUTE)


def test_a_phone_code_expires_allows_five_tries_and_is_sent_at_most_once_a_minute(
    django_capture_on_commit_callbacks,
):
    LocmemSmsBackend.outbox.clear()
    _send_code("0905123456", T, django_capture_on_commit_callbacks)
    with pytest.raises(PhoneCodeTooSoon):
        services.phone_code_send(phone="0905123456", now=T + 30 * SECOND)
    assert len(LocmemSmsBackend.outbox) == 1
    code = _code_in(LocmemSmsBackend.outbox[-1][1].text)
    with pytest.raises(PhoneCodeInvalid):
        services.phone_code_confirm(phone="0905123456", code=code, now=T + 6 * MINUTE)
    _send_code("0905123456", T + 7 * MINUTE, django_capture_on_commit_callbacks)
    code = _code_in(LocmemSmsBackend.outbox[-1][1].text)
    wrong = "999999" if code != "999999" else "888888"
    for _try in range(5):
        with pytest.raises(PhoneCodeInvalid):
            services.phone_code_confirm(phone="0905123456", code=wrong, now=T + 8 * MINUTE)
    with pytest.raises(PhoneCodeInvalid):  # the right code, after five wrong tries
        services.phone_code_confirm(phone="0905123456", code=code, now=T + 8 * MINUTE)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("0905 123 456", "0905123456"), ("+84 905.123.456", "0905123456"), ("0205123456", None), ("12345", None)],
)
def test_phone_numbers_are_read_as_people_type_them(typed, kept):
    assert services.normalize_phone(typed) == kept


def test_one_person_one_participant_per_contest_by_phone_or_identification_number(django_user_model):
    r = contest_round()
    reg = services.Registration("Lê Thị Hoa", datetime.date(1995, 5, 5), commune().pk, Group.WORKER)
    first, created = services.participant_register(contest=r.contest, registration=reg, now=T, phone="0905123456")
    again, created_again = services.participant_register(contest=r.contest, registration=reg, now=T, phone="0905123456")
    assert created and not created_again and again.pk == first.pk
    citizen = django_user_model.objects.create(username="c1", personal_id="056095001234")
    by_id, _ = services.participant_register(contest=r.contest, registration=reg, now=T, user=citizen)
    by_id_again, _ = services.participant_register(contest=r.contest, registration=reg, now=T, user=citizen)
    assert by_id.pk == by_id_again.pk != first.pk
    other = contest_round()
    _elsewhere, created = services.participant_register(
        contest=other.contest, registration=reg, now=T, phone="0905123456"
    )
    assert created and Participant.objects.count() == 3


def test_the_workers_sweeps_close_overdue_attempts_and_due_rounds():
    from contest import tasks

    r = contest_round(opens=OPENS - datetime.timedelta(days=8), closes=OPENS - datetime.timedelta(days=1))
    person = participant(r.contest)
    Attempt.objects.create(
        round=r, participant=person, number=1, started_at=r.opens_at, ends_at=r.opens_at + MINUTE, questions=[]
    )
    assert tasks.close_overdue_attempts.delay().get() == 1
    assert tasks.close_due_rounds.delay().get() == [r.pk]
    assert Standing.objects.get(round=r).participant_id == person.pk
