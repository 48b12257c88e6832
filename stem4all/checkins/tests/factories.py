"""Pairs started on a fixed day, and their activity, for the periodic rules."""

import datetime as dt

import factory

from stem4all.checkins.models import PairFlag, PulseCheck
from stem4all.matching.tests.factories import MentorshipFactory

START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def day(n: int, hours: int = 0) -> dt.datetime:
    """Day ``n`` of a pair started at ``START``."""
    return START + dt.timedelta(days=n, hours=hours)


def make_started_pair(cohort, mentee, mentor, **fields):
    return MentorshipFactory(
        cohort=cohort, mentee=mentee, mentor=mentor, started_at=START, **fields
    )


def add_message(mentorship, *, at, status="delivered"):
    from stem4all.messaging.models import Conversation, Message

    conversation, _ = Conversation.objects.get_or_create(
        mentorship=mentorship, defaults={"kind": "pair", "cohort": mentorship.cohort}
    )
    message = Message.objects.create(
        conversation=conversation, sender=mentorship.mentee, text="Hello", status=status
    )
    Message.objects.filter(pk=message.pk).update(created_at=at)
    return message


class PulseCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PulseCheck

    mentorship = factory.SubFactory(MentorshipFactory)
    respondent = factory.LazyAttribute(lambda o: o.mentorship.mentee)
    round = 1
    due_on = dt.date(2026, 2, 4)


class PairFlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PairFlag

    mentorship = factory.SubFactory(MentorshipFactory)
    reason = PairFlag.Reason.LOW_PULSE
