"""Pair health: pulse check-ins each member of an active pair answers every two months,
and flags that bring a pair to programme staff (a low pulse, a long silence).

Rows are created by the periodic run (``services``); unique constraints make every run
idempotent, so running it twice, or on two machines at once, creates each row once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# Day 30 after the start, then every 60 days: 30, 90, 150...
FIRST_PULSE_DAY = 30
PULSE_INTERVAL_DAYS = 60
# A pulse of this score or lower brings the pair to staff.
LOW_PULSE_SCORE = 2


class PulseCheck(models.Model):
    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        on_delete=models.CASCADE,
        related_name="pulse_checks",
        verbose_name=_("mentorship"),
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pulse_checks",
        verbose_name=_("respondent"),
    )
    round = models.PositiveSmallIntegerField(_("round"))
    due_on = models.DateField(_("due on"))
    score = models.PositiveSmallIntegerField(
        _("score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pulse check-in")
        verbose_name_plural = _("pulse check-ins")
        ordering = ["-due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "respondent", "round"], name="one_pulse_per_round"
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True)
                | (models.Q(score__gte=1) & models.Q(score__lte=5)),
                name="pulse_score_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentorship_id}/{self.respondent_id} #{self.round}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class PairFlag(models.Model):
    class Reason(models.TextChoices):
        LOW_PULSE = "low_pulse", _("low check-in score")
        INACTIVE_35_DAYS = "inactive_35_days", _("no meeting or message for 35 days")

    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        on_delete=models.CASCADE,
        related_name="flags",
        verbose_name=_("mentorship"),
    )
    reason = models.CharField(_("reason"), max_length=30, choices=Reason.choices)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    class Meta:
        verbose_name = _("pair flag")
        verbose_name_plural = _("pair flags")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "reason"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_flag_per_pair_and_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentorship_id}: {self.reason}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
