"""Meetings of a pair: proposals with a time zone, their outcome, feedback, private
notes, and each person's secret calendar feed."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stem4all.accounts.models import validate_time_zone

MIN_DURATION = 15
MAX_DURATION = 240


class Meeting(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        SUPERSEDED = "superseded", _("Another time proposed")

    class Outcome(models.TextChoices):
        NOT_LOGGED = "", _("Not logged yet")
        HAPPENED = "happened", _("Happened")
        MISSED = "missed", _("Missed")

    # Meetings that still belong in a calendar.
    CALENDAR_STATUSES = (Status.PROPOSED, Status.ACCEPTED)

    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("mentorship"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration in minutes"),
        validators=[MinValueValidator(MIN_DURATION), MaxValueValidator(MAX_DURATION)],
    )
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    agenda = models.TextField(_("agenda"), max_length=4000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    # Bumped on every change a calendar must pick up (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responded by"),
    )
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default="", blank=True
    )
    outcome_notes = models.TextField(_("notes for both of you"), max_length=4000, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    logged_at = models.DateTimeField(_("logged at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(online_link="", place=""),
                name="meeting_has_link_or_place",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=MIN_DURATION)
                & models.Q(duration_minutes__lte=MAX_DURATION),
                name="meeting_duration_in_range",
            ),
        ]
        indexes = [models.Index(fields=["mentorship", "status"], name="meeting_pair_status")]

    def __str__(self) -> str:
        return f"{self.mentorship_id} @ {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    def local_start(self, time_zone: str) -> dt.datetime:
        return self.starts_at.astimezone(zoneinfo.ZoneInfo(time_zone))

    def other_member(self, user):
        mentorship = self.mentorship
        return mentorship.mentor if user.pk == mentorship.mentee_id else mentorship.mentee


class MeetingFeedback(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("meeting")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting feedback")
        verbose_name_plural = _("meeting feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "author"], name="one_feedback_per_meeting_and_author"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1) & models.Q(rating__lte=5),
                name="meeting_feedback_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.rating}"


class PrivateMeetingNote(models.Model):
    """A note only its author reads; never shown to the other member or to staff."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="private_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("private note"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("private meeting note")
        verbose_name_plural = _("private meeting notes")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "author"], name="one_private_note_per_meeting_and_author"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.author_id}"


class CalendarFeed(models.Model):
    """A secret feed URL. Only the sha256 of the token is stored; a user has at most
    one feed that is not revoked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_calendar_feed_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ({'revoked' if self.revoked_at else 'live'})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
