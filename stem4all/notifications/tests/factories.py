"""Notifications for tests."""

import factory

from stem4all.accounts.tests.factories import UserFactory
from stem4all.notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = Notification.Kind.MEETING_ACCEPTED
    key = factory.Sequence(lambda n: f"test-event:{n}")
    url = "/meetings/1/"
    params = factory.LazyFunction(lambda: {"name": "Elena", "when": "2026-03-02T10:00:00+06:00"})
