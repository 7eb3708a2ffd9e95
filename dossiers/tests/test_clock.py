"""The processing clock: due dates in working days from reception, stops while the citizen is
asked for something, the one extension, and on time or late as statistics count it."""

from __future__ import annotations

import datetime
import json

import pytest
from django.conf import settings

from dossiers import services
from dossiers.errors import DossierInvalid, TransitionNotAllowed
from dossiers.models import ClockStop, Dossier, DossierEvent
from dossiers.rules import State, dossier_timeliness
from workdays.rules import Timeliness
from workdays.services import official_days_load

from .factories import MONDAY, World, at, submitted, walk_to, world

pytestmark = pytest.mark.django_db
D = datetime.date


def in_progress(w: World, received: datetime.datetime = MONDAY) -> Dossier:
    d = services.dossier_receive(actor=w.counter, dossier=submitted(w, now=received), now=received)
    return services.dossier_assign(actor=w.counter, dossier=d, to=w.processor, now=received)


def test_three_working_days_from_a_monday_morning_is_thursday(w):
    d = in_progress(w)
    assert d.due_on == d.original_due_on == D(2025, 11, 6)


def test_received_at_three_in_the_afternoon_counts_from_the_next_day(w):
    d = in_progress(w, received=at(2025, 11, 3, 15, 0))
    assert d.due_on == D(2025, 11, 7)


def test_received_on_friday_afternoon_is_due_after_the_weekend(w):
    d = in_progress(w, received=at(2025, 11, 7, 16, 30))
    assert d.due_on == D(2025, 11, 13)


def test_the_official_calendar_is_used(db):
    """Tết 2026: the official days off run Monday 16 to Friday 20 February."""
    official_days_load(json.loads((settings.SHARED_DATA_DIR / "workdays.json").read_text(encoding="utf-8")))
    w = world()
    d = in_progress(w, received=at(2026, 2, 13, 10))
    assert d.due_on == D(2026, 2, 25)


def test_a_procedure_without_a_time_in_working_days_has_the_due_date_the_counter_sets(db):
    w = world(processing_days=None)
    paper = services.dossier_register(actor=w.counter, intake=w.intake(channel="counter"), now=MONDAY)
    with pytest.raises(DossierInvalid):
        services.dossier_receive(actor=w.counter, dossier=paper, now=MONDAY)
    d = services.dossier_receive(
        actor=w.counter, dossier=paper, now=MONDAY, due_on=D(2025, 11, 10), due_reason="Theo quy trình nội bộ"
    )
    assert d.code is not None and d.due_on == D(2025, 11, 10)


def test_a_supplement_request_stops_the_clock_until_the_citizen_answers(w):
    d = in_progress(w)
    # Asked on Tuesday: while waiting, the stopped day already moves the date by one.
    d = services.dossier_request_supplement(
        actor=w.processor, dossier=d, missing=["Bản sao giấy khai sinh"], now=at(2025, 11, 4, 10)
    )
    assert d.due_on == D(2025, 11, 7)
    # Answered on Thursday: Tuesday to Thursday, three working days, do not count.
    d = services.dossier_supplement(actor=w.citizen, dossier=d, now=at(2025, 11, 6, 8))
    assert list(ClockStop.objects.filter(dossier=d).values_list("reason", "started_on", "ended_on")) == [
        ("supplement", D(2025, 11, 4), D(2025, 11, 6))
    ]
    assert d.due_on == d.original_due_on == D(2025, 11, 11)
    assert Dossier.objects.get(pk=d.pk).due_on == D(2025, 11, 11)


def test_a_payment_request_stops_the_clock_too(w):
    d = in_progress(w)
    d = services.dossier_request_payment(
        actor=w.processor,
        dossier=d,
        override_vnd=100_000,
        override_reason="Mức thu theo biểu phí của tỉnh",
        now=at(2025, 11, 5),
    )
    d = services.dossier_mark_paid(actor=w.counter, dossier=d, now=at(2025, 11, 10))
    # Wednesday 5 to Monday 10: four working days stopped.
    assert d.due_on == D(2025, 11, 12)


def test_two_stops_add_up(w):
    d = in_progress(w)
    d = services.dossier_request_supplement(actor=w.processor, dossier=d, missing=["A"], now=at(2025, 11, 4))
    d = services.dossier_supplement(actor=w.citizen, dossier=d, now=at(2025, 11, 4, 16))
    d = services.dossier_request_payment(
        actor=w.processor,
        dossier=d,
        override_vnd=1,
        override_reason="Mức thu theo biểu phí của tỉnh",
        now=at(2025, 11, 5),
    )
    d = services.dossier_mark_paid(actor=w.counter, dossier=d, now=at(2025, 11, 5, 11))
    assert d.due_on == D(2025, 11, 10)


