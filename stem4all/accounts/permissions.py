"""Who may see or contact whom. Plain predicates, and fetch-and-authorise accessors
that raise Http404 (never revealing that a person exists) or PermissionDenied.

``can_be_matched_or_contacted`` is THE safeguarding rule for mentees: matching,
messaging and every other contact feature must call it, never re-implement it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from stem4all.programmes.models import Participation

from .models import GuardianConsent, User


def has_current_guardian_consent(mentee: User) -> bool:
    return GuardianConsent.objects.filter(mentee=mentee, revoked_at__isnull=True).exists()


def can_be_matched_or_contacted(mentee: User) -> bool:
    """A mentee may be matched with a mentor or receive messages only if she is known
    to be an adult, or she is under 18 and a guardian's consent is on record and not
    revoked. An unknown date of birth counts as 'not known to be an adult'."""
    if not mentee.is_active or mentee.date_of_birth is None:
        return False
    if not mentee.is_minor:
        return True
    return has_current_guardian_consent(mentee)


def staff_programme_ids(user: User) -> QuerySet:
    return Participation.objects.filter(
        user=user, role=Participation.Role.STAFF, status=Participation.Status.ACCEPTED
    ).values("cohort__programme_id")


def is_programme_staff(user: User, programme_id: int) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return staff_programme_ids(user).filter(cohort__programme_id=programme_id).exists()


def is_any_programme_staff(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or staff_programme_ids(user).exists()


def is_staff_for_person(staff: User, subject: User) -> bool:
    """Staff see a person's private data only if she takes part in one of their programmes."""
    if not staff.is_authenticated or not staff.is_active:
        return False
    if staff.is_superuser:
        return True
    return Participation.objects.filter(
        user=subject, cohort__programme_id__in=staff_programme_ids(staff)
    ).exists()


def accepted_mentor_cohorts(user: User) -> QuerySet:
    return Participation.objects.filter(
        user=user, role=Participation.Role.MENTOR, status=Participation.Status.ACCEPTED
    ).values("cohort_id")


def can_view_mentor_card(viewer: User, subject: User) -> bool:
    """An accepted mentor's public card (name, organisation, job, fields, bio) is seen by
    accepted participants of the same cohort; nothing else about her is."""
    if not viewer.is_authenticated:
        return False
    return Participation.objects.filter(
        Q(status=Participation.Status.ACCEPTED),
        user=viewer,
        cohort_id__in=accepted_mentor_cohorts(subject),
    ).exists()


class ProfileAccess:
    """What a viewer may see of a person: everything (herself, or staff), or a card."""

    FULL = "full"
    CARD = "card"


def get_person_for_viewer(viewer: User, person_id: int) -> tuple[User, str]:
    """Fetch a person and the access level the viewer has, or raise Http404."""
    person = (
        User.objects.filter(pk=person_id, is_active=True)
        .select_related("mentee_profile", "mentor_profile")
        .first()
    )
    if person is None:
        raise Http404
    if person == viewer or is_staff_for_person(viewer, person):
        return person, ProfileAccess.FULL
    if hasattr(person, "mentor_profile") and can_view_mentor_card(viewer, person):
        return person, ProfileAccess.CARD
    raise Http404
