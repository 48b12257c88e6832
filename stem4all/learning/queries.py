"""Reads for the learning library, scoped to the viewer, with a bounded number of
queries per page."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from stem4all.accounts.models import User
from stem4all.programmes.models import Programme

from .models import AttendanceCertificate, Lecture, LectureProgress, Registration, Training
from .permissions import (
    participant_programme_ids,
    visible_lectures,
    visible_trainings,
)


def lectures_for(user: User, *, topic="", field="", language="", saved=False) -> QuerySet:
    """Published lectures she may see (staff see their drafts too), with her progress."""
    progress = LectureProgress.objects.filter(user=user, lecture=OuterRef("pk"))
    lectures = (
        visible_lectures(user)
        .select_related("programme")
        .annotate(
            is_saved=Exists(progress.filter(saved=True)),
            watched_at=Subquery(progress.values("watched_at")[:1]),
        )
        .order_by("-created_at", "-pk")
    )
    if topic:
        lectures = lectures.filter(topic=topic)
    if field:
        lectures = lectures.filter(stem_field=field)
    if language:
        lectures = lectures.filter(language=language)
    if saved:
        lectures = lectures.filter(is_saved=True)
    return lectures


def progress_of(user: User, lecture: Lecture) -> LectureProgress | None:
    return LectureProgress.objects.filter(user=user, lecture=lecture).first()


def trainings_for(user: User, *, upcoming: bool = True, now=None) -> QuerySet:
    now = now or timezone.now()
    mine = Registration.objects.filter(
        user=user, training=OuterRef("pk"), status__in=Registration.LIVE_STATUSES
    )
    trainings = (
        visible_trainings(user)
        .select_related("programme", "cohort")
        .annotate(
            seats_taken=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)
            ),
            my_status=Subquery(mine.values("status")[:1]),
        )
    )
    if upcoming:
        return trainings.filter(starts_at__gte=now - dt.timedelta(hours=12)).order_by(
            "starts_at", "pk"
        )
    return trainings.filter(starts_at__lt=now).order_by("-starts_at", "-pk")


def registration_of(user: User, training: Training) -> Registration | None:
    return (
        training.registrations.filter(user=user, status__in=Registration.LIVE_STATUSES)
        .order_by("-pk")
        .first()
    )


def seats_taken(training: Training) -> int:
    return training.registrations.filter(status=Registration.Status.REGISTERED).count()


def roster(training: Training) -> QuerySet:
    return (
        training.registrations.filter(status__in=Registration.LIVE_STATUSES)
        .select_related("user", "marked_by")
        .order_by("status", "position", "created_at", "pk")
    )


def programmes_of(user: User) -> QuerySet[Programme]:
    return Programme.objects.filter(pk__in=participant_programme_ids(user)).order_by("name")


def certificate_overview(user: User) -> list[dict]:
    """For each of her programmes: attended trainings and her live certificate."""
    from .services import certificate_threshold

    needed = certificate_threshold()
    counts = dict(
        Registration.objects.filter(user=user, attended=True, status=Registration.Status.REGISTERED)
        .values_list("training__programme_id")
        .annotate(n=Count("pk"))
    )
    certificates = {
        c.programme_id: c
        for c in AttendanceCertificate.objects.filter(user=user, revoked_at__isnull=True)
    }
    return [
        {
            "programme": programme,
            "attended": counts.get(programme.pk, 0),
            "needed": needed,
            "certificate": certificates.get(programme.pk),
        }
        for programme in programmes_of(user)
    ]


def valid_attendance_certificate(code: str) -> AttendanceCertificate | None:
    return AttendanceCertificate.objects.filter(
        code=(code or "").strip().lower(), revoked_at__isnull=True
    ).first()


def watched_lecture_ids(user: User, lecture_ids) -> set[int]:
    return set(
        LectureProgress.objects.filter(
            user=user, lecture_id__in=lecture_ids, watched_at__isnull=False
        ).values_list("lecture_id", flat=True)
    )


def attended_training_ids(user: User, training_ids) -> set[int]:
    return set(
        Registration.objects.filter(
            user=user, training_id__in=training_ids, attended=True
        ).values_list("training_id", flat=True)
    )
