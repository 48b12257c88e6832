"""Races on PostgreSQL: concurrent requests never exceed a mentor's capacity nor give a
mentee two mentors or two pending proposals. Each test fails against the naive
version (no row locks, no partial unique constraints): see services' module docstring.
"""

from collections import Counter

from stem4all.accounts.tests.factories import UserFactory
from stem4all.matching import services
from stem4all.matching.models import MatchingRun, Proposal
from stem4all.matching.tests.factories import ProposalFactory, make_mentee, make_mentor
from stem4all.mentorships.models import Mentorship
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import CohortFactory, ParticipationFactory


def open_mentorships_per_mentee(cohort):
    return Counter(
        Mentorship.objects.filter(cohort=cohort, status__in=Mentorship.OPEN_STATUSES).values_list(
            "mentee_id", flat=True
        )
    )


def places_taken(mentor):
    return (
        Mentorship.objects.filter(mentor=mentor, status__in=Mentorship.OPEN_STATUSES).count()
        + Proposal.objects.filter(mentor=mentor, status=Proposal.Status.PROPOSED).count()
    )


def only_refusals(errors):
    assert all(isinstance(error, services.MatchingError) for error in errors), errors


def staff_runs(cohort, n):
    """``n`` staff members of the cohort, each with an empty draft run."""
    members = UserFactory.create_batch(n)
    for member in members:
        ParticipationFactory(user=member, cohort=cohort, role=Participation.Role.STAFF)
    runs = [MatchingRun.objects.create(cohort=cohort, created_by=member) for member in members]
    return members, runs


def draft(run, mentee, mentor):
    return ProposalFactory(
        run=run, cohort=run.cohort, mentee=mentee, mentor=mentor, status="draft", respond_by=None
    )


def test_staff_publishing_runs_at_once_never_exceed_a_mentors_capacity(
    postgres_only, run_concurrently
):
    """Eight staff publish eight draft runs of one cohort at the same moment; each run
    proposes a different mentee to the same mentor, who has one place."""
    cohort = CohortFactory()
    members, runs = staff_runs(cohort, 8)
    popular = make_mentor(cohort, capacity=1)
    for run in runs:
        draft(run, make_mentee(cohort), popular)

    def publish(i):
        return services.publish_matching_run(run=runs[i], staff=members[i])

    results, errors = run_concurrently(publish, n=8)
    only_refusals(errors)
    assert places_taken(popular) == 1, "the mentor got more mentees than her capacity"
    assert sum(report.proposed for report in results) == 1


def test_staff_publishing_runs_at_once_never_give_a_mentee_two_pending_proposals(
    postgres_only, run_concurrently
):
    """Eight runs published at the same moment each propose the same mentee to a
    different mentor: she ends with one proposal to wait for."""
    cohort = CohortFactory()
    members, runs = staff_runs(cohort, 8)
    mentee = make_mentee(cohort)
    for run in runs:
        draft(run, mentee, make_mentor(cohort, capacity=1))

    def publish(i):
        return services.publish_matching_run(run=runs[i], staff=members[i])

    results, errors = run_concurrently(publish, n=8)
    only_refusals(errors)
    waiting = Proposal.objects.filter(mentee=mentee, status=Proposal.Status.PROPOSED)
    assert waiting.count() == 1, "she was proposed two mentors at once"
    assert sum(report.proposed for report in results) == 1


def test_a_mentor_with_one_place_accepting_two_proposals_at_once_gets_one_mentee(
    postgres_only, run_concurrently
):
    cohort = CohortFactory()
    mentor = make_mentor(cohort, capacity=1)
    proposals = [
        ProposalFactory(cohort=cohort, mentee=make_mentee(cohort), mentor=mentor) for _ in range(2)
    ]

    def accept(i):
        return services.accept_proposal(proposal=proposals[i % 2], mentor=mentor)

    results, errors = run_concurrently(accept, n=8)
    active = Mentorship.objects.filter(mentor=mentor, status="active").count()
    assert active == 1, ("one mentee for one place", errors)
    only_refusals(errors)
    assert len(results) == 1
    statuses = Counter(Proposal.objects.values_list("status", flat=True))
    assert statuses["accepted"] == 1


def test_rematches_and_acceptances_at_once_never_give_a_mentee_two_mentors(
    postgres_only, run_concurrently
):
    """Eight re-matches of one mentee run at the same moment (the cascade after a
    decline, staff after an early end...), each allowed a different mentor, and each
    mentor who gets a proposal accepts it at once, while the others are still
    re-matching: she ends with exactly one mentor. Three rounds, a fresh cohort each."""
    for _round in range(3):
        cohort = CohortFactory()
        mentee = make_mentee(cohort)
        mentors = [make_mentor(cohort, capacity=1) for _ in range(8)]
        everyone = [mentor.pk for mentor in mentors]

        def rematch_and_accept(i, cohort=cohort, mentee=mentee, mentors=mentors, everyone=everyone):
            others = [pk for pk in everyone if pk != mentors[i].pk]
            outcome = services.rematch_mentee(cohort=cohort, mentee=mentee, exclude_mentors=others)
            if outcome.proposal is None:
                return None
            return services.accept_proposal(proposal=outcome.proposal, mentor=mentors[i])

        results, errors = run_concurrently(rematch_and_accept, n=8)
        assert open_mentorships_per_mentee(cohort)[mentee.pk] == 1, ("one mentor", errors)
        waiting = Proposal.objects.filter(mentee=mentee, status=Proposal.Status.PROPOSED)
        assert not waiting.exists(), "she still waits for a second mentor"
        only_refusals(errors)
        assert len([result for result in results if result is not None]) == 1