def test_more_than_one_supplement_request_makes_the_dossier_late(w):
    d = in_progress(w)
    for day in (4, 5):
        d = services.dossier_request_supplement(actor=w.processor, dossier=d, missing=["A"], now=at(2025, 11, day))
        d = services.dossier_supplement(actor=w.citizen, dossier=d, now=at(2025, 11, day, 14))
    d = services.dossier_approve(actor=w.leader, dossier=d, now=at(2025, 11, 6))
    assert d.supplement_request_count == 2
    assert d.finished_at.date() <= d.due_on
    finished = d.finished_at.date()
    assert dossier_timeliness(finished_on=finished, original_due_on=d.original_due_on, supplement_requests=2) == (
        Timeliness.LATE
    )


def test_finished_on_the_due_date_is_on_time_the_day_after_is_late(w):
    on_time = services.dossier_approve(actor=w.leader, dossier=in_progress(w), now=at(2025, 11, 6, 16))
    late = services.dossier_approve(actor=w.leader, dossier=in_progress(w), now=at(2025, 11, 7, 8))
    for d, expected in ((on_time, Timeliness.ON_TIME), (late, Timeliness.LATE)):
        kind = dossier_timeliness(
            finished_on=d.finished_at.date(), original_due_on=d.original_due_on, supplement_requests=0
        )
        assert kind is expected


# --- Extension --------------------------------------------------------------------------------


def test_an_apology_moves_the_due_date_once_and_statistics_keep_the_original(w):
    d = in_progress(w)
    d = services.dossier_extend(
        actor=w.leader, dossier=d, new_due_on=D(2025, 11, 12), apology="Cần xác minh thực địa", now=at(2025, 11, 5)
    )
    assert (d.due_on, d.original_due_on, d.extended) == (D(2025, 11, 12), D(2025, 11, 6), True)
    event = DossierEvent.objects.filter(dossier=d).last()
    assert event.note == "Cần xác minh thực địa"
    assert event.details == {"previous_due_on": "2025-11-06", "new_due_on": "2025-11-12"}
    with pytest.raises(TransitionNotAllowed, match="một lần"):
        services.dossier_extend(actor=w.leader, dossier=d, new_due_on=D(2025, 11, 14), apology="Lần hai")
    late = services.dossier_approve(actor=w.leader, dossier=d, now=at(2025, 11, 11))
    kind = dossier_timeliness(finished_on=D(2025, 11, 11), original_due_on=late.original_due_on, supplement_requests=0)
    assert kind is Timeliness.LATE


def test_no_apology_on_the_due_date_or_after(w):
    d = in_progress(w)
    for day in (6, 7):
        with pytest.raises(TransitionNotAllowed, match="chậm nhất"):
            services.dossier_extend(
                actor=w.leader, dossier=d, new_due_on=D(2025, 11, 12), apology="Xin lỗi", now=at(2025, 11, day)
            )
    assert not Dossier.objects.get(pk=d.pk).extended


def test_the_new_date_is_a_later_working_day(w):
    d = in_progress(w)
    for new_due in (D(2025, 11, 6), D(2025, 11, 8)):
        with pytest.raises(TransitionNotAllowed):
            services.dossier_extend(actor=w.leader, dossier=d, new_due_on=new_due, apology="X", now=at(2025, 11, 4))


def test_a_stop_after_an_extension_moves_both_dates(w):
    d = in_progress(w)
    d = services.dossier_extend(actor=w.leader, dossier=d, new_due_on=D(2025, 11, 10), apology="X", now=MONDAY)
    d = services.dossier_request_supplement(actor=w.processor, dossier=d, missing=["A"], now=at(2025, 11, 4))
    d = services.dossier_supplement(actor=w.citizen, dossier=d, now=at(2025, 11, 4, 15))
    assert (d.original_due_on, d.due_on) == (D(2025, 11, 7), D(2025, 11, 11))


def test_withdrawing_while_waiting_closes_the_stop(w):
    d = walk_to(w, State.SUPPLEMENT_REQUESTED, now=MONDAY)
    d = services.dossier_withdraw(actor=w.citizen, dossier=d, now=at(2025, 11, 5))
    assert ClockStop.objects.get(dossier=d).ended_on == D(2025, 11, 5)


def test_an_online_dossier_gets_the_online_time_and_a_counter_one_the_counter_time(db):
    """1.012790 publishes "Trực tuyến: 8 Ngày làm việc; … Trực tiếp: 18 Ngày làm việc": the
    dossier is given the time of the channel it came by."""
    w = world(processing_days=5)
    w.version.days_by_channel = {"online": 2, "in_person": 5}
    w.version.save()
    online = in_progress(w)
    assert online.channel == "online" and online.due_on == D(2025, 11, 5)
    paper = services.dossier_register(actor=w.counter, intake=w.intake(channel="counter"), now=MONDAY)
    paper = services.dossier_receive(actor=w.counter, dossier=paper, now=MONDAY)
    assert paper.due_on == D(2025, 11, 10)


def test_a_procedure_without_working_days_takes_no_online_dossier(db):
    w = world(processing_days=None)
    with pytest.raises(DossierInvalid) as refused:
        submitted(w)
    assert refused.value.errors == {"procedure": "Thủ tục này không tiếp nhận hồ sơ trực tuyến."}
