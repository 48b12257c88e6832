"""The award of a programme: editions with their phases, categories with eligibility
rules and jury criteria, nominations, public votes, the jury's scores and the published
results.

Phases are half-open windows ``[opens_at, closes_at)``: a phase is open from its opening
instant up to, but not including, its closing instant, so a vote cast at the closing
instant (or a millisecond after) does not count.

Votes are append-only. A voter's first vote in a category has ``sequence`` 1 and a
change adds a row with the next number; the unique constraint on (voter, category,
sequence) is what lets only one of any number of concurrent attempts through. The vote
that counts is a voter's highest sequence in the category that was cast before the
close and is not voided. Voiding is a separate row confirmed by a second staff member;
no vote row is ever updated or deleted.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_STATEMENT = 3000
MIN_SCORE = 1
MAX_SCORE = 10


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("Not started")
    NOMINATIONS = "nominations", _("Nominations")
    BEFORE_VOTING = "before_voting", _("Nominations closed")
    VOTING = "voting", _("Public voting")
    BEFORE_JURY = "before_jury", _("Voting closed")
    JURY = "jury", _("Jury")
    BEFORE_RESULTS = "before_results", _("Jury closed")
    RESULTS = "results", _("Results")


class Edition(models.Model):
    class WinnerMethod(models.TextChoices):
        JURY = "jury", _("The jury's score alone")
        COMBINED = "combined", _("Public votes and the jury's score combined")

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="award_editions",
        verbose_name=_("programme"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    description = models.TextField(_("description"), max_length=4000, blank=True)
    nominations_open_at = models.DateTimeField(_("nominations open"))
    nominations_close_at = models.DateTimeField(_("nominations close"))
    voting_open_at = models.DateTimeField(_("public voting opens"))
    voting_close_at = models.DateTimeField(_("public voting closes"))
    jury_open_at = models.DateTimeField(_("jury scoring opens"))
    jury_close_at = models.DateTimeField(_("jury scoring closes"))
    results_at = models.DateTimeField(
        _("results may be published from"),
        help_text=_("Staff publish the results at or after this time."),
    )
    public_may_nominate = models.BooleanField(
        _("anyone with an account may nominate"),
        default=False,
        help_text=_("Otherwise only the programme's participants nominate."),
    )
    votes_changeable = models.BooleanField(
        _("voters may change their vote until voting closes"), default=True
    )
    finalists_per_category = models.PositiveSmallIntegerField(
        _("finalists per category"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    winner_method = models.CharField(
        _("how the winner is chosen"),
        max_length=20,
        choices=WinnerMethod.choices,
        default=WinnerMethod.COMBINED,
    )
    public_weight_percent = models.PositiveSmallIntegerField(
        _("weight of the public vote, in per cent"),
        default=30,
        validators=[MaxValueValidator(100)],
        help_text=_("Only for a combined result; the jury has the rest."),
    )
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    results_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("results published by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("award edition")
        verbose_name_plural = _("award editions")
        ordering = ["-year", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nominations_open_at__lt=models.F("nominations_close_at"))
                & Q(nominations_close_at__lte=models.F("voting_open_at"))
                & Q(voting_open_at__lt=models.F("voting_close_at"))
                & Q(voting_close_at__lte=models.F("jury_open_at"))
                & Q(jury_open_at__lt=models.F("jury_close_at"))
                & Q(jury_close_at__lte=models.F("results_at")),
                name="award_phases_in_order",
            ),
            models.CheckConstraint(
                condition=Q(public_weight_percent__lte=100), name="award_public_weight_percent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("awards:edition", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        times = [
            ("nominations_open_at", self.nominations_open_at),
            ("nominations_close_at", self.nominations_close_at),
            ("voting_open_at", self.voting_open_at),
            ("voting_close_at", self.voting_close_at),
            ("jury_open_at", self.jury_open_at),
            ("jury_close_at", self.jury_close_at),
            ("results_at", self.results_at),
        ]
        if any(value is None for _name, value in times):
            return
        for (_before, earlier), (field, later) in zip(times, times[1:], strict=False):
            # Each phase is at least one instant long; the next may start as it closes.
            is_opening_pair = field.endswith("close_at")
            if later < earlier or (is_opening_pair and later == earlier):
                raise ValidationError(
                    {field: _("The phases must follow each other in order.")},
                    code="phase_order",
                )

    # Phases -----------------------------------------------------------------

    def phase_at(self, now: dt.datetime | None = None) -> str:
        now = now or timezone.now()
        if self.results_published_at is not None:
            return Phase.RESULTS
        for phase, closes_at in (
            (Phase.UPCOMING, self.nominations_open_at),
            (Phase.NOMINATIONS, self.nominations_close_at),
            (Phase.BEFORE_VOTING, self.voting_open_at),
            (Phase.VOTING, self.voting_close_at),
            (Phase.BEFORE_JURY, self.jury_open_at),
            (Phase.JURY, self.jury_close_at),
        ):
            if now < closes_at:
                return phase
        return Phase.BEFORE_RESULTS

    def is_nominating_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.nominations_open_at <= now < self.nominations_close_at

    def is_voting_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.voting_open_at <= now < self.voting_close_at

    def has_voting_closed(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.voting_close_at

    def is_jury_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.jury_open_at <= now < self.jury_close_at

    def has_jury_closed(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.jury_close_at

    def may_publish_results(self, now: dt.datetime | None = None) -> bool:
        return self.results_published_at is None and (now or timezone.now()) >= self.results_at

    @property
    def are_results_published(self) -> bool:
        return self.results_published_at is not None

    @property
    def jury_weight_percent(self) -> int:
        if self.winner_method == self.WinnerMethod.JURY:
            return 100
        return 100 - self.public_weight_percent


class Category(models.Model):
    class NomineeKind(models.TextChoices):
        MENTOR = "mentor", _("A mentor")
        MENTEE = "mentee", _("A mentee")
        ORGANISATION = "organisation", _("A partner organisation")
        PRACTICE = "practice", _("A published practice")

    PERSON_KINDS = (NomineeKind.MENTOR, NomineeKind.MENTEE)

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="categories", verbose_name=_("edition")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    nominee_kind = models.CharField(
        _("who may be nominated"), max_length=20, choices=NomineeKind.choices
    )
    outside_bishkek_only = models.BooleanField(
        _("only people living in Kyrgyzstan outside Bishkek"),
        default=False,
        help_text=_("For the regional categories of people."),
    )
    organisation_kind = models.CharField(
        _("only organisations of this kind"),
        max_length=20,
        choices=[
            # The kinds of community.PartnerOrganisation, kept in step by a test.
            ("government", _("Government body")),
            ("university", _("University")),
            ("company", _("Company")),
            ("ngo", _("Non-governmental organisation")),
            ("international", _("International organisation")),
        ],
        blank=True,
        help_text=_("For categories of organisations or their practices; empty means any."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("award category")
        verbose_name_plural = _("award categories")
        ordering = ["edition", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="award_category_slug"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "awards:category", kwargs={"slug": self.edition.slug, "category_slug": self.slug}
        )

    @property
    def is_for_people(self) -> bool:
        return self.nominee_kind in self.PERSON_KINDS

    def clean(self) -> None:
        super().clean()
        if self.outside_bishkek_only and not self.is_for_people:
            raise ValidationError(
                {"outside_bishkek_only": _("This rule is only for categories of people.")}
            )
        if self.organisation_kind and self.is_for_people:
            raise ValidationError(
                {"organisation_kind": _("This rule is only for organisations and practices.")}
            )


class JuryCriterion(models.Model):
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("category")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what the jury looks for"), max_length=1000, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("jury criterion")
        verbose_name_plural = _("jury criteria")
        ordering = ["category", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1), name="award_criterion_weight"),
        ]

    def __str__(self) -> str:
        return self.name


class Nomination(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not accepted")
        MERGED = "merged", _("Merged into another nomination")

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="nominations", verbose_name=_("category")
    )
    # Exactly one nominee: a person, an organisation or a practice.
    nominee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="award_nominations",
        verbose_name=_("nominated person"),
    )
    nominee_organisation = models.ForeignKey(
        "community.PartnerOrganisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="award_nominations",
        verbose_name=_("nominated organisation"),
    )
    nominee_practice = models.ForeignKey(
        "community.Practice",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="award_nominations",
        verbose_name=_("nominated practice"),
    )
    statement = models.TextField(_("why she or it deserves the award"), max_length=MAX_STATEMENT)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="award_nominations_made",
        verbose_name=_("nominated by"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    rejection_reason = models.TextField(_("reason"), max_length=1000, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_nominations",
        verbose_name=_("merged into"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # A nominated person decides whether she appears in public and what of her
    # programme record is shown; nothing is public until she has said yes.
    nominee_consented_at = models.DateTimeField(
        _("the nominee agreed to appear at"), null=True, blank=True
    )
    shows_meetings = models.BooleanField(_("show the mentoring sessions held"), default=False)
    shows_roadmap_steps = models.BooleanField(_("show the roadmap steps done"), default=False)
    shows_trainings = models.BooleanField(_("show the trainings attended"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["category", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        nominee_user__isnull=False,
                        nominee_organisation__isnull=True,
                        nominee_practice__isnull=True,
                    )
                    | Q(
                        nominee_user__isnull=True,
                        nominee_organisation__isnull=False,
                        nominee_practice__isnull=True,
                    )
                    | Q(
                        nominee_user__isnull=True,
                        nominee_organisation__isnull=True,
                        nominee_practice__isnull=False,
                    )
                ),
                name="nomination_has_one_nominee",
            ),
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False)
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="nomination_merged_has_target",
            ),
            # One approved nomination per nominee and category: duplicates are merged.
            models.UniqueConstraint(
                fields=["category", "nominee_user"],
                condition=Q(status="approved", nominee_user__isnull=False),
                name="one_approved_nomination_per_person",
            ),
            models.UniqueConstraint(
                fields=["category", "nominee_organisation"],
                condition=Q(status="approved", nominee_organisation__isnull=False),
                name="one_approved_nomination_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["category", "nominee_practice"],
                condition=Q(status="approved", nominee_practice__isnull=False),
                name="one_approved_nomination_per_practice",
            ),
            # A nominator nominates the same nominee in a category once.
            models.UniqueConstraint(
                fields=["category", "nominated_by", "nominee_user"],
                condition=Q(nominee_user__isnull=False, nominated_by__isnull=False),
                name="one_nomination_per_nominator_person",
            ),
            models.UniqueConstraint(
                fields=["category", "nominated_by", "nominee_organisation"],
                condition=Q(nominee_organisation__isnull=False, nominated_by__isnull=False),
                name="one_nomination_per_nominator_organisation",
            ),
            models.UniqueConstraint(
                fields=["category", "nominated_by", "nominee_practice"],
                condition=Q(nominee_practice__isnull=False, nominated_by__isnull=False),
                name="one_nomination_per_nominator_practice",
            ),
        ]
        indexes = [models.Index(fields=["category", "status"], name="nomination_status")]

    def __str__(self) -> str:
        return self.nominee_name

    def get_absolute_url(self) -> str:
        return reverse("awards:nomination", kwargs={"nomination_id": self.pk})

    @property
    def nominee(self):
        return self.nominee_user or self.nominee_organisation or self.nominee_practice

    @property
    def nominee_name(self) -> str:
        if self.nominee_user_id:
            return self.nominee_user.full_name
        if self.nominee_organisation_id:
            return self.nominee_organisation.name
        return self.nominee_practice.title

    @property
    def is_person(self) -> bool:
        return self.nominee_user_id is not None

    @property
    def has_nominee_consent(self) -> bool:
        """Organisations and practices are public already; a person must agree."""
        return not self.is_person or self.nominee_consented_at is not None

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED and self.has_nominee_consent


class Vote(models.Model):
    """One vote as cast. Never updated or deleted (see the module docstring)."""

    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="votes", verbose_name=_("category")
    )
    nomination = models.ForeignKey(
        Nomination, on_delete=models.PROTECT, related_name="votes", verbose_name=_("nomination")
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="award_votes",
        verbose_name=_("voter"),
    )
    # 1 for the first vote in the category, 2 for the first change, and so on.
    sequence = models.PositiveSmallIntegerField(_("number of the vote"), default=1)
    cast_at = models.DateTimeField(_("cast at"))
    receipt = models.CharField(_("receipt"), max_length=16, unique=True)
    # For the integrity review only: the /24 (IPv4) or /48 (IPv6) network the vote came
    # from, and a digest of the browser's user agent, never the full address.
    network = models.CharField(_("network"), max_length=50, blank=True)
    user_agent_digest = models.CharField(_("browser digest"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["category", "cast_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["voter", "category", "sequence"], name="one_vote_per_voter_per_category"
            ),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="vote_sequence_positive"),
        ]
        indexes = [
            models.Index(fields=["category", "nomination"], name="vote_tally"),
            models.Index(fields=["category", "cast_at"], name="vote_time"),
        ]

    def __str__(self) -> str:
        return self.receipt

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("A vote is never changed: a change is a new vote.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A vote is never deleted: it is voided by two staff members.")


class VoteVoiding(models.Model):
    """A request to void a vote; it takes effect once a second staff member confirms."""

    vote = models.OneToOneField(
        Vote, on_delete=models.PROTECT, related_name="voiding", verbose_name=_("vote")
    )
    reason = models.TextField(_("reason"), max_length=1000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("voiding of a vote")
        verbose_name_plural = _("voidings of votes")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=models.F("requested_by")),
                name="voiding_needs_two_people",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True, confirmed_at__isnull=True)
                | Q(confirmed_by__isnull=False, confirmed_at__isnull=False),
                name="voiding_confirmed_together",
            ),
        ]

    def __str__(self) -> str:
        return str(self.vote)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class JuryAssignment(models.Model):
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="jury", verbose_name=_("category")
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jury_assignments",
        verbose_name=_("jury member"),
    )
    is_chair = models.BooleanField(_("chairs the jury of this category"), default=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("jury assignment")
        verbose_name_plural = _("jury assignments")
        ordering = ["category", "-is_chair", "juror__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["category", "juror"], name="one_seat_per_juror"),
            models.UniqueConstraint(
                fields=["category"], condition=Q(is_chair=True), name="one_chair_per_category"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.juror} · {self.category}"


class ConflictOfInterest(models.Model):
    """A jury member's declared conflict: she does not score that nomination."""

    assignment = models.ForeignKey(
        JuryAssignment,
        on_delete=models.CASCADE,
        related_name="conflicts",
        verbose_name=_("jury assignment"),
    )
    nomination = models.ForeignKey(
        Nomination,
        on_delete=models.CASCADE,
        related_name="conflicts",
        verbose_name=_("nomination"),
    )
    reason = models.CharField(_("reason"), max_length=500)
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["assignment", "declared_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "nomination"], name="one_conflict_per_nomination"
            ),
        ]

    def __str__(self) -> str:
        return self.reason


