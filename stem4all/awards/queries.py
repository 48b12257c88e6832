"""Reads for the award, scoped to the viewer where it matters. The tally lives here:
``standing_votes`` is the one definition of which votes count."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict, deque
from decimal import Decimal
from fractions import Fraction
from statistics import median

from allauth.account.models import EmailAddress
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    TextChoices,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stem4all.accounts.geography import HOME_COUNTRY, Region
from stem4all.accounts.models import ADULT_AGE, GuardianConsent, User, years_before
from stem4all.community.models import PartnerOrganisation, Practice
from stem4all.learning.models import Registration
from stem4all.meetings.models import Meeting
from stem4all.mentorships.models import Mentorship
from stem4all.programmes.models import Participation
from stem4all.roadmaps.models import RoadmapStep

from .models import (
    Category,
    ConflictOfInterest,
    Edition,
    JuryAssignment,
    JuryCriterion,
    JuryScore,
    Nomination,
    Result,
    ScoreSheet,
    Vote,
    VoteVoiding,
)


def verified_addresses(user: User) -> QuerySet[EmailAddress]:
    """Her confirmed sign-in address: voting and public nominating need one."""
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True)


def has_verified_email(user: User) -> bool:
    return verified_addresses(user).exists()


def visible_editions() -> QuerySet[Edition]:
    return Edition.objects.select_related("programme").order_by("-year", "-pk")


def standing_votes(categories) -> QuerySet[Vote]:
    """The votes that count in ``categories`` (a queryset or a list of categories):
    each voter's latest vote in a category cast inside the voting window, unless a
    voiding of it was confirmed. A voter whose latest vote was voided has none."""
    later = Vote.objects.filter(
        voter=OuterRef("voter"),
        category=OuterRef("category"),
        sequence__gt=OuterRef("sequence"),
        cast_at__lt=OuterRef("category__edition__voting_close_at"),
    )
    return (
        Vote.objects.filter(
            category__in=categories,
            cast_at__gte=F("category__edition__voting_open_at"),
            cast_at__lt=F("category__edition__voting_close_at"),
        )
        .filter(Q(voiding__isnull=True) | Q(voiding__confirmed_at__isnull=True))
        .exclude(Exists(later))
    )


def tally(categories) -> dict[int, int]:
    """Standing votes per nomination id, in one query."""
    rows = standing_votes(categories).values("nomination").annotate(votes=Count("id"))
    return {row["nomination"]: row["votes"] for row in rows}


def public_nominations(category) -> QuerySet[Nomination]:
    """The nominations open for votes in ``category``: approved, and a person only once
    she has agreed to appear."""
    return (
        Nomination.objects.filter(category=category, status=Nomination.Status.APPROVED)
        .filter(Q(nominee_user__isnull=True) | Q(nominee_consented_at__isnull=False))
        .select_related("nominee_user", "nominee_organisation", "nominee_practice")
    )


def finalists(category, votes: dict[int, int] | None = None) -> list[Nomination]:
    """The top ``finalists_per_category`` public nominations by standing votes, most
    votes first. Nominations tied with the last place are all finalists, so a tie is
    never broken by chance; among equals the earlier nomination comes first. Empty
    until public voting has closed."""
    edition = category.edition
    if not edition.has_voting_closed():
        return []
    votes = tally([category]) if votes is None else votes
    ranked = sorted(
        public_nominations(category),
        key=lambda n: (-votes.get(n.pk, 0), n.created_at, n.pk),
    )
    cut = edition.finalists_per_category
    if len(ranked) <= cut:
        return ranked
    last = votes.get(ranked[cut - 1].pk, 0)
    return [n for i, n in enumerate(ranked) if i < cut or votes.get(n.pk, 0) == last]


# The programme evidence a nominated person may choose to show, drawn from the platform.
EVIDENCE_PRACTICES_SHOWN = 20


def _may_be_contacted(path: str = "") -> Q:
    """``can_be_matched_or_contacted`` as a condition on a user, or on the user at
    ``path`` (``"nominee_user"``): active, a known date of birth, and an adult or a
    minor with a guardian's current consent. Joined, not a subquery over all users."""
    prefix = f"{path}__" if path else ""
    consent = GuardianConsent.objects.filter(mentee=OuterRef(path or "pk"), revoked_at__isnull=True)
    adult = Q(**{f"{prefix}date_of_birth__lte": years_before(timezone.localdate(), ADULT_AGE)})
    known = Q(**{f"{prefix}is_active": True, f"{prefix}date_of_birth__isnull": False})
    return known & (adult | Exists(consent))


