"""JSON API of notifications, the viewer's own: the same accessors and services as
the pages."""

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import PageNumberPagination, paginate

from . import queries, services
from .permissions import get_own_notification
from .schemas import MarkedOut, MarkReadIn, NotificationOut

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
