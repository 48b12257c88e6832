"""Races on PostgreSQL: many people registering for the last seats at the same instant
apply one after the other under the training's row lock."""

from stem4all.accounts.tests.factories import UserFactory
from stem4all.learning import services
from stem4all.learning.models import Registration
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import CohortFactory, ParticipationFactory

from .factories import TrainingFactory


def test_twenty_people_for_five_seats_get_five_seats_and_a_waitlist(
    postgres_only, run_concurrently
):
    cohort = CohortFactory()
    training = TrainingFactory(programme=cohort.programme, capacity=5)
    people = [UserFactory() for _i in range(20)]
    for person in people:
        ParticipationFactory(user=person, cohort=cohort, role=Participation.Role.MENTEE)

    def register(i):
        return services.register_for_training(training=training, user=people[i])

    results, errors = run_concurrently(register, n=20)
    assert errors == []
    registrations = Registration.objects.filter(training=training)
    assert registrations.filter(status=Registration.Status.REGISTERED).count() == 5
    waitlist = list(
        registrations.filter(status=Registration.Status.WAITLISTED).values_list(
            "position", flat=True
        )
    )
    assert sorted(waitlist) == list(range(1, 16))


def test_one_person_registering_twice_at_once_gets_one_registration(
    postgres_only, run_concurrently
):
    cohort = CohortFactory()
    training = TrainingFactory(programme=cohort.programme, capacity=5)
    person = UserFactory()
    ParticipationFactory(user=person, cohort=cohort, role=Participation.Role.MENTEE)

    def register(i):
        return services.register_for_training(training=training, user=person)

    results, errors = run_concurrently(register, n=4)
    assert len(results) == 1
    assert len(errors) == 3 and all(isinstance(e, services.LearningError) for e in errors)
    assert Registration.objects.filter(training=training, user=person).count() == 1


def test_cancelling_and_registering_at_once_never_overfills(postgres_only, run_concurrently):
    cohort = CohortFactory()
    training = TrainingFactory(programme=cohort.programme, capacity=2)
    people = [UserFactory() for _i in range(8)]
    for person in people:
        ParticipationFactory(user=person, cohort=cohort, role=Participation.Role.MENTEE)
    for person in people[:4]:
        services.register_for_training(training=training, user=person)

    def act(i):
        if i < 2:
            return services.cancel_registration(training=training, user=people[i])
        return services.register_for_training(training=training, user=people[i + 2])

    results, errors = run_concurrently(act, n=6)
    assert errors == []
    assert (
        Registration.objects.filter(
            training=training, status=Registration.Status.REGISTERED
        ).count()
        == 2
    )
