"""A group meeting as an iCalendar file (built with ``stem4all.core.ics``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from stem4all.core.ics import new_event, single_event_file

from .models import GroupMeeting


def group_meeting_ics(meeting: GroupMeeting) -> bytes:
    event = new_event(
        key=f"group-meeting-{meeting.pk}",
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=_("Group meeting: %(topic)s") % {"topic": meeting.group.topic},
        place=meeting.place,
        online_link=meeting.online_link,
        description=meeting.agenda,
    )
    return single_event_file(_("STEM4ALL group meeting"), event)
