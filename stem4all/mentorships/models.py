"""The pair: a mentee and her mentor in one cohort, from the day the mentor accepts
the proposal to the end of the programme (or an early end)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Mentorship(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        COMPLETED = "completed", _("Completed")
        ENDED_EARLY = "ended_early", _("Ended early")

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
