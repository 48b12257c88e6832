import datetime as dt

import factory
from django.utils import timezone

from stem4all.learning.models import Lecture, Registration, Topic, Training
from stem4all.programmes.tests.factories import ProgrammeFactory


class LectureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lecture

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Lecture {n}")
    speaker_name = "Test Speaker"
    speaker_kind = Lecture.SpeakerKind.GUEST
    summary = "What the lecture is about."
    topic = Topic.LEADERSHIP
    language = "en"
    duration_minutes = 45
    is_published = True


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Training {n}")
    trainer_name = "Test Trainer"
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + dt.timedelta(days=7)).replace(microsecond=0)
    )
    time_zone = "Asia/Bishkek"
    duration_minutes = 90
    venue = "Room 1, Test Hub"
    capacity = 10
    is_published = True


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    training = factory.SubFactory(TrainingFactory)
    user = factory.SubFactory("stem4all.accounts.tests.factories.UserFactory")
    status = Registration.Status.REGISTERED
