"""Races on PostgreSQL: staff publishing the results at the same instant write them once."""

from stem4all.accounts.tests.factories import UserFactory
from stem4all.awards import services
from stem4all.awards.models import Edition, Phase, Result
from stem4all.awards.tests.factories import (
    CategoryFactory,
    EditionFactory,
    JuryCriterionFactory,
    NominationFactory,
)
from stem4all.notifications.models import Notification
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import CohortFactory, ParticipationFactory


def test_publishing_twice_at_once_writes_the_results_once(postgres_only, run_concurrently):
    cohort = CohortFactory()
    people = [UserFactory(is_staff=True) for _i in range(4)]
    for person in people:
        ParticipationFactory(user=person, cohort=cohort, role=Participation.Role.STAFF)
    edition = EditionFactory(programme=cohort.programme, phase=Phase.BEFORE_RESULTS)
    category = CategoryFactory(edition=edition)
    JuryCriterionFactory(category=category)
    nominations = [NominationFactory(category=category) for _i in range(3)]

    def publish(i):
        return services.publish_results(edition=edition, by=people[i])

    results, errors = run_concurrently(publish, n=4)
    assert len(results) == 1
    assert len(errors) == 3
    assert all(isinstance(e, services.ResultsAlreadyPublished) for e in errors)
    assert Result.objects.filter(category=category).count() == len(nominations)
    stored = Edition.objects.get(pk=edition.pk)
    assert stored.results_published_by_id == results[0].results_published_by_id
    recipients = Notification.objects.filter(kind="award_results").values_list(
        "recipient", flat=True
    )
    assert len(recipients) == len(set(recipients))
