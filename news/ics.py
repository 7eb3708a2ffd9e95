"""Events as iCalendar (RFC 5545): one event's .ics download, or the upcoming events as one
calendar to subscribe to. ``build_calendar`` is pure; ``calendar_response`` reads the pages."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import icalendar
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

PRODUCT_ID = "-//motcua//Su kien cai cach hanh chinh//VI"


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None
    description: str
    location: str
    url: str
    changed_at: datetime.datetime


def build_calendar(entries: Iterable[CalendarEntry], *, name: str, stamp: datetime.datetime) -> bytes:
    """A VCALENDAR with one VEVENT per entry. Times are written in UTC (no time zone table to
    carry); an entry without an end (a broadcast's air time) has none, which RFC 5545 reads as
    ending when it starts."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp.astimezone(datetime.UTC))
        event.add("last-modified", entry.changed_at.astimezone(datetime.UTC))
        event.add("summary", entry.title)
        event.add("dtstart", entry.starts_at.astimezone(datetime.UTC))
        if entry.ends_at is not None:
            event.add("dtend", entry.ends_at.astimezone(datetime.UTC))
        if entry.description:
            event.add("description", entry.description)
        if entry.location:
            event.add("location", entry.location)
        event.add("url", entry.url)
        calendar.add_component(event)
    return calendar.to_ical()


def entry_of(page: Any, request: HttpRequest) -> CalendarEntry:
    """The calendar entry of an EventPage; its UID stays the same across edits and languages."""
    return CalendarEntry(
        uid=f"news-event-{page.translation_key}@{request.get_host().split(':')[0]}",
        title=page.title,
        starts_at=page.starts_at,
        ends_at=page.ends_at,
        description="\n\n".join(part for part in (page.summary, page.video_url) if part),
        location=page.location,
        url=page.get_full_url(request),
        changed_at=page.last_published_at or page.starts_at,
    )


def calendar_response(request: HttpRequest, pages: Sequence[Any], *, name: str, filename: str) -> HttpResponse:
    body = build_calendar((entry_of(p, request) for p in pages), name=name, stamp=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
