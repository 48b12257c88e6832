"""Races on PostgreSQL: of two staff confirming one voiding at once exactly one
confirms it, and a requester confirming her own request together with a colleague is
always refused."""

import datetime as dt

from stem4all.awards import queries, services
from stem4all.awards.models import Phase, VoteVoiding
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import CohortFactory, ParticipationFactory

from .factories import CategoryFactory, EditionFactory, NominationFactory
from .test_integrity import make_vote, make_voter


def _setup(staff_count):
    cohort = CohortFactory()
    people = []
    for _i in range(staff_count):
        person = make_voter(dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
        ParticipationFactory(user=person, cohort=cohort, role=Participation.Role.STAFF)
        people.append(person)
    edition = EditionFactory(programme=cohort.programme, phase=Phase.JURY)
    nomination = NominationFactory(category=CategoryFactory(edition=edition))
    opens = edition.voting_open_at
    vote = make_vote(nomination, make_voter(opens - dt.timedelta(days=2)), opens)
    voiding = services.request_voiding(vote=vote, by=people[0], reason="Bot cluster")
    return people, voiding, nomination


def test_two_staff_confirming_at_once_confirm_it_once(postgres_only, run_concurrently):
    people, voiding, nomination = _setup(3)

    def confirm(i):
        return services.confirm_voiding(voiding=voiding, by=people[1 + i])

    results, errors = run_concurrently(confirm, n=2)
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], services.VoidingRefused)
    stored = VoteVoiding.objects.get()
    assert stored.confirmed_by_id == results[0].confirmed_by_id
    assert queries.tally([nomination.category]) == {}


def test_a_requester_confirming_her_own_request_at_once_with_a_colleague_is_refused(
    postgres_only, run_concurrently
):
    people, voiding, _nomination = _setup(2)

    def confirm(i):
        return services.confirm_voiding(voiding=voiding, by=people[i])

    results, errors = run_concurrently(confirm, n=2)
    assert [r.confirmed_by_id for r in results] == [people[1].pk]
    assert len(errors) == 1 and isinstance(errors[0], services.VoidingRefused)
    assert VoteVoiding.objects.get().confirmed_by_id == people[1].pk


def test_many_staff_confirming_at_once_leave_one_confirmation(postgres_only, run_concurrently):
    people, voiding, _nomination = _setup(7)

    def confirm(i):
        return services.confirm_voiding(voiding=voiding, by=people[i])

    results, errors = run_concurrently(confirm, n=7)
    assert len(results) == 1
    assert len(errors) == 6 and all(isinstance(e, services.VoidingRefused) for e in errors)
    assert results[0].confirmed_by_id != people[0].pk
