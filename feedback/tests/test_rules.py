"""The rules of feedback items, without a database: the transition table over every pair of
state and action and every role, codes and the tracking check, deadlines over holidays and
make-up days, routing, duplicates, redaction (as properties) and the intake's checks."""

from __future__ import annotations

import datetime
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedback import rules
from feedback.rules import (
    HANDLER,
    ROUTER,
    SENDER,
    Action,
    DeadlinePolicy,
    Facts,
    Route,
    State,
)
from workdays.calendar import WorkCalendar

# --- The transition table: every (state, action, role) ---------------------------------------------

EXPECTED: dict[tuple[State, Action], State] = {
    (State.RECEIVED, Action.CLASSIFY): State.CLASSIFIED,
    (State.RECEIVED, Action.REFUSE): State.REFUSED,
    (State.CLASSIFIED, Action.REFUSE): State.REFUSED,
    (State.CLASSIFIED, Action.FORWARD): State.FORWARDED,
    (State.IN_PROGRESS, Action.FORWARD): State.FORWARDED,
    (State.CLASSIFIED, Action.HANDLE): State.IN_PROGRESS,
    (State.FORWARDED, Action.HANDLE): State.IN_PROGRESS,
    (State.IN_PROGRESS, Action.ANSWER): State.ANSWERED,
    (State.ANSWERED, Action.PUBLISH): State.PUBLISHED,
    (State.REFUSED, Action.ARCHIVE): State.ARCHIVED,
    (State.ANSWERED, Action.ARCHIVE): State.ARCHIVED,
    (State.PUBLISHED, Action.ARCHIVE): State.ARCHIVED,
    (State.ANSWERED, Action.REOPEN): State.IN_PROGRESS,
    (State.PUBLISHED, Action.REOPEN): State.IN_PROGRESS,
}
ACTORS: dict[Action, set[str]] = {
    Action.CLASSIFY: {HANDLER, ROUTER},
    Action.REFUSE: {HANDLER},
    Action.FORWARD: {HANDLER, ROUTER},
    Action.HANDLE: {HANDLER},
    Action.ANSWER: {HANDLER},
    Action.PUBLISH: {HANDLER},
    Action.ARCHIVE: {HANDLER},
    Action.REOPEN: {SENDER, HANDLER},
}
ROLES = (HANDLER, SENDER, ROUTER, "stranger")


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", ROLES)
def test_each_state_action_and_role_is_allowed_exactly_as_the_table_says(state: State, action: Action, role: str):
    allowed = (state, action) in EXPECTED and role in ACTORS[action]
    assert rules.can(action, state, role) is allowed
    if (state, action) in EXPECTED:
        assert rules.next_state(action, state) == EXPECTED[(state, action)]


def test_an_archived_item_is_final_and_nothing_returns_to_received():
    assert rules.allowed_actions(State.ARCHIVED, ROLES) == []
    assert all(t.target != State.RECEIVED for t in rules.TRANSITIONS.values())


def test_every_state_but_received_is_reachable_and_every_open_state_can_end():
    reachable = {State.RECEIVED}
    for _ in State:
        for (source, _action), target in EXPECTED.items():
            if source in reachable:
                reachable.add(target)
    assert reachable == set(State)
    assert all(rules.allowed_actions(state, [HANDLER]) for state in rules.OPEN_STATES)


def test_a_refusal_and_a_reopening_need_a_reason_and_tell_the_sender():
    for action in (Action.REFUSE, Action.REOPEN):
        assert rules.TRANSITIONS[action].needs_reason
        assert rules.TRANSITIONS[action].notifies
    assert not rules.TRANSITIONS[Action.CLASSIFY].needs_reason


def test_allowed_actions_follow_table_order():
    assert rules.allowed_actions(State.CLASSIFIED, [HANDLER]) == [Action.REFUSE, Action.FORWARD, Action.HANDLE]
    assert rules.allowed_actions(State.ANSWERED, [SENDER]) == [Action.REOPEN]


# --- Codes and the tracking check --------------------------------------------------------------------


@given(st.dates(datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)), st.integers(1, 99_999))
def test_a_code_reads_back_as_its_day_and_number(day: datetime.date, number: int):
    code = rules.feedback_code(day, number)
    assert re.fullmatch(r"PA-\d{6}-\d{4,5}", code)
    assert rules.parse_feedback_code(code) == (day, number)
    assert rules.parse_feedback_code(code.lower()) == (day, number)


