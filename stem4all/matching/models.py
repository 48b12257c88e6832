"""Matching in the platform: runs of the engine over a cohort, the proposals they make,
the mentees they could not match, staff's pair rules, and mentees' ranked choices.

A proposal's life: ``draft`` (in a run staff are reviewing) -> ``proposed`` (the run is
published; the mentor has ``respond_by`` to answer) -> ``accepted`` (a mentorship
starts), ``declined`` or ``expired`` (she is re-matched from the remaining pool).
``withdrawn``: staff took a draft out of a run; ``superseded``: when a run was
published, her mentor had no free place left or she already had a mentor.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MatchingRun(models.Model):
    class Mode(models.TextChoices):
        OPTIMAL = "optimal", _("Optimal: as many matches as possible, then the best total")
        STABLE = "stable", _("Stable: no mentee and mentor would both rather swap")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        DISCARDED = "discarded", _("Discarded")

    cohort = models.ForeignKey(
        "programmes.Cohort",
        on_delete=models.CASCADE,
        related_name="matching_runs",
        verbose_name=_("cohort"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.OPTIMAL)
    # regional_floor, max_international_share, spread_load, min_language_level, top_k,
    # response_days: see services.DEFAULT_OPTIONS.
    options = models.JSONField(_("options"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # The pool and the engine's own figures at the time of the run.
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["cohort", "status"], name="matchingrun_cohort_status")]

    def __str__(self) -> str:
        return f"{self.cohort} #{self.pk} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Proposal(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Waiting for the mentor")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        WITHDRAWN = "withdrawn", _("Withdrawn by staff")
        SUPERSEDED = "superseded", _("Superseded")

    # Statuses that hold one of the mentor's places until she answers.
    OUTSTANDING = (Status.PROPOSED,)
    # Statuses after which a mentor is not proposed to the same mentee again.
    REFUSED = (Status.DECLINED, Status.EXPIRED)

    run = models.ForeignKey(
        MatchingRun,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("matching run"),
        help_text=_("Empty for a proposal made by re-matching one mentee."),
    )
    # Denormalised from the run so that the database can hold the per-cohort rules.
    cohort = models.ForeignKey(
        "programmes.Cohort",
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("cohort"),
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="proposals_as_mentee",
        verbose_name=_("mentee"),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="proposals_as_mentor",
        verbose_name=_("mentor"),
    )
    score = models.FloatField(_("score"), default=0.0)
    # [{"code": "fields", "value": 1.0, "contribution": 0.27, "params": {...}}, ...]
    factors = models.JSONField(_("reasons"), default=list, blank=True)
    is_locked = models.BooleanField(_("locked by staff"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    respond_by = models.DateTimeField(_("answer by"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "pk"]
        constraints = [
            # Two staff publishing at once, or a publish racing a re-match, cannot give
            # a mentee two mentors to wait for.
            models.UniqueConstraint(
                fields=["cohort", "mentee"],
                condition=models.Q(status="proposed"),
                name="one_outstanding_proposal_per_mentee",
            ),
            models.UniqueConstraint(
                fields=["run", "mentee"],
                condition=models.Q(status="draft"),
                name="one_draft_proposal_per_mentee_per_run",
            ),
            models.CheckConstraint(
                condition=~models.Q(mentee=models.F("mentor")),
                name="proposal_mentor_is_not_the_mentee",
            ),
        ]
        indexes = [
            models.Index(fields=["mentor", "status"], name="proposal_mentor_status"),
            models.Index(fields=["cohort", "mentee", "status"], name="proposal_mentee_status"),
            models.Index(fields=["run", "status"], name="proposal_run_status"),
            models.Index(fields=["status", "respond_by"], name="proposal_status_respond_by"),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} → {self.mentor} ({self.get_status_display()})"


class UnmatchedMentee(models.Model):
    """A mentee a run (or a re-match, then ``run`` is empty) could not match, and why."""

    class Reason(models.TextChoices):
        # The engine's reasons (engine.model.UnmatchedReason), first that applies.
        NO_SHARED_LANGUAGE = "no_shared_language", _("No shared working language")
        NEEDS_MINOR_CLEARED_MENTOR = (
            "needs_minor_cleared_mentor",
            _("Needs a mentor cleared for under-18s"),
        )
        ALL_EXCLUDED = "all_excluded", _("Every fitting mentor excluded")
        NO_MENTOR_WITH_CAPACITY = "no_mentor_with_capacity", _("No fitting mentor has a place")
        CAPACITY_TAKEN = "capacity_taken", _("Places went to other mentees")
        INTERNATIONAL_LIMIT = "international_limit", _("Limit on international mentors")
        # The platform's reasons: she never reached the engine, or staff removed a pair.
        NO_CLEARED_MENTOR = "no_cleared_mentor", _("No cleared mentor in the cohort")
        CANNOT_BE_MATCHED = "cannot_be_matched", _("Cannot be matched yet")
        NO_MENTEE_PROFILE = "no_mentee_profile", _("No mentee profile")
        NO_LANGUAGES = "no_languages", _("No languages given")
        PAIR_FORBIDDEN = "pair_forbidden", _("Proposed pair forbidden by staff")

    cohort = models.ForeignKey(
        "programmes.Cohort",
        on_delete=models.CASCADE,
        related_name="unmatched_mentees",
        verbose_name=_("cohort"),
    )
    run = models.ForeignKey(
        MatchingRun,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="unmatched",
        verbose_name=_("matching run"),
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("mentee"),
    )
    reason = models.CharField(_("reason"), max_length=40, choices=Reason.choices)
    eligible_mentors = models.PositiveIntegerField(_("mentors who fit her"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("unmatched mentee")
        verbose_name_plural = _("unmatched mentees")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee"], name="one_unmatched_row_per_run")
        ]
        indexes = [
            models.Index(fields=["cohort", "mentee", "created_at"], name="unmatched_cohort_mentee")
        ]

    def __str__(self) -> str:
        return f"{self.mentee}: {self.get_reason_display()}"


class PairRule(models.Model):
    """Staff's word on a pair, kept across re-runs: always match them, or never."""

    class Kind(models.TextChoices):
        LOCK = "lock", _("Locked: always this pair")
        FORBID = "forbid", _("Forbidden: never this pair")

    cohort = models.ForeignKey(
        "programmes.Cohort",
        on_delete=models.CASCADE,
        related_name="pair_rules",
        verbose_name=_("cohort"),
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("mentee"),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("mentor"),
    )
    kind = models.CharField(_("rule"), max_length=10, choices=Kind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pair rule")
        verbose_name_plural = _("pair rules")
        ordering = ["cohort", "kind", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "mentee", "mentor"], name="one_rule_per_pair"
            ),
            # A mentee can be locked to one mentor only.
            models.UniqueConstraint(
                fields=["cohort", "mentee"],
                condition=models.Q(kind="lock"),
                name="one_locked_mentor_per_mentee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} — {self.mentor}: {self.get_kind_display()}"


class MentorChoice(models.Model):
    """A mentee's ranked choice of a mentor (mentee-chooses mode): up to three per
    cohort, fed to the engine as her ranked mentors."""

    MAX_RANK = 3

    cohort = models.ForeignKey(
        "programmes.Cohort",
        on_delete=models.CASCADE,
        related_name="mentor_choices",
        verbose_name=_("cohort"),
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentor_choices",
        verbose_name=_("mentee"),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("mentor"),
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mentor choice")
        verbose_name_plural = _("mentor choices")
        ordering = ["cohort", "mentee", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "mentee", "rank"], name="one_mentor_per_rank"
            ),
            models.UniqueConstraint(
                fields=["cohort", "mentee", "mentor"], name="one_rank_per_mentor"
            ),
            models.CheckConstraint(
                condition=models.Q(rank__gte=1, rank__lte=3), name="choice_rank_1_to_3"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentee}: {self.rank}. {self.mentor}"
