"""The community: partner organisations of a programme and the best practices they
showcase in a public gallery.

A participant with the partner role creates her organisation's profile and becomes its
representative; staff of the programme approve it. Representatives write practices
(stories with results in figures and photos) and submit them; staff approve or reject
them with a reason. Only approved practices of approved organisations are public, and
an organisation's contact person never is.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stem4all.accounts.choices import StemField
from stem4all.accounts.geography import Region


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class PartnerOrganisation(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government body")
        UNIVERSITY = "university", _("University")
        COMPANY = "company", _("Company")
        NGO = "ngo", _("Non-governmental organisation")
        INTERNATIONAL = "international", _("International organisation")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="partner_organisations",
        verbose_name=_("programme"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    kind = models.CharField(_("kind of organisation"), max_length=20, choices=Kind.choices)
    logo = models.ImageField(_("logo"), upload_to="community/logos", blank=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    links = models.TextField(
        _("other links"), max_length=2000, blank=True, help_text=_("One address per line.")
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["programme", "status"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:partner", kwargs={"slug": self.slug})

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    def link_list(self) -> list[str]:
        return _lines(self.links)


class PartnerRepresentative(models.Model):
    """A person who manages an organisation's profile and writes its practices."""

    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.CASCADE,
        related_name="representatives",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_representations",
        verbose_name=_("person"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("partner representative")
        verbose_name_plural = _("partner representatives")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="one_representation_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation}"


class Practice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        APPROVED = "approved", _("Published")
        REJECTED = "rejected", _("Not approved")

    EDITABLE = (Status.DRAFT, Status.REJECTED)

    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.CASCADE,
        related_name="practices",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    # Set once at creation and never changed: the public address stays stable (awards
    # nominations and shared links point at it).
    slug = models.SlugField(_("short name in addresses"), max_length=90, unique=True)
    summary = models.TextField(_("summary"), max_length=600)
    story = models.TextField(_("story"), max_length=20000)
    links = models.TextField(
        _("links"), max_length=2000, blank=True, help_text=_("One address per line.")
    )
    stem_field = models.CharField(_("STEM field"), max_length=30, choices=StemField.choices)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    decision_reason = models.TextField(_("reason for the decision"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("best practice")
        verbose_name_plural = _("best practices")
        ordering = ["-published_at", "-pk"]
        indexes = [
            # The public gallery: approved practices, newest first.
            models.Index(fields=["status", "-published_at", "-id"], name="practice_gallery"),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.organisation.name}"

    def get_absolute_url(self) -> str:
        return reverse("community:practice", kwargs={"slug": self.slug})

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED and self.organisation.is_approved

    def link_list(self) -> list[str]:
        return _lines(self.links)


class PracticeResult(models.Model):
    """One result in figures: "Girls trained" 120 "people"."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="results", verbose_name=_("practice")
    )
    label = models.CharField(_("what was measured"), max_length=150)
    number = models.DecimalField(_("number"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.label}: {self.number.normalize():f} {self.unit}".strip()

    @property
    def display_number(self) -> str:
        return f"{self.number.normalize():f}"


class PracticePhoto(models.Model):
    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="photos", verbose_name=_("practice")
    )
    image = models.ImageField(_("photo"), upload_to="community/photos")
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    alt_text = models.CharField(
        _("description for people who cannot see the photo"), max_length=300
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.alt_text
