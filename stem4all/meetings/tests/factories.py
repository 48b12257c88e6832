"""A pair across time zones and meetings for it."""

import datetime as dt

import factory

from stem4all.matching.tests.factories import MentorshipFactory, make_mentee, make_mentor
from stem4all.meetings.models import Meeting

NOW = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def make_pair(cohort, **fields):
    mentee = make_mentee(cohort, full_name="Aigerim Testkyzy", time_zone="Asia/Bishkek")
    mentor = make_mentor(cohort, full_name="Hanna Testfrau", time_zone="Europe/Berlin")
    return MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor, **fields)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    mentorship = factory.SubFactory(MentorshipFactory)
    proposed_by = factory.LazyAttribute(lambda o: o.mentorship.mentee)
    starts_at = dt.datetime(2026, 1, 15, 13, 0, tzinfo=dt.UTC)
    time_zone = "Asia/Bishkek"
    duration_minutes = 60
    online_link = "https://meet.example.org/pair"
    agenda = "Study plan"