def contactable_people(users: QuerySet[User]) -> QuerySet[User]:
    return users.filter(_may_be_contacted())


def eligible_people(category: Category) -> QuerySet[User]:
    """Accepted participants of the edition's programme in the category's role (a
    mentor or a mentee); for a regional category only those living outside Bishkek
    (``User.lives_outside_bishkek``)."""
    taking_part = Participation.objects.filter(
        user=OuterRef("pk"),
        role=category.nominee_kind,
        status=Participation.Status.ACCEPTED,
        cohort__programme_id=category.edition.programme_id,
    )
    people = User.objects.filter(Exists(taking_part))
    if category.outside_bishkek_only:
        people = people.filter(country=HOME_COUNTRY).exclude(region=Region.BISHKEK)
    return people


def eligible_organisations(category: Category) -> QuerySet[PartnerOrganisation]:
    organisations = PartnerOrganisation.objects.filter(
        programme_id=category.edition.programme_id, status=PartnerOrganisation.Status.APPROVED
    )
    if category.organisation_kind:
        organisations = organisations.filter(kind=category.organisation_kind)
    return organisations


def eligible_practices(category: Category) -> QuerySet[Practice]:
    """Published practices (``Practice.is_public``) of the programme's organisations."""
    practices = Practice.objects.filter(
        status=Practice.Status.APPROVED,
        organisation__status=PartnerOrganisation.Status.APPROVED,
        organisation__programme_id=category.edition.programme_id,
    )
    if category.organisation_kind:
        practices = practices.filter(organisation__kind=category.organisation_kind)
    return practices


def eligible_nominees(category: Category) -> QuerySet:
    """Who or what may be nominated in ``category``: people, organisations or practices."""
    kind = category.nominee_kind
    if kind in Category.PERSON_KINDS:
        return eligible_people(category)
    if kind == Category.NomineeKind.ORGANISATION:
        return eligible_organisations(category)
    return eligible_practices(category)


def offered_nominees(category: Category, nominator: User) -> QuerySet:
    """The select of the nominate form: the eligible, never the nominator herself, and
    of people no one known to be a minor without a guardian's consent. Someone whose
    age is not on record may be nominated; she adds it before she can agree to appear."""
    nominees = eligible_nominees(category)
    if category.is_for_people:
        people = nominees.exclude(pk=nominator.pk).filter(is_active=True)
        known_minors = people.filter(date_of_birth__isnull=False).exclude(
            pk__in=contactable_people(people).values("pk")
        )
        return people.exclude(pk__in=known_minors.values("pk")).order_by("full_name", "pk")
    if category.nominee_kind == Category.NomineeKind.ORGANISATION:
        return nominees.order_by("name", "pk")
    return nominees.select_related("organisation").order_by("title", "pk")


def _nomination_details(nominations: QuerySet[Nomination]) -> QuerySet[Nomination]:
    return nominations.select_related(
        "category__edition",
        "nominee_user",
        "nominee_organisation",
        "nominee_practice__organisation",
        "nominated_by",
        "merged_into",
    )


def statements_of(nomination: Nomination) -> list[str]:
    """Its own statement, then those of the nominations merged into it, oldest first."""
    merged = nomination.merged_nominations.filter(status=Nomination.Status.MERGED).order_by(
        "created_at", "pk"
    )
    return [nomination.statement, *merged.values_list("statement", flat=True)]


def evidence_of(nomination: Nomination) -> dict:
    """What the nomination page shows from the platform, counted in the database: for
    a person only what she chose to show (mentoring sessions held, roadmap steps done,
    trainings attended in the edition's programme); for an organisation its published
    practices; for a practice its results. Never dates of birth or contacts."""
    programme_id = nomination.category.edition.programme_id
    evidence: dict = {}
    if nomination.nominee_user_id:
        mentorships = Mentorship.objects.filter(
            Q(mentee_id=nomination.nominee_user_id) | Q(mentor_id=nomination.nominee_user_id),
            cohort__programme_id=programme_id,
        )
        if nomination.shows_meetings:
            evidence["meetings_held"] = Meeting.objects.filter(
                mentorship__in=mentorships, outcome=Meeting.Outcome.HAPPENED
            ).count()
        if nomination.shows_roadmap_steps:
            evidence["roadmap_steps_done"] = RoadmapStep.objects.filter(
                roadmap__mentorship__in=mentorships, status=RoadmapStep.Status.DONE
            ).count()
        if nomination.shows_trainings:
            evidence["trainings_attended"] = (
                Registration.objects.filter(
                    user_id=nomination.nominee_user_id,
                    attended=True,
                    training__programme_id=programme_id,
                )
                .values("training")
                .distinct()
                .count()
            )
    elif nomination.nominee_organisation_id:
        practices = Practice.objects.filter(
            organisation_id=nomination.nominee_organisation_id,
            status=Practice.Status.APPROVED,
            organisation__status=PartnerOrganisation.Status.APPROVED,
        ).order_by("-published_at", "-pk")
        evidence["practices"] = list(practices[:EVIDENCE_PRACTICES_SHOWN])
    else:
        practice = nomination.nominee_practice
        evidence["practice"] = practice
        evidence["results"] = list(practice.results.all())
    return evidence


