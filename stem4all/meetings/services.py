"""Writes for meetings: propose, accept, propose another time, cancel, log, give
feedback, and manage the secret calendar feed.

Every function takes keyword arguments and an optional ``now`` so that tests can
freeze time without a library; it defaults to ``django.utils.timezone.now()``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import zoneinfo

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stem4all.accounts.models import User
from stem4all.core.errors import DomainError
from stem4all.mentorships.models import Mentorship
from stem4all.notifications.models import Notification
from stem4all.notifications.services import notify

from .models import (
    MAX_DURATION,
    MIN_DURATION,
    CalendarFeed,
    Meeting,
    MeetingFeedback,
    PrivateMeetingNote,
)
from .permissions import is_member


class MeetingError(DomainError):
    """A request the meeting rules refuse; the message is shown to the user."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def to_utc(starts_at_local: dt.datetime, time_zone: str) -> dt.datetime:
    """Read a wall-clock time in ``time_zone`` and return it in UTC.

    A time that does not exist (the hour skipped when clocks go forward) is refused.
    An ambiguous time (the hour repeated when clocks go back) is read with
    ``fold=0``: the first occurrence, still on summer time, as most calendar apps do.
    """
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise MeetingError(_("%(zone)s is not a known time zone.") % {"zone": time_zone}) from None
    if timezone.is_aware(starts_at_local):
        starts_at_local = timezone.make_naive(starts_at_local, starts_at_local.tzinfo)
    local = starts_at_local.replace(tzinfo=zone, fold=0)
    utc = local.astimezone(dt.UTC)
    # A non-existent wall time does not survive the round trip through UTC.
    if utc.astimezone(zone).replace(tzinfo=None) != starts_at_local.replace(fold=0):
        raise MeetingError(
            _(
                "%(time)s does not exist in %(zone)s: the clocks skip that hour. "
                "Choose another time."
            )
            % {"time": starts_at_local.strftime("%Y-%m-%d %H:%M"), "zone": time_zone}
        )
    return utc


def _check_details(*, duration_minutes, online_link, place):
    if not (MIN_DURATION <= duration_minutes <= MAX_DURATION):
        raise MeetingError(
            _("A meeting lasts between %(min)d and %(max)d minutes.")
            % {"min": MIN_DURATION, "max": MAX_DURATION}
        )
    if not (online_link or "").strip() and not (place or "").strip():
        raise MeetingError(_("Give an online link or a place."))


def _create_meeting(
    *,
    mentorship,
    by,
    starts_at_local,
    time_zone,
    duration_minutes,
    online_link,
    place,
    agenda,
    now,
    replaces=None,
) -> Meeting:
    if not is_member(by, mentorship):
        raise MeetingError(_("Only the mentee and the mentor can propose a meeting."))
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise MeetingError(_("Meetings can be proposed only while the mentorship is active."))
    _check_details(duration_minutes=duration_minutes, online_link=online_link, place=place)
    starts_at = to_utc(starts_at_local, time_zone)
    if starts_at <= now:
        raise MeetingError(_("Choose a time in the future."))
    meeting = Meeting.objects.create(
        mentorship=mentorship,
        proposed_by=by,
        starts_at=starts_at,
        time_zone=time_zone,
        duration_minutes=duration_minutes,
        online_link=(online_link or "").strip(),
        place=(place or "").strip(),
        agenda=agenda or "",
        replaces=replaces,
    )
    notify(
        recipient=meeting.other_member(by),
        kind=Notification.Kind.MEETING_PROPOSED,
        key=f"meeting-proposed:{meeting.pk}",
        url=reverse("meetings:meeting_detail", args=[meeting.pk]),
        params={"by": by.full_name, "starts_at": meeting.starts_at.isoformat()},
    )
    return meeting


