"""Who may see and change a mentorship: its mentee, its mentor, and staff of its
programme. Anyone else gets 404: a mentorship's existence is private. The agreement
belongs to the pair: staff may read it, not write it (403)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from stem4all.accounts.models import User
from stem4all.accounts.permissions import is_programme_staff

from .models import Mentorship


def is_in_mentorship(user: User, mentorship: Mentorship) -> bool:
    return user.is_authenticated and user.pk in (mentorship.mentee_id, mentorship.mentor_id)


def is_mentorship_staff(user: User, mentorship: Mentorship) -> bool:
    return is_programme_staff(user, mentorship.cohort.programme_id)


def can_change_mentorship(user: User, mentorship: Mentorship) -> bool:
    """Pause, resume, complete or end early: either member of the pair or staff."""
    if not user.is_authenticated or not user.is_active:
        return False
    return is_in_mentorship(user, mentorship) or is_mentorship_staff(user, mentorship)


def can_edit_agreement(user: User, mentorship: Mentorship) -> bool:
    return user.is_active and is_in_mentorship(user, mentorship)


def get_mentorship_for_participant_or_staff(user: User, mentorship_id: int) -> Mentorship:
    mentorship = (
        Mentorship.objects.select_related("cohort__programme", "mentee", "mentor")
        .filter(pk=mentorship_id)
        .first()
    )
    if mentorship is None or not user.is_authenticated:
        raise Http404
    if can_change_mentorship(user, mentorship):
        return mentorship
    raise Http404


def get_mentorship_for_participant(user: User, mentorship_id: int) -> Mentorship:
    """For the pair's own writes (the agreement): staff of the programme get 403."""
    mentorship = get_mentorship_for_participant_or_staff(user, mentorship_id)
    if not can_edit_agreement(user, mentorship):
        raise PermissionDenied
    return mentorship
