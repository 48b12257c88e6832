"""Who may see a meeting: the two members of its pair, nobody else (404 for anyone
else, so that a meeting's existence stays private). Private notes: their author."""

from __future__ import annotations

from django.http import Http404

from stem4all.mentorships.models import Mentorship

from .models import Meeting


def is_member(user, mentorship: Mentorship) -> bool:
    return bool(user.is_authenticated) and user.pk in (mentorship.mentee_id, mentorship.mentor_id)


def get_mentorship_for_member(user, mentorship_id: int) -> Mentorship:
    mentorship = (
        Mentorship.objects.select_related("mentee", "mentor", "cohort")
        .filter(pk=mentorship_id)
        .first()
    )
    if mentorship is None or not is_member(user, mentorship):
        raise Http404
    return mentorship


def get_meeting_for_member(user, meeting_id: int) -> Meeting:
    meeting = (
        Meeting.objects.select_related("mentorship__mentee", "mentorship__mentor", "proposed_by")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or not is_member(user, meeting.mentorship):
        raise Http404
    return meeting
