"""Writes about matching: runs of the engine, staff's review of a run, publishing it,
mentors' answers, and re-matching a mentee whose proposal fell through.

How the rules hold under concurrency (each has a PostgreSQL test in
``tests/test_concurrency.py``):

- A mentor's capacity is global (all her cohorts). Every write that takes one of her
  places first locks her ``MentorProfile`` row and counts her places under that lock:
  publishing and re-matching count open mentorships plus outstanding proposals (each
  proposal holds a place until she answers); accepting counts open mentorships.
- A mentee has at most one outstanding proposal and one open mentorship per cohort:
  partial unique constraints on ``Proposal`` and ``Mentorship`` decide it. Writes about
  her also lock her mentee ``Participation`` row, so that her state is re-read fresh.
- Locks are always taken in one order, each kind by ascending primary key: the run,
  mentor profiles, mentee participations, proposals. Declining and expiring lock only
  the proposal; their re-match (the cascade) runs afterwards in its own transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from stem4all.accounts.choices import LanguageLevel
from stem4all.accounts.models import MentorProfile, User
from stem4all.accounts.permissions import can_be_matched_or_contacted
from stem4all.core.errors import DomainError
from stem4all.mentorships.models import Mentorship
from stem4all.mentorships.services import MentorshipError, start_mentorship
from stem4all.programmes.models import Cohort, Participation

from . import engine
from .engine.model import MatchConfig, MatchResult, Unmatched
from .engine.model import Mentee as EngineMentee
from .engine.model import Mentor as EngineMentor
from .models import MatchingRun, MentorChoice, PairRule, Proposal, UnmatchedMentee
from .tasks import (
    rematch_after_refusal,
    send_mentorship_started,
    send_proposal_to_mentor,
    send_rematch_news,
)

logger = logging.getLogger(__name__)


class MatchingError(DomainError):
    """A request that the matching rules refuse; the message is shown to the user."""


# ----------------------------------------------------------------------------- options

DEFAULT_OPTIONS = {
    "regional_floor": None,  # min share (0..1) of mentees from the regions matched
    "max_international_share": None,  # max share (0..1) of pairs with a mentor abroad
    "spread_load": False,  # everyone's first mentee before anyone's second
    "min_language_level": "B1",  # lowest level that counts as a working language
    "top_k": 50,  # candidates per mentee and per mentor in large cohorts
    "response_days": 7,  # days a mentor has to answer a proposal
}
LANGUAGE_LEVELS = [level for level in LanguageLevel.values if level != LanguageLevel.NATIVE]
MAX_TOP_K = 1000
MAX_RESPONSE_DAYS = 60


def normalise_options(options: dict | None) -> dict:
    """The run's options with defaults filled in; a bad value raises MatchingError."""
    merged = {**DEFAULT_OPTIONS, **(options or {})}
    unknown = set(merged) - set(DEFAULT_OPTIONS)
    if unknown:
        raise MatchingError(
            _("Unknown options: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    for name in ("regional_floor", "max_international_share"):
        value = merged[name]
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise MatchingError(_("A share must be between 0 and 1."))
        merged[name] = float(value)
    if not isinstance(merged["spread_load"], bool):
        raise MatchingError(_("Spread load is yes or no."))
    if merged["min_language_level"] not in LANGUAGE_LEVELS:
        raise MatchingError(_("Choose a language level from A1 to C2."))
    for name, highest in (("top_k", MAX_TOP_K), ("response_days", MAX_RESPONSE_DAYS)):
        value = merged[name]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= highest:
            raise MatchingError(
                _("%(name)s must be a whole number from 1 to %(highest)s.")
                % {"name": name, "highest": highest}
            )
    return merged


def engine_config(
    *,
    mode: str,
    options: dict,
    locked: Iterable[tuple[str, str]] = (),
    forbidden: Iterable[tuple[str, str]] = (),
) -> MatchConfig:
    return MatchConfig(
        mode=mode,
        min_language_level=options["min_language_level"],
        top_k=options["top_k"],
        regional_floor=options["regional_floor"],
        max_international_share=options["max_international_share"],
        spread_load=options["spread_load"],
        locked=frozenset(locked),
        forbidden=frozenset(forbidden),
    )


# -------------------------------------------------------------------- places and state


def used_places(mentor_ids: Iterable[int]) -> Counter:
    """Places each mentor has taken, in every cohort: open mentorships and outstanding
    proposals. Read it under the mentor's profile lock when it decides anything."""
    mentor_ids = list(mentor_ids)
    used: Counter = Counter()
    if not mentor_ids:
        return used
    mentorships = (
        Mentorship.objects.filter(mentor_id__in=mentor_ids, status__in=Mentorship.OPEN_STATUSES)
        .values("mentor_id")
        .annotate(n=Count("pk"))
    )
    proposals = Proposal.objects.filter(mentor_id__in=mentor_ids, status__in=Proposal.OUTSTANDING)
    for row in mentorships:
        used[row["mentor_id"]] += row["n"]
    for row in proposals.values("mentor_id").annotate(n=Count("pk")):
        used[row["mentor_id"]] += row["n"]
    return used


def busy_mentee_ids(cohort_id: int, mentee_ids: Iterable[int] | None = None) -> set[int]:
    """Mentees of the cohort who have a mentor, or a mentor's answer to wait for."""
    mentorships = Mentorship.objects.filter(
        cohort_id=cohort_id, status__in=Mentorship.OPEN_STATUSES
    )
    proposals = Proposal.objects.filter(cohort_id=cohort_id, status__in=Proposal.OUTSTANDING)
    if mentee_ids is not None:
        mentee_ids = list(mentee_ids)
        mentorships = mentorships.filter(mentee_id__in=mentee_ids)
        proposals = proposals.filter(mentee_id__in=mentee_ids)
    return set(mentorships.values_list("mentee_id", flat=True)) | set(
        proposals.values_list("mentee_id", flat=True)
    )


def refused_pairs(cohort_id: int, mentee_ids: Iterable[int] | None = None) -> set[tuple[int, int]]:
    """(mentee, mentor) pairs never to propose again in this cohort: the mentor declined
    her or let the proposal expire, or their mentorship ended early."""
    proposals = Proposal.objects.filter(cohort_id=cohort_id, status__in=Proposal.REFUSED)
    mentorships = Mentorship.objects.filter(
        cohort_id=cohort_id, status=Mentorship.Status.ENDED_EARLY
    )
    if mentee_ids is not None:
        mentee_ids = list(mentee_ids)
        proposals = proposals.filter(mentee_id__in=mentee_ids)
        mentorships = mentorships.filter(mentee_id__in=mentee_ids)
    return set(proposals.values_list("mentee_id", "mentor_id")) | set(
        mentorships.values_list("mentee_id", "mentor_id")
    )


def pair_refusal(mentee: User, profile: MentorProfile | None) -> str | None:
    """Why this pair may not start now, re-checked when it is proposed or accepted
    (clearance and consent can change after a run), or None when it may."""
    if not can_be_matched_or_contacted(mentee):
        return _("She cannot be matched at the moment; programme staff will be in touch.")
    if profile is None or profile.screening_status != MentorProfile.ScreeningStatus.CLEARED:
        return _("The mentor is not cleared to mentor at the moment.")
    if mentee.is_minor and not profile.is_cleared_for_minors:
        return _("She is under 18 and the mentor is not cleared to mentor under-18s.")
    return None


def _lock_mentor_profiles(mentor_ids: Iterable[int]) -> dict[int, MentorProfile]:
    profiles = MentorProfile.objects.select_for_update().filter(user_id__in=set(mentor_ids))
    return {profile.user_id: profile for profile in profiles.order_by("pk")}


def _lock_mentee_participations(cohort_id: int, mentee_ids: Iterable[int]) -> set[int]:
    """Lock the mentees' places in the cohort; return those still accepted."""
    rows = (
        Participation.objects.select_for_update()
        .filter(cohort_id=cohort_id, role=Participation.Role.MENTEE, user_id__in=set(mentee_ids))
        .order_by("pk")
        .values_list("user_id", "status")
    )
    return {user_id for user_id, status in rows if status == Participation.Status.ACCEPTED}


# ------------------------------------------------------------------ engine translation


def engine_mentee(user: User, *, excluded: Iterable[int] = (), ranked: Iterable[int] = ()):
    profile = user.mentee_profile
    return EngineMentee(
        id=str(user.pk),
        languages={skill.language: skill.level for skill in user.languages.all()},
        fields=frozenset(profile.stem_fields),
        goal=profile.career_goal,
        country=user.country,
        region=user.region,
        district=user.district,
        is_minor=user.is_minor,
        preferred_mentor_type=profile.preferred_mentor_type,
        availability=frozenset(profile.availability),
        hours_per_month=profile.hours_per_month,
        ranked_mentors=tuple(str(pk) for pk in ranked),
        excluded_mentors=frozenset(str(pk) for pk in excluded),
        name=user.full_name,
    )


def engine_mentor(user: User, *, free_places: int):
    profile = user.mentor_profile
    return EngineMentor(
        id=str(user.pk),
        languages={skill.language: skill.level for skill in user.languages.all()},
        capacity=max(free_places, 0),
        fields=frozenset(profile.stem_fields),
        expertise="\n".join(
            part for part in (profile.job_title, profile.organisation, profile.bio)
        ),
        country=user.country,
        region=user.region,
        district=user.district,
        is_cleared_for_minors=profile.is_cleared_for_minors,
        availability=frozenset(profile.availability),
        name=user.full_name,
    )


def serialise_factors(factors) -> list[dict]:
    return [
        {
            "code": factor.code,
            "value": round(float(factor.value), 4),
            "contribution": round(float(factor.contribution), 4),
            "params": plain(factor.params),
        }
        for factor in factors
    ]


def plain(value):
    """Engine output as JSON: numpy scalars, sets and tuples become plain values."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(item) for item in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        return value.item()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def explain(mentee: EngineMentee, mentor: EngineMentor, config: MatchConfig):
    """The engine's verdict on one pair, ignoring capacity and staff's rules:
    ``(score, factors)``, or None when a hard rule fails."""
    verdict = engine.explain_pair(mentee, mentor, config)
    if verdict is None:
        return None
    return float(verdict[0]), tuple(verdict[1])


def run_engine(mentees: list[EngineMentee], mentors: list[EngineMentor], config: MatchConfig):
    """``engine.match``, except that a cohort without a cleared mentor needs no solver:
    every mentee is unmatched for that reason."""
    if mentees and not mentors:
        return MatchResult(
            assignments=[],
            unmatched=[
                Unmatched(mentee.id, UnmatchedMentee.Reason.NO_CLEARED_MENTOR) for mentee in mentees
            ],
            candidates=[],
            summary={"mentees": len(mentees), "mentors": 0, "matched": 0},
            blocking_pairs=0 if config.mode == MatchingRun.Mode.STABLE else None,
        )
    try:
        return engine.match(mentees, mentors, config)
    except ValueError as error:  # data the engine refuses: say so, never a 500
        logger.warning("The engine refused a run: %s", error)
        raise MatchingError(
            _("The matching engine could not use this data: %(error)s") % {"error": error}
        ) from error


@dataclasses.dataclass
class Pool:
    """Who a run or a re-match may match, translated for the engine."""

    mentees: list[EngineMentee]
    mentors: list[EngineMentor]
    left_out: list[tuple[int, str]]  # (mentee id, UnmatchedMentee.Reason) never in the engine
    locked: set[tuple[str, str]]
    forbidden: set[tuple[str, str]]

    @property
    def from_regions(self) -> int:
        return sum(1 for mentee in self.mentees if mentee.is_from_regions)


def _mentor_pool(cohort: Cohort) -> list[EngineMentor]:
    """Accepted, cleared, active mentors of the cohort, each with her free places now
    (those without one too: the engine then says why a mentee found nobody)."""
    participations = (
        Participation.objects.filter(
            cohort=cohort,
            role=Participation.Role.MENTOR,
            status=Participation.Status.ACCEPTED,
            user__is_active=True,
            user__mentor_profile__screening_status=MentorProfile.ScreeningStatus.CLEARED,
        )
        .select_related("user__mentor_profile")
        .prefetch_related("user__languages")
        .order_by("user_id")
    )
    users = {participation.user_id: participation.user for participation in participations}
    used = used_places(users)
    return [
        engine_mentor(user, free_places=user.mentor_profile.capacity - used[user.pk])
        for user in users.values()
    ]


def build_pool(cohort: Cohort, *, mode: str, options: dict) -> Pool:
    """The cohort's accepted mentees who may be matched and have no mentor or pending
    proposal yet, and its mentors; staff's pair rules; mentees' ranked choices."""
    participations = (
        Participation.objects.filter(
            cohort=cohort,
            role=Participation.Role.MENTEE,
            status=Participation.Status.ACCEPTED,
            user__is_active=True,
        )
        .select_related("user__mentee_profile")
        .prefetch_related("user__languages")
        .order_by("user_id")
    )
    busy = busy_mentee_ids(cohort.pk)
    refused = defaultdict(set)
    for mentee_id, mentor_id in refused_pairs(cohort.pk):
        refused[mentee_id].add(mentor_id)
    choices = defaultdict(list)
    for mentee_id, mentor_id in (
        MentorChoice.objects.filter(cohort=cohort)
        .order_by("mentee_id", "rank")
        .values_list("mentee_id", "mentor_id")
    ):
        choices[mentee_id].append(mentor_id)

    mentees, left_out = [], []
    for participation in participations:
        user = participation.user
        if user.pk in busy:
            continue
        # THE safeguarding rule: a minor without a guardian's consent, or anyone whose
        # age is unknown, never reaches the engine.
        if not can_be_matched_or_contacted(user):
            left_out.append((user.pk, UnmatchedMentee.Reason.CANNOT_BE_MATCHED))
        elif not hasattr(user, "mentee_profile"):
            left_out.append((user.pk, UnmatchedMentee.Reason.NO_MENTEE_PROFILE))
        elif not user.languages.all():
            left_out.append((user.pk, UnmatchedMentee.Reason.NO_LANGUAGES))
        else:
            mentees.append(engine_mentee(user, excluded=refused[user.pk], ranked=choices[user.pk]))
    mentors = _mentor_pool(cohort)
    locked, forbidden = _pair_rules(cohort, mentees, mentors, mode=mode, options=options)
    return Pool(mentees, mentors, left_out, locked, forbidden)


def _pair_rules(cohort, mentees, mentors, *, mode, options):
    """Staff's locks and forbids among the pool. A lock is kept only while the pair
    still passes the hard rules and the mentor has a free place for it."""
    mentee_by_id = {mentee.id: mentee for mentee in mentees}
    mentor_by_id = {mentor.id: mentor for mentor in mentors}
    locked, forbidden = set(), set()
    config = engine_config(mode=mode, options=options)
    places = {mentor.id: mentor.capacity for mentor in mentors}
    for rule in PairRule.objects.filter(cohort=cohort).order_by("created_at", "pk"):
        pair = (str(rule.mentee_id), str(rule.mentor_id))
        if rule.kind == PairRule.Kind.FORBID:
            forbidden.add(pair)
            continue
        mentee, mentor = mentee_by_id.get(pair[0]), mentor_by_id.get(pair[1])
        if mentee is None or mentor is None or places[mentor.id] < 1:
            continue
        if explain(mentee, mentor, config) is not None:
            locked.add(pair)
            places[mentor.id] -= 1
    return locked, forbidden


# ------------------------------------------------------------------------------- runs


def start_matching_run(*, cohort: Cohort, staff: User, mode: str, options: dict) -> MatchingRun:
    """Run the engine over the cohort and keep its answer as a draft for staff to review.
    Nothing is proposed to anyone until the run is published.

    The engine runs outside any transaction (it can take seconds in a large cohort, and
    SQLite would hold its write lock meanwhile); the run and its rows are written in one.
    A draft needs no lock: publishing re-checks every pair."""
    if mode not in MatchingRun.Mode.values:
        raise MatchingError(_("Choose the optimal or the stable mode."))
    options = normalise_options(options)
    pool, result = _compute_run(cohort, mode=mode, options=options)
    with transaction.atomic():
        return _store_run(cohort, staff, mode, options, pool, result)


def _compute_run(cohort: Cohort, *, mode: str, options: dict):
    pool = build_pool(cohort, mode=mode, options=options)
    config = engine_config(mode=mode, options=options, locked=pool.locked, forbidden=pool.forbidden)
    return pool, run_engine(pool.mentees, pool.mentors, config)


def _store_run(cohort, staff, mode, options, pool: Pool, result) -> MatchingRun:
    run = MatchingRun.objects.create(
        cohort=cohort,
        created_by=staff,
        mode=mode,
        options=options,
        status=MatchingRun.Status.DRAFT,
        summary={
            "mentees": len(pool.mentees),
            "mentees_left_out": len(pool.left_out),
            "mentees_from_regions": pool.from_regions,
            "mentors": len(pool.mentors),
            "mentors_with_places": sum(1 for mentor in pool.mentors if mentor.capacity > 0),
            "free_places": sum(mentor.capacity for mentor in pool.mentors),
            "locked_pairs": len(pool.locked),
            "forbidden_pairs": len(pool.forbidden),
            "blocking_pairs": result.blocking_pairs,
            "engine": plain(result.summary),
        },
    )
    Proposal.objects.bulk_create(
        [
            Proposal(
                run=run,
                cohort=cohort,
                mentee_id=int(assignment.mentee_id),
                mentor_id=int(assignment.mentor_id),
                score=round(float(assignment.score), 6),
                factors=serialise_factors(assignment.factors),
                is_locked=bool(assignment.is_locked),
                status=Proposal.Status.DRAFT,
            )
            for assignment in result.assignments
        ]
    )
    UnmatchedMentee.objects.bulk_create(
        [
            UnmatchedMentee(
                cohort=cohort,
                run=run,
                mentee_id=int(unmatched.mentee_id),
                reason=unmatched.reason,
                eligible_mentors=int(unmatched.eligible_mentors),
            )
            for unmatched in result.unmatched
        ]
        + [
            UnmatchedMentee(cohort=cohort, run=run, mentee_id=mentee_id, reason=reason)
            for mentee_id, reason in pool.left_out
        ]
    )
    return run


def _lock_draft_run(run: MatchingRun) -> MatchingRun:
    # Only the run's row: staff working on other runs of the cohort are not held up.
    locked = (
        MatchingRun.objects.select_for_update(of=("self",)).select_related("cohort").get(pk=run.pk)
    )
    if locked.status != MatchingRun.Status.DRAFT:
        raise MatchingError(
            _("This run is no longer a draft: %(status)s.")
            % {"status": locked.get_status_display()}
        )
    return locked


def rerun_matching(*, run: MatchingRun, staff: User) -> MatchingRun:
    """A fresh run with the same mode and options; locks and forbids carry over, as they
    belong to the cohort. The old draft is discarded in the same transaction that stores
    the new one, and only if it is still a draft then."""
    if run.status != MatchingRun.Status.DRAFT:
        raise MatchingError(
            _("This run is no longer a draft: %(status)s.") % {"status": run.get_status_display()}
        )
    options = normalise_options(run.options)
    pool, result = _compute_run(run.cohort, mode=run.mode, options=options)
    with transaction.atomic():
        old = _lock_draft_run(run)
        new = _store_run(old.cohort, staff, old.mode, options, pool, result)
        old.status = MatchingRun.Status.DISCARDED
        old.save(update_fields=["status"])
    return new


@transaction.atomic
def discard_matching_run(*, run: MatchingRun, staff: User) -> MatchingRun:
    locked = _lock_draft_run(run)
    locked.status = MatchingRun.Status.DISCARDED
    locked.save(update_fields=["status"])
    return locked


def _pair_users(run: MatchingRun, mentee: User, mentor: User) -> None:
    cohort_id = run.cohort_id
    roles = dict(
        Participation.objects.filter(
            cohort_id=cohort_id,
            user_id__in=[mentee.pk, mentor.pk],
            status=Participation.Status.ACCEPTED,
            role__in=[Participation.Role.MENTEE, Participation.Role.MENTOR],
        ).values_list("role", "user_id")
    )
    if roles.get(Participation.Role.MENTEE) != mentee.pk:
        raise MatchingError(_("She is not an accepted mentee of this cohort."))
    if roles.get(Participation.Role.MENTOR) != mentor.pk:
        raise MatchingError(_("This person is not an accepted mentor of this cohort."))


def _fresh_engine_pair(mentee: User, mentor: User) -> tuple[EngineMentee, EngineMentor]:
    mentee = (
        User.objects.select_related("mentee_profile")
        .prefetch_related("languages")
        .get(pk=mentee.pk)
    )
    mentor = (
        User.objects.select_related("mentor_profile")
        .prefetch_related("languages")
        .get(pk=mentor.pk)
    )
    if not hasattr(mentee, "mentee_profile"):
        raise MatchingError(_("She has no mentee profile yet."))
    if not hasattr(mentor, "mentor_profile"):
        raise MatchingError(_("This person has no mentor profile."))
    refusal = pair_refusal(mentee, mentor.mentor_profile)
    if refusal:
        raise MatchingError(refusal)
    # Capacity is checked when the run is published; here only the pair's own rules.
    return engine_mentee(mentee), engine_mentor(mentor, free_places=1)


@transaction.atomic
def lock_pair(*, run: MatchingRun, mentee: User, mentor: User, staff: User) -> PairRule:
    """Keep this pair in this and every later run of the cohort. If the run already
    proposes it, its draft is marked locked; otherwise the next re-run applies it."""
    run = _lock_draft_run(run)
    _pair_users(run, mentee, mentor)
    if (mentee.pk, mentor.pk) in refused_pairs(run.cohort_id, [mentee.pk]):
        raise MatchingError(_("This mentor already declined her or their mentorship ended."))
    pair = _fresh_engine_pair(mentee, mentor)
    if explain(*pair, engine_config(mode=run.mode, options=normalise_options(run.options))) is None:
        raise MatchingError(_("This pair breaks a matching rule (language, age or exclusion)."))
    other = PairRule.objects.filter(
        cohort_id=run.cohort_id, mentee=mentee, kind=PairRule.Kind.LOCK
    ).exclude(mentor=mentor)
    if other.exists():
        raise MatchingError(_("She is already locked to another mentor; unlock that pair first."))
    rule, _created = PairRule.objects.update_or_create(
        cohort_id=run.cohort_id,
        mentee=mentee,
        mentor=mentor,
        defaults={"kind": PairRule.Kind.LOCK, "created_by": staff},
    )
    run.proposals.filter(status=Proposal.Status.DRAFT, mentee=mentee, mentor=mentor).update(
        is_locked=True
    )
    return rule


@transaction.atomic
def forbid_pair(*, run: MatchingRun, mentee: User, mentor: User, staff: User) -> PairRule:
    """Never propose this pair in this cohort. A draft of it in the run is withdrawn and
    she is listed as unmatched until the next re-run."""
    run = _lock_draft_run(run)
    _pair_users(run, mentee, mentor)
    rule, _created = PairRule.objects.update_or_create(
        cohort_id=run.cohort_id,
        mentee=mentee,
        mentor=mentor,
        defaults={"kind": PairRule.Kind.FORBID, "created_by": staff},
    )
    withdrawn = run.proposals.filter(
        status=Proposal.Status.DRAFT, mentee=mentee, mentor=mentor
    ).update(status=Proposal.Status.WITHDRAWN, is_locked=False)
    if withdrawn:
        UnmatchedMentee.objects.update_or_create(
            run=run,
            mentee=mentee,
            defaults={"cohort_id": run.cohort_id, "reason": UnmatchedMentee.Reason.PAIR_FORBIDDEN},
        )
    return rule


@transaction.atomic
def unlock_pair(*, run: MatchingRun, mentee: User, mentor: User, staff: User) -> None:
    """Lift staff's rule on a pair, a lock or a forbid; the next re-run is free again."""
    run = _lock_draft_run(run)
    deleted, _rows = PairRule.objects.filter(
        cohort_id=run.cohort_id, mentee=mentee, mentor=mentor
    ).delete()
    if not deleted:
        raise MatchingError(_("There is no rule on this pair."))
    run.proposals.filter(status=Proposal.Status.DRAFT, mentee=mentee, mentor=mentor).update(
        is_locked=False
    )


@transaction.atomic
def swap_mentors(
    *, run: MatchingRun, proposal_a: Proposal, proposal_b: Proposal, staff: User
) -> tuple[Proposal, Proposal]:
    """Give each of two draft proposals the other's mentor, when both new pairs pass the
    hard rules; their scores and reasons are computed afresh. Each mentor keeps the
    same number of mentees, so capacity is unchanged."""
    run = _lock_draft_run(run)
    if proposal_a.pk == proposal_b.pk:
        raise MatchingError(_("Choose two different proposals to swap."))
    proposals = list(
        Proposal.objects.select_for_update(of=("self",))
        .filter(pk__in=[proposal_a.pk, proposal_b.pk], run=run, status=Proposal.Status.DRAFT)
        .select_related("mentee", "mentor")
        .order_by("pk")
    )
    if len(proposals) != 2:
        raise MatchingError(_("Both proposals must be drafts of this run."))
    a, b = sorted(proposals, key=lambda p: p.pk == proposal_b.pk)
    if a.mentor_id == b.mentor_id:
        raise MatchingError(_("Both proposals have the same mentor."))
    if a.is_locked or b.is_locked:
        raise MatchingError(_("A locked pair cannot be swapped; unlock it first."))
    new_pairs = [(a.mentee, b.mentor), (b.mentee, a.mentor)]
    mentee_ids = [a.mentee_id, b.mentee_id]
    blocked = refused_pairs(run.cohort_id, mentee_ids) | set(
        PairRule.objects.filter(
            cohort_id=run.cohort_id, kind=PairRule.Kind.FORBID, mentee_id__in=mentee_ids
        ).values_list("mentee_id", "mentor_id")
    )
    config = engine_config(mode=run.mode, options=normalise_options(run.options))
    verdicts = []
    for mentee, mentor in new_pairs:
        if (mentee.pk, mentor.pk) in blocked:
            raise MatchingError(
                _("%(mentee)s and %(mentor)s may not be paired in this cohort.")
                % {"mentee": mentee.full_name, "mentor": mentor.full_name}
            )
        verdict = explain(*_fresh_engine_pair(mentee, mentor), config)
        if verdict is None:
            raise MatchingError(
                _("%(mentee)s and %(mentor)s break a matching rule (language, age or exclusion).")
                % {"mentee": mentee.full_name, "mentor": mentor.full_name}
            )
        verdicts.append(verdict)
    a.mentor, b.mentor = b.mentor, a.mentor
    for proposal, verdict in zip((a, b), verdicts, strict=True):
        proposal.score = round(verdict[0], 6)
        proposal.factors = serialise_factors(verdict[1])
        proposal.save(update_fields=["mentor", "score", "factors"])
    return a, b


@dataclasses.dataclass
class PublishReport:
    proposed: int
    superseded: int


@transaction.atomic
def publish_matching_run(*, run: MatchingRun, staff: User) -> PublishReport:
    """Propose every draft of the run to its mentor, who has ``response_days`` to
    answer. Capacity and the mentees' state are re-checked under locks: a draft whose
    mentor has no free place left, or whose mentee meanwhile got a mentor or a pending
    proposal (another run, a re-match), is superseded instead."""
    run = _lock_draft_run(run)
    options = normalise_options(run.options)
    drafts = list(
        run.proposals.filter(status=Proposal.Status.DRAFT)
        .select_related("mentee")
        .order_by("-is_locked", "-score", "pk")
    )
    profiles = _lock_mentor_profiles(p.mentor_id for p in drafts)
    accepted_mentees = _lock_mentee_participations(run.cohort_id, (p.mentee_id for p in drafts))
    # Read after the locks: another publish that held them has committed by now.
    used = used_places(profiles)
    busy = busy_mentee_ids(run.cohort_id, (p.mentee_id for p in drafts))
    now = timezone.now()
    respond_by = now + dt.timedelta(days=options["response_days"])
    proposed, superseded = [], []
    for proposal in drafts:
        profile = profiles.get(proposal.mentor_id)
        free = (profile.capacity - used[proposal.mentor_id]) if profile else 0
        if (
            free < 1
            or proposal.mentee_id in busy
            or proposal.mentee_id not in accepted_mentees
            or pair_refusal(proposal.mentee, profile)
        ):
            proposal.status = Proposal.Status.SUPERSEDED
            superseded.append(proposal)
            continue
        proposal.status = Proposal.Status.PROPOSED
        proposal.respond_by = respond_by
        used[proposal.mentor_id] += 1
        busy.add(proposal.mentee_id)
        proposed.append(proposal)
    try:
        with transaction.atomic():
            Proposal.objects.bulk_update(superseded, ["status"])
            Proposal.objects.bulk_update(proposed, ["status", "respond_by"])
    except IntegrityError:
        # Only possible if a writer skipped the locks; the constraint still holds.
        raise MatchingError(
            _("Someone else proposed mentors to some of these mentees meanwhile; re-run.")
        ) from None
    run.status = MatchingRun.Status.PUBLISHED
    run.published_at = now
    run.save(update_fields=["status", "published_at"])
    ids = [proposal.pk for proposal in proposed]
    transaction.on_commit(lambda: _tell_mentors(ids))
    return PublishReport(proposed=len(proposed), superseded=len(superseded))


def _tell_mentors(proposal_ids: list[int]) -> None:
    for proposal_id in proposal_ids:
        send_proposal_to_mentor.enqueue(proposal_id=proposal_id)


# --------------------------------------------------------------------- mentors' answers


def open_mentorship_count(mentor_id: int) -> int:
    return Mentorship.objects.filter(
        mentor_id=mentor_id, status__in=Mentorship.OPEN_STATUSES
    ).count()


def accept_proposal(*, proposal: Proposal, mentor: User) -> Mentorship:
    """The mentor takes the mentee: the mentorship starts and the mentee is told.

    Her open mentorships are counted under a lock of her profile, so two acceptances at
    once cannot exceed her capacity; the mentorship's unique constraint keeps the mentee
    to one mentor. If this fills her last place while other proposals still wait for
    her (she lowered her capacity after they were made), those are superseded and their
    mentees re-matched."""
    refusal = None
    with transaction.atomic():
        profile = _lock_mentor_profiles([mentor.pk]).get(mentor.pk)
        _lock_mentee_participations(proposal.cohort_id, [proposal.mentee_id])
        locked = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("mentee", "cohort")
            .filter(pk=proposal.pk, mentor=mentor)
            .first()
        )
        if locked is None or profile is None:
            raise MatchingError(_("This proposal is not yours."))
        if locked.status != Proposal.Status.PROPOSED:
            raise MatchingError(
                _("This proposal is no longer open: %(status)s.")
                % {"status": locked.get_status_display()}
            )
        if locked.respond_by and locked.respond_by < timezone.now():
            raise MatchingError(_("The time to answer this proposal has passed."))
        taken = open_mentorship_count(mentor.pk)
        if taken >= profile.capacity:
            raise MatchingError(
                _(
                    "You have no free place for another mentee. Decline, or ask programme "
                    "staff to raise your capacity."
                )
            )
        refusal = pair_refusal(locked.mentee, profile)
        if refusal is None:
            try:
                mentorship = start_mentorship(
                    cohort=locked.cohort, mentee=locked.mentee, mentor=mentor, proposal=locked
                )
            except MentorshipError as error:
                refusal = str(error)
        locked.responded_at = timezone.now()
        if refusal is None:
            locked.status = Proposal.Status.ACCEPTED
            locked.save(update_fields=["status", "responded_at"])
            transaction.on_commit(
                lambda: send_mentorship_started.enqueue(mentorship_id=mentorship.pk)
            )
            if taken + 1 >= profile.capacity:
                _supersede_waiting_proposals(mentor.pk)
            return mentorship
        # The pair cannot start: free her place and keep the reason, then say why.
        locked.status = Proposal.Status.WITHDRAWN
        locked.save(update_fields=["status", "responded_at"])
    raise MatchingError(refusal)


def _supersede_waiting_proposals(mentor_id: int) -> None:
    waiting = Proposal.objects.select_for_update().filter(
        mentor_id=mentor_id, status=Proposal.Status.PROPOSED
    )
    ids = list(waiting.order_by("pk").values_list("pk", flat=True))
    if ids:
        Proposal.objects.filter(pk__in=ids).update(status=Proposal.Status.SUPERSEDED)
        transaction.on_commit(lambda: _cascade(ids))


@transaction.atomic
def decline_proposal(*, proposal: Proposal, mentor: User, reason: str) -> Proposal:
    """The mentor says no, with a reason for staff. The mentee is re-matched from the
    remaining pool after this commits (never with this mentor again) and told."""
    reason = reason.strip()
    if not reason:
        raise MatchingError(_("Say why you decline; only programme staff see it."))
    locked = Proposal.objects.select_for_update().filter(pk=proposal.pk, mentor=mentor).first()
    if locked is None:
        raise MatchingError(_("This proposal is not yours."))
    if locked.status != Proposal.Status.PROPOSED:
        raise MatchingError(
            _("This proposal is no longer open: %(status)s.")
            % {"status": locked.get_status_display()}
        )
    locked.status = Proposal.Status.DECLINED
    locked.decline_reason = reason
    locked.responded_at = timezone.now()
    locked.save(update_fields=["status", "decline_reason", "responded_at"])
    # Her no ends any lock staff had put on the pair.
    PairRule.objects.filter(
        cohort_id=locked.cohort_id,
        mentee_id=locked.mentee_id,
        mentor_id=locked.mentor_id,
        kind=PairRule.Kind.LOCK,
    ).delete()
    transaction.on_commit(lambda: rematch_after_refusal.enqueue(proposal_id=locked.pk))
    return locked


def expire_overdue_proposals(
    *, now: dt.datetime | None = None, cohort: Cohort | None = None
) -> int:
    """Mark proposals whose mentor did not answer in time as expired, and re-match each
    mentee after the commit. Run by ``stem4all expire_proposals`` (cron) and whenever
    staff open a cohort's matching page. Returns how many expired."""
    now = now or timezone.now()
    with transaction.atomic():
        overdue = Proposal.objects.select_for_update().filter(
            status=Proposal.Status.PROPOSED, respond_by__lt=now
        )
        if cohort is not None:
            overdue = overdue.filter(cohort=cohort)
        ids = list(overdue.order_by("pk").values_list("pk", flat=True))
        if not ids:
            return 0
        Proposal.objects.filter(pk__in=ids, status=Proposal.Status.PROPOSED).update(
            status=Proposal.Status.EXPIRED
        )
        transaction.on_commit(lambda: _cascade(ids))
    return len(ids)


def _cascade(proposal_ids: list[int]) -> None:
    for proposal_id in proposal_ids:
        rematch_after_refusal.enqueue(proposal_id=proposal_id)


# --------------------------------------------------------------------------- re-match


@dataclasses.dataclass
class RematchOutcome:
    proposal: Proposal | None = None
    unmatched: UnmatchedMentee | None = None


MAX_REMATCH_ATTEMPTS = 5


def _latest_options(cohort: Cohort) -> dict:
    """The options of the cohort's last published run (its answer days above all)."""
    run = (
        MatchingRun.objects.filter(cohort=cohort, status=MatchingRun.Status.PUBLISHED)
        .order_by("-published_at", "-pk")
        .first()
    )
    return normalise_options(run.options if run else {})


def rematch_mentee(
    *, cohort: Cohort, mentee: User, exclude_mentors: Iterable[int] = (), staff: User | None = None
) -> RematchOutcome:
    """Find one mentee a mentor among those with a free place now, never one who
    declined her, let her proposal expire, or ended a mentorship with her (nor those in
    ``exclude_mentors``), and propose the pair straight away. She is told either way.

    Used by the cascade after a decline or an expiry (``staff`` is None) and by staff
    when a mentorship ended early. The engine runs without locks; the chosen mentor's
    place is then re-checked under her profile lock, and if someone took it meanwhile
    the next best mentor is tried."""
    mentee = (
        User.objects.select_related("mentee_profile")
        .prefetch_related("languages")
        .get(pk=mentee.pk)
    )
    if not Participation.objects.filter(
        cohort=cohort,
        user=mentee,
        role=Participation.Role.MENTEE,
        status=Participation.Status.ACCEPTED,
    ).exists():
        raise MatchingError(_("She is not an accepted mentee of this cohort."))
    _check_mentee_is_free(cohort, mentee)
    if not hasattr(mentee, "mentee_profile"):
        raise MatchingError(_("She has no mentee profile yet."))
    excluded = {int(pk) for pk in exclude_mentors} | {
        mentor_id for _mentee_id, mentor_id in refused_pairs(cohort.pk, [mentee.pk])
    }
    ranked = MentorChoice.objects.filter(cohort=cohort, mentee=mentee).order_by("rank")
    candidate = engine_mentee(
        mentee, excluded=excluded, ranked=ranked.values_list("mentor_id", flat=True)
    )
    mentors = _mentor_pool(cohort)
    # For one mentee, optimal and stable mode agree: her best eligible mentor.
    mode, options = MatchingRun.Mode.OPTIMAL, _latest_options(cohort)
    locked, forbidden = _pair_rules(cohort, [candidate], mentors, mode=mode, options=options)
    config = engine_config(mode=mode, options=options, locked=locked, forbidden=forbidden)
    for _attempt in range(MAX_REMATCH_ATTEMPTS):
        result = run_engine([candidate], mentors, config)
        if not result.assignments:
            unmatched = result.unmatched[0] if result.unmatched else None
            return _record_unmatched(cohort, mentee, unmatched)
        assignment = result.assignments[0]
        proposal = _propose_one(cohort, mentee, assignment, options)
        if proposal is not None:
            return RematchOutcome(proposal=proposal)
        # Her place went to someone else meanwhile: try without her (and without a lock
        # on her, which can no longer be kept).
        config = dataclasses.replace(config, locked=frozenset())
        mentors = [
            dataclasses.replace(mentor, capacity=0) if mentor.id == assignment.mentor_id else mentor
            for mentor in mentors
        ]
    return _record_unmatched(cohort, mentee, None)


def _check_mentee_is_free(cohort: Cohort, mentee: User) -> None:
    if not can_be_matched_or_contacted(mentee):
        raise MatchingError(
            _("She cannot be matched: under 18 without a guardian's consent, or no date of birth.")
        )
    # Proposal first: an acceptance turns her proposal into a mentorship in one commit,
    # so in this order no moment of it reads as "free".
    if Proposal.objects.filter(
        cohort=cohort, mentee=mentee, status__in=Proposal.OUTSTANDING
    ).exists():
        raise MatchingError(_("She is already waiting for a mentor's answer."))
    if Mentorship.objects.filter(
        cohort=cohort, mentee=mentee, status__in=Mentorship.OPEN_STATUSES
    ).exists():
        raise MatchingError(_("She already has a mentor in this cohort."))


def _propose_one(cohort, mentee, assignment, options) -> Proposal | None:
    """Propose the engine's pair if the mentor still has a place; None if she has not."""
    mentor_id = int(assignment.mentor_id)
    with transaction.atomic():
        profile = _lock_mentor_profiles([mentor_id]).get(mentor_id)
        if mentee.pk not in _lock_mentee_participations(cohort.pk, [mentee.pk]):
            raise MatchingError(_("She is not an accepted mentee of this cohort."))
        _check_mentee_is_free(cohort, mentee)
        if profile is None or pair_refusal(mentee, profile):
            return None
        if profile.capacity - used_places([mentor_id])[mentor_id] < 1:
            return None
        try:
            with transaction.atomic():
                proposal = Proposal.objects.create(
                    run=None,
                    cohort=cohort,
                    mentee=mentee,
                    mentor_id=mentor_id,
                    score=round(float(assignment.score), 6),
                    factors=serialise_factors(assignment.factors),
                    status=Proposal.Status.PROPOSED,
                    respond_by=timezone.now() + dt.timedelta(days=options["response_days"]),
                )
        except IntegrityError:
            raise MatchingError(_("She is already waiting for a mentor's answer.")) from None
        transaction.on_commit(lambda: send_proposal_to_mentor.enqueue(proposal_id=proposal.pk))
        transaction.on_commit(
            lambda: send_rematch_news.enqueue(
                mentee_id=mentee.pk, cohort_id=cohort.pk, found_mentor=True
            )
        )
        return proposal


def _record_unmatched(cohort, mentee, unmatched) -> RematchOutcome:
    with transaction.atomic():
        row = UnmatchedMentee.objects.create(
            cohort=cohort,
            run=None,
            mentee=mentee,
            reason=unmatched.reason if unmatched else UnmatchedMentee.Reason.CAPACITY_TAKEN,
            eligible_mentors=int(unmatched.eligible_mentors) if unmatched else 0,
        )
        transaction.on_commit(
            lambda: send_rematch_news.enqueue(
                mentee_id=mentee.pk, cohort_id=cohort.pk, found_mentor=False
            )
        )
    return RematchOutcome(unmatched=row)


# --------------------------------------------------------------------- mentee chooses


@transaction.atomic
def set_mentor_choices(*, cohort: Cohort, mentee: User, mentor_ids: list[int]) -> list[int]:
    """Replace her ranked choices (best first, at most three) with ``mentor_ids``. Each
    must be a mentor she may choose now, or one she had already ranked. Her own
    participation row is locked, so two quick submissions cannot interleave."""
    from .queries import mentor_options

    if len(mentor_ids) > MentorChoice.MAX_RANK:
        raise MatchingError(
            _("Choose at most %(count)s mentors.") % {"count": MentorChoice.MAX_RANK}
        )
    if len(set(mentor_ids)) != len(mentor_ids):
        raise MatchingError(_("Each mentor can be chosen once."))
    Participation.objects.select_for_update().filter(
        cohort=cohort, user=mentee, role=Participation.Role.MENTEE
    ).first()
    if Mentorship.objects.filter(
        cohort=cohort, mentee=mentee, status__in=Mentorship.OPEN_STATUSES
    ).exists():
        raise MatchingError(_("You already have a mentor in this cohort."))
    allowed = {option.user.pk for option in mentor_options(cohort, mentee)}
    if any(mentor_id not in allowed for mentor_id in mentor_ids):
        raise MatchingError(_("This mentor cannot be chosen now: she may have no free place."))
    MentorChoice.objects.filter(cohort=cohort, mentee=mentee).delete()
    MentorChoice.objects.bulk_create(
        MentorChoice(cohort=cohort, mentee=mentee, mentor_id=mentor_id, rank=rank)
        for rank, mentor_id in enumerate(mentor_ids, start=1)
    )
    return mentor_ids


def _current_choices(cohort: Cohort, mentee: User) -> list[int]:
    return list(
        MentorChoice.objects.filter(cohort=cohort, mentee=mentee)
        .order_by("rank")
        .values_list("mentor_id", flat=True)
    )


def rank_mentor(*, cohort: Cohort, mentee: User, mentor_id: int, rank: int) -> list[int]:
    """Put a mentor at ``rank`` (1 = first choice) among her choices; the others move
    down, and a fourth falls off."""
    if not 1 <= rank <= MentorChoice.MAX_RANK:
        raise MatchingError(
            _("Choose a rank from 1 to %(count)s.") % {"count": MentorChoice.MAX_RANK}
        )
    ordered = [pk for pk in _current_choices(cohort, mentee) if pk != mentor_id]
    ordered.insert(rank - 1, mentor_id)
    return set_mentor_choices(
        cohort=cohort, mentee=mentee, mentor_ids=ordered[: MentorChoice.MAX_RANK]
    )


def remove_mentor_choice(*, cohort: Cohort, mentee: User, mentor_id: int) -> list[int]:
    remaining = [pk for pk in _current_choices(cohort, mentee) if pk != mentor_id]
    return set_mentor_choices(cohort=cohort, mentee=mentee, mentor_ids=remaining)
