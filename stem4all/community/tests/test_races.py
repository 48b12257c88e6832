"""Races on PostgreSQL: staff deciding at once, and a representative editing while
staff decide, are serialised by the row lock; exactly one decision wins and the
others get a CommunityError, never a 500."""

from stem4all.accounts.tests.factories import UserFactory
from stem4all.community import services
from stem4all.community.models import PartnerOrganisation, Practice
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import CohortFactory, ParticipationFactory

from .factories import PartnerOrganisationFactory, PartnerRepresentativeFactory, PracticeFactory


def _staff_of(cohort, n):
    return [
        ParticipationFactory(cohort=cohort, role=Participation.Role.STAFF, user=UserFactory()).user
        for _ in range(n)
    ]


def test_concurrent_decisions_on_a_practice_let_exactly_one_win(postgres_only, run_concurrently):
    cohort = CohortFactory()
    staff = _staff_of(cohort, 4)
    practice = PracticeFactory(
        organisation=PartnerOrganisationFactory(programme=cohort.programme),
        status=Practice.Status.SUBMITTED,
        published_at=None,
    )

    def decide(i):
        return services.decide_practice(
            practice=practice, by=staff[i], approve=i % 2 == 0, reason="Not yet."
        )

    results, errors = run_concurrently(decide, n=4)
    assert len(results) == 1
    assert len(errors) == 3
    assert all(isinstance(error, services.CommunityError) for error in errors)
    practice.refresh_from_db()
    assert practice.decided_by == results[0].decided_by


def test_concurrent_decisions_on_an_organisation_let_exactly_one_win(
    postgres_only, run_concurrently
):
    cohort = CohortFactory()
    staff = _staff_of(cohort, 4)
    organisation = PartnerOrganisationFactory(
        programme=cohort.programme, status=PartnerOrganisation.Status.PENDING
    )

    def decide(i):
        return services.decide_partner_organisation(
            organisation=organisation, by=staff[i], approve=True
        )

    results, errors = run_concurrently(decide, n=4)
    assert len(results) == 1
    assert all(isinstance(error, services.CommunityError) for error in errors)


def test_a_representative_cannot_edit_a_practice_while_it_is_being_approved(
    postgres_only, run_concurrently
):
    cohort = CohortFactory()
    (reviewer,) = _staff_of(cohort, 1)
    organisation = PartnerOrganisationFactory(programme=cohort.programme)
    representative = PartnerRepresentativeFactory(organisation=organisation).user
    practice = PracticeFactory(
        organisation=organisation, status=Practice.Status.REJECTED, published_at=None
    )

    def act(i):
        if i == 0:
            return services.submit_practice(practice=practice, by=representative)
        return services.update_practice(practice=practice, by=representative, title="Edited")

    results, errors = run_concurrently(act, n=2)
    assert all(isinstance(error, services.CommunityError) for error in errors)
    practice.refresh_from_db()
    # Whatever the order, the practice ends in a coherent state.
    assert practice.status in (Practice.Status.SUBMITTED, Practice.Status.DRAFT)
