"""JSON API of the learning app: the same permission checks, forms and services as
the pages. Lectures and trainings someone may not see answer 404."""

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from stem4all.accounts.api import validated

from . import queries, services
from .forms import CheckInForm, LectureFilterForm
from .models import AttendanceCertificate, Training
from .permissions import get_lecture_for_viewer, get_training_for_viewer, may_join
from .schemas import (
    CertificateOut,
    CheckInIn,
    LectureDetailOut,
    LectureOut,
    ProgressOut,
    RegistrationOut,
    SavedIn,
    TrainingDetailOut,
    TrainingOut,
    WatchedIn,
)

router = Router(tags=["learning"])


class LectureFilters(Schema):
    topic: str = ""
    field: str = ""
    language: str = ""
    saved: bool = False


@router.get("/learning/lectures", response=list[LectureOut], summary="Lectures I may see")
@paginate(PageNumberPagination)
def list_lectures(request: HttpRequest, filters: Query[LectureFilters]):
    data = validated(LectureFilterForm(filters.dict()))
    return queries.lectures_for(
        request.user,
        topic=data.get("topic", ""),
        field=data.get("field", ""),
        language=data.get("language", ""),
        saved=data.get("saved", False),
    )


def _lecture_detail(request, lecture_id: int) -> dict:
    lecture = queries.lectures_for(request.user).filter(pk=lecture_id).first()
    if lecture is None:
        raise Http404
    materials = [
        {
            "id": m.pk,
            "title": m.title,
            "url": m.url,
            "download_url": reverse("learning:material_download", args=[m.pk]) if m.file else "",
        }
        for m in lecture.materials.all()
    ]
    return {
        **{
            name: getattr(lecture, name)
            for name in LectureDetailOut.model_fields
            if name != "materials"
        },
        "materials": materials,
    }


@router.get("/learning/lectures/{lecture_id}", response=LectureDetailOut, summary="A lecture")
def get_lecture(request: HttpRequest, lecture_id: int):
    return _lecture_detail(request, lecture_id)


@router.post(
    "/learning/lectures/{lecture_id}/save",
    response=ProgressOut,
    summary="Save a lecture for later, or unsave it",
)
def save_lecture(request: HttpRequest, lecture_id: int, payload: SavedIn):
    lecture = get_lecture_for_viewer(request.user, lecture_id)
    return services.save_lecture_for_later(lecture=lecture, user=request.user, saved=payload.saved)


@router.post(
    "/learning/lectures/{lecture_id}/watched",
    response=ProgressOut,
    summary="Mark a lecture watched, or not watched",
)
def watched_lecture(request: HttpRequest, lecture_id: int, payload: WatchedIn):
    lecture = get_lecture_for_viewer(request.user, lecture_id)
    return services.mark_lecture_watched(
        lecture=lecture, user=request.user, watched=payload.watched
    )


@router.get("/learning/trainings", response=list[TrainingOut], summary="Trainings I may see")
@paginate(PageNumberPagination)
def list_trainings(request: HttpRequest, past: bool = False):
    return queries.trainings_for(request.user, upcoming=not past)


def _training_detail(request, training: Training) -> dict:
    registration = queries.registration_of(request.user, training)
    return {
        **{
            name: getattr(training, name)
            for name in TrainingDetailOut.model_fields
            if name not in ("seats_taken", "my_status", "my_registration")
        },
        "online_link": training.online_link if may_join(request.user, training) else "",
        "seats_taken": queries.seats_taken(training),
        "my_status": registration.status if registration else None,
        "my_registration": registration,
    }


@router.get("/learning/trainings/{training_id}", response=TrainingDetailOut, summary="A training")
def get_training(request: HttpRequest, training_id: int):
    return _training_detail(request, get_training_for_viewer(request.user, training_id))


@router.post(
    "/learning/trainings/{training_id}/register",
    response={201: RegistrationOut},
    summary="Register: a seat if one is free, else the waitlist",
)
def register(request: HttpRequest, training_id: int):
    training = get_training_for_viewer(request.user, training_id)
    return Status(201, services.register_for_training(training=training, user=request.user))


@router.post(
    "/learning/trainings/{training_id}/cancel",
    response=RegistrationOut,
    summary="Give up my seat or my place on the waitlist",
)
def cancel(request: HttpRequest, training_id: int):
    training = get_training_for_viewer(request.user, training_id)
    return services.cancel_registration(training=training, user=request.user)


@router.post(
    "/learning/trainings/{training_id}/check-in",
    response=RegistrationOut,
    summary="Check in with the code shown at the training",
)
def check_in(request: HttpRequest, training_id: int, payload: CheckInIn):
    training = get_training_for_viewer(request.user, training_id)
    data = validated(CheckInForm(payload.dict()))
    return services.check_in_to_training(training=training, user=request.user, code=data["code"])


@router.get("/learning/certificates", response=list[CertificateOut], summary="My certificates")
def my_certificates(request: HttpRequest):
    certificates = AttendanceCertificate.objects.filter(
        user=request.user, revoked_at__isnull=True
    ).order_by("-issued_at")
    return [
        {
            **{
                name: getattr(c, name)
                for name in CertificateOut.model_fields
                if name not in ("pdf_url", "verify_url")
            },
            "pdf_url": reverse("learning:certificate_pdf", args=[c.code]),
            "verify_url": reverse("learning:verify_attendance", args=[c.code]),
        }
        for c in certificates
    ]
