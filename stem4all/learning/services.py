"""Writes for the learning library: lectures and their materials, saving and
watching, trainings with registration, waitlist, check-in and attendance, reminders,
and certificates of attendance.

Functions take keyword arguments and an optional ``now`` so that tests freeze time
without a library.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stem4all.accounts.models import User
from stem4all.core.errors import DomainError
from stem4all.meetings.services import MeetingError, to_utc
from stem4all.notifications.models import Notification
from stem4all.notifications.services import notify
from stem4all.programmes.models import Programme

from .models import (
    CHECKIN_ALPHABET,
    CHECKIN_CODE_LENGTH,
    AttendanceCertificate,
    Lecture,
    LectureMaterial,
    LectureProgress,
    Registration,
    Training,
    new_checkin_code,
)
from .permissions import is_programme_participant, may_see_lecture, may_see_training

# The check-in code is accepted from a quarter of an hour before the start to a
# quarter of an hour after the end.
CHECKIN_MARGIN = dt.timedelta(minutes=15)
MAX_FAILED_CHECKINS = 10
REMINDER_HOURS = 24
DEFAULT_CERTIFICATE_TRAININGS = 3

LECTURE_FIELDS = (
    "title",
    "speaker_name",
    "speaker",
    "speaker_kind",
    "summary",
    "topic",
    "stem_field",
    "language",
    "duration_minutes",
    "recording_url",
    "is_published",
)


class LearningError(DomainError):
    """A request the learning rules refuse; the message is shown to the user."""


def certificate_threshold() -> int:
    return int(
        getattr(settings, "STEM4ALL_ATTENDANCE_CERTIFICATE_TRAININGS", None)
        or DEFAULT_CERTIFICATE_TRAININGS
    )


# Lectures -------------------------------------------------------------------------


@transaction.atomic
def save_lecture(
    *, by: User, data: dict, programme: Programme | None = None, lecture: Lecture | None = None
) -> Lecture:
    """Create a lecture in ``programme`` or update ``lecture`` from a form's data."""
    if lecture is None:
        lecture = Lecture(programme=programme, created_by=by)
    for name in LECTURE_FIELDS:
        if name in data:
            setattr(lecture, name, data[name])
    lecture.title = lecture.title.strip()
    lecture.speaker_name = lecture.speaker_name.strip()
    lecture.save()
    return lecture


@transaction.atomic
def add_lecture_material(
    *, lecture: Lecture, by: User, title: str, url: str = "", file=None
) -> LectureMaterial:
    """``file`` is a ContentFile checked by ``stem4all.core.uploads.validate_pdf``."""
    if not (url or "").strip() and file is None:
        raise LearningError(_("Give a link or upload a PDF file."))
    material = LectureMaterial(lecture=lecture, title=title.strip(), url=(url or "").strip())
    if file is not None:
        material.file.save(file.name, file, save=False)
    material.save()
    return material


@transaction.atomic
def remove_lecture_material(*, material: LectureMaterial, by: User) -> None:
    if material.file:
        material.file.delete(save=False)
    material.delete()


def _progress(user: User, lecture: Lecture) -> LectureProgress:
    progress, _created = LectureProgress.objects.select_for_update().get_or_create(
        user=user, lecture=lecture
    )
    return progress


@transaction.atomic
def save_lecture_for_later(*, lecture: Lecture, user: User, saved: bool = True) -> LectureProgress:
    if not may_see_lecture(user, lecture) or not lecture.is_published:
        raise LearningError(_("This lecture is not available."))
    progress = _progress(user, lecture)
    progress.saved = saved
    progress.save(update_fields=["saved"])
    return progress


@transaction.atomic
def mark_lecture_watched(
    *, lecture: Lecture, user: User, watched: bool = True, now: dt.datetime | None = None
) -> LectureProgress:
    if not may_see_lecture(user, lecture) or not lecture.is_published:
        raise LearningError(_("This lecture is not available."))
    progress = _progress(user, lecture)
    if watched and progress.watched_at is None:
        progress.watched_at = now or timezone.now()
    elif not watched:
        progress.watched_at = None
    progress.save(update_fields=["watched_at"])
    return progress


# Trainings ------------------------------------------------------------------------


def _check_training(data: dict, programme: Programme) -> dt.datetime:
    if not (data.get("online_link") or "").strip() and not (data.get("venue") or "").strip():
        raise LearningError(_("Give an online link or a venue."))
    cohort = data.get("cohort")
    if cohort is not None and cohort.programme_id != programme.pk:
        raise LearningError(_("Choose a cohort of this programme."))
    try:
        return to_utc(data["starts_at_local"], data["time_zone"])
    except MeetingError as error:
        raise LearningError(str(error)) from None