@transaction.atomic
def propose_meeting(
    *,
    mentorship: Mentorship,
    by: User,
    starts_at_local: dt.datetime,
    time_zone: str,
    duration_minutes: int,
    online_link: str = "",
    place: str = "",
    agenda: str = "",
    now: dt.datetime | None = None,
) -> Meeting:
    # Re-read the pair's state under its lock: a pause a moment ago wins.
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    return _create_meeting(
        mentorship=mentorship,
        by=by,
        starts_at_local=starts_at_local,
        time_zone=time_zone,
        duration_minutes=duration_minutes,
        online_link=online_link,
        place=place,
        agenda=agenda,
        now=now or timezone.now(),
    )


def _lock(meeting: Meeting) -> Meeting:
    # The row lock makes answers apply one after the other: of two accepts, or an
    # accept and "another time", the second sees the first's status and is refused.
    return (
        Meeting.objects.select_for_update()
        .select_related("mentorship__mentee", "mentorship__mentor", "proposed_by")
        .get(pk=meeting.pk)
    )


def _check_answerer(meeting: Meeting, by: User) -> None:
    if not is_member(by, meeting.mentorship):
        raise MeetingError(_("Only the mentee and the mentor can answer."))
    if meeting.status != Meeting.Status.PROPOSED:
        raise MeetingError(_("This meeting has already been answered."))
    if by.pk == meeting.proposed_by_id:
        raise MeetingError(_("The other person answers your proposal."))
    if meeting.mentorship.status != Mentorship.Status.ACTIVE:
        raise MeetingError(_("The mentorship is not active."))


def _answer(meeting: Meeting, status: str, *, by: User, now: dt.datetime) -> None:
    """Record an answer to a meeting; the sequence tells calendar apps it changed."""
    meeting.status = status
    meeting.responded_by = by
    meeting.responded_at = now
    meeting.sequence += 1
    meeting.save(update_fields=["status", "responded_by", "responded_at", "sequence"])


@transaction.atomic
def accept_meeting(*, meeting: Meeting, by: User, now: dt.datetime | None = None) -> Meeting:
    meeting = _lock(meeting)
    _check_answerer(meeting, by)
    now = now or timezone.now()
    if meeting.starts_at <= now:
        raise MeetingError(_("This time has already passed; propose another time."))
    _answer(meeting, Meeting.Status.ACCEPTED, by=by, now=now)
    notify(
        recipient=meeting.proposed_by,
        kind=Notification.Kind.MEETING_ACCEPTED,
        key=f"meeting-accepted:{meeting.pk}:{meeting.sequence}",
        url=reverse("meetings:meeting_detail", args=[meeting.pk]),
        params={"by": by.full_name, "starts_at": meeting.starts_at.isoformat()},
    )
    return meeting


@transaction.atomic
def propose_other_time(
    *,
    meeting: Meeting,
    by: User,
    starts_at_local: dt.datetime,
    time_zone: str,
    duration_minutes: int,
    online_link: str = "",
    place: str = "",
    agenda: str = "",
    now: dt.datetime | None = None,
) -> Meeting:
    meeting = _lock(meeting)
    _check_answerer(meeting, by)
    now = now or timezone.now()
    new = _create_meeting(
        mentorship=meeting.mentorship,
        by=by,
        starts_at_local=starts_at_local,
        time_zone=time_zone,
        duration_minutes=duration_minutes,
        online_link=online_link,
        place=place,
        agenda=agenda,
        now=now,
        replaces=meeting,
    )
    _answer(meeting, Meeting.Status.SUPERSEDED, by=by, now=now)
    return new


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, by: User, now: dt.datetime | None = None) -> Meeting:
    """Either member withdraws a proposed or accepted meeting that has not started."""
    meeting = _lock(meeting)
    if not is_member(by, meeting.mentorship):
        raise MeetingError(_("Only the mentee and the mentor can cancel a meeting."))
    if meeting.status not in Meeting.CALENDAR_STATUSES:
        raise MeetingError(_("This meeting can no longer be cancelled."))
    now = now or timezone.now()
    if meeting.starts_at <= now:
        raise MeetingError(_("This meeting has already started; log it instead."))
    _answer(meeting, Meeting.Status.CANCELLED, by=by, now=now)
    return meeting