def nominations_for_review(edition: Edition, status: str = "") -> QuerySet[Nomination]:
    nominations = Nomination.objects.filter(category__edition=edition)
    if status:
        nominations = nominations.filter(status=status)
    return _nomination_details(nominations).order_by(
        "category__position", "category_id", "created_at", "pk"
    )


def nominations_made_by(user: User) -> QuerySet[Nomination]:
    return _nomination_details(Nomination.objects.filter(nominated_by=user)).order_by(
        "-created_at", "-pk"
    )


def nominations_of(user: User) -> QuerySet[Nomination]:
    return _nomination_details(Nomination.objects.filter(nominee_user=user)).order_by(
        "-created_at", "-pk"
    )


def merge_targets(nomination: Nomination) -> QuerySet[Nomination]:
    """The other open nominations of the same nominee in the same category."""
    same = Nomination.objects.filter(
        category_id=nomination.category_id,
        nominee_user_id=nomination.nominee_user_id,
        nominee_organisation_id=nomination.nominee_organisation_id,
        nominee_practice_id=nomination.nominee_practice_id,
        status__in=[Nomination.Status.PENDING, Nomination.Status.APPROVED],
    )
    return same.exclude(pk=nomination.pk).order_by("status", "created_at", "pk")


class VoteStanding(TextChoices):
    """Whether a vote counts, as its receipt lookup and the voter's own list say."""

    STANDING = "standing", _("Counts")
    REPLACED = "replaced", _("Replaced by a later vote")
    VOIDED = "voided", _("Voided by the programme staff")
    OUTSIDE = "outside", _("Cast outside the voting window")


def shown_in_public(nominations: QuerySet[Nomination]) -> QuerySet[Nomination]:
    """Of public nominations, those whose nominee may appear in public: an organisation
    or a practice, or an active adult, or a minor with a guardian's current consent
    (``can_be_matched_or_contacted`` as a filter; an unknown age is not an adult)."""
    return nominations.filter(Q(nominee_user__isnull=True) | _may_be_contacted("nominee_user"))


def votable_nominations(category) -> QuerySet[Nomination]:
    """What the category page lists and the vote view accepts, oldest first."""
    return shown_in_public(public_nominations(category)).order_by("created_at", "pk")


def standing_vote_of(voter, category) -> Vote | None:
    if not voter.is_authenticated:
        return None
    return standing_votes([category]).filter(voter=voter).select_related("nomination").first()


def standing_of(vote: Vote, *, standing_ids: set[int]) -> str:
    """The status of ``vote`` given the ids of the standing votes among its category's
    (from ``standing_votes``, the one definition): the reason a vote does not count."""
    if vote.pk in standing_ids:
        return VoteStanding.STANDING
    voiding = getattr(vote, "voiding", None)
    if voiding is not None and voiding.is_confirmed:
        return VoteStanding.VOIDED
    edition = vote.category.edition
    if not edition.voting_open_at <= vote.cast_at < edition.voting_close_at:
        return VoteStanding.OUTSIDE
    return VoteStanding.REPLACED


def _with_details(votes: QuerySet[Vote]) -> QuerySet[Vote]:
    return votes.select_related(
        "category__edition",
        "nomination__nominee_user",
        "nomination__nominee_organisation",
        "nomination__nominee_practice",
        "voiding",
    )


def votes_of(voter) -> list[Vote]:
    """All of ``voter``'s votes, each with ``standing`` set, per edition (newest
    first) and category, the latest vote first; two queries."""
    votes = list(
        _with_details(Vote.objects.filter(voter=voter)).order_by(
            "-category__edition__year",
            "-category__edition_id",
            "category__position",
            "category_id",
            "-sequence",
        )
    )
    categories = {vote.category_id for vote in votes}
    standing_ids = (
        set(standing_votes(list(categories)).filter(voter=voter).values_list("pk", flat=True))
        if categories
        else set()
    )
    for vote in votes:
        vote.standing = standing_of(vote, standing_ids=standing_ids)
    return votes


