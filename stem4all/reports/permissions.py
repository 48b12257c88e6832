"""Who may read a cohort's report: its programme's staff, and the funders of the
cohort (an accepted participation with the funder role, which opens nothing else)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from stem4all.accounts.models import User
from stem4all.accounts.permissions import is_programme_staff
from stem4all.programmes.models import Cohort, Participation


def funded_cohorts(user: User) -> QuerySet[Cohort]:
    return Cohort.objects.filter(
        participations__user=user,
        participations__role=Participation.Role.FUNDER,
        participations__status=Participation.Status.ACCEPTED,
    ).select_related("programme")


def get_cohort_for_report(user: User, cohort_id: int) -> Cohort:
    """The cohort, for its staff and funders; 404 when there is none, 403 otherwise."""
    cohort = Cohort.objects.select_related("programme").filter(pk=cohort_id).first()
    if cohort is None:
        raise Http404
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    if is_programme_staff(user, cohort.programme_id):
        return cohort
    if funded_cohorts(user).filter(pk=cohort.pk).exists():
        return cohort
    raise PermissionDenied