@transaction.atomic
def log_meeting(
    *,
    meeting: Meeting,
    by: User,
    outcome: str,
    notes: str = "",
    private_note: str = "",
    now: dt.datetime | None = None,
) -> Meeting:
    meeting = _lock(meeting)
    if not is_member(by, meeting.mentorship):
        raise MeetingError(_("Only the mentee and the mentor can log a meeting."))
    if meeting.status != Meeting.Status.ACCEPTED:
        raise MeetingError(_("Only an accepted meeting can be logged."))
    if outcome not in (Meeting.Outcome.HAPPENED, Meeting.Outcome.MISSED):
        raise MeetingError(_("Say whether the meeting happened or was missed."))
    now = now or timezone.now()
    if meeting.starts_at > now:
        raise MeetingError(_("A meeting can be logged only after it starts."))
    if meeting.outcome:
        raise MeetingError(_("This meeting has already been logged."))
    meeting.outcome = outcome
    meeting.outcome_notes = notes or ""
    meeting.logged_by = by
    meeting.logged_at = now
    meeting.save(update_fields=["outcome", "outcome_notes", "logged_by", "logged_at"])
    if private_note and private_note.strip():
        PrivateMeetingNote.objects.update_or_create(
            meeting=meeting, author=by, defaults={"text": private_note.strip()}
        )
    return meeting


@transaction.atomic
def give_feedback(*, meeting: Meeting, by: User, rating: int, comment: str = "") -> MeetingFeedback:
    meeting = _lock(meeting)
    if not is_member(by, meeting.mentorship):
        raise MeetingError(_("Only the mentee and the mentor can give feedback."))
    if meeting.outcome != Meeting.Outcome.HAPPENED:
        raise MeetingError(_("Feedback can be given once the meeting is logged as happened."))
    if not (1 <= int(rating) <= 5):
        raise MeetingError(_("Choose a rating from 1 to 5."))
    if MeetingFeedback.objects.filter(meeting=meeting, author=by).exists():
        raise MeetingError(_("You have already given feedback on this meeting."))
    try:
        # The unique constraint closes the race the check above cannot.
        with transaction.atomic():
            return MeetingFeedback.objects.create(
                meeting=meeting, author=by, rating=int(rating), comment=comment or ""
            )
    except IntegrityError:
        raise MeetingError(_("You have already given feedback on this meeting.")) from None


@transaction.atomic
def create_calendar_feed(*, user: User, now: dt.datetime | None = None) -> str:
    """Start a new feed and return its raw token, shown once; the previous one stops."""
    _revoke(user, now or timezone.now())
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(user=user, token_hash=hash_token(token))
    return token


def _revoke(user: User, now: dt.datetime) -> int:
    # Lock the user row so two "new link" clicks cannot both pass the revoke.
    User.objects.select_for_update().filter(pk=user.pk).first()
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)


@transaction.atomic
def revoke_calendar_feed(*, user: User, now: dt.datetime | None = None) -> int:
    return _revoke(user, now or timezone.now())


@transaction.atomic
def save_private_note(*, meeting: Meeting, by: User, text: str) -> PrivateMeetingNote | None:
    """Write (or, with empty text, delete) the member's own private note on a meeting;
    only its author ever reads it."""
    meeting = _lock(meeting)
    if not is_member(by, meeting.mentorship):
        raise MeetingError(_("Only the mentee and the mentor can keep notes on a meeting."))
    text = (text or "").strip()
    if not text:
        PrivateMeetingNote.objects.filter(meeting=meeting, author=by).delete()
        return None
    note, _created = PrivateMeetingNote.objects.update_or_create(
        meeting=meeting, author=by, defaults={"text": text}
    )
    return note
