"""Writes about pair health: answering a pulse check-in, resolving a flag, and the
periodic rules (pulse check-ins due, meeting reminders, inactivity).

Every periodic rule can be run again, or twice at once, without doing anything twice:
rows it creates are unique in the database (one pulse per person and round, one open
flag per pair and reason) and notifications are idempotent per key. Each takes ``now``
so tests can freeze time.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stem4all.accounts.models import User
from stem4all.core.errors import DomainError
from stem4all.mentorships.models import Mentorship
from stem4all.mentorships.queries import with_last_activity
from stem4all.notifications.models import Notification
from stem4all.notifications.services import notify

from .models import FIRST_PULSE_DAY, LOW_PULSE_SCORE, PULSE_INTERVAL_DAYS, PairFlag, PulseCheck

Kind = Notification.Kind

# Days without a happened meeting or a delivered message.
INACTIVITY_REMINDER_DAYS = 21
INACTIVITY_FLAG_DAYS = 35
MEETING_REMINDER_HOURS = 24


class CheckinError(DomainError):
    pass


# ---------------------------------------------------------------------------- helpers


def programme_staff(programme_id: int) -> list[User]:
    """The accepted staff of a programme (any of its cohorts), each once."""
    from stem4all.programmes.models import Participation

    return list(
        User.objects.filter(
            is_active=True,
            participations__role=Participation.Role.STAFF,
            participations__status=Participation.Status.ACCEPTED,
            participations__cohort__programme_id=programme_id,
        )
        .distinct()
        .order_by("pk")
    )


def _raise_flag(*, mentorship: Mentorship, reason: str, details: dict) -> PairFlag | None:
    """Open a flag and tell the programme's staff, or nothing when the pair already has
    an open flag for this reason (the partial unique constraint decides, also when two
    runs race). Call inside a transaction."""
    try:
        with transaction.atomic():
            flag = PairFlag.objects.create(mentorship=mentorship, reason=reason, details=details)
    except IntegrityError:
        return None
    url = reverse("mentorships:staff_mentorships", args=[mentorship.cohort_id]) + "?attention=1"
    for person in programme_staff(mentorship.cohort.programme_id):
        notify(
            recipient=person,
            kind=Kind.PAIR_FLAGGED,
            key=f"pair-flagged:{flag.pk}",
            url=url,
            params={
                "mentee": mentorship.mentee.full_name,
                "mentor": mentorship.mentor.full_name,
                "reason": reason,
            },
        )
    return flag


# ---------------------------------------------------------------------- pulse answers


@transaction.atomic
def answer_pulse_check(*, pulse: PulseCheck, by: User, score: int, comment: str = "") -> PulseCheck:
    """Record the respondent's answer, once. A low score brings the pair to staff."""
    pulse = (
        PulseCheck.objects.select_for_update()
        .select_related("mentorship__cohort", "mentorship__mentee", "mentorship__mentor")
        .get(pk=pulse.pk)
    )
    if pulse.respondent_id != by.pk:
        raise CheckinError(_("Only the person asked can answer this check-in."))
    if pulse.answered_at is not None:
        raise CheckinError(_("You have already answered this check-in. Thank you!"))
    if not 1 <= int(score) <= 5:
        raise CheckinError(_("Choose a score from 1 to 5."))
    pulse.score = int(score)
    pulse.comment = comment
    pulse.answered_at = timezone.now()
    pulse.save(update_fields=["score", "comment", "answered_at"])
    if pulse.score <= LOW_PULSE_SCORE:
        _raise_flag(
            mentorship=pulse.mentorship,
            reason=PairFlag.Reason.LOW_PULSE,
            details={"pulse_id": pulse.pk, "round": pulse.round, "score": pulse.score},
        )
    return pulse


@transaction.atomic
def resolve_pair_flag(*, flag: PairFlag, by: User) -> PairFlag:
    flag = PairFlag.objects.select_for_update().get(pk=flag.pk)
    if flag.resolved_at is not None:
        raise CheckinError(_("This flag was already resolved."))
    flag.resolved_at = timezone.now()
    flag.resolved_by = by
    flag.save(update_fields=["resolved_at", "resolved_by"])
    return flag


# -------------------------------------------------------------------- periodic rules


def pulse_round_on(started_at: dt.datetime, now: dt.datetime) -> tuple[int, dt.date] | None:
    """The round due at ``now`` for a pair started at ``started_at`` and its due date:
    round 1 on day 30, then one every 60 days. None before day 30."""
    days = (now - started_at).days
    if days < FIRST_PULSE_DAY:
        return None
    number = 1 + (days - FIRST_PULSE_DAY) // PULSE_INTERVAL_DAYS
    due_on = timezone.localdate(started_at) + dt.timedelta(
        days=FIRST_PULSE_DAY + (number - 1) * PULSE_INTERVAL_DAYS
    )
    return number, due_on


