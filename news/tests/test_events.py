"""Events: upcoming and past, by type, and their calendar (.ics) downloads."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from news.demo import load_events
from news.models import EventPage, EventType
from news.tests import factories as f

pytestmark = pytest.mark.django_db


def hours(n: float) -> datetime.timedelta:
    return datetime.timedelta(hours=n)


def sections(html: str) -> tuple[str, str]:
    """The page's "upcoming" part and its "past" part."""
    upcoming, _sep, past = html.partition('id="past-h"')
    return upcoming, past


def test_upcoming_and_ongoing_events_come_first_in_date_order_and_past_ones_after_newest_first():
    now = timezone.now()
    f.event("Tập huấn tuần sau", starts_at=now + hours(24 * 7))
    f.event("Hội nghị ngày mai", event_type=EventType.CONFERENCE, starts_at=now + hours(24))
    f.event("Cuộc thi đang diễn ra", event_type=EventType.CONTEST, starts_at=now - hours(48), ends_at=now + hours(48))
    f.event("Cà phê số tuần trước", event_type=EventType.BROADCAST, starts_at=now - hours(24 * 7))
    f.event("Cà phê số hôm qua", event_type=EventType.BROADCAST, starts_at=now - hours(24))
    f.event("Bản nháp sự kiện", starts_at=now + hours(5), publish=False)

    upcoming, past = sections(Client().get("/tin-tuc/su-kien/").content.decode())
    order = ["Cuộc thi đang diễn ra", "Hội nghị ngày mai", "Tập huấn tuần sau"]
    assert [upcoming.index(t) for t in order] == sorted(upcoming.index(t) for t in order)
    assert "Cà phê số hôm qua" not in upcoming and "Bản nháp sự kiện" not in upcoming + past
    assert past.index("Cà phê số hôm qua") < past.index("Cà phê số tuần trước")
    assert "Tập huấn tuần sau" not in past


def test_the_list_filters_by_type():
    now = timezone.now()
    f.event("Cà phê số sắp phát", event_type=EventType.BROADCAST, starts_at=now + hours(30))
    f.event("Tập huấn sắp tới", starts_at=now + hours(30))
    text = Client().get("/tin-tuc/su-kien/?loai=phat-song").content.decode()
    assert "Cà phê số sắp phát" in text and "Tập huấn sắp tới" not in text
    assert "Tập huấn sắp tới" in Client().get("/tin-tuc/su-kien/?loai=<script>").content.decode()


def test_a_broadcast_shows_its_air_time_and_video_link_and_downloads_as_an_ics_event():
    air = timezone.make_aware(datetime.datetime(2026, 3, 6, 19, 45))
    page = f.event(
        "Cà phê số: thanh toán trực tuyến",
        event_type=EventType.BROADCAST,
        starts_at=air,
        location="Đài Phát thanh và Truyền hình tỉnh",
        video_url="https://video.example.org/ca-phe-so/12",
    )
    text = Client().get(page.url).content.decode()
    assert "19:45, 06/03/2026" in text and 'href="https://video.example.org/ca-phe-so/12"' in text

    response = Client().get(page.url + "lich/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == f'attachment; filename="{page.slug}.ics"'
    calendar = icalendar.Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Cà phê số: thanh toán trực tuyến"
    assert event.decoded("DTSTART") == air
    assert "DTEND" not in event
    assert str(event["LOCATION"]) == "Đài Phát thanh và Truyền hình tỉnh"
    assert str(event["URL"]).endswith(page.url)
    assert "https://video.example.org/ca-phe-so/12" in str(event["DESCRIPTION"])


def test_the_sections_calendar_holds_the_upcoming_events_only_with_stable_uids():
    now = timezone.now()
    coming = f.event("Tập huấn tháng sau", starts_at=now + hours(24 * 30), ends_at=now + hours(24 * 30 + 8))
    f.event("Hội nghị đã qua", event_type=EventType.CONFERENCE, starts_at=now - hours(24 * 30))
    first = icalendar.Calendar.from_ical(Client().get("/tin-tuc/su-kien/lich/").content)
    assert [str(e["SUMMARY"]) for e in first.walk("VEVENT")] == ["Tập huấn tháng sau"]
    [event] = first.walk("VEVENT")
    assert event.decoded("DTEND") - event.decoded("DTSTART") == hours(8)

    coming.title = "Tập huấn tháng sau (đổi tên)"
    coming.save_revision().publish()
    again = icalendar.Calendar.from_ical(Client().get("/tin-tuc/su-kien/lich/").content)
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == [str(event["UID"])]


def test_an_event_cannot_end_before_it_starts_nor_link_a_video_without_https():
    now = timezone.now()
    with pytest.raises(ValidationError) as ends:
        f.event("Sai giờ", starts_at=now, ends_at=now - hours(1))
    assert "ends_at" in ends.value.message_dict
    with pytest.raises(ValidationError) as video:
        f.event("Video không an toàn", starts_at=now, video_url="http://video.example.org/1")
    assert "video_url" in video.value.message_dict


def test_the_demo_has_ten_events_of_every_type_upcoming_and_past_once():
    f.event_index()
    assert load_events() == 10
    assert load_events() == 0
    events = list(EventPage.objects.all())
    assert {e.event_type for e in events} == set(EventType.values)
    timings = {e.timing for e in events}
    assert {"upcoming", "past"} <= timings
    aired = [e for e in events if e.event_type == EventType.BROADCAST and e.timing == "past"]
    assert aired and all(e.video_url.startswith("https://") for e in aired)
