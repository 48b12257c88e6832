"""Writes about cohorts: applications, screening decisions, phases."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stem4all.accounts.models import LanguageSkill, MenteeProfile, MentorProfile, User

from .models import Cohort, Participation
from .tasks import send_application_decision


class ProgrammeError(Exception):
    """A request that the programme's rules refuse; the message is shown to the user."""


def missing_for_application(user: User, role: str) -> list[str]:
    """What a person must still fill in before applying in a role (empty when ready)."""
    missing = []
    if not user.full_name.strip():
        missing.append(_("your full name"))
    if not LanguageSkill.objects.filter(user=user).exists():
        missing.append(_("the languages you speak"))
    if role == Participation.Role.MENTEE:
        if user.date_of_birth is None:
            missing.append(_("your date of birth"))
        if user.country == "KG" and not user.region:
            missing.append(_("your region"))
        if not MenteeProfile.objects.filter(user=user).exists():
            missing.append(_("your mentee profile"))
    elif role == Participation.Role.MENTOR:
        if not MentorProfile.objects.filter(user=user).exists():
            missing.append(_("your mentor profile"))
    return missing


def apply_to_cohort(*, user: User, cohort: Cohort, role: str, motivation: str) -> Participation:
    if role not in Participation.APPLYING_ROLES:
        raise ProgrammeError(_("One can only apply as a mentee or as a mentor."))
    if not cohort.is_accepting_applications:
        raise ProgrammeError(_("This cohort is not accepting applications."))
    missing = missing_for_application(user, role)
    if missing:
        raise ProgrammeError(
            _("Before applying, please add: %(missing)s.") % {"missing": ", ".join(missing)}
        )
    try:
        # The unique constraint, not a prior lookup, decides a double submission.
        with transaction.atomic():
            return Participation.objects.create(
                user=user,
                cohort=cohort,
                role=role,
                status=Participation.Status.APPLIED,
                source=Participation.Source.APPLICATION,
                motivation=motivation.strip(),
            )
    except IntegrityError:
        raise ProgrammeError(_("You have already applied to this cohort in this role.")) from None


@transaction.atomic
def withdraw_application(*, participation: Participation) -> Participation:
    locked = Participation.objects.select_for_update().get(pk=participation.pk)
    if locked.status not in (Participation.Status.APPLIED, Participation.Status.WAITLISTED):
        raise ProgrammeError(_("Only an application still under review can be withdrawn."))
    locked.status = Participation.Status.WITHDRAWN
    locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def decide_application(
    *, participation: Participation, decision: str, reason: str, staff: User
) -> Participation:
    """Accept, waitlist or reject an application. Two staff deciding at once cannot both
    win: the row is locked and its status re-read inside the transaction."""
    if decision not in Participation.DECISIONS:
        raise ProgrammeError(_("Choose accept, waitlist or reject."))
    if decision == Participation.Status.REJECTED and not reason.strip():
        raise ProgrammeError(_("Give a reason when an application is not accepted."))
    locked = Participation.objects.select_for_update().get(pk=participation.pk)
    if locked.status not in (Participation.Status.APPLIED, Participation.Status.WAITLISTED):
        raise ProgrammeError(
            _("This application was already decided: %(status)s.")
            % {"status": locked.get_status_display()}
        )
    if locked.status == decision:
        raise ProgrammeError(_("The application already has this status."))
    locked.status = decision
    locked.decision_reason = reason.strip()
    locked.decided_by = staff
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decision_reason", "decided_by", "decided_at", "updated_at"])
    transaction.on_commit(lambda: send_application_decision.enqueue(participation_id=locked.pk))
    return locked


@transaction.atomic
def advance_cohort_phase(*, cohort: Cohort, expected_phase: str) -> Cohort:
    """Move a cohort to its next phase. ``expected_phase`` is the phase the staff member
    saw: a second click, or a colleague's, does not skip a phase."""
    locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if locked.phase != expected_phase:
        raise ProgrammeError(_("The cohort's phase has changed meanwhile; reload the page."))
    following = locked.next_phase()
    if following is None:
        raise ProgrammeError(_("The cohort is in its last phase."))
    locked.phase = following
    locked.save(update_fields=["phase"])
    return locked