@transaction.atomic
def save_training(
    *, by: User, data: dict, programme: Programme | None = None, training: Training | None = None
) -> Training:
    """Create a training in ``programme`` or update ``training``. More seats than
    before move the first people on the waitlist up."""
    if training is None:
        training = Training(programme=programme, created_by=by)
    else:
        training = Training.objects.select_for_update().get(pk=training.pk)
    starts_at = _check_training(data, training.programme)
    if training.pk and starts_at != training.starts_at:
        training.sequence += 1
    training.starts_at = starts_at
    for name in (
        "cohort",
        "title",
        "description",
        "trainer_name",
        "time_zone",
        "duration_minutes",
        "capacity",
        "is_published",
    ):
        if name in data:
            setattr(training, name, data[name])
    training.online_link = (data.get("online_link") or "").strip()
    training.venue = (data.get("venue") or "").strip()
    training.title = training.title.strip()
    training.save()
    _fill_free_seats(training)
    return training


@transaction.atomic
def renew_checkin_code(*, training: Training, by: User) -> Training:
    training = Training.objects.select_for_update().get(pk=training.pk)
    training.checkin_code = new_checkin_code()
    training.save(update_fields=["checkin_code"])
    return training


def _lock_training(training: Training) -> Training:
    # Every change to a training's seats happens under its row lock: the seat count
    # read below cannot change until this transaction ends.
    return Training.objects.select_for_update().get(pk=training.pk)


def _registered_count(training: Training) -> int:
    return training.registrations.filter(status=Registration.Status.REGISTERED).count()


def _seat_url(training: Training) -> str:
    return reverse("learning:training_detail", args=[training.pk])


def _fill_free_seats(training: Training) -> list[Registration]:
    """Move people from the waitlist to free seats, first come first served, and tell
    each of them. The caller holds the training's lock."""
    free = training.capacity - _registered_count(training)
    if free <= 0:
        return []
    promoted = list(
        training.registrations.select_for_update()
        .filter(status=Registration.Status.WAITLISTED)
        .select_related("user")
        .order_by("position", "pk")[:free]
    )
    for registration in promoted:
        registration.status = Registration.Status.REGISTERED
        registration.position = None
        registration.save(update_fields=["status", "position"])
        notify(
            recipient=registration.user,
            kind=Notification.Kind.TRAINING_SEAT,
            key=f"training-seat:{registration.pk}",
            url=_seat_url(training),
            params={"training": training.title, "when": training.starts_at.isoformat()},
        )
    return promoted


@transaction.atomic
def register_for_training(
    *, training: Training, user: User, now: dt.datetime | None = None
) -> Registration:
    """A seat if one is free, else the end of the waitlist."""
    now = now or timezone.now()
    training = _lock_training(training)
    if not training.is_published or not may_see_training(user, training):
        raise LearningError(_("This training is not open for registration."))
    if training.starts_at <= now:
        raise LearningError(_("This training has already started."))
    live = training.registrations.filter(user=user, status__in=Registration.LIVE_STATUSES).first()
    if live is not None:
        if live.status == Registration.Status.REGISTERED:
            raise LearningError(_("You are already registered."))
        raise LearningError(_("You are already on the waitlist."))
    if _registered_count(training) < training.capacity:
        status, position = Registration.Status.REGISTERED, None
    else:
        last = training.registrations.aggregate(last=Max("position"))["last"] or 0
        status, position = Registration.Status.WAITLISTED, last + 1
    try:
        with transaction.atomic():
            return Registration.objects.create(
                training=training, user=user, status=status, position=position
            )
    except IntegrityError:
        # The partial unique constraint: a second registration of the same person.
        raise LearningError(_("You are already registered.")) from None


@transaction.atomic
def cancel_registration(
    *, training: Training, user: User, now: dt.datetime | None = None
) -> Registration:
    """Give up a seat (the first person on the waitlist gets it) or a waitlist place."""
    now = now or timezone.now()
    training = _lock_training(training)
    registration = (
        training.registrations.select_for_update()
        .filter(user=user, status__in=Registration.LIVE_STATUSES)
        .first()
    )
    if registration is None:
        raise LearningError(_("You are not registered for this training."))
    if training.starts_at <= now:
        raise LearningError(_("This training has already started."))
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at"])
    _fill_free_seats(training)
    return registration


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def checkin_window(training: Training) -> tuple[dt.datetime, dt.datetime]:
    return training.starts_at - CHECKIN_MARGIN, training.ends_at + CHECKIN_MARGIN


