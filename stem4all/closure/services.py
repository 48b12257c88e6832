"""Writes at the end of a mentorship: submitting an exit survey, issuing and revoking
the mentee's certificate, joining and leaving the cohort's alumni group.

A survey is submitted once per member: the mentorship row is locked while her answer
is checked and written, and a unique constraint backs it. A certificate is issued at
most once per mentorship: the OneToOne on ``Certificate.mentorship`` decides a race
between two issuers, and the loser returns the winner's certificate.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stem4all.accounts.models import User
from stem4all.core.errors import DomainError
from stem4all.mentorships.models import Mentorship

from .models import Certificate, ExitSurvey
from .permissions import can_revoke_certificate, is_survey_open

Status = Mentorship.Status


class ClosureError(DomainError):
    """A request that the closure rules refuse; the message is shown to the user."""


def _lock(mentorship: Mentorship) -> Mentorship:
    return (
        Mentorship.objects.select_related("cohort__programme", "mentee", "mentor")
        .select_for_update(of=("self",))
        .get(pk=mentorship.pk)
    )


def _role_of(user: User, mentorship: Mentorship) -> str:
    if user.pk == mentorship.mentee_id:
        return ExitSurvey.Role.MENTEE
    if user.pk == mentorship.mentor_id:
        return ExitSurvey.Role.MENTOR
    raise ClosureError(_("Only the mentee and the mentor answer the exit survey."))


@transaction.atomic
def submit_exit_survey(
    *,
    mentorship: Mentorship,
    respondent: User,
    overall_rating: int,
    goals_met: int,
    would_recommend: bool,
    what_worked: str = "",
    what_to_improve: str = "",
    stay_in_touch: bool = False,
) -> ExitSurvey:
    """Record a member's answers once the mentorship has ended (completed or ended
    early). Answers are final: a second submission is refused with a message. Staying in
    touch adds her to the cohort's alumni group."""
    locked = _lock(mentorship)
    role = _role_of(respondent, locked)
    if not is_survey_open(locked):
        raise ClosureError(_("The exit survey opens when the mentorship has ended."))
    if ExitSurvey.objects.filter(mentorship=locked, respondent=respondent).exists():
        raise ClosureError(_("You have already answered the exit survey. Thank you!"))
    try:
        with transaction.atomic():
            survey = ExitSurvey.objects.create(
                mentorship=locked,
                respondent=respondent,
                role=role,
                overall_rating=overall_rating,
                goals_met=goals_met,
                would_recommend=would_recommend,
                what_worked=(what_worked or "").strip(),
                what_to_improve=(what_to_improve or "").strip(),
                stay_in_touch=stay_in_touch,
            )
    except IntegrityError:
        raise ClosureError(_("You have already answered the exit survey. Thank you!")) from None
    if stay_in_touch:
        _join_alumni(locked, respondent)
    return survey


def _join_alumni(mentorship: Mentorship, user: User):
    from stem4all.messaging.services import add_to_alumni_group

    return add_to_alumni_group(cohort=mentorship.cohort, user=user)


@transaction.atomic
def join_alumni_group(*, mentorship: Mentorship, user: User):
    """Stay in touch after all (she said no in the survey, or left and came back)."""
    locked = _lock(mentorship)
    _role_of(user, locked)
    if not is_survey_open(locked):
        raise ClosureError(_("The alumni group opens when the mentorship has ended."))
    ExitSurvey.objects.filter(mentorship=locked, respondent=user).update(stay_in_touch=True)
    return _join_alumni(locked, user)


@transaction.atomic
def leave_alumni_group(*, mentorship: Mentorship, user: User) -> None:
    from stem4all.messaging.services import leave_alumni_group as leave_group

    locked = _lock(mentorship)
    _role_of(user, locked)
    ExitSurvey.objects.filter(mentorship=locked, respondent=user).update(stay_in_touch=False)
    leave_group(cohort=locked.cohort, user=user)


def issue_certificate(*, mentorship: Mentorship) -> Certificate:
    """The mentee's certificate of a completed mentorship, created the first time and
    returned as it is every time after (a retried task, two workers at once)."""
    existing = Certificate.objects.filter(mentorship_id=mentorship.pk).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            locked = _lock(mentorship)
            if locked.status != Status.COMPLETED:
                raise ClosureError(_("A certificate is issued only for a completed mentorship."))
            ended = locked.ended_at or timezone.now()
            return Certificate.objects.create(
                mentee=locked.mentee,
                mentorship=locked,
                mentee_name=locked.mentee.full_name,
                mentor_name=locked.mentor.full_name,
                programme_name=locked.cohort.programme.name,
                cohort_name=locked.cohort.name,
                started_on=timezone.localdate(locked.started_at),
                completed_on=timezone.localdate(ended),
            )
    except IntegrityError:
        return Certificate.objects.get(mentorship_id=mentorship.pk)


@transaction.atomic
def revoke_certificate(*, certificate: Certificate, by: User, reason: str) -> Certificate:
    """Withdraw a certificate (issued by mistake, a misconduct found later): its code
    stops verifying and it can no longer be downloaded. Staff of the programme only."""
    reason = (reason or "").strip()
    if not reason:
        raise ClosureError(_("Say why the certificate is revoked."))
    locked = (
        Certificate.objects.select_related("mentorship__cohort")
        .select_for_update(of=("self",))
        .get(pk=certificate.pk)
    )
    if not can_revoke_certificate(by, locked.mentorship):
        raise ClosureError(_("Only programme staff can revoke a certificate."))
    if locked.is_revoked:
        raise ClosureError(_("This certificate is already revoked."))
    locked.revoked_at = timezone.now()
    locked.revoked_by = by
    locked.revocation_reason = reason
    locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    return locked
