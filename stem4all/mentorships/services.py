"""Writes about mentorships: starting one (when a mentor accepts a proposal) and
ending one early."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stem4all.accounts.models import User
from stem4all.programmes.models import Cohort

from .models import Mentorship
from .tasks import send_mentorship_ended


class MentorshipError(Exception):
    """A request that the mentorship rules refuse; the message is shown to the user."""


def start_mentorship(*, cohort: Cohort, mentee: User, mentor: User, proposal=None) -> Mentorship:
    """Start the pair. Called by ``matching.services.accept_proposal`` inside its
    transaction, with the mentor's capacity already checked under a lock. A mentee who
    already has an open mentorship in the cohort trips the partial unique constraint."""
    try:
        with transaction.atomic():
            return Mentorship.objects.create(
                cohort=cohort,
                mentee=mentee,
                mentor=mentor,
                proposal=proposal,
                status=Mentorship.Status.ACTIVE,
                started_at=timezone.now(),
            )
    except IntegrityError:
        raise MentorshipError(_("She already has a mentor in this cohort.")) from None


@transaction.atomic
def end_mentorship_early(*, mentorship: Mentorship, by: User, reason: str) -> Mentorship:
    """End an active or paused mentorship before the cohort ends. Her mentor's place is
    free again at once; staff can then re-match the mentee."""
    reason = reason.strip()
    if not reason:
        raise MentorshipError(_("Say why the mentorship ends early."))
    locked = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if not locked.is_open:
        raise MentorshipError(
            _("This mentorship has already ended: %(status)s.")
            % {"status": locked.get_status_display()}
        )
    locked.status = Mentorship.Status.ENDED_EARLY
    locked.ended_at = timezone.now()
    locked.end_reason = reason
    locked.ended_by = by
    locked.save(update_fields=["status", "ended_at", "end_reason", "ended_by"])
    transaction.on_commit(lambda: send_mentorship_ended.enqueue(mentorship_id=locked.pk))
    return locked
