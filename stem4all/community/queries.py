"""Reads of the community, scoped to the viewer; every list is paginated by the caller
and uses a bounded number of queries (the related rows are joined or prefetched)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q

from stem4all.accounts.models import User
from stem4all.accounts.permissions import staff_programme_ids

from .models import PartnerOrganisation, Practice, PracticePhoto
from .permissions import public_organisations, public_practices


def gallery(*, kind: str = "", field: str = "", region: str = ""):
    """Approved practices of approved organisations, newest first, with their photos."""
    practices = public_practices()
    if kind:
        practices = practices.filter(organisation__kind=kind)
    if field:
        practices = practices.filter(stem_field=field)
    if region:
        practices = practices.filter(region=region)
    return (
        practices.select_related("organisation")
        .prefetch_related(Prefetch("photos", queryset=PracticePhoto.objects.order_by("position")))
        .order_by("-published_at", "-pk")
    )


def public_partner_list():
    return (
        public_organisations()
        .annotate(
            practice_count=Count(
                "practices",
                filter=Q(practices__status=Practice.Status.APPROVED),
            )
        )
        .order_by("name", "pk")
    )


def public_practices_of(organisation: PartnerOrganisation):
    return (
        public_practices()
        .filter(organisation=organisation)
        .prefetch_related("photos")
        .order_by("-published_at", "-pk")
    )


def organisations_of_representative(user: User):
    return (
        PartnerOrganisation.objects.filter(representatives__user=user)
        .select_related("programme")
        .annotate(practice_count=Count("practices"))
        .order_by("name", "pk")
    )


def practices_of(organisation: PartnerOrganisation):
    return organisation.practices.order_by("-created_at", "-pk")


def organisations_to_review(staff: User):
    scope = PartnerOrganisation.objects.select_related("programme").filter(
        status=PartnerOrganisation.Status.PENDING
    )
    if not staff.is_superuser:
        scope = scope.filter(programme_id__in=staff_programme_ids(staff))
    return scope.order_by("created_at", "pk")


def practices_to_review(staff: User):
    scope = Practice.objects.select_related("organisation__programme").filter(
        status=Practice.Status.SUBMITTED
    )
    if not staff.is_superuser:
        scope = scope.filter(organisation__programme_id__in=staff_programme_ids(staff))
    return scope.order_by("submitted_at", "pk")
