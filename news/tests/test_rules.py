"""The pure rules of the news section."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from news.rules import (
    EventTiming,
    Item,
    Validity,
    count_by_month,
    count_items,
    event_timing,
    infographic_publishable,
    report_sentence,
    validity,
)

D = datetime.date


def test_a_document_is_not_yet_in_force_before_its_effective_date():
    assert validity(on=D(2020, 5, 21), effective_from=D(2020, 5, 22), expires_on=None) is Validity.NOT_YET


def test_a_document_is_in_force_from_its_effective_date():
    assert validity(on=D(2020, 5, 22), effective_from=D(2020, 5, 22), expires_on=None) is Validity.IN_FORCE


def test_a_document_expires_on_its_expiry_date_not_after():
    assert validity(on=D(2025, 6, 30), effective_from=D(2020, 5, 22), expires_on=D(2025, 7, 1)) is Validity.IN_FORCE
    assert validity(on=D(2025, 7, 1), effective_from=D(2020, 5, 22), expires_on=D(2025, 7, 1)) is Validity.EXPIRED


@given(st.dates(), st.dates(), st.one_of(st.none(), st.dates()))
def test_validity_is_exactly_one_state_and_agrees_with_the_dates(on, start, end):
    state = validity(on=on, effective_from=start, expires_on=end)
    assert (state is Validity.NOT_YET) == (on < start)
    if on >= start:
        assert (state is Validity.EXPIRED) == (end is not None and on >= end)


def test_event_timing():
    start = datetime.datetime(2026, 3, 5, 8, 0, tzinfo=datetime.UTC)
    end = start + datetime.timedelta(hours=4)
    assert event_timing(now=start - datetime.timedelta(minutes=1), starts_at=start, ends_at=end) is EventTiming.UPCOMING
    assert event_timing(now=start, starts_at=start, ends_at=end) is EventTiming.ONGOING
    assert event_timing(now=end, starts_at=start, ends_at=end) is EventTiming.ONGOING
    assert event_timing(now=end + datetime.timedelta(seconds=1), starts_at=start, ends_at=end) is EventTiming.PAST
    assert event_timing(now=start + datetime.timedelta(seconds=1), starts_at=start, ends_at=None) is EventTiming.PAST


def test_an_infographic_needs_a_real_text_alternative():
    assert not infographic_publishable("")
    assert not infographic_publishable("Ảnh infographic")
    assert not infographic_publishable("   " + "x " * 15)  # spaces do not count
    assert infographic_publishable("Năm 2025 tỉnh tiếp nhận 40.000 hồ sơ, 62% trực tuyến.")


def test_counting_per_type_and_topic_in_a_period():
    items = [
        Item("article", D(2022, 1, 1), ("tthc", "so-hoa")),
        Item("article", D(2022, 12, 31), ("tthc",)),
        Item("infographic", D(2022, 6, 1), ("tthc", "tthc")),
        Item("article", D(2023, 1, 1), ("tthc",)),
        Item("document", D(2021, 12, 31)),
    ]
    counted = count_items(items, start=D(2022, 1, 1), end=D(2022, 12, 31))
    assert counted["kind"] == {"article": 2, "infographic": 1}
    assert counted["topic"] == {"tthc": 3, "so-hoa": 1}


def test_counting_per_subtype_and_per_month_with_every_month_of_the_period():
    items = [
        Item("document", D(2022, 1, 31), detail="quyet-dinh"),
        Item("document", D(2022, 3, 1), detail="quyet-dinh"),
        Item("document", D(2022, 3, 2), detail="ke-hoach"),
        Item("event", D(2022, 3, 5), detail="phat-song"),
        Item("event", D(2022, 4, 1), detail="phat-song"),
    ]
    start, end = D(2021, 12, 15), D(2022, 3, 31)
    assert count_items(items, start=start, end=end)["detail"] == {
        "document:quyet-dinh": 2,
        "document:ke-hoach": 1,
        "event:phat-song": 1,
    }
    months = count_by_month(items, start=start, end=end)
    assert list(months) == ["2021-12", "2022-01", "2022-02", "2022-03"]
    assert months["2021-12"] == {} and months["2022-01"] == {"document": 1}
    assert months["2022-03"] == {"document": 2, "event": 1}


def test_the_annual_report_sentence():
    assert (
        report_sentence(articles=49, infographics=33, documents=90)
        == "82 tin bài (trong đó có 49 tin, bài và 33 Infographic) và 90 văn bản"
    )
