"""A mentee's roadmap: her career goal and the ordered key steps towards it, with
the mentor's comments and sign-offs. One roadmap per mentorship."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stem4all.accounts.choices import Language


class Roadmap(models.Model):
    mentorship = models.OneToOneField(
        "mentorships.Mentorship",
        on_delete=models.CASCADE,
        related_name="roadmap",
        verbose_name=_("mentorship"),
    )
    career_goal = models.TextField(_("career goal"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("roadmap")
        verbose_name_plural = _("roadmaps")

    def __str__(self) -> str:
        return str(self.mentorship)


class RoadmapStep(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    roadmap = models.ForeignKey(
        Roadmap, on_delete=models.CASCADE, related_name="steps", verbose_name=_("roadmap")
    )
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    # Any link; or one of the programme's lectures or trainings below.
    link = models.URLField(_("link"), max_length=500, blank=True)
    lecture = models.ForeignKey(
        "learning.Lecture",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lecture"),
    )
    training = models.ForeignKey(
        "learning.Training",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("training"),
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed off by"),
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    # Set when the step came from a template: copying the same template again while
    # its steps are still there is refused (a double click copies once).
    copied_from_template = models.ForeignKey(
        "RoadmapTemplate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("copied from template"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("roadmap step")
        verbose_name_plural = _("roadmap steps")
        ordering = ["roadmap", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["roadmap", "position"], name="roadmap_step_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None


class StepComment(models.Model):
    step = models.ForeignKey(
        RoadmapStep, on_delete=models.CASCADE, related_name="comments", verbose_name=_("step")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("text"), max_length=2000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("step comment")
        verbose_name_plural = _("step comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:50]


class RoadmapTemplate(models.Model):
    """A programme's ready-made roadmap (say, "Into data engineering") that a mentee
    copies into her own roadmap and then adapts. Staff of the programme write them;
    mentees see only published ones."""

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="roadmap_templates",
        verbose_name=_("programme"),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    career_goal = models.TextField(_("suggested career goal"), max_length=2000, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("roadmap template")
        verbose_name_plural = _("roadmap templates")
        ordering = ["title", "pk"]
        indexes = [
            models.Index(fields=["programme", "is_published"], name="roadmap_template_published")
        ]

    def __str__(self) -> str:
        return self.title


class RoadmapTemplateStep(models.Model):
    template = models.ForeignKey(
        RoadmapTemplate, on_delete=models.CASCADE, related_name="steps", verbose_name=_("template")
    )
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    due_offset_days = models.PositiveIntegerField(
        _("due after (days)"),
        null=True,
        blank=True,
        help_text=_("Days from the day she copies the template; empty for no due date."),
    )

    class Meta:
        verbose_name = _("roadmap template step")
        verbose_name_plural = _("roadmap template steps")
        ordering = ["template", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "position"], name="roadmap_template_step_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return self.title
