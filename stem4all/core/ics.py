"""iCalendar (RFC 5545) files: every .ics the platform sends (pair meetings, the
personal feed, trainings, group meetings) is built here.

Times are written in UTC (``...Z``): every calendar app converts them to the reader's
own zone, so no VTIMEZONE block is needed.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

PRODID = "-//STEM4ALL Mentoring//Meetings//EN"


def uid(key: str) -> str:
    """A stable UID for ``key`` ("meeting-12"): a calendar that sees it again updates
    the event instead of adding another."""
    domain = getattr(settings, "STEM4ALL_ICS_DOMAIN", "stem4all.example.org")
    return f"{key}@{domain}"


def new_calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    return cal


def new_event(
    *,
    key: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    summary: str,
    place: str = "",
    online_link: str = "",
    description: str = "",
    status: str = "CONFIRMED",
    sequence: int = 0,
) -> Event:
    """One event; the place is its location, or else the online link."""
    event = Event()
    event.add("uid", uid(key))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", starts_at)
    event.add("dtend", ends_at)
    event.add("summary", summary)
    if place or online_link:
        event.add("location", place or online_link)
    if online_link:
        event.add("url", online_link)
    if description:
        event.add("description", description)
    event.add("status", status)
    event.add("sequence", sequence)
    return event


def single_event_file(name: str, event: Event) -> bytes:
    cal = new_calendar(name)
    cal.add_component(event)
    return cal.to_ical()
