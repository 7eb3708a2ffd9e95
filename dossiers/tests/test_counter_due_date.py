"""A due date always: when the procedure has no working days, the counter officer sets the due
date with a reason at reception (a working day after today), written in the history; slips,
e-mails and pages then show that date in Vietnamese, never a bare number or a blank."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from common.formats import official_date
from dossiers import services, slips
from dossiers.errors import DossierInvalid
from dossiers.models import Dossier, DossierEvent
from dossiers.rules import Action, State, counter_due_problems, counter_working_days
from org.tests.factories import admin_login
from workdays.calendar import WorkCalendar
from workdays.rules import due_date
from workdays.selectors import work_calendar

from .factories import MONDAY, TZ, World, at, world
from .test_slips import pdf_text

D = datetime.date
# A week with a holiday on Wednesday 5 November 2025 (a made-up one, for the rule's own tests).
CALENDAR = WorkCalendar.from_entries([D(2025, 11, 5)], [], [2025])


# --- The rule ----------------------------------------------------------------------------------


def test_a_procedure_with_working_days_has_its_date_counted_never_typed():
    assert counter_due_problems(procedure_days=5, due_on=None, reason="", today=D(2025, 11, 3), calendar=CALENDAR) == {}
    problems = counter_due_problems(
        procedure_days=5, due_on=D(2025, 11, 10), reason="x", today=D(2025, 11, 3), calendar=CALENDAR
    )
    assert set(problems) == {"due_on"} and "5 ngày làm việc" in problems["due_on"]


@pytest.mark.parametrize(
    ("due_on", "reason", "fields"),
    [
        (None, "", {"due_on", "due_reason"}),
        (None, "Theo quy trình nội bộ", {"due_on"}),
        (D(2025, 11, 3), "Theo quy trình nội bộ", {"due_on"}),  # today
        (D(2025, 10, 31), "Theo quy trình nội bộ", {"due_on"}),  # before today
        (D(2025, 11, 8), "Theo quy trình nội bộ", {"due_on"}),  # Saturday
        (D(2025, 11, 5), "Theo quy trình nội bộ", {"due_on"}),  # the holiday
        (D(2025, 11, 4), "  ", {"due_reason"}),
        (D(2025, 11, 4), "Theo quy trình nội bộ", set()),  # the next working day
        (D(2025, 11, 6), "Theo quy trình nội bộ", set()),
    ],
)
def test_without_working_days_the_officer_sets_a_working_day_after_today_with_a_reason(due_on, reason, fields):
    problems = counter_due_problems(
        procedure_days=None, due_on=due_on, reason=reason, today=D(2025, 11, 3), calendar=CALENDAR
    )
    assert set(problems) == fields
    assert all(message.strip() for message in problems.values())


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(min_value=datetime.datetime(2025, 1, 1), max_value=datetime.datetime(2025, 12, 20)),
    st.integers(1, 60),
)
def test_the_days_kept_give_back_the_date_the_officer_set(moment, ahead):
    received = moment.replace(tzinfo=TZ)
    due = CALENDAR.add_working_days(received.date(), ahead)
    days = counter_working_days(received, due, CALENDAR)
    assert due_date(received, days, CALENDAR) == due


# --- The service -------------------------------------------------------------------------------


@pytest.fixture
def w(db: Any) -> World:
    return world(processing_days=None)


def registered(w: World, *, now: datetime.datetime = MONDAY) -> Dossier:
    return services.dossier_register(actor=w.counter, intake=w.intake(channel="counter"), now=now)


def test_reception_without_working_days_asks_for_the_date_and_the_reason(w: World) -> None:
    d = registered(w)
    with pytest.raises(DossierInvalid) as refused:
        services.dossier_receive(actor=w.counter, dossier=d, now=MONDAY)
    assert set(refused.value.errors) == {"due_on", "due_reason"}
    with pytest.raises(DossierInvalid) as refused:
        services.dossier_receive(actor=w.counter, dossier=d, now=MONDAY, due_on=D(2025, 11, 8), due_reason="Lý do")
    assert set(refused.value.errors) == {"due_on"}
    stored = Dossier.objects.get(pk=d.pk)
    assert (stored.state, stored.received_at, stored.due_on) == (State.SUBMITTED, None, None)


def test_the_date_set_is_the_due_date_and_the_history_keeps_it_with_the_reason(w: World) -> None:
    d = services.dossier_receive(
        actor=w.counter,
        dossier=registered(w),
        now=MONDAY,
        due_on=D(2025, 11, 14),
        due_reason="  Cần xác minh thực địa theo Quyết định 123/QĐ-UBND  ",
    )
    assert d.due_on == d.original_due_on == D(2025, 11, 14)
    assert d.counter_working_days == 9 and d.processing_days() == 9
    event = DossierEvent.objects.filter(dossier=d, action=Action.RECEIVE).get()
    assert event.details == {
        "due_on": "2025-11-14",
        "due_reason": "Cần xác minh thực địa theo Quyết định 123/QĐ-UBND",
    }
    assert event.actor == w.counter


def test_a_clock_stop_moves_the_date_set_as_it_moves_any_other(w: World) -> None:
    d = services.dossier_receive(
        actor=w.counter, dossier=registered(w), now=MONDAY, due_on=D(2025, 11, 7), due_reason="Theo quy trình"
    )
    d = services.dossier_assign(actor=w.counter, dossier=d, to=w.processor, now=MONDAY)
    d = services.dossier_request_supplement(actor=w.processor, dossier=d, missing=["Tờ khai"], now=at(2025, 11, 4))
    d = services.dossier_supplement(actor=w.counter, dossier=d, now=at(2025, 11, 5))
    # Tuesday and Wednesday waited for the citizen: two working days later.
    assert d.due_on == d.original_due_on == D(2025, 11, 11)


def test_a_procedure_with_working_days_refuses_a_typed_date(db: Any) -> None:
    w = world(processing_days=3)
    d = services.dossier_register(actor=w.counter, intake=w.intake(channel="counter"), now=MONDAY)
    with pytest.raises(DossierInvalid) as refused:
        services.dossier_receive(actor=w.counter, dossier=d, now=MONDAY, due_on=D(2025, 11, 20), due_reason="x")
    assert set(refused.value.errors) == {"due_on"}


def test_the_receipt_and_the_email_give_the_date_in_vietnamese(
    w: World, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    d = registered(w)
    d = Dossier.objects.get(pk=d.pk)
    with django_capture_on_commit_callbacks(execute=True):
        d = services.dossier_receive(
            actor=w.counter, dossier=d, now=MONDAY, due_on=D(2025, 11, 14), due_reason="Cần xác minh thực địa"
        )
    found = pdf_text(slips.receipt(Dossier.objects.get(pk=d.pk)), tmp_path)
    assert "ngày 14 tháng 11 năm 2025" in found
    assert "Bộ phận Một cửa hẹn 09 ngày làm việc (Cần xác minh thực địa)" in found
    assert not re.search(r"theo quy định(?: là)?: ?\d+\b", found)  # never the bare published number
    [email] = [m for m in mail.outbox if "đã được tiếp nhận" in m.subject]
    assert "Ngày hẹn trả kết quả: 14/11/2025." in email.body


# --- The counter's page and the API ------------------------------------------------------------


def signed_in(user: Any) -> Client:
    client = Client()
    admin_login(client, user)
    return client


def next_working_day(after: datetime.date, count: int = 1) -> datetime.date:
    return work_calendar().add_working_days(after, count)


def post_receive(client: Client, d: Dossier, **data: Any) -> Any:
    fields = {f"receive-{key}": value for key, value in data.items()}
    fields["receive-version"] = d.version
    return client.post(reverse("dossiers:officer_act", args=[d.pk, "receive"]), fields)


def page(client: Client, d: Dossier) -> str:
    response = client.get(reverse("dossiers:officer_dossier", args=[d.pk]))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_counter_s_form_asks_for_the_date_only_when_the_procedure_has_no_days(w: World) -> None:
    d = registered(w, now=timezone.now())
    client = signed_in(w.counter)
    shown = page(client, d)
    assert 'name="receive-due_on"' in shown and 'name="receive-due_reason"' in shown
    assert "Thủ tục chưa quy định thời hạn giải quyết bằng ngày làm việc" in shown
    other = world(processing_days=3)
    plain = services.dossier_register(actor=other.counter, intake=other.intake(channel="counter"))
    assert 'name="receive-due_on"' not in page(signed_in(other.counter), plain)


def test_a_bad_date_is_refused_next_to_the_field_and_a_good_one_is_shown_in_vietnamese(w: World) -> None:
    d = registered(w, now=timezone.now())
    client = signed_in(w.counter)
    today = timezone.localdate()
    refused = post_receive(client, d, due_on=today.isoformat(), due_reason="Theo quy trình")
    assert refused.status_code == 422
    body = re.sub(r"\s+", " ", refused.content.decode())
    assert "Ngày hẹn trả kết quả phải sau ngày hôm nay." in body
    assert Dossier.objects.get(pk=d.pk).state == State.SUBMITTED
    missing = post_receive(client, d, due_on="", due_reason="")
    assert missing.status_code == 422

    due = next_working_day(today, 5)
    done = post_receive(client, d, due_on=due.strftime("%d/%m/%Y"), due_reason="Cần xác minh thực địa")
    assert done.status_code == 302
    stored = Dossier.objects.get(pk=d.pk)
    assert (stored.state, stored.due_on) == (State.RECEIVED, due)
    shown = page(client, stored)
    assert official_date(due) in shown  # "ngày 14 tháng 12 năm 2026"
    assert "Lý do: Cần xác minh thực địa" in shown
    assert f"{due:%Y-%m-%d}</span>" not in shown  # the history never shows the ISO form


def test_the_api_takes_the_date_and_the_reason(w: World) -> None:
    d = registered(w, now=timezone.now())
    client = signed_in(w.counter)
    url = f"/api/v1/officer/dossiers/{d.code}/receive"
    refused = client.post(url, {}, content_type="application/json")
    assert refused.status_code == 422 and set(refused.json()["errors"]) == {"due_on", "due_reason"}
    due = next_working_day(timezone.localdate(), 3)
    answer = client.post(
        url, {"due_on": due.isoformat(), "due_reason": "Theo quy trình nội bộ"}, content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["due_date"] == due.isoformat()
