"""The pair: a mentee and her mentor in one cohort, from the day the mentor accepts
the proposal to the end of the programme (or an early end), with its history and the
mentoring agreement the two of them confirm.

Life cycle: (proposed) -> active -> (paused <-> active) -> completed, or ended early
from active or paused. "Proposed" lives in ``matching.Proposal``: a ``Mentorship``
exists only once the mentor accepts. Each transition is one function in
``services`` and leaves a ``MentorshipEvent``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stem4all.accounts.choices import Language


class Mentorship(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        COMPLETED = "completed", _("Completed")
        ENDED_EARLY = "ended_early", _("Ended early")

    class EndCause(models.TextChoices):
        """Why a pair ended early, as counted in the impact reports (the free-text
        reason beside it is for staff only)."""

        TIME = "time", _("Not enough time (studies, work or family)")
        CONTACT = "contact", _("Lost contact")
        FIT = "fit", _("Not a good fit")
        GOALS_MET = "goals_met", _("Her goals were met early")
        LEFT = "left", _("Left the programme or moved away")
        CONDUCT = "conduct", _("A safety or conduct concern")
        OTHER = "other", _("Another reason")

    # A mentee has at most one mentorship in these states per cohort, and each one
    # takes a place of the mentor's capacity.
    OPEN_STATUSES = (Status.ACTIVE, Status.PAUSED)

    cohort = models.ForeignKey(
        "programmes.Cohort",
        on_delete=models.CASCADE,
        related_name="mentorships",
        verbose_name=_("cohort"),
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentorships_as_mentee",
        verbose_name=_("mentee"),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentorships_as_mentor",
        verbose_name=_("mentor"),
    )
    proposal = models.OneToOneField(
        "matching.Proposal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentorship",
        verbose_name=_("proposal"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.TextField(_("why it ended"), max_length=2000, blank=True)
    end_cause = models.CharField(
        _("main reason it ended early"), max_length=20, choices=EndCause.choices, blank=True
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        ordering = ["-started_at", "pk"]
        constraints = [
            # The database, not a prior lookup, guarantees one mentor at a time.
            models.UniqueConstraint(
                fields=["cohort", "mentee"],
                condition=models.Q(status__in=["active", "paused"]),
                name="one_open_mentorship_per_mentee",
            ),
            models.CheckConstraint(
                condition=~models.Q(mentee=models.F("mentor")),
                name="mentorship_mentor_is_not_the_mentee",
            ),
        ]
        indexes = [
            models.Index(fields=["mentor", "status"], name="mentorship_mentor_status"),
            models.Index(fields=["cohort", "status"], name="mentorship_cohort_status"),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} — {self.mentor} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class MentorshipEvent(models.Model):
    """One transition of a mentorship's status: who, when, and (for a pause or an early
    end) why. The first event of a pair has an empty ``from_status``."""

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="events", verbose_name=_("mentorship")
    )
    from_status = models.CharField(
        _("from status"), max_length=20, choices=Mentorship.Status.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=20, choices=Mentorship.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mentorship event")
        verbose_name_plural = _("mentorship events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"


class MentoringAgreement(models.Model):
    """What the pair agree at the start. Both confirm it; a later edit asks both to
    confirm again."""

    class MeetingFrequency(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        FORTNIGHTLY = "fortnightly", _("Every two weeks")
        MONTHLY = "monthly", _("Every month")

    class MeetingMode(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")
        BOTH = "both", _("Online and in person")

    mentorship = models.OneToOneField(
        Mentorship,
        on_delete=models.CASCADE,
        related_name="agreement",
        verbose_name=_("mentorship"),
    )
    goals = models.TextField(_("goals"), max_length=4000, blank=True)
    meeting_frequency = models.CharField(
        _("how often we meet"),
        max_length=20,
        choices=MeetingFrequency.choices,
        default=MeetingFrequency.FORTNIGHTLY,
    )
    meeting_mode = models.CharField(
        _("how we meet"), max_length=20, choices=MeetingMode.choices, default=MeetingMode.ONLINE
    )
    working_language = models.CharField(
        _("working language"), max_length=8, choices=Language.choices, blank=True
    )
    expected_end_on = models.DateField(_("expected end date"), null=True, blank=True)
    mentee_confirmed_at = models.DateTimeField(
        _("confirmed by the mentee at"), null=True, blank=True
    )
    mentor_confirmed_at = models.DateTimeField(
        _("confirmed by the mentor at"), null=True, blank=True
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    EDITABLE_FIELDS = (
        "goals",
        "meeting_frequency",
        "meeting_mode",
        "working_language",
        "expected_end_on",
    )

    class Meta:
        verbose_name = _("mentoring agreement")
        verbose_name_plural = _("mentoring agreements")

    def __str__(self) -> str:
        return str(self.mentorship)

    @property
    def is_confirmed(self) -> bool:
        return self.mentee_confirmed_at is not None and self.mentor_confirmed_at is not None