def vote_by_receipt(receipt: str) -> Vote | None:
    """The vote with this (normalised) receipt, with ``standing`` set; None if unknown."""
    vote = _with_details(Vote.objects.filter(receipt=receipt)).first()
    if vote is None:
        return None
    standing_ids = set(
        standing_votes([vote.category_id]).filter(pk=vote.pk).values_list("pk", flat=True)
    )
    vote.standing = standing_of(vote, standing_ids=standing_ids)
    return vote


# Integrity review ------------------------------------------------------------------
#
# Each signal alone has an innocent explanation (a school behind one address, a class
# on one browser model, a new account that votes at once, a nominee shared on social
# media); a vote is flagged only when it shows at least two. The thresholds below were
# tuned on test_integrity.py: a bot cluster (60 accounts made seconds before voting,
# one /24, one browser, one minute) is flagged entirely, and 300+ organic voters with
# schools of 20-30 people sharing a network and a browser stay under 5% flagged.

# (a) A school class shares one address: 20-30 voters on one /24 are normal, so the
# crowd signal starts above a large school's turnout.
NETWORK_CROWD_VOTERS = 40
# (b) Voting needs a verified e-mail: a person opens her mailbox, follows the link and
# finds the nominee, which takes minutes; a script takes seconds.
FAST_SIGNUP_SECONDS = 180
# (c) One browser build shared by this many voters of one network (a computer lab
# or a script with a fixed user agent). Alone it is a school's lab.
SHARED_BROWSER_VOTERS = 10
# (d) This many votes from one network, or for one nominee, inside the window. Organic
# votes arrive over days; a script or a "vote now" message sends them in minutes.
BURST_WINDOW = dt.timedelta(minutes=5)
BURST_VOTES = 15
FLAG_AT_SIGNALS = 2
# Networks with fewer voters are households: not listed as clusters unless flagged.
CLUSTER_MIN_VOTERS = 5


class Signal:
    NETWORK_CROWD = "network_crowd"
    FAST_SIGNUP = "fast_signup"
    SHARED_BROWSER = "shared_browser"
    BURST = "burst"

    LABELS = {
        NETWORK_CROWD: _("many voters from one network"),
        FAST_SIGNUP: _("voted seconds after signing up"),
        SHARED_BROWSER: _("same browser as many others on the network"),
        BURST: _("part of a burst of votes"),
    }


@dataclasses.dataclass
class VoteCheck:
    id: int
    receipt: str
    voter_id: int
    category_id: int
    category: str
    nomination_id: int
    nominee: str
    network: str
    cast_at: dt.datetime
    signup_seconds: int
    signals: list[str] = dataclasses.field(default_factory=list)
    voiding: VoteVoiding | None = None

    @property
    def is_flagged(self) -> bool:
        return len(self.signals) >= FLAG_AT_SIGNALS

    @property
    def signal_labels(self) -> list[str]:
        return [str(Signal.LABELS[s]) for s in self.signals]

    @property
    def formatted_receipt(self) -> str:
        return "-".join(self.receipt[i : i + 4] for i in range(0, len(self.receipt), 4))


@dataclasses.dataclass
class Cluster:
    network: str
    voters: int
    votes: int
    median_signup_seconds: int | None
    shared_browser_share: float
    burst: int
    flagged: int = 0


@dataclasses.dataclass
class AnomalyReport:
    votes: list[VoteCheck]
    clusters: list[Cluster]

    @property
    def flagged(self) -> list[VoteCheck]:
        return [v for v in self.votes if v.is_flagged]


def _max_in_window(times: list[dt.datetime]) -> tuple[int, list[int]]:
    """For sorted ``times``: the largest count inside any BURST_WINDOW, and for each
    time the largest count of such a window that contains it. Linear: the window
    ending at j starts at start[j] (two pointers); i lies in the windows ending at
    j = i .. last[i], whose counts a sliding maximum (a deque) reads."""
    n = len(times)
    start = [0] * n
    s = 0
    for j, moment in enumerate(times):
        while moment - times[s] > BURST_WINDOW:
            s += 1
        start[j] = s
    counts = [j - start[j] + 1 for j in range(n)]
    best_for = [0] * n
    window: deque[int] = deque()
    j = 0
    for i in range(n):
        while j < n and start[j] <= i:
            while window and counts[window[-1]] <= counts[j]:
                window.pop()
            window.append(j)
            j += 1
        while window and window[0] < i:
            window.popleft()
        best_for[i] = counts[window[0]] if window else 1
    return (max(counts) if counts else 0), best_for


