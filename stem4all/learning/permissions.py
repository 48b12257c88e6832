"""Who sees the learning library: accepted participants of a programme (in any
cohort and role) see its published lectures and trainings; its staff see and edit
everything. Accessors raise Http404 for anyone else, never revealing what exists."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from stem4all.accounts.models import User
from stem4all.accounts.permissions import is_programme_staff, staff_programme_ids
from stem4all.programmes.models import Participation, Programme

from .models import AttendanceCertificate, Lecture, Registration, Training


def participant_programme_ids(user: User) -> QuerySet:
    return Participation.objects.filter(user=user, status=Participation.Status.ACCEPTED).values(
        "cohort__programme_id"
    )


def participant_cohort_ids(user: User) -> QuerySet:
    return Participation.objects.filter(user=user, status=Participation.Status.ACCEPTED).values(
        "cohort_id"
    )


def is_programme_participant(user: User, programme_id: int) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return Participation.objects.filter(
        user=user, status=Participation.Status.ACCEPTED, cohort__programme_id=programme_id
    ).exists()


def visible_lectures(user: User) -> QuerySet[Lecture]:
    """Published lectures of the programmes she takes part in, and every lecture of
    the programmes she runs."""
    if not user.is_authenticated or not user.is_active:
        return Lecture.objects.none()
    if user.is_superuser:
        return Lecture.objects.all()
    return Lecture.objects.filter(
        Q(is_published=True, programme_id__in=participant_programme_ids(user))
        | Q(programme_id__in=staff_programme_ids(user))
    )


def visible_trainings(user: User) -> QuerySet[Training]:
    """Published trainings of her programmes (a cohort's own training only for that
    cohort), and every training of the programmes she runs."""
    if not user.is_authenticated or not user.is_active:
        return Training.objects.none()
    if user.is_superuser:
        return Training.objects.all()
    return Training.objects.filter(
        Q(
            is_published=True,
            programme_id__in=participant_programme_ids(user),
            cohort__isnull=True,
        )
        | Q(is_published=True, cohort_id__in=participant_cohort_ids(user))
        | Q(programme_id__in=staff_programme_ids(user))
    )


def may_see_training(user: User, training: Training) -> bool:
    return visible_trainings(user).filter(pk=training.pk).exists()


def may_join(user: User, training: Training) -> bool:
    """The online link is for people with a seat, and for the programme's staff."""
    if is_programme_staff(user, training.programme_id):
        return True
    return training.registrations.filter(user=user, status=Registration.Status.REGISTERED).exists()


def may_see_lecture(user: User, lecture: Lecture) -> bool:
    return visible_lectures(user).filter(pk=lecture.pk).exists()


def get_lecture_for_viewer(user: User, lecture_id: int) -> Lecture:
    lecture = visible_lectures(user).select_related("programme", "speaker").filter(pk=lecture_id)
    lecture = lecture.first()
    if lecture is None:
        raise Http404
    return lecture


def get_lecture_for_staff(user: User, lecture_id: int) -> Lecture:
    lecture = Lecture.objects.select_related("programme").filter(pk=lecture_id).first()
    if lecture is None or not is_programme_staff(user, lecture.programme_id):
        raise Http404
    return lecture


def get_training_for_viewer(user: User, training_id: int) -> Training:
    training = (
        visible_trainings(user).select_related("programme", "cohort").filter(pk=training_id).first()
    )
    if training is None:
        raise Http404
    return training


def get_training_for_staff(user: User, training_id: int) -> Training:
    training = Training.objects.select_related("programme", "cohort").filter(pk=training_id).first()
    if training is None or not is_programme_staff(user, training.programme_id):
        raise Http404
    return training


def get_programme_for_staff(user: User, programme_id: int) -> Programme:
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None or not is_programme_staff(user, programme.pk):
        raise Http404
    return programme


def get_programme_for_participant(user: User, programme_id: int) -> Programme:
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None or not (
        is_programme_participant(user, programme.pk) or is_programme_staff(user, programme.pk)
    ):
        raise Http404
    return programme


def get_own_certificate(user: User, code: str) -> AttendanceCertificate:
    certificate = AttendanceCertificate.objects.filter(
        code=code, user=user, revoked_at__isnull=True
    ).first()
    if certificate is None:
        raise Http404
    return certificate
