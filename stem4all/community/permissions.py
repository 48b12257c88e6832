"""Who may do what in the community.

- An accepted participant with the partner role in a cohort of a programme may create
  a partner organisation in that programme and becomes its representative.
- Only an organisation's representatives edit it and write its practices; to anyone
  else the organisation's private pages answer 404 (its existence is not revealed).
- Staff of the organisation's programme review (approve or reject) organisations and
  practices; staff of another programme get 404.
- Everyone, signed in or not, sees approved practices of approved organisations and
  the approved organisations' public profiles (never the contact person).
"""

from __future__ import annotations

from django.http import Http404

from stem4all.accounts.models import User
from stem4all.accounts.permissions import is_programme_staff
from stem4all.programmes.models import Participation, Programme

from .models import PartnerOrganisation, Practice


def _active(user: User) -> bool:
    return user.is_authenticated and user.is_active


def partner_programmes(user: User):
    """Programmes in which the person takes part as an accepted partner."""
    if not _active(user):
        return Programme.objects.none()
    return Programme.objects.filter(
        cohorts__participations__user=user,
        cohorts__participations__role=Participation.Role.PARTNER,
        cohorts__participations__status=Participation.Status.ACCEPTED,
    ).distinct()


def can_create_organisation(user: User, programme: Programme) -> bool:
    return partner_programmes(user).filter(pk=programme.pk).exists()


def is_representative(user: User, organisation: PartnerOrganisation) -> bool:
    return _active(user) and organisation.representatives.filter(user=user).exists()


def is_organisation_staff(user: User, organisation: PartnerOrganisation) -> bool:
    return is_programme_staff(user, organisation.programme_id)


def get_organisation_for_representative(user: User, organisation_id: int) -> PartnerOrganisation:
    organisation = (
        PartnerOrganisation.objects.select_related("programme").filter(pk=organisation_id).first()
    )
    if organisation is None or not is_representative(user, organisation):
        raise Http404
    return organisation


def get_practice_for_representative(user: User, practice_id: int) -> Practice:
    practice = (
        Practice.objects.select_related("organisation__programme").filter(pk=practice_id).first()
    )
    if practice is None or not is_representative(user, practice.organisation):
        raise Http404
    return practice


def get_organisation_for_staff(user: User, organisation_id: int) -> PartnerOrganisation:
    organisation = (
        PartnerOrganisation.objects.select_related("programme").filter(pk=organisation_id).first()
    )
    if organisation is None or not is_organisation_staff(user, organisation):
        raise Http404
    return organisation


def get_practice_for_staff(user: User, practice_id: int) -> Practice:
    practice = (
        Practice.objects.select_related("organisation__programme").filter(pk=practice_id).first()
    )
    if practice is None or not is_organisation_staff(user, practice.organisation):
        raise Http404
    return practice


def public_practices():
    return Practice.objects.filter(
        status=Practice.Status.APPROVED,
        organisation__status=PartnerOrganisation.Status.APPROVED,
    )


def public_organisations():
    return PartnerOrganisation.objects.filter(status=PartnerOrganisation.Status.APPROVED)


def get_public_practice(slug: str) -> Practice:
    practice = (
        public_practices()
        .select_related("organisation")
        .prefetch_related("results", "photos")
        .filter(slug=slug)
        .first()
    )
    if practice is None:
        raise Http404
    return practice


def get_public_organisation(slug: str) -> PartnerOrganisation:
    organisation = public_organisations().filter(slug=slug).first()
    if organisation is None:
        raise Http404
    return organisation
