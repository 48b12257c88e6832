"""Races on PostgreSQL: staff deciding the same nomination at once give one decision
(the row lock and the status re-read), two approvals of the same nominee give one
(the partial unique constraint), and a double click nominates once."""

from stem4all.accounts.tests.factories import UserFactory
from stem4all.awards import services
from stem4all.awards.errors import AwardError
from stem4all.awards.models import Nomination, Phase
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import CohortFactory, ParticipationFactory

from .factories import CategoryFactory, EditionFactory


def _setting(staff_count=8):
    cohort = CohortFactory()
    edition = EditionFactory(programme=cohort.programme, phase=Phase.NOMINATIONS)
    category = CategoryFactory(edition=edition)
    mentor = UserFactory()
    ParticipationFactory(user=mentor, cohort=cohort, role=Participation.Role.MENTOR)
    staff = [UserFactory() for _i in range(staff_count)]
    for person in staff:
        ParticipationFactory(user=person, cohort=cohort, role=Participation.Role.STAFF)
    return cohort, category, mentor, staff


def _nominated(cohort, category, mentor, *, consented=True):
    nominator = UserFactory()
    ParticipationFactory(user=nominator, cohort=cohort, role=Participation.Role.MENTEE)
    nomination = services.nominate(
        category=category, nominated_by=nominator, nominee_user=mentor, statement="Kind."
    )
    if consented:
        services.consent_to_nomination(nomination=nomination, nominee=mentor)
    return nomination


def test_staff_deciding_the_same_nomination_at_once_give_one_decision(
    postgres_only, run_concurrently
):
    cohort, category, mentor, staff = _setting()
    nomination = _nominated(cohort, category, mentor)

    def decide(i):
        if i % 2:
            return services.review_nomination(
                nomination=nomination, by=staff[i], decision="reject", reason=f"Reason {i}"
            )
        return services.review_nomination(nomination=nomination, by=staff[i], decision="approve")

    results, errors = run_concurrently(decide, n=8)
    assert len(results) == 1
    assert len(errors) == 7 and all(isinstance(e, services.AlreadyReviewed) for e in errors)
    nomination.refresh_from_db()
    assert nomination.status == results[0].status
    assert nomination.reviewed_by == results[0].reviewed_by


def test_two_nominations_of_one_person_approved_at_once_give_one_approval(
    postgres_only, run_concurrently
):
    cohort, category, mentor, staff = _setting(staff_count=6)
    nominations = [_nominated(cohort, category, mentor) for _i in range(6)]

    def approve(i):
        return services.review_nomination(
            nomination=nominations[i], by=staff[i], decision="approve"
        )

    results, errors = run_concurrently(approve, n=6)
    assert len(results) == 1
    assert len(errors) == 5 and all(isinstance(e, AwardError) for e in errors)
    assert all("merge" in str(e) for e in errors)
    assert Nomination.objects.filter(status=Nomination.Status.APPROVED).count() == 1
    assert Nomination.objects.filter(status=Nomination.Status.PENDING).count() == 5


def test_a_double_click_nominates_once(postgres_only, run_concurrently):
    cohort, category, mentor, _staff = _setting(staff_count=0)
    nominator = UserFactory()
    ParticipationFactory(user=nominator, cohort=cohort, role=Participation.Role.MENTEE)

    def nominate(i):
        return services.nominate(
            category=category, nominated_by=nominator, nominee_user=mentor, statement="Kind."
        )

    results, errors = run_concurrently(nominate, n=4)
    assert len(results) == 1
    assert len(errors) == 3 and all(isinstance(e, services.AlreadyNominated) for e in errors)
    assert Nomination.objects.count() == 1
