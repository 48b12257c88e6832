"""Who may see and do what in matching. Staff of the cohort's programme run matching;
a mentor sees and answers only proposals made to her; a mentee sees only that she has
a proposal, and her mentor's card once the mentor has accepted.

Accessors raise Http404 when the object does not exist or is not the viewer's to know
about, PermissionDenied when she knows of it but may not act (staff of another
programme)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from stem4all.accounts.models import User
from stem4all.accounts.permissions import is_programme_staff
from stem4all.programmes.models import Cohort, Participation
from stem4all.programmes.permissions import get_cohort_for_staff

from .models import MatchingRun, Proposal

__all__ = [
    "get_cohort_for_staff",
    "get_run_for_staff",
    "get_proposal_for_mentor",
    "get_mentee_for_staff",
    "get_cohort_for_choosing",
]


def get_run_for_staff(user: User, run_id: int) -> MatchingRun:
    run = MatchingRun.objects.select_related("cohort__programme").filter(pk=run_id).first()
    if run is None:
        raise Http404
    if not is_programme_staff(user, run.cohort.programme_id):
        raise PermissionDenied
    return run


def get_proposal_for_mentor(user: User, proposal_id: int) -> Proposal:
    """A proposal made to her; anyone else's is 404, never a hint that it exists."""
    if not user.is_authenticated:
        raise Http404
    proposal = (
        Proposal.objects.select_related("cohort", "mentee")
        .filter(pk=proposal_id, mentor=user)
        .exclude(status__in=[Proposal.Status.DRAFT, Proposal.Status.SUPERSEDED])
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def _cohort_person(cohort: Cohort, user_id: int, role: str) -> User:
    participation = (
        Participation.objects.select_related("user")
        .filter(cohort=cohort, user_id=user_id, role=role, status=Participation.Status.ACCEPTED)
        .first()
    )
    if participation is None:
        raise Http404
    return participation.user


def get_mentee_for_staff(user: User, cohort_id: int, mentee_id: int) -> tuple[Cohort, User]:
    """An accepted mentee of a cohort the user runs."""
    cohort = get_cohort_for_staff(user, cohort_id)
    return cohort, _cohort_person(cohort, mentee_id, Participation.Role.MENTEE)


def get_cohort_for_choosing(user: User, cohort_id: int) -> Cohort:
    """A cohort in which she is an accepted mentee, to browse and rank its mentors.
    404 when she is not; 403 while she may not be matched (an under-18 without a
    guardian's consent on record)."""
    from stem4all.accounts.permissions import can_be_matched_or_contacted

    cohort = Cohort.objects.select_related("programme").filter(pk=cohort_id).first()
    if (
        cohort is None
        or not Participation.objects.filter(
            cohort=cohort,
            user=user,
            role=Participation.Role.MENTEE,
            status=Participation.Status.ACCEPTED,
        ).exists()
    ):
        raise Http404
    if not can_be_matched_or_contacted(user):
        raise PermissionDenied
    return cohort
