"""Writes of the community: partner organisations, their practices, and staff review.

Files (logos, photos) arrive already checked and re-encoded by
``stem4all.core.uploads.validate_image`` (the forms call it) as ``ContentFile``s with
random names. Decisions lock the row and re-read its state, so two staff deciding at
once, or a representative editing while staff decide, cannot both win.
"""

from __future__ import annotations

import posixpath
import secrets
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from stem4all.accounts.models import User
from stem4all.core.errors import DomainError
from stem4all.programmes.models import Programme

from .models import PartnerOrganisation, PartnerRepresentative, Practice, PracticePhoto
from .permissions import can_create_organisation, is_organisation_staff, is_representative

MAX_RESULTS = 8
MAX_PHOTOS = 6

ORGANISATION_FIELDS = (
    "name",
    "kind",
    "description",
    "website",
    "links",
    "contact_name",
    "contact_email",
)
PRACTICE_FIELDS = ("title", "summary", "story", "links", "stem_field", "region")


class CommunityError(DomainError):
    pass


def _unique_slug(model, text: str, fallback: str, max_length: int) -> str:
    base = slugify(text)[: max_length - 8].strip("-") or fallback
    slug = base
    while model.objects.filter(slug=slug).exists():
        slug = f"{base}-{secrets.token_hex(3)}"
    return slug


def _save_image(field, content) -> None:
    # The upload's random name already has the folder; the field adds its own.
    field.save(posixpath.basename(content.name), content, save=False)


def _require_representative(user: User, organisation: PartnerOrganisation) -> None:
    if not is_representative(user, organisation):
        raise CommunityError(_("Only the organisation's representatives can do this."))


def _require_staff(user: User, organisation: PartnerOrganisation) -> None:
    if not is_organisation_staff(user, organisation):
        raise CommunityError(_("Only staff of the programme can review partners."))


@transaction.atomic
def create_partner_organisation(
    *, programme: Programme, by: User, logo=None, **fields
) -> PartnerOrganisation:
    """A partner participant creates her organisation's profile (waiting for approval)."""
    if not can_create_organisation(by, programme):
        raise CommunityError(
            _("Only partners taking part in the programme can create an organisation.")
        )
    organisation = PartnerOrganisation(
        programme=programme,
        slug=_unique_slug(PartnerOrganisation, fields.get("name", ""), "partner", 80),
        **{name: fields[name] for name in ORGANISATION_FIELDS if name in fields},
    )
    if logo is not None:
        _save_image(organisation.logo, logo)
    organisation.save()
    PartnerRepresentative.objects.create(organisation=organisation, user=by)
    return organisation


@transaction.atomic
def update_partner_organisation(
    *, organisation: PartnerOrganisation, by: User, logo=None, remove_logo=False, **fields
) -> PartnerOrganisation:
    """Representatives edit the profile. A profile that was not approved goes back to
    the review queue; an approved one stays approved (staff can still see every edit
    in the public profile)."""
    organisation = PartnerOrganisation.objects.select_for_update().get(pk=organisation.pk)
    _require_representative(by, organisation)
    for name in ORGANISATION_FIELDS:
        if name in fields:
            setattr(organisation, name, fields[name])
    if remove_logo and organisation.logo:
        organisation.logo.delete(save=False)
    if logo is not None:
        _save_image(organisation.logo, logo)
    if organisation.status == PartnerOrganisation.Status.REJECTED:
        organisation.status = PartnerOrganisation.Status.PENDING
    organisation.save()
    return organisation


@transaction.atomic
def decide_partner_organisation(
    *, organisation: PartnerOrganisation, by: User, approve: bool, reason: str = ""
) -> PartnerOrganisation:
    organisation = PartnerOrganisation.objects.select_for_update().get(pk=organisation.pk)
    _require_staff(by, organisation)
    if organisation.status != PartnerOrganisation.Status.PENDING:
        raise CommunityError(_("This organisation has already been reviewed."))
    if not approve and not reason.strip():
        raise CommunityError(_("Give the reason for not approving."))
    organisation.status = (
        PartnerOrganisation.Status.APPROVED if approve else PartnerOrganisation.Status.REJECTED
    )
    organisation.decision_reason = reason.strip()
    organisation.decided_by = by
    organisation.decided_at = timezone.now()
    organisation.save()
    return organisation