def check_in_to_training(
    *, training: Training, user: User, code: str, now: dt.datetime | None = None
) -> Registration:
    """A registered attendee types the code staff show in the room or the call.

    Not atomic as a whole: a wrong code is counted in its own transaction and the
    error raised after it commits, so that the limit on attempts holds."""
    now = now or timezone.now()
    wrong = False
    with transaction.atomic():
        training = _lock_training(training)
        registration = (
            training.registrations.select_for_update()
            .filter(user=user, status__in=Registration.LIVE_STATUSES)
            .first()
        )
        if registration is None or registration.status != Registration.Status.REGISTERED:
            raise LearningError(_("Only people with a seat at this training can check in."))
        if registration.attended:
            return registration
        opens, closes = checkin_window(training)
        if now < opens:
            raise LearningError(_("Check-in opens 15 minutes before the training starts."))
        if now > closes:
            raise LearningError(_("Check-in for this training has closed."))
        if registration.failed_checkins >= MAX_FAILED_CHECKINS:
            raise LearningError(
                _("Too many wrong codes. Ask the organisers to mark your attendance.")
            )
        if normalise_code(code) != training.checkin_code:
            registration.failed_checkins += 1
            registration.save(update_fields=["failed_checkins"])
            wrong = True
            left = MAX_FAILED_CHECKINS - registration.failed_checkins
        else:
            registration.attended = True
            registration.attended_at = now
            registration.marked_by = None
            registration.save(update_fields=["attended", "attended_at", "marked_by"])
            return registration
    if wrong:
        raise LearningError(
            _(
                "This code is not right. Check it with the organisers "
                "(%(count)d attempts left; codes use the letters and digits %(alphabet)s)."
            )
            % {"count": left, "alphabet": CHECKIN_ALPHABET}
        )
    return registration


@transaction.atomic
def record_attendance(
    *, training: Training, by: User, attended_ids, now: dt.datetime | None = None
) -> int:
    """Staff tick who came on the roster: registered people only. Returns how many
    registrations changed."""
    now = now or timezone.now()
    training = _lock_training(training)
    attended_ids = {int(pk) for pk in attended_ids}
    changed = 0
    for registration in training.registrations.select_for_update().filter(
        status=Registration.Status.REGISTERED
    ):
        came = registration.pk in attended_ids
        if came == registration.attended:
            continue
        registration.attended = came
        registration.attended_at = now if came else None
        registration.marked_by = by
        registration.save(update_fields=["attended", "attended_at", "marked_by"])
        changed += 1
    return changed


def send_training_reminders(now: dt.datetime | None = None) -> int:
    """Remind everyone with a seat at a published training starting within 24 hours,
    once per version of its time. Returns the number of notifications created."""
    now = now or timezone.now()
    registrations = Registration.objects.filter(
        status=Registration.Status.REGISTERED,
        training__is_published=True,
        training__starts_at__gt=now,
        training__starts_at__lte=now + dt.timedelta(hours=REMINDER_HOURS),
    ).select_related("training", "user")
    sent = 0
    for registration in registrations:
        training = registration.training
        if notify(
            recipient=registration.user,
            kind=Notification.Kind.TRAINING_REMINDER,
            key=f"training-reminder:{training.pk}:{training.sequence}",
            url=_seat_url(training),
            params={"training": training.title, "when": training.starts_at.isoformat()},
        ):
            sent += 1
    return sent


# Certificates ---------------------------------------------------------------------


def attended_count(user: User, programme: Programme) -> int:
    return Registration.objects.filter(
        user=user,
        attended=True,
        status=Registration.Status.REGISTERED,
        training__programme=programme,
    ).count()


@transaction.atomic
def issue_attendance_certificate(
    *, user: User, programme: Programme, now: dt.datetime | None = None
) -> AttendanceCertificate:
    """The live certificate of attendance, issued on first request once she attended
    enough trainings of the programme. Asking twice returns the same one."""
    existing = AttendanceCertificate.objects.filter(
        user=user, programme=programme, revoked_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    if not is_programme_participant(user, programme.pk):
        raise LearningError(_("Only participants of the programme receive its certificate."))
    count = attended_count(user, programme)
    needed = certificate_threshold()
    if count < needed:
        raise LearningError(
            _("The certificate needs %(needed)d attended trainings; you have %(count)d.")
            % {"needed": needed, "count": count}
        )
    try:
        with transaction.atomic():
            return AttendanceCertificate.objects.create(
                user=user,
                programme=programme,
                issued_at=now or timezone.now(),
                trainings_count=count,
                name=user.full_name or user.email,
                programme_name=programme.name,
            )
    except IntegrityError:
        # Two requests at once: the other one issued it.
        return AttendanceCertificate.objects.get(
            user=user, programme=programme, revoked_at__isnull=True
        )


@transaction.atomic
def revoke_attendance_certificate(
    *, certificate: AttendanceCertificate, by: User, now: dt.datetime | None = None
) -> AttendanceCertificate:
    certificate = AttendanceCertificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is None:
        certificate.revoked_at = now or timezone.now()
        certificate.save(update_fields=["revoked_at"])
    return certificate


__all__ = [
    "CHECKIN_CODE_LENGTH",
    "LearningError",
    "add_lecture_material",
    "cancel_registration",
    "check_in_to_training",
    "issue_attendance_certificate",
    "mark_lecture_watched",
    "record_attendance",
    "register_for_training",
    "renew_checkin_code",
    "revoke_attendance_certificate",
    "save_lecture",
    "save_lecture_for_later",
    "save_training",
    "send_training_reminders",
]