def test_codes_start_at_one_and_bad_codes_parse_to_nothing():
    with pytest.raises(ValueError):
        rules.feedback_code(datetime.date(2026, 1, 1), 0)
    assert rules.feedback_code(datetime.date(2026, 12, 7), 12) == "PA-261207-0012"
    for bad in ("", "PA-261307-0001", "PA-2612-0001", "XX-261207-0001", "PA-261207-12"):
        assert rules.parse_feedback_code(bad) is None


def test_the_check_is_the_last_four_digits_of_the_phone():
    assert rules.check_matches("0905 123 456", "3456")
    assert not rules.check_matches("0905 123 456", "3457")
    assert not rules.check_matches("0905 123 456", "")
    assert not rules.check_matches("", "0000")
    assert not rules.check_matches("", "")
    assert not rules.check_matches("0905123456", "a456")


# --- Deadlines ------------------------------------------------------------------------------------------

# 2026: Tết from Monday 16 to Friday 20 February (official days off); Saturday 7 February a make-up day.
TET = WorkCalendar.from_entries(
    days_off=[datetime.date(2026, 2, 16) + datetime.timedelta(days=i) for i in range(5)],
    makeup_days=[datetime.date(2026, 2, 7)],
    years=[2026],
)
TZ = datetime.UTC


def at(y: int, m: int, d: int, h: int = 9) -> datetime.datetime:
    return datetime.datetime(y, m, d, h, tzinfo=TZ)


def test_deadlines_count_working_days_from_reception():
    # Monday 7 December 2026, 09:00.
    d = rules.deadlines(at(2026, 12, 7), rules.DEFAULT_POLICY, TET)
    assert d.classify_by == datetime.date(2026, 12, 9)
    assert d.forward_by == datetime.date(2026, 12, 14)
    assert d.answer_by == datetime.date(2026, 12, 28)


def test_an_item_received_after_15_00_counts_from_the_next_working_day():
    d = rules.deadlines(at(2026, 12, 4, 16), rules.DEFAULT_POLICY, TET)  # Friday 16:00
    assert d.classify_by == datetime.date(2026, 12, 9)  # counted from Monday 7: Tuesday, Wednesday


def test_deadlines_skip_tet_and_count_a_make_up_saturday():
    # Friday 6 February 09:00: Saturday 7 is worked, then Monday 9 … Friday 13, Tết, Monday 23.
    d = rules.deadlines(at(2026, 2, 6), rules.DEFAULT_POLICY, TET)
    assert d.classify_by == datetime.date(2026, 2, 9)  # Sat 7, Mon 9
    assert d.forward_by == datetime.date(2026, 2, 12)  # 7, 9, 10, 11, 12
    # 7, 9–13 (6), 23–27 (11), 2–5 March (15)
    assert d.answer_by == datetime.date(2026, 3, 5)


def test_an_item_received_during_tet_counts_from_the_first_day_back():
    d = rules.deadlines(at(2026, 2, 17), rules.DEFAULT_POLICY, TET)
    assert d.classify_by == datetime.date(2026, 2, 25)  # counted from Monday 23: Tuesday, Wednesday


def test_the_policy_in_force_on_the_day_applies():
    old = DeadlinePolicy(datetime.date(2020, 1, 1), answer_days=10)
    new = DeadlinePolicy(datetime.date(2026, 7, 1), answer_days=15)
    assert rules.policy_on([new, old], datetime.date(2026, 6, 30)) == old
    assert rules.policy_on([new, old], datetime.date(2026, 7, 1)) == new
    assert rules.policy_on([new], datetime.date(2026, 1, 1)) == rules.DEFAULT_POLICY


def test_publish_and_reopening_deadlines():
    assert rules.publish_by(at(2026, 12, 10), rules.DEFAULT_POLICY, TET) == datetime.date(2026, 12, 14)
    assert rules.answer_due_after_reopening(at(2026, 12, 7), rules.DEFAULT_POLICY, TET) == datetime.date(2026, 12, 28)


