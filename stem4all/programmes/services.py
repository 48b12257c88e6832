"""Writes about cohorts: applications, screening decisions, phases."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stem4all.accounts.models import LanguageSkill, MenteeProfile, MentorProfile, User
from stem4all.core.errors import DomainError

from .importing import ImportPlan, ImportReport, plan_import, read_participants
from .models import Cohort, Participation
from .tasks import send_application_decision


class ProgrammeError(DomainError):
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
        if user.is_regional and not user.region:
            missing.append(_("your region"))
        if not MenteeProfile.objects.filter(user=user).exists():
            missing.append(_("your mentee profile"))
    elif role == Participation.Role.MENTOR and not MentorProfile.objects.filter(user=user).exists():
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
    locked.save(
        update_fields=["status", "decision_reason", "decided_by", "decided_at", "updated_at"]
    )
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


IMPORT_BATCH_SIZE = 500


def import_participants(
    *, cohort: Cohort, uploaded_file, dry_run: bool, staff: User
) -> ImportReport:
    """Add every person in a CSV or XLSX file to a cohort, or nobody.

    Every row is checked first (see ``importing`` for the format); one bad row, and
    nothing is written, and the report names every bad row by its line. A dry run
    checks and reports only. New people get an account with an unusable password and
    an unverified e-mail address: they set a password through password reset. Existing
    accounts are reused as they are. Each row becomes an accepted participation decided
    by ``staff``. A colleague adding the same person meanwhile trips the unique
    constraints, and the whole import rolls back with a message instead of an error.
    """
    parsed = read_participants(uploaded_file)
    report = ImportReport(rows_read=parsed.rows_read, dry_run=dry_run)
    if parsed.is_unreadable:
        report.errors = [error.message for error in parsed.errors]
        return report
    try:
        with transaction.atomic():
            plan = plan_import(parsed.rows, cohort=cohort)
            report.to_create = len(plan.new_rows)
            report.existing_users_reused = len(plan.existing_user_ids)
            errors = sorted(parsed.errors + plan.errors, key=lambda error: error.line)
            if errors:
                report.errors = [error.message for error in errors]
                return report
            if dry_run:
                return report
            _create_imported_participants(plan=plan, cohort=cohort, staff=staff)
    except IntegrityError:
        report.errors = [
            _(
                "Someone added some of these people to the platform or to this cohort while "
                "the file was being imported, so nothing was imported. Check the file again "
                "and repeat the import."
            )
        ]
        return report
    report.imported = True
    return report


def _create_imported_participants(*, plan: ImportPlan, cohort: Cohort, staff: User) -> None:
    from allauth.account.models import EmailAddress

    now = timezone.now()
    new_users = []
    for row in plan.new_rows:
        user = User(
            email=row.email,
            full_name=row.full_name,
            date_of_birth=row.date_of_birth,
            country=row.country,
            region=row.region,
            district=row.district,
            preferred_language=row.preferred_language,
            date_joined=now,
        )
        user.set_unusable_password()
        new_users.append(user)
    User.objects.bulk_create(new_users, batch_size=IMPORT_BATCH_SIZE)
    user_ids = dict(plan.existing_user_ids)
    user_ids.update({user.email: user.pk for user in new_users})
    if any(user.pk is None for user in new_users):  # a database that returns no ids
        created = User.objects.filter(email__in=[user.email for user in new_users])
        user_ids.update(created.values_list("email", "pk"))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(
                user_id=user_ids[user.email], email=user.email, verified=False, primary=True
            )
            for user in new_users
        ],
        batch_size=IMPORT_BATCH_SIZE,
    )
    LanguageSkill.objects.bulk_create(
        [
            LanguageSkill(user_id=user_ids[row.email], language=language, level=level)
            for row in plan.new_rows
            for language, level in row.languages
        ],
        batch_size=IMPORT_BATCH_SIZE,
    )
    Participation.objects.bulk_create(
        [
            Participation(
                user_id=user_ids[row.email],
                cohort=cohort,
                role=row.role,
                status=Participation.Status.ACCEPTED,
                source=Participation.Source.IMPORT,
                decided_by=staff,
                decided_at=now,
                created_at=now,
            )
            for row in plan.rows
        ],
        batch_size=IMPORT_BATCH_SIZE,
    )
