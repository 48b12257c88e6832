"""Writes about notifications. ``notify`` is what every other app calls.

Every notification needs a ``key`` naming the event it tells of
(``"meeting-accepted:12:3"``): notifying the same key twice for the same person creates
nothing and sends nothing, so tasks and periodic runs can be repeated safely.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from stem4all.accounts.models import User

from .models import Notification

Kind = Notification.Kind

# Sent in a digest by the periodic run, not one e-mail per event.
BATCHED_KINDS = frozenset({Kind.NEW_MESSAGE})


def notify(
    *,
    recipient: User,
    kind: str,
    key: str,
    url: str = "",
    params: dict | None = None,
    email: bool = True,
) -> Notification | None:
    """Record a notification for ``recipient`` and, unless its kind is batched, send
    its e-mail after the surrounding transaction commits. Returns the new notification,
    or None when the recipient is inactive or this key was already notified.

    ``email=False`` is for events whose e-mail is sent another way (matching's own
    proposal e-mails): the notification is only shown on the site."""
    if not recipient.is_active:
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                key=key[:200],
                url=url,
                params=params or {},
                emailed_at=None if email else timezone.now(),
            )
    except IntegrityError:
        return None
    if email and kind not in BATCHED_KINDS:
        from .tasks import send_notification_email

        transaction.on_commit(
            lambda: send_notification_email.enqueue(notification_id=notification.pk)
        )
    return notification


def claim_for_email(notification_ids) -> list[int]:
    """Mark notifications as e-mailed before sending, so a retried task or a second
    worker never sends the same one twice. Returns the ids this caller claimed."""
    now = timezone.now()
    claimed = []
    for pk in notification_ids:
        if Notification.objects.filter(pk=pk, emailed_at__isnull=True).update(emailed_at=now):
            claimed.append(pk)
    return claimed


def mark_read(*, user: User, notification_ids=None) -> int:
    """Mark the user's notifications read (all unread ones when no ids are given)."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=list(notification_ids))
    return rows.update(read_at=timezone.now())
