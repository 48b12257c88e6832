"""Reads about mentorships, scoped to the viewer (staff of the cohort: the accessor in
``programmes.permissions`` has checked)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from stem4all.programmes.models import Cohort

from .models import Mentorship


def cohort_mentorships(cohort: Cohort, *, status: str = "") -> QuerySet[Mentorship]:
    """The cohort's mentorships, each marked with whether its mentee has an open
    mentorship or a pending proposal now (if neither, staff can re-match her)."""
    from stem4all.matching.models import Proposal

    other_open = Mentorship.objects.filter(
        cohort=cohort, mentee_id=OuterRef("mentee_id"), status__in=Mentorship.OPEN_STATUSES
    )
    pending = Proposal.objects.filter(
        cohort=cohort, mentee_id=OuterRef("mentee_id"), status__in=Proposal.OUTSTANDING
    )
    rows = (
        Mentorship.objects.filter(cohort=cohort)
        .select_related("mentee", "mentor", "ended_by")
        .annotate(mentee_has_mentor=Exists(other_open), mentee_is_waiting=Exists(pending))
        .order_by("mentee__full_name", "-started_at", "pk")
    )
    if status:
        rows = rows.filter(status=status)
    return rows
