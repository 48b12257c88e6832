"""JSON API of notifications (the viewer's own) and of pulse check-ins (the
respondent's own): the same accessors, forms and services as the pages."""

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import PageNumberPagination, paginate

from stem4all.accounts.api import validated

from . import queries, services
from .permissions import get_own_notification
from .schemas import MarkedOut, MarkReadIn, NotificationOut, PulseAnswerIn, PulseOut

router = Router(tags=["notifications"])


@router.get(
    "/notifications", response=list[NotificationOut], summary="My notifications, newest first"
)
@paginate(PageNumberPagination)
def list_notifications(request: HttpRequest):
    return queries.notifications_of(request.user)


@router.post(
    "/notifications/{notification_id}/read",
    response=NotificationOut,
    summary="Mark one of my notifications read",
)
def read_notification(request: HttpRequest, notification_id: int):
    notification = get_own_notification(request.user, notification_id)
    services.mark_read(user=request.user, notification_ids=[notification.pk])
    notification.refresh_from_db()
    return notification


@router.post(
    "/notifications/read", response=MarkedOut, summary="Mark my notifications read (all, or ids)"
)
def read_notifications(request: HttpRequest, payload: MarkReadIn):
    return {"marked": services.mark_read(user=request.user, notification_ids=payload.ids)}


def _pulse_out(pulse) -> dict:
    return {
        "id": pulse.pk,
        "mentorship_id": pulse.mentorship_id,
        "round": pulse.round,
        "due_on": pulse.due_on.isoformat(),
        "score": pulse.score,
        "comment": pulse.comment,
        "answered_at": pulse.answered_at,
    }


@router.get("/pulse-checks/{pulse_id}", response=PulseOut, summary="One of my check-ins")
def get_pulse(request: HttpRequest, pulse_id: int):
    from stem4all.checkins.permissions import get_pulse_for_respondent

    return _pulse_out(get_pulse_for_respondent(request.user, pulse_id))


@router.post(
    "/pulse-checks/{pulse_id}/answer", response=PulseOut, summary="Answer one of my check-ins"
)
def answer_pulse(request: HttpRequest, pulse_id: int, payload: PulseAnswerIn):
    from stem4all.checkins.forms import PulseForm
    from stem4all.checkins.permissions import get_pulse_for_respondent
    from stem4all.checkins.services import answer_pulse_check

    pulse = get_pulse_for_respondent(request.user, pulse_id)
    data = validated(PulseForm(payload.dict()))
    return _pulse_out(answer_pulse_check(pulse=pulse, by=request.user, **data))
