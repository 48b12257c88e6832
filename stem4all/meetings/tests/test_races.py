"""Races on PostgreSQL: two answers to one proposed meeting at the same instant apply
one after the other under the meeting's row lock; the second gets a MeetingError."""

import datetime as dt

from django.utils import timezone

from stem4all.meetings import services
from stem4all.meetings.models import Meeting
from stem4all.notifications.models import Notification
from stem4all.programmes.tests.factories import CohortFactory

from .factories import MeetingFactory, make_pair


def _proposed(pair):
    return MeetingFactory(
        mentorship=pair, proposed_by=pair.mentee, starts_at=timezone.now() + dt.timedelta(days=3)
    )


def test_two_accepts_at_once_accept_once(postgres_only, run_concurrently):
    pair = make_pair(CohortFactory())
    for _round in range(4):
        meeting = _proposed(pair)

        def accept(i, meeting=meeting):
            return services.accept_meeting(meeting=meeting, by=pair.mentor)

        results, errors = run_concurrently(accept, n=2)
        assert len(results) == 1, errors
        assert len(errors) == 1 and isinstance(errors[0], services.MeetingError), errors
        meeting.refresh_from_db()
        assert (meeting.status, meeting.sequence) == (Meeting.Status.ACCEPTED, 1)
        assert (
            Notification.objects.filter(key__startswith=f"meeting-accepted:{meeting.pk}:").count()
            == 1
        )


def test_accept_and_another_time_at_once_have_one_outcome(postgres_only, run_concurrently):
    pair = make_pair(CohortFactory())
    later = (timezone.now() + dt.timedelta(days=5)).replace(tzinfo=None, microsecond=0)
    for _round in range(4):
        meeting = _proposed(pair)

        def answer(i, meeting=meeting):
            if i == 0:
                return services.accept_meeting(meeting=meeting, by=pair.mentor)
            return services.propose_other_time(
                meeting=meeting,
                by=pair.mentor,
                starts_at_local=later,
                time_zone="UTC",
                duration_minutes=60,
                place="Library",
            )

        results, errors = run_concurrently(answer, n=2)
        assert len(results) == 1, errors
        assert len(errors) == 1 and isinstance(errors[0], services.MeetingError), errors
        meeting.refresh_from_db()
        replacements = Meeting.objects.filter(replaces=meeting).count()
        if meeting.status == Meeting.Status.ACCEPTED:
            assert replacements == 0
        else:
            assert meeting.status == Meeting.Status.SUPERSEDED and replacements == 1
