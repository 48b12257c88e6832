"""In-app notifications, each also sent by e-mail: at once for most kinds, in a
batched digest for new messages.

A notification's text is rendered when it is shown, in the reader's language, from its
``kind`` and ``params``; nothing translated is stored. ``key`` makes every notification
idempotent: the same event notified twice (a task retried, a periodic run repeated)
stays one row, enforced by a unique constraint.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("Mentoring proposal")
        MENTORSHIP_STARTED = "mentorship_started", _("Mentorship started")
        MEETING_PROPOSED = "meeting_proposed", _("Meeting proposed")
        MEETING_ACCEPTED = "meeting_accepted", _("Meeting accepted")
        MEETING_REMINDER = "meeting_reminder", _("Meeting reminder")
        NEW_MESSAGE = "new_message", _("New message")
        STEP_SIGNED_OFF = "step_signed_off", _("Roadmap step signed off")
        PULSE_DUE = "pulse_due", _("Check-in due")
        INACTIVITY_REMINDER = "inactivity_reminder", _("Time to meet again")
        PAIR_FLAGGED = "pair_flagged", _("A pair needs attention")
        MESSAGE_HELD = "message_held", _("Message held for review")
        CONCERN_REPORTED = "concern_reported", _("Concern reported")
        EXIT_SURVEY_DUE = "exit_survey_due", _("Exit survey")
        TRAINING_SEAT = "training_seat", _("A seat at a training")
        TRAINING_REMINDER = "training_reminder", _("Training reminder")
        AWARD_NOMINATED = "award_nominated", _("You were nominated for the award")
        NOMINATION_REVIEWED = "nomination_reviewed", _("Your nomination was reviewed")
        JURY_COMPLETE = "jury_complete", _("The jury has finished a category")
        AWARD_RESULTS = "award_results", _("The award's results are published")
        SURVEY_OPEN = "survey_open", _("A survey is open")
        SURVEY_REMINDER = "survey_reminder", _("Survey reminder")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    # Where the notification leads: a path inside the site ("/meetings/12/").
    url = models.CharField(_("link"), max_length=300, blank=True)
    # Plain values the text is rendered from (names, dates as ISO strings).
    params = models.JSONField(_("details"), default=dict, blank=True)
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="one_notification_per_key"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["kind", "emailed_at"], name="notification_to_email"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.kind} ({self.key})"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
