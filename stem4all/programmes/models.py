"""Programmes, their cohorts, and who takes part in a cohort in which role."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stem4all.accounts.choices import Language


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), unique=True)
    description = models.TextField(_("description"), blank=True)
    organisers = models.TextField(_("organisers"), blank=True, help_text=_("One per line."))
    funders = models.TextField(_("funders"), blank=True, help_text=_("One per line."))
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_people = models.TextField(
        _("contact people"), blank=True, help_text=_("One per line: name and role.")
    )
    is_public = models.BooleanField(_("shown on the public landing page"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def organiser_list(self) -> list[str]:
        return [line.strip() for line in self.organisers.splitlines() if line.strip()]

    def funder_list(self) -> list[str]:
        return [line.strip() for line in self.funders.splitlines() if line.strip()]

    def contact_list(self) -> list[str]:
        return [line.strip() for line in self.contact_people.splitlines() if line.strip()]


class Cohort(models.Model):
    class Phase(models.TextChoices):
        APPLICATIONS = "applications", _("Applications")
        SCREENING = "screening", _("Screening")
        MATCHING = "matching", _("Matching")
        MENTORING = "mentoring", _("Mentoring")
        CLOSURE = "closure", _("Closure")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="cohorts", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"))
    description = models.TextField(_("description"), blank=True)
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.APPLICATIONS
    )
    mentoring_language = models.CharField(
        _("language of mentoring"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    applications_close_on = models.DateField(_("applications close on"), null=True, blank=True)
    starts_on = models.DateField(_("mentoring starts on"))
    ends_on = models.DateField(_("mentoring ends on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "slug"], name="cohort_slug_per_programme"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="cohort_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.name}: {self.name}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The cohort cannot end before it starts.")})

    @property
    def is_accepting_applications(self) -> bool:
        if self.phase != self.Phase.APPLICATIONS:
            return False
        return (
            self.applications_close_on is None or timezone.localdate() <= self.applications_close_on
        )

    def next_phase(self) -> str | None:
        values = self.Phase.values
        index = values.index(self.phase)
        return values[index + 1] if index + 1 < len(values) else None


class Participation(models.Model):
    """A person's place in a cohort in one role. An application is a participation
    in status 'applied'; screening moves it to accepted, waitlisted or rejected."""

    class Role(models.TextChoices):
        MENTEE = "mentee", _("Mentee")
        MENTOR = "mentor", _("Mentor")
        STAFF = "staff", _("Programme staff")
        JURY = "jury", _("Jury member")
        PARTNER = "partner", _("Partner organisation")
        FUNDER = "funder", _("Funder (sees reports only)")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("Waitlisted")
        REJECTED = "rejected", _("Not accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Source(models.TextChoices):
        APPLICATION = "application", _("Application form")
        IMPORT = "import", _("Imported from a file")
        STAFF = "staff", _("Added by staff")

    APPLYING_ROLES = (Role.MENTEE, Role.MENTOR)
    DECISIONS = (Status.ACCEPTED, Status.WAITLISTED, Status.REJECTED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("person"),
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="participations", verbose_name=_("cohort")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPLIED
    )
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.APPLICATION
    )
    motivation = models.TextField(_("why do you want to take part?"), max_length=3000, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("applied at"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["cohort", "role", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cohort", "role"], name="one_participation_per_role"
            )
        ]
        indexes = [
            models.Index(fields=["cohort", "role", "status"]),
            # The staff list pages through a cohort in the order people applied.
            models.Index(fields=["cohort", "created_at", "id"], name="participation_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.cohort}"