@settings(max_examples=200)
@given(
    st.datetimes(datetime.datetime(2026, 1, 1), datetime.datetime(2026, 12, 20), timezones=st.just(TZ)),
    st.integers(0, 30),
)
def test_a_due_date_is_a_working_day_never_before_reception_and_later_for_more_days(
    received: datetime.datetime, days: int
):
    short = rules.deadlines(received, DeadlinePolicy(datetime.date(2000, 1, 1), answer_days=days), TET).answer_by
    longer = rules.deadlines(received, DeadlinePolicy(datetime.date(2000, 1, 1), answer_days=days + 1), TET).answer_by
    assert short >= received.date()
    assert longer > short
    assert TET.is_working_day(longer)


def test_queue_buckets():
    today = datetime.date(2026, 12, 7)
    assert rules.queue_bucket(datetime.date(2026, 12, 4), today) == "overdue"
    assert rules.queue_bucket(today, today) == "today"
    assert rules.queue_bucket(datetime.date(2026, 12, 8), today) == "later"
    assert rules.queue_bucket(None, today) == "none"


# --- Routing --------------------------------------------------------------------------------------------

ROUTES = [
    Route(agency=10, topic="fees"),
    Route(agency=20, procedure_code="1.001193"),
    Route(agency=30, topic="fees", procedure_code="1.001193"),
    Route(agency=40, named_agency=7),
    Route(agency=50),  # no condition: never routes
]


def test_the_sender_s_own_dossier_decides_first():
    assert rules.route(Facts(topic="fees", dossier_agency=99), ROUTES) == 99


def test_the_most_specific_rule_wins():
    assert rules.route(Facts(topic="fees", procedure_code="1.001193"), ROUTES) == 30
    assert rules.route(Facts(topic="fees"), ROUTES) == 10
    assert rules.route(Facts(procedure_code="1.001193", topic="delay"), ROUTES) == 20
    assert rules.route(Facts(named_agency=7), ROUTES) == 40


def test_an_unclear_item_waits_for_a_person():
    assert rules.route(Facts(topic="other"), ROUTES) is None
    assert rules.route(Facts(), ROUTES) is None


def test_ties_go_to_the_lower_order():
    tied = [Route(agency=1, topic="fees", order=5), Route(agency=2, topic="fees", order=1)]
    assert rules.route(Facts(topic="fees"), tied) == 2


# --- Duplicates -----------------------------------------------------------------------------------------

T0 = at(2026, 12, 1)


def test_the_same_sender_on_the_same_subject_within_the_window_is_a_duplicate():
    kwargs = {"earlier_phone": "0905 123 456", "earlier_subject": "Chậm trả kết quả sổ đỏ", "earlier_at": T0}
    assert rules.is_duplicate(**kwargs, phone="0905123456", subject="chậm trả kết quả sổ đỏ", at=T0)
    assert rules.is_duplicate(**kwargs, phone="0905.123.456", subject="Cham tra ket qua so do", at=T0)
    days_29 = T0 + datetime.timedelta(days=29)
    assert rules.is_duplicate(**kwargs, phone="0905123456", subject="Chậm trả kết quả sổ đỏ", at=days_29)
    days_31 = T0 + datetime.timedelta(days=31)
    assert not rules.is_duplicate(**kwargs, phone="0905123456", subject="Chậm trả kết quả sổ đỏ", at=days_31)
    assert not rules.is_duplicate(**kwargs, phone="0905123457", subject="Chậm trả kết quả sổ đỏ", at=T0)
    assert not rules.is_duplicate(**kwargs, phone="0905123456", subject="Thái độ cán bộ tiếp dân", at=T0)
    assert not rules.is_duplicate(**kwargs, phone="", subject="Chậm trả kết quả sổ đỏ", at=T0)


def test_subject_similarity_ignores_tone_placement():
    assert rules.subject_similarity("Hoà giải", "hòa giải") == 1.0
    assert rules.subject_similarity("", "x") == 0.0


# --- Redaction ------------------------------------------------------------------------------------------

WORDS = st.lists(
    st.sampled_from(["Tôi", "đã", "nộp", "hồ", "sơ", "tại", "xã", "ngày", "lệ", "phí", "50.000", "đồng", "3", "tháng"]),
    max_size=12,
).map(" ".join)
SEPARATORS = st.sampled_from(["", " ", ".", "-"])


@st.composite
def phones(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(["0", "+84 ", "+84", "0"]))
    digits = draw(st.text("0123456789", min_size=9, max_size=9))
    sep = draw(SEPARATORS)
    grouped = sep.join([digits[:3], digits[3:6], digits[6:]])
    return prefix + grouped


