"""Reads about matching, each scoped to its viewer: staff read a cohort they run (the
accessor in ``permissions`` has checked), a mentor reads proposals made to her, a mentee
reads her own state. Every list is a bounded number of queries."""

from __future__ import annotations

import dataclasses
from collections import Counter

from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from stem4all.accounts.geography import HOME_COUNTRY, Region
from stem4all.accounts.models import LanguageSkill, MentorProfile, User
from stem4all.mentorships.models import Mentorship
from stem4all.programmes.models import Cohort, Participation

from .models import MatchingRun, MentorChoice, PairRule, Proposal, UnmatchedMentee

# Proposals that are a run's answer (not taken out of it by staff or by publishing).
NOT_IN_RESULT = (Proposal.Status.WITHDRAWN, Proposal.Status.SUPERSEDED)


def runs_of_cohort(cohort: Cohort) -> QuerySet[MatchingRun]:
    return (
        MatchingRun.objects.filter(cohort=cohort)
        .select_related("created_by")
        .annotate(
            pairs=Count("proposals", filter=~Q(proposals__status__in=NOT_IN_RESULT), distinct=True),
            unmatched_count=Count("unmatched", distinct=True),
        )
        .order_by("-created_at", "-pk")
    )


def run_proposals(run: MatchingRun) -> QuerySet[Proposal]:
    return (
        run.proposals.select_related("mentee", "mentor")
        .annotate(
            has_forbid_rule=Exists(
                PairRule.objects.filter(
                    cohort_id=run.cohort_id,
                    mentee_id=OuterRef("mentee_id"),
                    mentor_id=OuterRef("mentor_id"),
                    kind=PairRule.Kind.FORBID,
                )
            )
        )
        .order_by("mentee__full_name", "pk")
    )


def run_unmatched(run: MatchingRun) -> QuerySet[UnmatchedMentee]:
    return run.unmatched.select_related("mentee").order_by("mentee__full_name", "pk")


def cohort_pair_rules(cohort: Cohort) -> QuerySet[PairRule]:
    return (
        PairRule.objects.filter(cohort=cohort)
        .select_related("mentee", "mentor", "created_by")
        .order_by("kind", "mentee__full_name", "pk")
    )


@dataclasses.dataclass
class RunFigures:
    mentees: int
    left_out: int
    matched: int
    from_regions: int
    from_regions_matched: int
    international: int
    locked: int
    average_score: float | None
    mentors: int
    free_places: int
    load: list[tuple[int, int]]  # (mentees given, how many mentors), by mentees given

    @staticmethod
    def percent(part: int, whole: int) -> int | None:
        return round(100 * part / whole) if whole else None

    @property
    def matched_percent(self):
        return self.percent(self.matched, self.mentees)

    @property
    def regional_share_percent(self):
        """Of the matched mentees, the share from the regions."""
        return self.percent(self.from_regions_matched, self.matched)

    @property
    def regional_matched_percent(self):
        """Of the mentees from the regions, the share matched."""
        return self.percent(self.from_regions_matched, self.from_regions)

    @property
    def international_percent(self):
        return self.percent(self.international, self.matched)


def run_figures(run: MatchingRun) -> RunFigures:
    """The run's figures as its proposals stand now (after staff's swaps and forbids)."""
    pairs = run.proposals.exclude(status__in=NOT_IN_RESULT)
    from_regions = Q(mentee__country=HOME_COUNTRY) & ~Q(mentee__region=Region.BISHKEK)
    totals = pairs.aggregate(
        matched=Count("pk"),
        from_regions=Count("pk", filter=from_regions),
        international=Count("pk", filter=~Q(mentor__country=HOME_COUNTRY)),
        locked=Count("pk", filter=Q(is_locked=True)),
        average=Avg("score"),
    )
    per_mentor = Counter(
        pairs.values("mentor_id").annotate(n=Count("pk")).values_list("n", flat=True)
    )
    summary = run.summary or {}
    mentors = int(summary.get("mentors", 0))
    idle = max(mentors - sum(per_mentor.values()), 0)
    load = sorted(({0: idle} | dict(per_mentor)).items()) if mentors else []
    return RunFigures(
        mentees=int(summary.get("mentees", 0)),
        left_out=int(summary.get("mentees_left_out", 0)),
        matched=totals["matched"],
        from_regions=int(summary.get("mentees_from_regions", 0)),
        from_regions_matched=totals["from_regions"],
        international=totals["international"],
        locked=totals["locked"],
        average_score=totals["average"],
        mentors=mentors,
        free_places=int(summary.get("free_places", 0)),
        load=[(given, count) for given, count in load if count],
    )


