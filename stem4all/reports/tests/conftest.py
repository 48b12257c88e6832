"""Fixtures of the report tests: a small cohort counted by hand, and its funder."""

import datetime as dt

import pytest
from django.utils import timezone

from stem4all.accounts.geography import Region
from stem4all.accounts.tests.factories import UserFactory
from stem4all.checkins.tests.factories import PulseCheckFactory
from stem4all.closure.tests.factories import CertificateFactory
from stem4all.learning.models import Registration
from stem4all.learning.tests.factories import TrainingFactory
from stem4all.matching.tests.factories import MentorshipFactory
from stem4all.meetings.models import Meeting
from stem4all.meetings.tests.factories import MeetingFactory
from stem4all.mentorships.models import Mentorship
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import CohortFactory, ParticipationFactory
from stem4all.roadmaps.models import Roadmap, RoadmapStep

DAY = dt.timedelta(days=1)


def mentee_in(cohort, region=Region.NARYN, status=Participation.Status.ACCEPTED, applied=None):
    user = UserFactory(region=region)
    participation = ParticipationFactory(
        user=user, cohort=cohort, role=Participation.Role.MENTEE, status=status
    )
    if applied is not None:
        Participation.objects.filter(pk=participation.pk).update(created_at=applied)
    return user


@pytest.fixture
def counted(db):
    """Ten accepted mentees (six in Naryn, four in Bishkek), two who only applied, six
    mentors; ten pairs (five active, four completed, one ended early), each started
    four days after her application; three meetings held (60, 60 and 30 minutes) and
    one missed; four roadmap steps done and one planned; six mentees at a training
    (one of them twice) and one registered who did not come; five certificates and one
    revoked; five check-ins scored 3, 4, 4, 5, 5 and one unanswered."""
    cohort = CohortFactory()
    start = timezone.now() - 30 * DAY
    mentees = [mentee_in(cohort, Region.NARYN, applied=start) for _i in range(6)]
    mentees += [mentee_in(cohort, Region.BISHKEK, applied=start) for _i in range(4)]
    for _i in range(2):
        mentee_in(cohort, status=Participation.Status.APPLIED)
    mentors = [UserFactory() for _i in range(6)]
    for mentor in mentors:
        ParticipationFactory(user=mentor, cohort=cohort, role=Participation.Role.MENTOR)
    statuses = [Mentorship.Status.ACTIVE] * 5 + [Mentorship.Status.COMPLETED] * 4
    statuses += [Mentorship.Status.ENDED_EARLY]
    pairs = [
        MentorshipFactory(
            cohort=cohort,
            mentee=mentee,
            mentor=mentors[i % 6],
            status=status,
            started_at=start + 4 * DAY,
        )
        for i, (mentee, status) in enumerate(zip(mentees, statuses, strict=True))
    ]
    for minutes in (60, 60, 30):
        MeetingFactory(mentorship=pairs[0], duration_minutes=minutes, outcome="happened")
    MeetingFactory(mentorship=pairs[1], outcome=Meeting.Outcome.MISSED)
    roadmap = Roadmap.objects.create(mentorship=pairs[0])
    for position, status in enumerate(["done"] * 4 + ["planned"]):
        RoadmapStep.objects.create(
            roadmap=roadmap, position=position, title=f"Step {position}", status=status
        )
    training, second = (TrainingFactory(programme=cohort.programme) for _i in range(2))
    for mentee in mentees[:6]:
        Registration.objects.create(training=training, user=mentee, attended=True)
    Registration.objects.create(training=second, user=mentees[0], attended=True)
    Registration.objects.create(training=second, user=mentees[7], attended=False)
    for pair in pairs[5:9]:
        CertificateFactory(mentorship=pair)
    CertificateFactory(mentorship=pairs[9])
    CertificateFactory(mentorship=pairs[0], revoked_at=timezone.now())
    for pair, score in zip(pairs[:5], (3, 4, 4, 5, 5), strict=True):
        PulseCheckFactory(mentorship=pair, score=score, answered_at=timezone.now())
    PulseCheckFactory(mentorship=pairs[5])
    return cohort


@pytest.fixture
def funder(counted):
    user = UserFactory(full_name="Test Funder")
    ParticipationFactory(user=user, cohort=counted, role=Participation.Role.FUNDER)
    return user
