"""iCalendar (RFC 5545) for meetings: one meeting's .ics file, and a person's feed
of her proposed and accepted meetings that phones and Google Calendar subscribe to.

Times are written in UTC (``...Z``): every calendar app converts them to the
reader's own zone, so no VTIMEZONE block is needed.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from stem4all.mentorships.models import Mentorship

from .models import Meeting

PRODID = "-//STEM4ALL Mentoring//Meetings//EN"
ICS_STATUS = {
    Meeting.Status.ACCEPTED: "CONFIRMED",
    Meeting.Status.PROPOSED: "TENTATIVE",
}


def _uid(meeting: Meeting) -> str:
    domain = getattr(settings, "STEM4ALL_ICS_DOMAIN", "stem4all.example.org")
    return f"meeting-{meeting.pk}@{domain}"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    return cal


def _event(meeting: Meeting, for_user) -> Event:
    other = meeting.other_member(for_user)
    event = Event()
    event.add("uid", _uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", _("Mentoring meeting with %(name)s") % {"name": other.full_name or other})
    if meeting.place:
        event.add("location", meeting.place)
    elif meeting.online_link:
        event.add("location", meeting.online_link)
    if meeting.online_link:
        event.add("url", meeting.online_link)
    if meeting.agenda:
        event.add("description", meeting.agenda)
    event.add("status", ICS_STATUS.get(meeting.status, "CANCELLED"))
    event.add("sequence", meeting.sequence)
    return event


def meeting_ics(meeting: Meeting, *, for_user) -> bytes:
    cal = _calendar(_("STEM4ALL meeting"))
    cal.add_component(_event(meeting, for_user))
    return cal.to_ical()


def feed_meetings(user):
    return (
        Meeting.objects.filter(
            status__in=Meeting.CALENDAR_STATUSES,
            mentorship__status__in=Mentorship.OPEN_STATUSES,
        )
        .filter(_member_q(user))
        .select_related("mentorship__mentee", "mentorship__mentor")
        .order_by("starts_at", "pk")
    )


def _member_q(user):
    return Q(mentorship__mentee=user) | Q(mentorship__mentor=user)


def feed_ics(user) -> bytes:
    cal = _calendar(_("STEM4ALL mentoring meetings"))
    for meeting in feed_meetings(user):
        cal.add_component(_event(meeting, user))
    return cal.to_ical()