def anomaly_report(edition: Edition) -> AnomalyReport:
    """Every vote row of ``edition`` with its signals, and the networks as clusters.
    Counts per network and per browser are aggregated in the database; the sliding
    windows of the bursts and the medians are computed over the fetched rows."""
    rows = Vote.objects.filter(category__edition=edition)
    voters_per_network = dict(
        rows.exclude(network="")
        .values("network")
        .annotate(n=Count("voter", distinct=True))
        .values_list("network", "n")
    )
    votes_per_network = dict(
        rows.exclude(network="")
        .values("network")
        .annotate(n=Count("id"))
        .values_list("network", "n")
    )
    browser_voters = {
        (network, digest): n
        for network, digest, n in rows.exclude(network="")
        .exclude(user_agent_digest="")
        .values("network", "user_agent_digest")
        .annotate(n=Count("voter", distinct=True))
        .values_list("network", "user_agent_digest", "n")
    }
    top_browser: dict[str, int] = defaultdict(int)
    for (network, _digest), n in browser_voters.items():
        top_browser[network] = max(top_browser[network], n)
    fetched = (
        rows.annotate(
            signup=ExpressionWrapper(
                F("cast_at") - F("voter__date_joined"), output_field=DurationField()
            )
        )
        .select_related("category", "nomination__nominee_user")
        .select_related("nomination__nominee_organisation", "nomination__nominee_practice")
        .select_related("voiding")
        .order_by("cast_at", "pk")
    )
    checks: list[VoteCheck] = []
    digests: list[str] = []
    for vote in fetched:
        checks.append(
            VoteCheck(
                id=vote.pk,
                receipt=vote.receipt,
                voter_id=vote.voter_id,
                category_id=vote.category_id,
                category=vote.category.name,
                nomination_id=vote.nomination_id,
                nominee=vote.nomination.nominee_name,
                network=vote.network,
                cast_at=vote.cast_at,
                signup_seconds=int(vote.signup.total_seconds()),
                voiding=getattr(vote, "voiding", None),
            )
        )
        digests.append(vote.user_agent_digest)
    by_network: dict[str, list[int]] = defaultdict(list)
    # A burst is counted within a category: one person voting in every category at
    # once is not a burst.
    by_network_category: dict[tuple, list[int]] = defaultdict(list)
    by_nomination: dict[int, list[int]] = defaultdict(list)
    for i, check in enumerate(checks):
        if check.network:
            by_network[check.network].append(i)
            by_network_category[(check.network, check.category_id)].append(i)
        by_nomination[check.nomination_id].append(i)
    in_burst = [False] * len(checks)
    network_burst: dict[str, int] = defaultdict(int)
    for groups in (by_network_category, by_nomination):
        for key, indexes in groups.items():
            best, best_for = _max_in_window([checks[i].cast_at for i in indexes])
            if groups is by_network_category:
                network_burst[key[0]] = max(network_burst[key[0]], best)
            for i, count in zip(indexes, best_for, strict=True):
                if count >= BURST_VOTES:
                    in_burst[i] = True
    for i, check in enumerate(checks):
        if check.network and voters_per_network.get(check.network, 0) >= NETWORK_CROWD_VOTERS:
            check.signals.append(Signal.NETWORK_CROWD)
        if 0 <= check.signup_seconds < FAST_SIGNUP_SECONDS:
            check.signals.append(Signal.FAST_SIGNUP)
        if (
            check.network
            and digests[i]
            and browser_voters.get((check.network, digests[i]), 0) >= SHARED_BROWSER_VOTERS
        ):
            check.signals.append(Signal.SHARED_BROWSER)
        if in_burst[i]:
            check.signals.append(Signal.BURST)
    clusters = []
    for network, indexes in by_network.items():
        flagged = sum(1 for i in indexes if checks[i].is_flagged)
        voters = voters_per_network.get(network, 0)
        if voters < CLUSTER_MIN_VOTERS and not flagged:
            continue
        clusters.append(
            Cluster(
                network=network,
                voters=voters,
                votes=votes_per_network.get(network, 0),
                median_signup_seconds=int(median(checks[i].signup_seconds for i in indexes)),
                shared_browser_share=round(top_browser.get(network, 0) / voters, 2)
                if voters
                else 0,
                burst=network_burst.get(network, 0),
                flagged=flagged,
            )
        )
    clusters.sort(key=lambda c: (-c.flagged, -c.voters, c.network))
    return AnomalyReport(votes=checks, clusters=clusters)