def create_due_pulse_checks(now: dt.datetime | None = None) -> int:
    """For each active pair, the current round's check-in for the mentee and the mentor,
    each notified once. Returns the number of check-ins created."""
    now = now or timezone.now()
    pairs = Mentorship.objects.filter(
        status=Mentorship.Status.ACTIVE,
        started_at__lte=now - dt.timedelta(days=FIRST_PULSE_DAY),
    ).select_related("mentee", "mentor")
    created_count = 0
    for mentorship in pairs.iterator(chunk_size=500):
        due = pulse_round_on(mentorship.started_at, now)
        if due is None:
            continue
        number, due_on = due
        for person, other in (
            (mentorship.mentee, mentorship.mentor),
            (mentorship.mentor, mentorship.mentee),
        ):
            with transaction.atomic():
                pulse, created = PulseCheck.objects.get_or_create(
                    mentorship=mentorship,
                    respondent=person,
                    round=number,
                    defaults={"due_on": due_on},
                )
                if not created:
                    continue
                created_count += 1
                notify(
                    recipient=person,
                    kind=Kind.PULSE_DUE,
                    key=f"pulse-due:{pulse.pk}",
                    url=reverse("checkins:pulse", args=[pulse.pk]),
                    params={"name": other.get_short_name()},
                )
    return created_count


def send_meeting_reminders(now: dt.datetime | None = None) -> int:
    """Remind both members of each accepted meeting starting within 24 hours, once per
    version of the meeting (a rescheduled one has a new sequence). Returns the number
    of notifications created."""
    from stem4all.meetings.models import Meeting

    now = now or timezone.now()
    meetings = Meeting.objects.filter(
        status=Meeting.Status.ACCEPTED,
        starts_at__gt=now,
        starts_at__lte=now + dt.timedelta(hours=MEETING_REMINDER_HOURS),
        mentorship__status__in=Mentorship.OPEN_STATUSES,
    ).select_related("mentorship__mentee", "mentorship__mentor")
    sent = 0
    for meeting in meetings:
        mentorship = meeting.mentorship
        for person, other in (
            (mentorship.mentee, mentorship.mentor),
            (mentorship.mentor, mentorship.mentee),
        ):
            if notify(
                recipient=person,
                kind=Kind.MEETING_REMINDER,
                key=f"meeting-reminder:{meeting.pk}:{meeting.sequence}",
                url=reverse("meetings:meeting_detail", args=[meeting.pk]),
                params={"name": other.get_short_name(), "when": meeting.starts_at.isoformat()},
            ):
                sent += 1
    return sent


def last_activity_of(mentorship: Mentorship) -> dt.datetime:
    moments = [
        mentorship.started_at,
        getattr(mentorship, "last_meeting_at", None),
        getattr(mentorship, "last_message_at", None),
    ]
    return max(moment for moment in moments if moment is not None)


def apply_inactivity_rules(now: dt.datetime | None = None) -> dict[str, int]:
    """Remind a pair quiet for 21 days (once per quiet spell) and flag to staff a pair
    quiet for 35 days (once per quiet spell). Returns counts of reminders and flags."""
    now = now or timezone.now()
    reminder_cutoff = now - dt.timedelta(days=INACTIVITY_REMINDER_DAYS)
    pairs = with_last_activity(
        Mentorship.objects.filter(
            status=Mentorship.Status.ACTIVE, started_at__lte=reminder_cutoff
        ).select_related("mentee", "mentor", "cohort"),
        meetings_count_when_logged=True,
    )
    counts = {"reminders": 0, "flags": 0}
    for mentorship in pairs.iterator(chunk_size=500):
        last = last_activity_of(mentorship)
        quiet_days = (now - last).days
        if quiet_days < INACTIVITY_REMINDER_DAYS:
            continue
        spell = last.isoformat()
        with transaction.atomic():
            for person, other in (
                (mentorship.mentee, mentorship.mentor),
                (mentorship.mentor, mentorship.mentee),
            ):
                if notify(
                    recipient=person,
                    kind=Kind.INACTIVITY_REMINDER,
                    key=f"inactivity:{mentorship.pk}:{timezone.localdate(last).isoformat()}",
                    url=reverse("meetings:mentorship_meetings", args=[mentorship.pk]),
                    params={"name": other.get_short_name(), "days": quiet_days},
                ):
                    counts["reminders"] += 1
            if quiet_days < INACTIVITY_FLAG_DAYS:
                continue
            already = PairFlag.objects.filter(
                mentorship=mentorship,
                reason=PairFlag.Reason.INACTIVE_35_DAYS,
                details__last_activity=spell,
            ).exists()
            if already:  # staff resolved this spell's flag: do not raise it again
                continue
            if _raise_flag(
                mentorship=mentorship,
                reason=PairFlag.Reason.INACTIVE_35_DAYS,
                details={"last_activity": spell, "days": quiet_days},
            ):
                counts["flags"] += 1
    return counts


def run_periodic(now: dt.datetime | None = None) -> dict[str, object]:
    """Every periodic rule once, in order; what ``stem4all run-periodic`` runs."""
    from stem4all.learning.services import send_training_reminders
    from stem4all.notifications.tasks import send_message_digests
    from stem4all.reports.figures import warm_figures
    from stem4all.reports.surveys import send_survey_notifications

    now = now or timezone.now()
    return {
        "pulse_checks": create_due_pulse_checks(now),
        "meeting_reminders": send_meeting_reminders(now),
        "inactivity": apply_inactivity_rules(now),
        "message_digests": send_message_digests(now),
        "training_reminders": send_training_reminders(now),
        "survey_notifications": send_survey_notifications(now),
        "report_figures": warm_figures(now),
    }


__all__ = [
    "CheckinError",
    "answer_pulse_check",
    "apply_inactivity_rules",
    "create_due_pulse_checks",
    "resolve_pair_flag",
    "run_periodic",
    "send_meeting_reminders",
]
