"""The end of a mentorship: each member's exit survey, and the mentee's certificate of
completion that anyone can verify by its code.

An exit survey is submitted once per member (a unique constraint closes a double
submit); answers are final, so that staff compare what was said when it was said. A
certificate exists at most once per mentorship (a OneToOne), only for a completed one,
and keeps a snapshot of what it prints: renaming the cohort or the mentee later does
not change a certificate already issued.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


def new_certificate_code() -> str:
    # 16 random bytes: 128 bits, URL-safe, 22 characters.
    return secrets.token_urlsafe(16)


class ExitSurvey(models.Model):
    class Role(models.TextChoices):
        MENTEE = "mentee", _("Mentee")
        MENTOR = "mentor", _("Mentor")

    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        on_delete=models.CASCADE,
        related_name="exit_surveys",
        verbose_name=_("mentorship"),
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="exit_surveys",
        verbose_name=_("respondent"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    overall_rating = models.PositiveSmallIntegerField(
        _("overall rating"), validators=RATING_VALIDATORS
    )
    goals_met = models.PositiveSmallIntegerField(
        _("how far the goals were met"), validators=RATING_VALIDATORS
    )
    would_recommend = models.BooleanField(_("would recommend the programme"))
    what_worked = models.TextField(_("what worked well"), max_length=4000, blank=True)
    what_to_improve = models.TextField(_("what to improve"), max_length=4000, blank=True)
    stay_in_touch = models.BooleanField(_("stay in touch in the alumni group"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("exit survey")
        verbose_name_plural = _("exit surveys")
        ordering = ["-submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "respondent"], name="one_exit_survey_per_member"
            ),
            models.CheckConstraint(
                condition=models.Q(overall_rating__gte=1, overall_rating__lte=5),
                name="exit_survey_overall_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(goals_met__gte=1, goals_met__lte=5),
                name="exit_survey_goals_met_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.respondent} ({self.get_role_display()}) — {self.mentorship_id}"


class Certificate(models.Model):
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("mentee"),
    )
    mentorship = models.OneToOneField(
        "mentorships.Mentorship",
        on_delete=models.CASCADE,
        related_name="certificate",
        verbose_name=_("mentorship"),
    )
    code = models.CharField(
        _("verification code"), max_length=40, unique=True, default=new_certificate_code
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    # What the certificate prints, as it was when issued.
    mentee_name = models.CharField(_("mentee's name as printed"), max_length=150)
    mentor_name = models.CharField(_("mentor's name as printed"), max_length=150)
    programme_name = models.CharField(_("programme"), max_length=200)
    cohort_name = models.CharField(_("cohort"), max_length=200)
    started_on = models.DateField(_("mentoring started on"))
    completed_on = models.DateField(_("mentoring completed on"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.TextField(_("why it was revoked"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "pk"]

    def __str__(self) -> str:
        return f"{self.mentee_name} — {self.cohort_name} ({self.code})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def display_code(self) -> str:
        """The code in groups of four, easier to read aloud or type from paper."""
        return " ".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))
