"""What the reports app stores: donor reports made in the background (and, beside
them, the baseline and endline surveys).

A donor report is a PDF of one cohort's figures at the moment it was made. It is
stored in the database (a few hundred kilobytes at most) so that it is served only
through a view that checks who asks, never as a public media file.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DonorReport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    cohort = models.ForeignKey(
        "programmes.Cohort",
        on_delete=models.CASCADE,
        related_name="donor_reports",
        verbose_name=_("cohort"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("donor report")
        verbose_name_plural = _("donor reports")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="ready") | models.Q(pdf__isnull=False),
                name="donor_report_ready_has_pdf",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cohort} ({self.get_language_display()}, {self.requested_at:%Y-%m-%d})"


# Baseline and endline surveys ------------------------------------------------------
#
# A cohort has at most one baseline and one endline survey per audience (mentees,
# mentors). A question's ``key`` links the two: the same key in the baseline and the
# endline of a cohort is the same question asked twice, and a 1-5 answer given by the
# same person both times is one pair of the paired change. Texts are stored in each
# language (English required, the others fall back to it); a respondent answers once
# per survey (a unique constraint closes a double submit), and an answered question or
# choice cannot be deleted (RESTRICT: only with the whole survey or cohort), so the
# answers keep their meaning.

SURVEY_LANGUAGES = ("en", "ru", "ky")
SCALE_MIN, SCALE_MAX = 1, 5
ANSWER_TEXT_MAX = 2000


def in_active_language(obj, field: str) -> str:
    """``obj.<field>_<active language>``, or the English text when it is empty."""
    from django.utils.translation import get_language

    language = (get_language() or "en").split("-")[0]
    if language in SURVEY_LANGUAGES:
        value = getattr(obj, f"{field}_{language}", "")
        if value:
            return value
    return getattr(obj, f"{field}_en")


class Survey(models.Model):
    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Baseline (at the start)")
        ENDLINE = "endline", _("Endline (at the end)")

    class Audience(models.TextChoices):
        # The values are the participation roles of the people who answer.
        MENTEE = "mentee", _("Mentees")
        MENTOR = "mentor", _("Mentors")

    cohort = models.ForeignKey(
        "programmes.Cohort",
        on_delete=models.CASCADE,
        related_name="surveys",
        verbose_name=_("cohort"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    audience = models.CharField(_("who answers"), max_length=10, choices=Audience.choices)
    title_en = models.CharField(_("title in English"), max_length=200)
    title_ru = models.CharField(_("title in Russian"), max_length=200, blank=True)
    title_ky = models.CharField(_("title in Kyrgyz"), max_length=200, blank=True)
    # Open from ``opens_at`` (included) until ``closes_at`` (excluded).
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # What staff set, in the builder's order (the form and the services share it).
    EDITABLE_FIELDS = (
        "kind",
        "audience",
        "title_en",
        "title_ru",
        "title_ky",
        "opens_at",
        "closes_at",
    )

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["cohort", "audience", "-kind", "pk"]  # baseline before endline
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "kind", "audience"], name="one_survey_per_cohort_kind_audience"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_it_opens",
            ),
        ]
        indexes = [models.Index(fields=["opens_at", "closes_at"], name="survey_window")]

    def __str__(self) -> str:
        return f"{self.title_en} ({self.get_kind_display()}, {self.get_audience_display()})"

    @property
    def title(self) -> str:
        return in_active_language(self, "title")

    def is_open_at(self, moment) -> bool:
        return self.opens_at <= moment < self.closes_at


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")
        SCALE = "scale", _("Scale from 1 to 5")
        TEXT = "text", _("Free text")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    key = models.SlugField(
        _("key"),
        max_length=50,
        help_text=_(
            "A short name, the same in the baseline and the endline for the same question."
        ),
    )
    kind = models.CharField(_("kind of answer"), max_length=10, choices=Kind.choices)
    text_en = models.CharField(_("question in English"), max_length=500)
    text_ru = models.CharField(_("question in Russian"), max_length=500, blank=True)
    text_ky = models.CharField(_("question in Kyrgyz"), max_length=500, blank=True)
    is_required = models.BooleanField(_("an answer is required"), default=True)
    scale_low_en = models.CharField(_("meaning of 1 in English"), max_length=100, blank=True)
    scale_low_ru = models.CharField(_("meaning of 1 in Russian"), max_length=100, blank=True)
    scale_low_ky = models.CharField(_("meaning of 1 in Kyrgyz"), max_length=100, blank=True)
    scale_high_en = models.CharField(_("meaning of 5 in English"), max_length=100, blank=True)
    scale_high_ru = models.CharField(_("meaning of 5 in Russian"), max_length=100, blank=True)
    scale_high_ky = models.CharField(_("meaning of 5 in Kyrgyz"), max_length=100, blank=True)

    EDITABLE_FIELDS = (
        "key",
        "kind",
        "text_en",
        "text_ru",
        "text_ky",
        "is_required",
        "scale_low_en",
        "scale_high_en",
        "scale_low_ru",
        "scale_high_ru",
        "scale_low_ky",
        "scale_high_ky",
    )

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["survey", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="one_question_per_survey_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.text_en}"

    @property
    def text(self) -> str:
        return in_active_language(self, "text")

    @property
    def scale_low(self) -> str:
        return in_active_language(self, "scale_low")

    @property
    def scale_high(self) -> str:
        return in_active_language(self, "scale_high")

    @property
    def has_choices(self) -> bool:
        return self.kind in self.CHOICE_KINDS


class Choice(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    key = models.SlugField(_("key"), max_length=50)
    label_en = models.CharField(_("answer in English"), max_length=200)
    label_ru = models.CharField(_("answer in Russian"), max_length=200, blank=True)
    label_ky = models.CharField(_("answer in Kyrgyz"), max_length=200, blank=True)

    EDITABLE_FIELDS = ("key", "label_en", "label_ru", "label_ky")

    class Meta:
        verbose_name = _("answer choice")
        verbose_name_plural = _("answer choices")
        ordering = ["question", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="one_choice_per_question_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.label_en}"

    @property
    def label(self) -> str:
        return in_active_language(self, "label")


class Response(models.Model):
    """One person's answers to one survey, given once."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey")
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="survey_responses",
        verbose_name=_("respondent"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    # Set by the service to the instant taken inside its transaction (not auto_now_add,
    # so that the demo data can date its answers).
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"], name="one_response_per_survey_and_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.respondent_id} — {self.survey_id}"


class Answer(models.Model):
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        Question, on_delete=models.RESTRICT, related_name="answers", verbose_name=_("question")
    )
    scale_value = models.PositiveSmallIntegerField(_("value from 1 to 5"), null=True, blank=True)
    choices = models.ManyToManyField(
        Choice, through="AnswerChoice", related_name="answers", verbose_name=_("choices")
    )
    text = models.TextField(_("text"), max_length=ANSWER_TEXT_MAX, blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["response", "question__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_response_question"
            ),
            models.CheckConstraint(
                condition=models.Q(scale_value__isnull=True)
                | models.Q(scale_value__gte=SCALE_MIN, scale_value__lte=SCALE_MAX),
                name="survey_answer_scale_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}: {self.question_id}"


class AnswerChoice(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="+")
    # A chosen choice cannot be deleted: the answer would change its meaning.
    choice = models.ForeignKey(Choice, on_delete=models.RESTRICT, related_name="+")

    class Meta:
        verbose_name = _("chosen answer")
        verbose_name_plural = _("chosen answers")
        constraints = [
            models.UniqueConstraint(fields=["answer", "choice"], name="one_answer_choice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.answer_id}: {self.choice_id}"