personal_ids = st.text("0123456789", min_size=12, max_size=12)
old_ids = st.text("0123456789", min_size=9, max_size=9)
emails = st.builds(
    lambda user, host, tld: f"{user}@{host}.{tld}",
    st.text("abcdefghijklmnopqrstuvwxyz0123456789._", min_size=1, max_size=12).filter(
        lambda s: s[0] not in "._" and s[-1] not in "._"
    ),
    st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=10),
    st.sampled_from(["vn", "com", "gov.vn", "com.vn"]),
)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@settings(max_examples=300)
@given(WORDS, phones(), WORDS)
def test_a_generated_phone_number_never_survives(before: str, phone: str, after: str):
    out = rules.redact(f"{before} số điện thoại {phone}, {after}")
    assert _digits(phone)[-9:] not in _digits(out)


@settings(max_examples=300)
@given(WORDS, st.one_of(personal_ids, old_ids), WORDS, SEPARATORS)
def test_a_generated_identification_number_never_survives(before: str, number: str, after: str, sep: str):
    written = sep.join([number[:3], number[3:6], number[6:]])
    out = rules.redact(f"{before} CCCD {written} {after}")
    assert number not in _digits(out)


@settings(max_examples=300)
@given(WORDS, emails, WORDS)
def test_a_generated_email_never_survives(before: str, email: str, after: str):
    out = rules.redact(f"{before} ({email}) {after}")
    assert email not in out
    assert "@" not in out


@settings(max_examples=200)
@given(WORDS)
def test_text_without_personal_data_is_kept_as_written(text: str):
    assert rules.redact(text) == text


def test_given_names_and_addresses_go_however_they_are_typed():
    text = "Tôi là TRẦN THỊ HOÀ, ở 12 Lê Lợi, Nha Trang. Hòa đã nộp hồ sơ 000.10.20.H42-261201-0003 ngày 01/12."
    out = rules.redact(text, names=["Trần Thị Hoà"], addresses=["12 Lê Lợi, Nha Trang"])
    assert "HOÀ" not in out and "Hòa" not in out and "Lê Lợi" not in out and "261201" not in out
    assert "ngày 01/12" in out
    assert out.startswith("Tôi là […]")


def test_a_person_named_after_a_form_of_address_goes():
    out = rules.redact("Cán bộ tiếp nhận là anh Nguyễn Văn Bình, rất nhiệt tình; chị Lan cũng vậy.")
    assert "Nguyễn" not in out and "Bình" not in out and "Lan" not in out
    assert "rất nhiệt tình" in out


def test_amounts_dates_and_short_numbers_are_kept():
    text = "Lệ phí 1.500.000 đồng, tiền sử dụng đất 1.250.000.000 đồng, nộp ngày 07/11/2022, chờ 15 ngày."
    assert rules.redact(text) == text
    assert rules.redact("hai khoản 50.000 50.000") == "hai khoản 50.000 50.000"


def test_a_landline_with_its_area_code_in_brackets_goes():
    assert rules.redact("gọi (0258) 3822 123 giờ hành chính") == "gọi ([…] giờ hành chính"


# --- Intake checks --------------------------------------------------------------------------------------


def test_the_decree_requires_a_name_an_address_and_a_phone():
    problems = rules.sender_problems(rules.Sender(name=" ", address="", phone="12"))
    assert set(problems) == {"name", "address", "phone"}
    assert rules.sender_problems(rules.Sender(name="A", address="B", phone="0905 123 456")) == {}
    assert "email" in rules.sender_problems(rules.Sender(name="A", address="B", phone="0905123456", email="x@"))


def test_content_is_limited_to_5000_characters_with_a_clear_message():
    assert rules.content_problems(subject="S", content="x" * 5000) == {}
    problems = rules.content_problems(subject="S", content="x" * 5001)
    assert "5.000" in problems["content"] and "5.001" in problems["content"]
    assert set(rules.content_problems(subject="", content="")) == {"subject", "content"}


def test_a_filled_honeypot_or_a_form_sent_too_fast_looks_automated():
    assert rules.looks_automated(honeypot="x", seconds_to_fill=60)
    assert rules.looks_automated(honeypot="", seconds_to_fill=1)
    assert rules.looks_automated(honeypot="", seconds_to_fill=None)
    assert not rules.looks_automated(honeypot="", seconds_to_fill=20)
