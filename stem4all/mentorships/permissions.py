"""Who may see and end a mentorship: its mentee, its mentor, and staff of its
programme. Anyone else gets 404: a mentorship's existence is private."""

from __future__ import annotations

from django.http import Http404

from stem4all.accounts.models import User
from stem4all.accounts.permissions import is_programme_staff

from .models import Mentorship


def is_in_mentorship(user: User, mentorship: Mentorship) -> bool:
    return user.pk in (mentorship.mentee_id, mentorship.mentor_id)


def get_mentorship_for_participant_or_staff(user: User, mentorship_id: int) -> Mentorship:
    mentorship = (
        Mentorship.objects.select_related("cohort__programme", "mentee", "mentor")
        .filter(pk=mentorship_id)
        .first()
    )
    if mentorship is None or not user.is_authenticated:
        raise Http404
    if is_in_mentorship(user, mentorship) or is_programme_staff(
        user, mentorship.cohort.programme_id
    ):
        return mentorship
    raise Http404
