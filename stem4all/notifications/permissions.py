"""A notification is its recipient's only: anyone else gets 404."""

from __future__ import annotations

from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

from stem4all.accounts.models import User

from .models import Notification


def get_own_notification(user: User, notification_id: int) -> Notification:
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None or not user.is_authenticated or notification.recipient_id != user.pk:
        raise Http404
    return notification


def is_safe_link(url: str) -> bool:
    """Only paths on this site: "/meetings/3/", never "//evil.example" or "https://..."."""
    if not url or not url.startswith("/") or url.startswith(("//", "/\\")):
        return False
    return url_has_allowed_host_and_scheme(url, allowed_hosts=set(), require_https=False)