def voidings_of(edition: Edition) -> QuerySet[VoteVoiding]:
    """The audit record: every voiding requested in the edition, newest first."""
    return (
        VoteVoiding.objects.filter(vote__category__edition=edition)
        .select_related("vote__category", "requested_by", "confirmed_by")
        .order_by("-requested_at", "-pk")
    )


# Jury ------------------------------------------------------------------------------


def jury_candidates(edition: Edition) -> QuerySet[User]:
    """Accounts with an accepted jury participation in a cohort of the programme."""
    ids = Participation.objects.filter(
        role=Participation.Role.JURY,
        status=Participation.Status.ACCEPTED,
        cohort__programme_id=edition.programme_id,
    ).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "pk")


def award_staff(edition: Edition) -> QuerySet[User]:
    ids = Participation.objects.filter(
        role=Participation.Role.STAFF,
        status=Participation.Status.ACCEPTED,
        cohort__programme_id=edition.programme_id,
    ).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("pk")


def conflicted_nomination_ids(assignment: JuryAssignment, nominations=None) -> set[int]:
    """The nominations of her category she may not score: those she declared, her
    own, and those of a person she mentors or who mentors her (any mentorship status)."""
    juror_id = assignment.juror_id
    if nominations is None:
        nominations = Nomination.objects.filter(category_id=assignment.category_id)
    else:
        nominations = Nomination.objects.filter(pk__in=[n.pk for n in nominations])
    related = Mentorship.objects.filter(
        Q(mentor_id=juror_id, mentee_id=OuterRef("nominee_user_id"))
        | Q(mentee_id=juror_id, mentor_id=OuterRef("nominee_user_id"))
    )
    declared = ConflictOfInterest.objects.filter(assignment=assignment, nomination=OuterRef("pk"))
    return set(
        nominations.filter(
            Q(nominee_user_id=juror_id) | Exists(related) | Exists(declared)
        ).values_list("pk", flat=True)
    )


def is_category_scored(category: Category) -> bool:
    """Every assigned jury member has submitted a sheet for every finalist she may
    score (and at least one sheet is submitted)."""
    finalist_list = finalists(category)
    submitted = set(
        ScoreSheet.objects.filter(assignment__category=category, submitted_at__isnull=False)
        .order_by()
        .values_list("assignment_id", "nomination_id")
    )
    if not submitted:
        return False
    for assignment in JuryAssignment.objects.filter(category=category):
        blocked = conflicted_nomination_ids(assignment, finalist_list)
        for nomination in finalist_list:
            if nomination.pk not in blocked and (assignment.pk, nomination.pk) not in submitted:
                return False
    return True


def sheet_scores() -> Prefetch:
    # Explicit orderings: the models' default orderings of sheets and scores meet
    # twice at the edition and Django refuses them ("infinite loop caused by ordering").
    return Prefetch(
        "scores",
        queryset=JuryScore.objects.select_related("criterion").order_by(
            "criterion__position", "criterion_id"
        ),
    )


def weighted_score(sheet: ScoreSheet, criteria: list[JuryCriterion]) -> Decimal | None:
    """The sheet's weighted mean on 0-100 (10 points = 100); None while incomplete."""
    if "scores" in getattr(sheet, "_prefetched_objects_cache", {}):
        by_criterion = {s.criterion_id: s.score for s in sheet.scores.all()}
    else:
        by_criterion = dict(sheet.scores.order_by().values_list("criterion_id", "score"))
    if not criteria or any(c.pk not in by_criterion for c in criteria):
        return None
    total = sum(c.weight * by_criterion[c.pk] for c in criteria)
    weights = sum(c.weight for c in criteria)
    return (Decimal(total) * 10 / Decimal(weights)).quantize(Decimal("0.01"))


def visible_sheets(user: User, category: Category, now=None) -> QuerySet[ScoreSheet]:
    """The score sheets of ``category`` the viewer may read: her own until the jury
    phase closes; after it, all of them for the category's jurors and the staff."""
    from .permissions import is_award_staff

    sheets = (
        ScoreSheet.objects.filter(assignment__category=category)
        .select_related("assignment__juror", "nomination__nominee_user")
        .select_related("nomination__nominee_organisation", "nomination__nominee_practice")
        .prefetch_related(sheet_scores())
        .order_by("nomination_id", "assignment__juror__full_name", "pk")
    )
    if category.edition.has_jury_closed(now):
        if is_award_staff(user, category.edition):
            return sheets
        if JuryAssignment.objects.filter(category=category, juror=user).exists():
            return sheets
    return sheets.filter(assignment__juror=user)


