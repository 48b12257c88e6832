"""Reads about closure, scoped to the viewer (the accessors in ``permissions`` have
checked who she is)."""

from __future__ import annotations

from django.db.models import Avg, Count, Q, QuerySet

from stem4all.accounts.models import User
from stem4all.mentorships.models import Mentorship
from stem4all.programmes.models import Cohort

from .models import Certificate, ExitSurvey


def exit_survey_of(mentorship: Mentorship, user: User) -> ExitSurvey | None:
    return ExitSurvey.objects.filter(mentorship=mentorship, respondent=user).first()


def certificate_of(mentorship: Mentorship) -> Certificate | None:
    return Certificate.objects.filter(mentorship=mentorship).first()


def valid_certificate(code: str) -> Certificate | None:
    """The certificate a code verifies, or None when the code is unknown or revoked.
    Spaces (the code is printed in groups) are ignored."""
    code = "".join((code or "").split())
    if not code:
        return None
    return Certificate.objects.filter(code=code, revoked_at__isnull=True).first()


def alumni_group_of(cohort: Cohort, user: User):
    """The cohort's alumni conversation if she is a current member of it, else None."""
    from stem4all.messaging.models import Conversation

    return Conversation.objects.filter(
        kind=Conversation.Kind.ALUMNI,
        cohort=cohort,
        members__user=user,
        members__left_at__isnull=True,
    ).first()


def cohort_exit_surveys(cohort: Cohort) -> QuerySet[ExitSurvey]:
    return (
        ExitSurvey.objects.filter(mentorship__cohort=cohort)
        .select_related("respondent", "mentorship__mentee", "mentorship__mentor")
        .order_by("-submitted_at", "pk")
    )


def cohort_exit_survey_summary(cohort: Cohort) -> list[dict]:
    """One row per role, computed in the database: answers, average ratings, and how
    many would recommend the programme."""
    rows = (
        ExitSurvey.objects.filter(mentorship__cohort=cohort)
        .values("role")
        .annotate(
            answers=Count("pk"),
            overall=Avg("overall_rating"),
            goals=Avg("goals_met"),
            recommend=Count("pk", filter=Q(would_recommend=True)),
            stay=Count("pk", filter=Q(stay_in_touch=True)),
        )
        .order_by("role")
    )
    labels = dict(ExitSurvey.Role.choices)
    return [{**row, "role_label": labels.get(row["role"], row["role"])} for row in rows]
