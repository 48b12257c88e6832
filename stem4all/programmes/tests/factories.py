import datetime as dt

import factory
from django.utils import timezone

from stem4all.accounts.tests.factories import UserFactory
from stem4all.programmes.models import Cohort, Participation, Programme


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    description = "A mentoring programme for girls and women in STEM."
    organisers = "Example Foundation"
    funders = "Example Funder"
    contact_email = "team@example.org"


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    slug = factory.Sequence(lambda n: f"cohort-{n}")
    phase = Cohort.Phase.APPLICATIONS
    applications_close_on = factory.LazyFunction(
        lambda: timezone.localdate() + dt.timedelta(days=30)
    )
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=45))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=225))


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    user = factory.SubFactory(UserFactory)
    cohort = factory.SubFactory(CohortFactory)
    role = Participation.Role.MENTEE
    status = Participation.Status.ACCEPTED
