"""Who may see a roadmap: the pair and staff of the cohort's programme; anyone else
gets 404. Only the pair writes (the mentee her steps, the mentor comments and
sign-offs); staff read only."""

from __future__ import annotations

from django.http import Http404

from stem4all.accounts.models import User
from stem4all.accounts.permissions import is_programme_staff
from stem4all.mentorships.models import Mentorship


def is_mentee_of(user: User, mentorship: Mentorship) -> bool:
    return user.is_authenticated and user.is_active and user.pk == mentorship.mentee_id


def is_mentor_of(user: User, mentorship: Mentorship) -> bool:
    return user.is_authenticated and user.is_active and user.pk == mentorship.mentor_id


def can_read_roadmap(user: User, mentorship: Mentorship) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.pk in (mentorship.mentee_id, mentorship.mentor_id):
        return True
    return is_programme_staff(user, mentorship.cohort.programme_id)


def get_mentorship_for_roadmap_reader(user: User, mentorship_id: int) -> Mentorship:
    mentorship = (
        Mentorship.objects.select_related("cohort__programme", "mentee", "mentor")
        .filter(pk=mentorship_id, status__in=Mentorship.OPEN_STATUSES)
        .first()
    )
    if mentorship is None or not can_read_roadmap(user, mentorship):
        raise Http404
    return mentorship
