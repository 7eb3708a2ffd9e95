"""The remaining-time label follows the state (rules.time_left), for every state; and on the
officer's queue a dossier received and approved is no longer "not received yet"."""

from __future__ import annotations

import datetime

import pytest

from dossiers.rules import State, TimeLeftKind, time_left
from workdays.calendar import WorkCalendar

D = datetime.date
# Monday 3 to Friday 14 November 2025, no holiday.
CALENDAR = WorkCalendar.from_entries([], [], [2025])
TODAY = D(2025, 11, 5)  # Wednesday


def label(state: State, *, received: bool = True, due_on=None, finished_on=None, waiting_since=None):
    return time_left(
        state=state,
        received=received,
        due_on=due_on,
        finished_on=finished_on,
        waiting_since=waiting_since,
        today=TODAY,
        calendar=CALENDAR,
    )


@pytest.mark.parametrize(
    ("state", "kwargs", "kind", "text"),
    [
        (State.DRAFT, {"received": False}, TimeLeftKind.NOT_STARTED, "Chưa tính (hồ sơ chưa được tiếp nhận)"),
        (State.SUBMITTED, {"received": False}, TimeLeftKind.NOT_STARTED, "Chưa tính (hồ sơ chưa được tiếp nhận)"),
        (State.NOT_RECEIVED, {"received": False}, TimeLeftKind.CLOSED, "Không tính (hồ sơ không được tiếp nhận)"),
        (State.RECEIVED, {"due_on": D(2025, 11, 10)}, TimeLeftKind.RUNNING, "Còn 3 ngày làm việc"),
        (State.IN_PROGRESS, {"due_on": D(2025, 11, 6)}, TimeLeftKind.SOON, "Còn 1 ngày làm việc, sắp đến hạn"),
        (State.IN_PROGRESS, {"due_on": TODAY}, TimeLeftKind.DUE_TODAY, "Đến hạn hôm nay"),
        (State.IN_PROGRESS, {"due_on": D(2025, 11, 3)}, TimeLeftKind.OVERDUE, "Quá hạn 2 ngày làm việc"),
        (State.IN_PROGRESS, {"due_on": None}, TimeLeftKind.NO_DUE_DATE, "Chưa có ngày hẹn trả"),
        (
            State.SUPPLEMENT_REQUESTED,
            {"due_on": D(2025, 11, 10), "waiting_since": D(2025, 11, 4)},
            TimeLeftKind.PAUSED,
            "Tạm dừng chờ bổ sung; còn 4 ngày làm việc khi tiếp tục",
        ),
        (
            State.SUPPLEMENT_REQUESTED,
            {"received": False},
            TimeLeftKind.NOT_STARTED,
            "Chờ người nộp bổ sung (chưa tiếp nhận)",
        ),
        (
            State.AWAITING_PAYMENT,
            {"due_on": D(2025, 11, 10), "waiting_since": TODAY},
            TimeLeftKind.PAUSED,
            "Tạm dừng chờ nộp phí, lệ phí; còn 3 ngày làm việc khi tiếp tục",
        ),
        (State.WITHDRAWN, {}, TimeLeftKind.CLOSED, "Không tính (người nộp đã rút hồ sơ)"),
        (State.STOPPED, {}, TimeLeftKind.CLOSED, "Không tính (đã dừng xử lý)"),
        (
            State.DONE,
            {"due_on": D(2025, 11, 10), "finished_on": TODAY},
            TimeLeftKind.ON_TIME,
            "Đã giải quyết đúng hạn",
        ),
        (
            State.RETURNED,
            {"due_on": D(2025, 11, 10), "finished_on": D(2025, 11, 10)},
            TimeLeftKind.ON_TIME,
            "Đã giải quyết đúng hạn",
        ),
        (
            State.DONE,
            {"due_on": D(2025, 11, 3), "finished_on": TODAY},
            TimeLeftKind.LATE,
            "Đã giải quyết, quá hạn 2 ngày làm việc",
        ),
        (State.DONE, {"due_on": None, "finished_on": TODAY}, TimeLeftKind.CLOSED, "Đã giải quyết xong"),
    ],
)
def test_the_label_follows_the_state(state, kwargs, kind, text):
    found = label(state, **kwargs)
    assert (found.kind, found.text) == (kind, text)


def test_every_state_has_a_label_and_none_is_blank():
    for state in State:
        for received in (False, True):
            for due in (None, D(2025, 11, 10)):
                found = label(state, received=received, due_on=due, finished_on=TODAY)
                assert found.text.strip() and not found.text.strip().isdigit(), (state, received, due)
                if received and state not in (State.DRAFT, State.SUBMITTED):
                    assert found.text != "Chưa tính (hồ sơ chưa được tiếp nhận)", state


def test_an_approved_dossier_in_the_return_queue_says_it_was_solved(db):
    from django.test import Client

    from org.tests.factories import admin_login

    from .factories import walk_to, world

    w = world()
    d = walk_to(w, State.DONE)
    client = Client()
    admin_login(client, w.counter)
    page = client.get("/can-bo/ho-so/", {"hang-doi": "to_return"}).content.decode()
    assert d.code in page
    assert "Chưa tính (hồ sơ chưa được tiếp nhận)" not in page
    assert "Đã giải quyết" in page
