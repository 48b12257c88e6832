"""Reads for recordings, scoped to the viewer."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from stem4all.accounts.models import User
from stem4all.programmes.models import Cohort, Participation

from .models import AccessCode, Recording


def recordings_of_cohort(cohort: Cohort) -> QuerySet[Recording]:
    """Staff's list: every recording of the cohort with its number of live codes."""
    return (
        Recording.objects.filter(cohort=cohort)
        .annotate(live_codes=Count("codes", filter=Q(codes__revoked_at__isnull=True)))
        .order_by("-available_from", "-id")
    )


def codes_of(recording: Recording) -> QuerySet[AccessCode]:
    return AccessCode.objects.filter(recording=recording).select_related("created_by", "revoked_by")


def recordings_for_participant(user: User, *, now: dt.datetime) -> QuerySet[Recording]:
    """Recordings of the cohorts she is an accepted participant of, watchable now."""
    cohorts = Participation.objects.filter(user=user, status=Participation.Status.ACCEPTED).values(
        "cohort_id"
    )
    return (
        Recording.objects.filter(
            cohort_id__in=cohorts, available_from__lte=now, available_until__gt=now
        )
        .select_related("cohort__programme")
        .order_by("available_until", "id")
    )
