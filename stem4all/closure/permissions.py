"""Who may do what at the end of a mentorship.

- The exit survey belongs to the pair: each member answers her own; staff of the
  programme read the answers in their list, and get 403 on a member's form. Anyone else
  gets 404 (a mentorship's existence is private).
- The certificate belongs to the mentee: she and staff of the programme may open and
  download it; anyone else, her mentor included, gets 404. Staff may revoke it.
- The verification page is public and shows only what the certificate prints.
"""

from __future__ import annotations

from django.http import Http404

from stem4all.accounts.models import User
from stem4all.accounts.permissions import is_programme_staff
from stem4all.mentorships.models import Mentorship
from stem4all.mentorships.permissions import (
    get_mentorship_for_participant,
    get_mentorship_for_participant_or_staff,
)

# Mentorships whose members may answer the exit survey.
ENDED_STATUSES = (Mentorship.Status.COMPLETED, Mentorship.Status.ENDED_EARLY)


def is_survey_open(mentorship: Mentorship) -> bool:
    return mentorship.status in ENDED_STATUSES


def get_mentorship_for_survey(user: User, mentorship_id: int) -> Mentorship:
    """The mentorship of a member answering her exit survey: staff 403, others 404."""
    return get_mentorship_for_participant(user, mentorship_id)


def is_certificate_viewer(user: User, mentorship: Mentorship) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.pk == mentorship.mentee_id or is_programme_staff(
        user, mentorship.cohort.programme_id
    )


def can_revoke_certificate(user: User, mentorship: Mentorship) -> bool:
    return is_programme_staff(user, mentorship.cohort.programme_id)


def get_mentorship_for_certificate(user: User, mentorship_id: int) -> Mentorship:
    """The mentorship whose certificate the user may see: the mentee or staff of the
    programme; anyone else (her mentor too) gets 404."""
    mentorship = get_mentorship_for_participant_or_staff(user, mentorship_id)
    if not is_certificate_viewer(user, mentorship):
        raise Http404
    return mentorship
