"""notify() is idempotent per key, e-mails go out once in the reader's language, and new
messages are batched into one digest that is never sent twice."""

import datetime as dt

from django.utils import timezone, translation

from stem4all.notifications.models import Notification
from stem4all.notifications.services import notify
from stem4all.notifications.tasks import send_message_digests, send_notification_email
from stem4all.notifications.texts import render_text

Kind = Notification.Kind


def test_the_same_key_twice_makes_one_notification_and_one_email(
    mentee, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(
            recipient=mentee,
            kind=Kind.MEETING_ACCEPTED,
            key="meeting-accepted:1:0",
            url="/meetings/1/",
            params={"name": "Elena", "when": "2026-03-02T10:00:00+06:00"},
        )
        second = notify(recipient=mentee, kind=Kind.MEETING_ACCEPTED, key="meeting-accepted:1:0")
    assert first is not None and second is None
    assert Notification.objects.filter(recipient=mentee).count() == 1
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [mentee.email]
    assert email.subject == "Meeting accepted"
    assert "Elena accepted the meeting" in email.body
    assert "http://127.0.0.1:8000/meetings/1/" in email.body
    first.refresh_from_db()
    assert first.emailed_at is not None


def test_a_retried_email_task_sends_nothing_more(
    mentee, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=mentee, kind=Kind.PULSE_DUE, key="pulse:1")
    send_notification_email.call(notification_id=notification.pk)
    send_notification_email.call(notification_id=999999)
    assert len(mailoutbox) == 1


def test_nobody_inactive_is_notified(mentee, mailoutbox, django_capture_on_commit_callbacks):
    mentee.is_active = False
    mentee.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(recipient=mentee, kind=Kind.PULSE_DUE, key="pulse:1") is None
    assert mailoutbox == []


def test_the_email_is_in_the_recipients_language_and_links_to_the_site_url(
    mentee, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.STEM4ALL_SITE_URL = "https://mentoring.example.org"
    mentee.preferred_language = "ru"
    mentee.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=mentee, kind=Kind.PULSE_DUE, key="pulse:1", url="/checkins/pulse/1/")
    body = mailoutbox[0].body
    assert "Здравствуйте" in body
    assert "Команда STEM4ALL Mentoring" in body
    assert "https://mentoring.example.org/checkins/pulse/1/" in body
    # The page that sent it keeps its own language.
    assert translation.get_language() == "en"


def test_a_link_off_the_site_never_reaches_an_email(
    mentee, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=mentee, kind=Kind.PULSE_DUE, key="pulse:1", url="//evil.example/x")
    assert "evil.example" not in mailoutbox[0].body


def test_missing_or_odd_params_fall_back_to_a_general_sentence():
    assert render_text(Kind.MEETING_PROPOSED, {}) == "A meeting was proposed to you."
    assert render_text(Kind.MEETING_PROPOSED, {"name": "Ana"}) == "A meeting was proposed to you."
    assert render_text(Kind.NEW_MESSAGE, None) == "You have a new message."
    assert render_text("no-such-kind", {"x": 1}) == "You have a new notification."
    text = render_text(Kind.MEETING_PROPOSED, {"name": "Ana", "when": "not a date"})
    assert text == "Ana proposed a meeting (not a date)."
    assert "2026" in render_text(
        Kind.MEETING_REMINDER, {"name": "Ana", "when": "2026-03-02T10:00:00+00:00"}
    )
    assert "low check-in score" in render_text(
        Kind.PAIR_FLAGGED, {"mentee": "A", "mentor": "B", "reason": "low_pulse"}
    )


def _message(recipient, n):
    return notify(
        recipient=recipient,
        kind=Kind.NEW_MESSAGE,
        key=f"message:{n}",
        url="/messages/1/",
        params={"name": f"Sender {n}"},
    )


def test_new_messages_wait_for_the_digest_and_are_batched_into_one_email(
    mentee, mentor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            _message(mentee, n)
        _message(mentor, 9)
    assert mailoutbox == []  # not one e-mail per message
    now = timezone.now()
    assert send_message_digests(now) == 0  # younger than 10 minutes
    later = now + dt.timedelta(minutes=11)
    assert send_message_digests(later) == 2
    to_mentee = next(m for m in mailoutbox if m.to == [mentee.email])
    assert to_mentee.subject == "You have 3 new messages"
    for n in range(3):
        assert f"New message from Sender {n}." in to_mentee.body
    assert send_message_digests(later + dt.timedelta(hours=1)) == 0
    assert len(mailoutbox) == 2


def test_the_digest_skips_messages_already_read_on_the_site(mentee, mailoutbox):
    _message(mentee, 1)
    Notification.objects.update(read_at=timezone.now())
    assert send_message_digests(timezone.now() + dt.timedelta(minutes=11)) == 0
    assert mailoutbox == []
    assert Notification.objects.get().emailed_at is not None


def test_a_digest_delay_setting_is_honoured(mentee, mailoutbox, settings):
    settings.STEM4ALL_MESSAGE_DIGEST_DELAY_MINUTES = 60
    _message(mentee, 1)
    assert send_message_digests(timezone.now() + dt.timedelta(minutes=11)) == 0
    assert send_message_digests(timezone.now() + dt.timedelta(minutes=61)) == 1
