"""Ended mentorships, exit surveys and certificates for the closure tests."""

import factory
from django.utils import timezone

from stem4all.closure.models import Certificate, ExitSurvey
from stem4all.matching.tests.factories import MentorshipFactory
from stem4all.mentorships.models import Mentorship


def ended_pair(cohort, mentee, mentor, status=Mentorship.Status.COMPLETED):
    return MentorshipFactory(
        cohort=cohort, mentee=mentee, mentor=mentor, status=status, ended_at=timezone.now()
    )


class ExitSurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExitSurvey

    mentorship = factory.SubFactory(MentorshipFactory, status=Mentorship.Status.COMPLETED)
    respondent = factory.LazyAttribute(lambda o: o.mentorship.mentee)
    role = factory.LazyAttribute(
        lambda o: "mentee" if o.respondent == o.mentorship.mentee else "mentor"
    )
    overall_rating = 4
    goals_met = 3
    would_recommend = True
    what_worked = "Weekly calls"
    what_to_improve = ""


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    mentorship = factory.SubFactory(MentorshipFactory, status=Mentorship.Status.COMPLETED)
    mentee = factory.LazyAttribute(lambda o: o.mentorship.mentee)
    mentee_name = factory.LazyAttribute(lambda o: o.mentorship.mentee.full_name)
    mentor_name = factory.LazyAttribute(lambda o: o.mentorship.mentor.full_name)
    programme_name = factory.LazyAttribute(lambda o: o.mentorship.cohort.programme.name)
    cohort_name = factory.LazyAttribute(lambda o: o.mentorship.cohort.name)
    started_on = factory.LazyFunction(timezone.localdate)
    completed_on = factory.LazyFunction(timezone.localdate)
