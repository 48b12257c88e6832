"""Reads about programmes and cohorts, always scoped to the viewer."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from stem4all.accounts.models import User

from .models import Cohort, Participation, Programme
from .permissions import cohorts_staffed_by


def featured_programme() -> Programme | None:
    return Programme.objects.filter(is_public=True).order_by("-created_at").first()


def open_cohorts(programme: Programme | None) -> list[Cohort]:
    cohorts = Cohort.objects.select_related("programme").filter(
        programme__is_public=True, phase=Cohort.Phase.APPLICATIONS
    )
    if programme is not None:
        cohorts = cohorts.filter(programme=programme)
    return [cohort for cohort in cohorts if cohort.is_accepting_applications]


def participations_of(user: User) -> QuerySet[Participation]:
    return (
        Participation.objects.filter(user=user)
        .select_related("cohort__programme")
        .order_by("-created_at")
    )


def _counts():
    status = Participation.Status
    role = Participation.Role
    return {
        "mentees": Count(
            "participations",
            filter=Q(participations__role=role.MENTEE, participations__status=status.ACCEPTED),
        ),
        "mentors": Count(
            "participations",
            filter=Q(participations__role=role.MENTOR, participations__status=status.ACCEPTED),
        ),
        "pending": Count(
            "participations",
            filter=Q(
                participations__role__in=Participation.APPLYING_ROLES,
                participations__status=status.APPLIED,
            ),
        ),
        "waitlisted": Count("participations", filter=Q(participations__status=status.WAITLISTED)),
    }


def cohorts_with_counts_for_staff(user: User) -> QuerySet[Cohort]:
    if not user.is_authenticated:
        return Cohort.objects.none()
    return cohorts_staffed_by(user).select_related("programme").annotate(**_counts())


def cohort_participations(
    cohort: Cohort, *, role: str = "", status: str = "", search: str = ""
) -> QuerySet[Participation]:
    rows = (
        Participation.objects.filter(cohort=cohort)
        .select_related("user")
        .order_by("created_at", "pk")
    )
    if role:
        rows = rows.filter(role=role)
    if status:
        rows = rows.filter(status=status)
    if search:
        rows = rows.filter(Q(user__full_name__icontains=search) | Q(user__email__icontains=search))
    return rows
