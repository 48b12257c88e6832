"""Writes about mentorships: starting one (when a mentor accepts a proposal), its
transitions (pause, resume, complete, end early) and the mentoring agreement.

Every transition locks the mentorship row with ``select_for_update``, re-reads the
status inside the transaction, checks it against the states it may come from, and
records one ``MentorshipEvent``: two people acting at once apply one after the other,
and the second sees the first one's result.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stem4all.accounts.models import User
from stem4all.core.errors import DomainError
from stem4all.programmes.models import Cohort

from .models import MentoringAgreement, Mentorship, MentorshipEvent
from .permissions import can_change_mentorship, can_edit_agreement
from .tasks import send_mentorship_ended

Status = Mentorship.Status


class MentorshipError(DomainError):
    """A request that the mentorship rules refuse; the message is shown to the user."""


def start_mentorship(
    *, cohort: Cohort, mentee: User, mentor: User, proposal=None, by: User | None = None
) -> Mentorship:
    """Start the pair. Called by ``matching.services.accept_proposal`` inside its
    transaction, with the mentor's capacity already checked under a lock. A mentee who
    already has an open mentorship in the cohort trips the partial unique constraint.
    The first event's actor is ``by``, by default the mentor who accepted."""
    try:
        with transaction.atomic():
            mentorship = Mentorship.objects.create(
                cohort=cohort,
                mentee=mentee,
                mentor=mentor,
                proposal=proposal,
                status=Status.ACTIVE,
                started_at=timezone.now(),
            )
            MentorshipEvent.objects.create(
                mentorship=mentorship, from_status="", to_status=Status.ACTIVE, actor=by or mentor
            )
    except IntegrityError:
        raise MentorshipError(_("She already has a mentor in this cohort.")) from None
    return mentorship


def _lock(mentorship: Mentorship) -> Mentorship:
    return (
        Mentorship.objects.select_related("cohort")
        .select_for_update(of=("self",))
        .get(pk=mentorship.pk)
    )


def _transition(
    *,
    mentorship: Mentorship,
    by: User,
    allowed_from: tuple[str, ...],
    to: str,
    refusal: str,
    reason: str = "",
    cause: str = "",
) -> Mentorship:
    """Move the locked mentorship to ``to`` if its current status allows it. Must run
    inside ``transaction.atomic``."""
    locked = _lock(mentorship)
    if not can_change_mentorship(by, locked):
        raise MentorshipError(_("You cannot change this mentorship."))
    if locked.status not in allowed_from:
        raise MentorshipError(refusal % {"status": locked.get_status_display()})
    from_status = locked.status
    locked.status = to
    fields = ["status"]
    if to in (Status.COMPLETED, Status.ENDED_EARLY):
        locked.ended_at = timezone.now()
        locked.ended_by = by
        locked.end_reason = reason if to == Status.ENDED_EARLY else ""
        locked.end_cause = cause if to == Status.ENDED_EARLY else ""
        fields += ["ended_at", "ended_by", "end_reason", "end_cause"]
    locked.save(update_fields=fields)
    MentorshipEvent.objects.create(
        mentorship=locked, from_status=from_status, to_status=to, actor=by, reason=reason
    )
    return locked


def _required_reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise MentorshipError(message)
    return reason


@transaction.atomic
def pause_mentorship(*, mentorship: Mentorship, by: User, reason: str) -> Mentorship:
    """Pause an active mentorship (an exam period, an illness). Her mentor's place stays
    taken: a paused mentorship is still open."""
    reason = _required_reason(reason, _("Say why the mentorship pauses."))
    return _transition(
        mentorship=mentorship,
        by=by,
        allowed_from=(Status.ACTIVE,),
        to=Status.PAUSED,
        refusal=_("Only an active mentorship can be paused; this one is %(status)s."),
        reason=reason,
    )


@transaction.atomic
def resume_mentorship(*, mentorship: Mentorship, by: User) -> Mentorship:
    return _transition(
        mentorship=mentorship,
        by=by,
        allowed_from=(Status.PAUSED,),
        to=Status.ACTIVE,
        refusal=_("Only a paused mentorship can be resumed; this one is %(status)s."),
    )


def _start_closure_on_commit(mentorship: Mentorship) -> None:
    """Exit surveys for both (and the certificate, for a completion) once it commits."""
    from stem4all.closure.tasks import start_closure

    transaction.on_commit(lambda: start_closure.enqueue(mentorship_id=mentorship.pk))


@transaction.atomic
def complete_mentorship(*, mentorship: Mentorship, by: User) -> Mentorship:
    """The planned ending, from active or paused."""
    locked = _transition(
        mentorship=mentorship,
        by=by,
        allowed_from=Mentorship.OPEN_STATUSES,
        to=Status.COMPLETED,
        refusal=_("This mentorship has already ended: %(status)s."),
    )
    _start_closure_on_commit(locked)
    return locked


@transaction.atomic
def end_mentorship_early(
    *, mentorship: Mentorship, by: User, reason: str, cause: str = Mentorship.EndCause.OTHER
) -> Mentorship:
    """End an active or paused mentorship before the cohort ends. Her mentor's place is
    free again at once; staff can then re-match the mentee. ``cause`` is the main reason
    counted in the reports, ``reason`` the explanation staff read."""
    reason = _required_reason(reason, _("Say why the mentorship ends early."))
    if cause not in Mentorship.EndCause.values:
        raise MentorshipError(_("Choose the main reason the mentorship ends."))
    locked = _transition(
        mentorship=mentorship,
        by=by,
        allowed_from=Mentorship.OPEN_STATUSES,
        to=Status.ENDED_EARLY,
        refusal=_("This mentorship has already ended: %(status)s."),
        reason=reason,
        cause=cause,
    )
    transaction.on_commit(lambda: send_mentorship_ended.enqueue(mentorship_id=locked.pk))
    _start_closure_on_commit(locked)
    return locked


def _open_for_agreement(mentorship: Mentorship, by: User) -> Mentorship:
    locked = _lock(mentorship)
    if not can_edit_agreement(by, locked):
        raise MentorshipError(_("Only the mentee and the mentor can change their agreement."))
    if not locked.is_open:
        raise MentorshipError(
            _("This mentorship has ended: %(status)s.") % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def save_agreement(*, mentorship: Mentorship, by: User, **fields) -> MentoringAgreement:
    """Create or edit the pair's agreement. A change after either of them confirmed
    clears both confirmations: each confirms what is written now."""
    unknown = set(fields) - set(MentoringAgreement.EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not agreement fields: {sorted(unknown)}")
    locked = _open_for_agreement(mentorship, by)
    agreement, _created = MentoringAgreement.objects.get_or_create(mentorship=locked)
    changed = [name for name, value in fields.items() if getattr(agreement, name) != value]
    for name in changed:
        setattr(agreement, name, fields[name])
    if changed:
        agreement.mentee_confirmed_at = None
        agreement.mentor_confirmed_at = None
        agreement.save()
    return agreement


@transaction.atomic
def confirm_agreement(*, mentorship: Mentorship, by: User) -> MentoringAgreement:
    locked = _open_for_agreement(mentorship, by)
    agreement = MentoringAgreement.objects.filter(mentorship=locked).first()
    if agreement is None or not agreement.goals.strip() or agreement.expected_end_on is None:
        raise MentorshipError(_("Write down your goals and an expected end date first."))
    field = "mentee_confirmed_at" if by.pk == locked.mentee_id else "mentor_confirmed_at"
    if getattr(agreement, field) is None:
        setattr(agreement, field, timezone.now())
        agreement.save(update_fields=[field, "updated_at"])
    return agreement