def jury_progress(category: Category) -> list[dict]:
    """Per jury member: submitted sheets against the finalists she may score. No
    scores: staff see who has finished, not what was given."""
    finalist_list = finalists(category)
    submitted = dict(
        ScoreSheet.objects.filter(assignment__category=category, submitted_at__isnull=False)
        .order_by()
        .values("assignment_id")
        .annotate(n=Count("id"))
        .values_list("assignment_id", "n")
    )
    rows = []
    for assignment in category.jury.select_related("juror"):
        blocked = conflicted_nomination_ids(assignment, finalist_list)
        rows.append(
            {
                "assignment": assignment,
                "submitted": submitted.get(assignment.pk, 0),
                "to_score": len([n for n in finalist_list if n.pk not in blocked]),
                "conflicts": len(blocked),
            }
        )
    return rows


def my_jury_assignments(user: User) -> QuerySet[JuryAssignment]:
    return (
        JuryAssignment.objects.filter(juror=user)
        .select_related("category__edition")
        .prefetch_related(
            Prefetch(
                "category__criteria", queryset=JuryCriterion.objects.order_by("position", "pk")
            )
        )
        .order_by("-category__edition__year", "category__edition_id", "category__position", "pk")
    )


def my_finalists(assignment: JuryAssignment) -> list[dict]:
    """Her finalists in the category, each with her sheet (or None) and whether she
    is blocked from scoring it."""
    finalist_list = finalists(assignment.category)
    if not finalist_list:  # before voting closes: nothing to read
        return []
    blocked = conflicted_nomination_ids(assignment, finalist_list)
    sheets = {
        s.nomination_id: s
        for s in ScoreSheet.objects.filter(
            assignment=assignment, nomination__in=[n.pk for n in finalist_list]
        ).order_by("pk")
    }
    return [
        {"nomination": n, "sheet": sheets.get(n.pk), "is_conflicted": n.pk in blocked}
        for n in finalist_list
    ]


# The tie rule, word for word as ``_rank_key`` applies it; the results page shows it.
TIE_RULE = _(
    "Equal final scores are decided by the higher jury score, then by more public votes, "
    "then by the nomination made first."
)
FINALIST_RULE = _(
    "Finalists: the %(count)d with most public votes; all tied with the last place are finalists."
)