class ScoreSheet(models.Model):
    """One jury member's scores for one finalist; final once submitted."""

    assignment = models.ForeignKey(
        JuryAssignment,
        on_delete=models.CASCADE,
        related_name="score_sheets",
        verbose_name=_("jury assignment"),
    )
    nomination = models.ForeignKey(
        Nomination,
        on_delete=models.CASCADE,
        related_name="score_sheets",
        verbose_name=_("nomination"),
    )
    comment = models.TextField(_("comment for the jury"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        # By ids: ordering by the related models would reach Edition by two paths.
        ordering = ["assignment_id", "nomination_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "nomination"], name="one_sheet_per_juror_and_nomination"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.nomination}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class JuryScore(models.Model):
    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.CASCADE, related_name="scores", verbose_name=_("score sheet")
    )
    criterion = models.ForeignKey(
        JuryCriterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("criterion")
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(MIN_SCORE), MaxValueValidator(MAX_SCORE)]
    )

    class Meta:
        verbose_name = _("jury score")
        verbose_name_plural = _("jury scores")
        ordering = ["sheet_id", "criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(
                condition=Q(score__gte=MIN_SCORE, score__lte=MAX_SCORE), name="jury_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class ScoreSheetReopening(models.Model):
    """The log of a chair reopening a submitted sheet."""

    sheet = models.ForeignKey(
        ScoreSheet,
        on_delete=models.CASCADE,
        related_name="reopenings",
        verbose_name=_("score sheet"),
    )
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reason = models.CharField(_("reason"), max_length=500)
    previously_submitted_at = models.DateTimeField(_("had been submitted at"))
    reopened_at = models.DateTimeField(_("reopened at"), default=timezone.now)

    class Meta:
        verbose_name = _("reopened score sheet")
        verbose_name_plural = _("reopened score sheets")
        ordering = ["-reopened_at", "-pk"]

    def __str__(self) -> str:
        return self.reason


class Result(models.Model):
    """The published standing of one nomination, written once when staff publish."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="results", verbose_name=_("category")
    )
    nomination = models.OneToOneField(
        Nomination, on_delete=models.CASCADE, related_name="result", verbose_name=_("nomination")
    )
    votes = models.PositiveIntegerField(_("public votes"))
    is_finalist = models.BooleanField(_("finalist"), default=False)
    jury_score = models.DecimalField(
        _("jury score (0-100)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    jury_sheets = models.PositiveSmallIntegerField(_("jury score sheets"), default=0)
    final_score = models.DecimalField(
        _("final score (0-100)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    is_winner = models.BooleanField(_("winner"), default=False)
    certificate_code = models.CharField(
        _("certificate code"), max_length=40, blank=True, db_index=True
    )

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["category", "rank", "-votes", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["category"], condition=Q(is_winner=True), name="one_winner_per_category"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.nomination}"
