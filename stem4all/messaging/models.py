"""Conversations on the platform: a mentoring pair's private conversation, a cohort's
alumni group, and (later) staff-made groups; their messages, some of them held for a
safeguarding moderator, and the concerns people report.

A message is never deleted by its participants: a held or rejected message stays on
record, visible to its sender (marked) and to safeguarding staff only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_MESSAGE_LENGTH = 4000


class Conversation(models.Model):
    class Kind(models.TextChoices):
        PAIR = "pair", _("Mentoring pair")
        ALUMNI = "alumni", _("Alumni group")
        GROUP = "group", _("Group")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    mentorship = models.OneToOneField(
        "mentorships.Mentorship",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conversation",
        verbose_name=_("mentorship"),
    )
    # Set for every kind (a pair's is its mentorship's cohort): staff scope and the
    # safeguarding moderators are found through it.
    cohort = models.ForeignKey(
        "programmes.Cohort",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conversations",
        verbose_name=_("cohort"),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort"],
                condition=models.Q(kind="alumni"),
                name="one_alumni_conversation_per_cohort",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="pair") | models.Q(mentorship__isnull=False),
                name="pair_conversation_has_a_mentorship",
            ),
        ]

    def __str__(self) -> str:
        if self.title:
            return self.title
        return f"{self.get_kind_display()} #{self.pk}"


class ConversationMember(models.Model):
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("conversation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="conversation_memberships",
        verbose_name=_("person"),
    )
    last_read_at = models.DateTimeField(_("last read at"), null=True, blank=True)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)

    class Meta:
        verbose_name = _("conversation member")
        verbose_name_plural = _("conversation members")
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"], name="one_membership_per_conversation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.conversation}"

    @property
    def is_current(self) -> bool:
        return self.left_at is None


class Message(models.Model):
    class Status(models.TextChoices):
        DELIVERED = "delivered", _("Delivered")
        HELD = "held", _("Waiting for review")
        REJECTED = "rejected", _("Not delivered")

    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("conversation"),
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sent_messages",
        verbose_name=_("sender"),
    )
    text = models.TextField(_("message"), max_length=MAX_MESSAGE_LENGTH)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DELIVERED
    )
    # Set inside the posting transaction, after the mentorship row lock is taken: a
    # message is always on the right side of a pause or an end.
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderation_note = models.TextField(_("moderation note"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        permissions = [
            ("moderate_messages", "Can moderate held messages and read concern reports"),
        ]
        indexes = [
            models.Index(fields=["conversation", "created_at"], name="message_conversation_time"),
            models.Index(fields=["status", "created_at"], name="message_status_time"),
        ]

    def __str__(self) -> str:
        return f"{self.sender} ({self.get_status_display()}): {self.text[:40]}"


class ConcernReport(models.Model):
    """A safeguarding concern. Seen by its reporter (only as a confirmation) and by the
    safeguarding staff of its cohort's programme, never by the person it is about."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    about_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about"),
    )
    message = models.ForeignKey(
        Message,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("message"),
    )
    cohort = models.ForeignKey(
        "programmes.Cohort",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cohort"),
    )
    text = models.TextField(_("what happened"), max_length=MAX_MESSAGE_LENGTH)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True, db_index=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    outcome_note = models.TextField(_("outcome"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("concern report")
        verbose_name_plural = _("concern reports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="concern_status_time")]

    def __str__(self) -> str:
        return f"{self.get_status_display()} #{self.pk}"