def two_places(value: Fraction) -> Decimal:
    """``value`` rounded half up to two decimal places, exactly (no float on the way)."""
    hundredths = value * 100
    sign = -1 if hundredths < 0 else 1
    rounded = sign * ((abs(hundredths) * 2 + 1) // 2)
    return Decimal(int(rounded)).scaleb(-2).quantize(Decimal("0.01"))


@dataclasses.dataclass
class Standing:
    """One public nomination's place in its category, as ``compute_results`` finds it
    (or as a published ``Result`` row stores it)."""

    nomination: Nomination
    votes: int
    is_finalist: bool = False
    jury_score: Decimal | None = None
    jury_sheets: int = 0
    public_share: Decimal | None = None
    final_score: Decimal | None = None
    rank: int | None = None
    is_winner: bool = False
    # False for a person who may not appear in public (``shown_in_public``): her
    # numbers stay on the results page, so that the tally adds up, without her name.
    is_shown: bool = True

    @property
    def name(self) -> str:
        if self.is_shown:
            return self.nomination.nominee_name
        return str(_("A nominee whose name is not shown"))


@dataclasses.dataclass
class CategoryStandings:
    category: Category
    standings: list[Standing] = dataclasses.field(default_factory=list)

    @property
    def finalists(self) -> list[Standing]:
        return [s for s in self.standings if s.is_finalist]

    @property
    def winner(self) -> Standing | None:
        return next((s for s in self.standings if s.is_winner), None)

    @property
    def has_jury_scores(self) -> bool:
        return any(s.jury_sheets for s in self.standings)


def jury_scores(categories) -> dict[int, tuple[Decimal, int]]:
    """Per nomination id: (jury score 0-100, number of submitted sheets). A sheet's
    score is the weighted mean of its criteria, sum(weight * score) / sum(weight); the
    nomination's is the mean over its submitted sheets, times 10 (10 of 10 is 100).
    The sums per sheet are taken in the database, in one query."""
    rows = (
        JuryScore.objects.filter(
            sheet__nomination__category__in=categories,
            sheet__submitted_at__isnull=False,
            # Only the category's own jury and criteria count.
            sheet__assignment__category=F("sheet__nomination__category"),
            criterion__category=F("sheet__nomination__category"),
        )
        .values("sheet", "sheet__nomination")
        .annotate(
            weighted=Sum(F("criterion__weight") * F("score")), weights=Sum("criterion__weight")
        )
        .order_by()
    )
    per_nomination: dict[int, list[Fraction]] = {}
    for row in rows:
        if row["weights"]:
            per_nomination.setdefault(row["sheet__nomination"], []).append(
                Fraction(row["weighted"], row["weights"])
            )
    return {
        nomination_id: (two_places(sum(means) / len(means) * 10), len(means))
        for nomination_id, means in per_nomination.items()
    }


def _rank_key(standing: Standing):
    # Scored finalists first; then TIE_RULE: jury score, votes, the earlier nomination.
    nomination = standing.nomination
    return (
        standing.final_score is None,
        -(standing.final_score or 0),
        standing.jury_score is None,
        -(standing.jury_score or 0),
        -standing.votes,
        nomination.created_at,
        nomination.pk,
    )


def _rank_category(edition: Edition, standings: list[Standing]) -> None:
    finalists = [s for s in standings if s.is_finalist]
    top = max((s.votes for s in finalists), default=0)
    public_weight = (
        0 if edition.winner_method == Edition.WinnerMethod.JURY else edition.public_weight_percent
    )
    jury_weight = 100 - public_weight
    for standing in finalists:
        share = Fraction(standing.votes * 100, top) if top else Fraction(0)
        standing.public_share = two_places(share)
        if jury_weight and standing.jury_score is None:
            continue  # no submitted sheet: no final score, ranked after the scored ones
        jury = Fraction(standing.jury_score) if standing.jury_score is not None else Fraction(0)
        standing.final_score = two_places((public_weight * share + jury_weight * jury) / 100)
    finalists.sort(key=_rank_key)
    has_sheets = any(s.jury_sheets for s in standings)
    for rank, standing in enumerate(finalists, start=1):
        standing.rank = rank
        standing.is_winner = rank == 1 and has_sheets and standing.final_score is not None


def compute_results(edition: Edition) -> list[CategoryStandings]:
    """Every category's standings from the raw rows: votes (``tally``), finalists
    (``finalists``), jury scores and final scores, finalists ranked (``TIE_RULE``),
    then the other nominations by votes. Three queries plus one per category."""
    categories = list(edition.categories.order_by("position", "pk"))
    votes = tally(categories) if categories else {}
    scores = jury_scores(categories) if categories else {}
    out = []
    for category in categories:
        category.edition = edition
        finalist_ids = {n.pk for n in finalists(category, votes)}
        standings = [
            Standing(
                nomination=nomination,
                votes=votes.get(nomination.pk, 0),
                is_finalist=nomination.pk in finalist_ids,
                jury_score=scores.get(nomination.pk, (None, 0))[0],
                jury_sheets=scores.get(nomination.pk, (None, 0))[1],
            )
            for nomination in public_nominations(category).order_by("created_at", "pk")
        ]
        _rank_category(edition, standings)
        standings.sort(
            key=lambda s: (
                s.rank is None,
                s.rank or 0,
                -s.votes,
                s.nomination.created_at,
                s.nomination.pk,
            )
        )
        out.append(CategoryStandings(category=category, standings=standings))
    return out


def published_results(edition: Edition) -> list[CategoryStandings]:
    """The stored ``Result`` rows per category, ranked finalists first, then the others
    by votes; a nominee who may not appear in public is there without her name (see
    ``Standing.is_shown``). Three queries."""
    categories = list(edition.categories.order_by("position", "pk"))
    shown = set(
        shown_in_public(Nomination.objects.filter(category__edition=edition)).values_list(
            "pk", flat=True
        )
    )
    rows = (
        Result.objects.filter(category__edition=edition)
        .select_related(
            "nomination__nominee_user",
            "nomination__nominee_organisation",
            "nomination__nominee_practice",
        )
        .order_by(
            F("rank").asc(nulls_last=True), "-votes", "nomination__created_at", "nomination__pk"
        )
    )
    by_category: dict[int, CategoryStandings] = {
        category.pk: CategoryStandings(category=category) for category in categories
    }
    for row in rows:
        by_category[row.category_id].standings.append(
            Standing(
                nomination=row.nomination,
                votes=row.votes,
                is_finalist=row.is_finalist,
                jury_score=row.jury_score,
                jury_sheets=row.jury_sheets,
                final_score=row.final_score,
                rank=row.rank,
                is_winner=row.is_winner,
                is_shown=row.nomination_id in shown,
            )
        )
    for group in by_category.values():
        top = max((s.votes for s in group.finalists), default=0)
        for standing in group.finalists:
            standing.public_share = two_places(
                Fraction(standing.votes * 100, top) if top else Fraction(0)
            )
    return list(by_category.values())
