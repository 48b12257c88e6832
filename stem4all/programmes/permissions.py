"""Who may run a cohort and screen its applications."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from stem4all.accounts.models import User
from stem4all.accounts.permissions import is_programme_staff, staff_programme_ids

from .models import Cohort, Participation, Programme


def programmes_staffed_by(user: User) -> QuerySet[Programme]:
    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(pk__in=staff_programme_ids(user))


def cohorts_staffed_by(user: User) -> QuerySet[Cohort]:
    if user.is_superuser:
        return Cohort.objects.all()
    return Cohort.objects.filter(programme_id__in=staff_programme_ids(user))


def get_cohort_for_staff(user: User, cohort_id: int) -> Cohort:
    """A cohort the user runs, or 404 when it does not exist and 403 when it is not hers."""
    cohort = Cohort.objects.select_related("programme").filter(pk=cohort_id).first()
    if cohort is None:
        raise Http404
    if not is_programme_staff(user, cohort.programme_id):
        raise PermissionDenied
    return cohort


def get_participation_for_staff(user: User, participation_id: int) -> Participation:
    participation = (
        Participation.objects.select_related("user", "cohort__programme")
        .filter(pk=participation_id)
        .first()
    )
    if participation is None:
        raise Http404
    if not is_programme_staff(user, participation.cohort.programme_id):
        raise PermissionDenied
    return participation


def get_cohort_open_for_applications(cohort_id: int) -> Cohort:
    cohort = (
        Cohort.objects.select_related("programme")
        .filter(pk=cohort_id, programme__is_public=True)
        .first()
    )
    if cohort is None:
        raise Http404
    return cohort


def get_own_participation(user: User, participation_id: int) -> Participation:
    participation = (
        Participation.objects.select_related("cohort__programme")
        .filter(pk=participation_id, user=user)
        .first()
    )
    if participation is None:
        raise Http404
    return participation