def _set_results(practice: Practice, results: Iterable[tuple[str, Decimal, str]]) -> None:
    rows = [(label.strip(), number, unit.strip()) for label, number, unit in results if label]
    if len(rows) > MAX_RESULTS:
        raise CommunityError(_("At most %(count)s results.") % {"count": MAX_RESULTS})
    practice.results.all().delete()
    practice.results.bulk_create(
        [
            practice.results.model(
                practice=practice, label=label, number=number, unit=unit, position=i
            )
            for i, (label, number, unit) in enumerate(rows)
        ]
    )


@transaction.atomic
def create_practice(
    *, organisation: PartnerOrganisation, by: User, results=(), **fields
) -> Practice:
    _require_representative(by, organisation)
    practice = Practice.objects.create(
        organisation=organisation,
        slug=_unique_slug(Practice, fields.get("title", ""), "practice", 90),
        **{name: fields[name] for name in PRACTICE_FIELDS if name in fields},
    )
    _set_results(practice, results)
    return practice


def _lock_editable(practice: Practice, by: User) -> Practice:
    practice = (
        Practice.objects.select_for_update().select_related("organisation").get(pk=practice.pk)
    )
    _require_representative(by, practice.organisation)
    if not practice.is_editable:
        raise CommunityError(
            _("A submitted or published practice cannot be changed.")
            if practice.status == Practice.Status.SUBMITTED
            else _("A published practice cannot be changed.")
        )
    return practice


@transaction.atomic
def update_practice(*, practice: Practice, by: User, results=None, **fields) -> Practice:
    """Edit a draft (or a rejected practice, which becomes a draft again)."""
    practice = _lock_editable(practice, by)
    for name in PRACTICE_FIELDS:
        if name in fields:
            setattr(practice, name, fields[name])
    practice.status = Practice.Status.DRAFT
    practice.save()
    if results is not None:
        _set_results(practice, results)
    return practice


@transaction.atomic
def delete_practice(*, practice: Practice, by: User) -> None:
    practice = _lock_editable(practice, by)
    for photo in practice.photos.all():
        photo.image.delete(save=False)
    practice.delete()


@transaction.atomic
def add_practice_photo(
    *, practice: Practice, by: User, image, alt_text: str, caption: str = ""
) -> PracticePhoto:
    practice = _lock_editable(practice, by)
    if not alt_text.strip():
        raise CommunityError(_("Describe the photo for people who cannot see it."))
    count = practice.photos.count()
    if count >= MAX_PHOTOS:
        raise CommunityError(_("At most %(count)s photos.") % {"count": MAX_PHOTOS})
    photo = PracticePhoto(
        practice=practice, alt_text=alt_text.strip(), caption=caption.strip(), position=count
    )
    _save_image(photo.image, image)
    photo.save()
    return photo


@transaction.atomic
def remove_practice_photo(*, photo: PracticePhoto, by: User) -> None:
    _lock_editable(photo.practice, by)
    photo.image.delete(save=False)
    photo.delete()


@transaction.atomic
def submit_practice(*, practice: Practice, by: User, now=None) -> Practice:
    practice = _lock_editable(practice, by)
    practice.status = Practice.Status.SUBMITTED
    practice.submitted_at = now or timezone.now()
    practice.decision_reason = ""
    practice.save()
    return practice


@transaction.atomic
def decide_practice(
    *, practice: Practice, by: User, approve: bool, reason: str = "", now=None
) -> Practice:
    practice = (
        Practice.objects.select_for_update().select_related("organisation").get(pk=practice.pk)
    )
    _require_staff(by, practice.organisation)
    if practice.status != Practice.Status.SUBMITTED:
        raise CommunityError(_("This practice is not waiting for review."))
    if not approve and not reason.strip():
        raise CommunityError(_("Give the reason for not approving."))
    if approve and not practice.organisation.is_approved:
        raise CommunityError(_("Approve the organisation before its practices."))
    now = now or timezone.now()
    practice.status = Practice.Status.APPROVED if approve else Practice.Status.REJECTED
    practice.decision_reason = reason.strip()
    practice.decided_by = by
    practice.decided_at = now
    if approve and practice.published_at is None:
        practice.published_at = now
    practice.save()
    return practice