def proposal_counts(cohort: Cohort) -> dict[str, int]:
    """Published proposals of the cohort by status (drafts are staff's business)."""
    rows = (
        Proposal.objects.filter(cohort=cohort)
        .exclude(status=Proposal.Status.DRAFT)
        .values("status")
        .annotate(n=Count("pk"))
    )
    counts = {row["status"]: row["n"] for row in rows}
    return {status: counts.get(status, 0) for status in Proposal.Status.values[1:]}


def mentees_without_mentor(cohort: Cohort) -> QuerySet[Participation]:
    """Accepted mentees with no open mentorship and no pending proposal, with the reason
    the last run or re-match gave, and whether a mentorship of hers ended early."""
    open_mentorship = Mentorship.objects.filter(
        cohort=cohort, mentee_id=OuterRef("user_id"), status__in=Mentorship.OPEN_STATUSES
    )
    pending = Proposal.objects.filter(
        cohort=cohort, mentee_id=OuterRef("user_id"), status__in=Proposal.OUTSTANDING
    )
    last_unmatched = UnmatchedMentee.objects.filter(
        cohort=cohort, mentee_id=OuterRef("user_id")
    ).order_by("-created_at", "-pk")
    ended_early = Mentorship.objects.filter(
        cohort=cohort, mentee_id=OuterRef("user_id"), status=Mentorship.Status.ENDED_EARLY
    )
    return (
        Participation.objects.filter(
            cohort=cohort, role=Participation.Role.MENTEE, status=Participation.Status.ACCEPTED
        )
        .exclude(Exists(open_mentorship))
        .exclude(Exists(pending))
        .select_related("user")
        .annotate(
            last_reason=Subquery(last_unmatched.values("reason")[:1]),
            last_eligible=Subquery(last_unmatched.values("eligible_mentors")[:1]),
            had_mentorship_ended_early=Exists(ended_early),
        )
        .order_by("user__full_name", "pk")
    )


def pending_proposals(cohort: Cohort) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(cohort=cohort, status=Proposal.Status.PROPOSED)
        .select_related("mentee", "mentor")
        .order_by("respond_by", "pk")
    )


# ----------------------------------------------------------------------------- mentors

MENTEE_CARD_LANGUAGES = Prefetch(
    "mentee__languages", queryset=LanguageSkill.objects.order_by("language")
)


def proposals_for_mentor(user: User) -> QuerySet[Proposal]:
    """Proposals made to her, waiting for her answer first. Only what she needs to judge
    the pair is loaded: the mentee's profile and languages, nothing private."""
    if not user.is_authenticated:
        return Proposal.objects.none()
    return (
        Proposal.objects.filter(mentor=user)
        .exclude(status__in=[Proposal.Status.DRAFT, Proposal.Status.SUPERSEDED])
        .select_related("cohort", "mentee__mentee_profile")
        .prefetch_related(MENTEE_CARD_LANGUAGES)
        .order_by("-respond_by", "-pk")
    )


def waiting_proposals_for_mentor(user: User) -> QuerySet[Proposal]:
    return proposals_for_mentor(user).filter(status=Proposal.Status.PROPOSED)


def waiting_proposals_for_dashboard(user: User) -> QuerySet[Proposal]:
    if not user.is_authenticated:
        return Proposal.objects.none()
    return (
        Proposal.objects.filter(mentor=user, status=Proposal.Status.PROPOSED)
        .select_related("mentee", "cohort")
        .order_by("respond_by", "pk")
    )


def mentorships_as_mentor(user: User) -> QuerySet[Mentorship]:
    if not user.is_authenticated:
        return Mentorship.objects.none()
    return (
        Mentorship.objects.filter(mentor=user, status__in=Mentorship.OPEN_STATUSES)
        .select_related("mentee", "cohort")
        .order_by("cohort__name", "mentee__full_name")
    )


# ----------------------------------------------------------------------------- mentees


@dataclasses.dataclass
class MenteeMatchStatus:
    cohort: Cohort
    state: str  # "matched" | "waiting" | "looking"
    mentorship: Mentorship | None = None

    MATCHED = "matched"
    WAITING = "waiting"
    LOOKING = "looking"


