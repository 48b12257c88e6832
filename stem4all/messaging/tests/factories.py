"""Pairs with their conversation, messages, and safeguarding staff."""

import factory
from django.contrib.auth.models import Group, Permission

from stem4all.matching.tests.factories import MentorshipFactory
from stem4all.messaging import services
from stem4all.messaging.models import Message


def open_pair_conversation(cohort, *, mentee, mentor, **fields):
    """A mentorship of ``mentee`` and ``mentor`` and its conversation."""
    mentorship = MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor, **fields)
    return mentorship, services.conversation_for_mentorship(mentorship)


def grant_safeguarding_role(user):
    """Put the user in the "Safeguarding" group, which may moderate messages."""
    group, _created = Group.objects.get_or_create(name="Safeguarding")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="messaging", codename="moderate_messages")
    )
    user.groups.add(group)
    # has_perm caches the permissions on the instance.
    for cache in ("_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(cache, None)
    return user


class MessageFactory(factory.django.DjangoModelFactory):
    """A message written straight into the table, bypassing the posting rules."""

    class Meta:
        model = Message

    conversation = None
    sender = None
    text = factory.Sequence(lambda n: f"Message number {n} about the homework.")
    status = Message.Status.DELIVERED


def make_safeguarding_staff(cohort, **user_fields):
    """Accepted staff of the cohort's programme with the safeguarding role."""
    from stem4all.accounts.tests.factories import UserFactory
    from stem4all.programmes.models import Participation
    from stem4all.programmes.tests.factories import ParticipationFactory

    user = UserFactory(is_staff=True, **user_fields)
    ParticipationFactory(user=user, cohort=cohort, role=Participation.Role.STAFF)
    return grant_safeguarding_role(user)
