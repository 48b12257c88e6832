"""iCalendar for meetings: one meeting's .ics file, and a person's feed of her
proposed and accepted meetings that phones and Google Calendar subscribe to (built
with ``stem4all.core.ics``)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from stem4all.core.ics import new_calendar, new_event, single_event_file
from stem4all.mentorships.models import Mentorship

from .models import Meeting

ICS_STATUS = {
    Meeting.Status.ACCEPTED: "CONFIRMED",
    Meeting.Status.PROPOSED: "TENTATIVE",
}


def _event(meeting: Meeting, for_user):
    other = meeting.other_member(for_user)
    return new_event(
        key=f"meeting-{meeting.pk}",
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=_("Mentoring meeting with %(name)s") % {"name": other.full_name or other},
        place=meeting.place,
        online_link=meeting.online_link,
        description=meeting.agenda,
        status=ICS_STATUS.get(meeting.status, "CANCELLED"),
        sequence=meeting.sequence,
    )


def meeting_ics(meeting: Meeting, *, for_user) -> bytes:
    return single_event_file(_("STEM4ALL meeting"), _event(meeting, for_user))


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
    cal = new_calendar(_("STEM4ALL mentoring meetings"))
    for meeting in feed_meetings(user):
        cal.add_component(_event(meeting, user))
    return cal.to_ical()