def match_status_of_mentee(user: User) -> list[MenteeMatchStatus]:
    """Per cohort she is an accepted mentee of: her mentor (once accepted), or that a
    proposal is waiting for a mentor's answer, or that we are still looking. Nothing
    about a pending proposal's mentor."""
    if not user.is_authenticated:
        return []
    participations = (
        Participation.objects.filter(
            user=user, role=Participation.Role.MENTEE, status=Participation.Status.ACCEPTED
        )
        .select_related("cohort")
        .order_by("-cohort__starts_on", "cohort_id")
    )
    cohorts = [participation.cohort for participation in participations]
    if not cohorts:
        return []
    mentorships = {
        mentorship.cohort_id: mentorship
        for mentorship in Mentorship.objects.filter(
            mentee=user, cohort__in=cohorts, status__in=Mentorship.OPEN_STATUSES
        ).select_related("mentor__mentor_profile")
    }
    waiting = set(
        Proposal.objects.filter(
            mentee=user, cohort__in=cohorts, status__in=Proposal.OUTSTANDING
        ).values_list("cohort_id", flat=True)
    )
    statuses = []
    for cohort in cohorts:
        if cohort.pk in mentorships:
            statuses.append(
                MenteeMatchStatus(cohort, MenteeMatchStatus.MATCHED, mentorships[cohort.pk])
            )
        elif cohort.pk in waiting:
            statuses.append(MenteeMatchStatus(cohort, MenteeMatchStatus.WAITING))
        else:
            statuses.append(MenteeMatchStatus(cohort, MenteeMatchStatus.LOOKING))
    return statuses


# ----------------------------------------------------------------- mentee chooses


@dataclasses.dataclass
class MentorOption:
    """A mentor a mentee may choose, with why she fits her (the engine's factors)."""

    user: User
    score: float
    factors: list  # serialised engine factors, for the `reasons` filter
    free_places: int
    my_rank: int | None


def my_mentor_choices(cohort: Cohort, mentee: User) -> QuerySet[MentorChoice]:
    return (
        MentorChoice.objects.filter(cohort=cohort, mentee=mentee)
        .select_related("mentor__mentor_profile")
        .order_by("rank")
    )


def mentor_options(
    cohort: Cohort,
    mentee: User,
    *,
    field: str = "",
    language: str = "",
    region: str = "",
    mentor_type: str = "",
) -> list[MentorOption]:
    """Mentors of the cohort she could be matched with, best fit first.

    A mentor is shown only while she has a free place that other mentees' first
    choices have not already claimed, so popular mentors are not swamped; the mentors
    the mentee has already ranked stay visible to her. Pairs that break a hard rule
    (no shared working language, a minor and a mentor not cleared for minors) are never
    shown."""
    from .services import (
        _latest_options,
        engine_config,
        engine_mentee,
        engine_mentor,
        explain,
        serialise_factors,
        used_places,
    )

    rows = (
        Participation.objects.filter(
            cohort=cohort,
            role=Participation.Role.MENTOR,
            status=Participation.Status.ACCEPTED,
            user__is_active=True,
            user__mentor_profile__screening_status=MentorProfile.ScreeningStatus.CLEARED,
        )
        .exclude(user=mentee)
        .select_related("user__mentor_profile")
        .prefetch_related("user__languages")
        .order_by("user_id")
    )
    if field:
        rows = [p for p in rows if field in p.user.mentor_profile.stem_fields]
    mentors = {participation.user_id: participation.user for participation in rows}
    used = used_places(mentors)
    mine = dict(
        MentorChoice.objects.filter(cohort=cohort, mentee=mentee).values_list("mentor_id", "rank")
    )
    claimed = dict(
        MentorChoice.objects.filter(cohort=cohort, rank=1, mentor_id__in=mentors)
        .exclude(mentee=mentee)
        .values("mentor_id")
        .annotate(n=Count("id"))
        .values_list("mentor_id", "n")
    )
    options = _latest_options(cohort)
    config = engine_config(mode=MatchingRun.Mode.OPTIMAL, options=options)
    her = engine_mentee(mentee)
    found = []
    for user in mentors.values():
        free = user.mentor_profile.capacity - used[user.pk]
        if user.pk not in mine and (free <= 0 or claimed.get(user.pk, 0) >= free):
            continue
        if language and not any(s.language == language for s in user.languages.all()):
            continue
        if region and user.region != region:
            continue
        if mentor_type == "regional" and not user.is_regional:
            continue
        if mentor_type == "international" and user.is_regional:
            continue
        verdict = explain(her, engine_mentor(user, free_places=max(free, 1)), config)
        if verdict is None:
            continue
        score, factors = verdict
        found.append(
            MentorOption(user, score, serialise_factors(factors), max(free, 0), mine.get(user.pk))
        )
    found.sort(key=lambda option: (-option.score, option.user.full_name, option.user.pk))
    return found
