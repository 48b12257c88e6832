"""Notification e-mails: one at once per notification (``send_notification_email``,
enqueued by ``notify`` after the commit), and the periodic digest of new messages
(``send_message_digests``). Every notification is claimed (``emailed_at`` set) before
its e-mail is sent, so a retried task, a second worker or a repeated periodic run never
sends it twice."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """The link of a notification as an absolute address on this site; "" for none.
    Only same-site paths become links."""
    if not path or not path.startswith("/") or path.startswith("//"):
        return ""
    site = getattr(settings, "STEM4ALL_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return site + path


def _send(user, template: str, context: dict) -> None:
    from .texts import notification_text, notification_title

    time_zone = getattr(user, "time_zone", "") or settings.TIME_ZONE
    with translation.override(user.preferred_language), timezone.override(time_zone):
        context = {
            **context,
            "user": user,
            "site_url": absolute_url("/"),
            "notifications_url": absolute_url("/notifications/"),
        }
        for item in context.get("items", []):
            item.text = notification_text(item)
            item.title = notification_title(item)
            item.link = absolute_url(item.url)
        subject = render_to_string(f"notifications/email/{template}_subject.txt", context)
        body = render_to_string(f"notifications/email/{template}_body.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [user.email])


def _release(ids) -> None:
    # The e-mail could not be handed over: let a later run try again.
    from .models import Notification

    Notification.objects.filter(pk__in=list(ids)).update(emailed_at=None)


@task()
def send_notification_email(*, notification_id: int) -> None:
    """E-mail one notification to its recipient, in her language, at most once."""
    from .models import Notification
    from .services import claim_for_email

    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or notification.emailed_at is not None:
        return
    recipient = notification.recipient
    if not recipient.is_active or not recipient.email:
        return
    if not claim_for_email([notification.pk]):
        return
    try:
        _send(recipient, "notification", {"notification": notification, "items": [notification]})
    except Exception:
        _release([notification.pk])
        raise


def digest_delay() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "STEM4ALL_MESSAGE_DIGEST_DELAY_MINUTES", 10))


def send_message_digests(now: dt.datetime | None = None) -> int:
    """One e-mail per person listing her new-message notifications not yet e-mailed and
    older than the digest delay. Those she has already read on the site are claimed but
    not listed. Returns the number of e-mails sent."""
    from .models import Notification
    from .services import claim_for_email

    now = now or timezone.now()
    pending = (
        Notification.objects.filter(
            kind=Notification.Kind.NEW_MESSAGE,
            emailed_at__isnull=True,
            created_at__lte=now - digest_delay(),
        )
        .order_by("recipient_id", "created_at", "pk")
        .values_list("recipient_id", "pk")
    )
    by_recipient: dict[int, list[int]] = {}
    for recipient_id, pk in pending:
        by_recipient.setdefault(recipient_id, []).append(pk)
    sent = 0
    for ids in by_recipient.values():
        claimed = claim_for_email(ids)
        if not claimed:
            continue
        items = list(
            Notification.objects.select_related("recipient")
            .filter(pk__in=claimed, read_at__isnull=True)
            .order_by("created_at", "pk")
        )
        if not items:
            continue
        recipient = items[0].recipient
        if not recipient.is_active or not recipient.email:
            continue
        try:
            _send(recipient, "digest", {"items": items})
        except Exception:
            logger.exception("Message digest to user %s failed", recipient.pk)
            _release(claimed)
            continue
        sent += 1
    return sent
