"""Reads about conversations, scoped to the viewer (the accessors in ``permissions``
have checked who she is)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, DateTimeField, IntegerField, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from stem4all.accounts.models import User

from .models import ConcernReport, Conversation, ConversationMember, Message
from .permissions import safeguarding_programme_ids

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
PAGE_SIZE = 100


def _unread_subquery():
    unread = (
        Message.objects.filter(
            conversation_id=OuterRef("conversation_id"),
            status=Message.Status.DELIVERED,
            created_at__gt=Coalesce(OuterRef("last_read_at"), EPOCH, output_field=DateTimeField()),
        )
        .exclude(sender_id=OuterRef("user_id"))
        .order_by()
        .values("conversation_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), 0)


def my_conversations(user: User) -> QuerySet[ConversationMember]:
    """Her current memberships, each with ``unread`` and ``last_message_at``, newest
    activity first."""
    last = (
        Message.objects.filter(
            conversation_id=OuterRef("conversation_id"), status=Message.Status.DELIVERED
        )
        .order_by()
        .values("conversation_id")
        .annotate(last=Max("created_at"))
        .values("last")
    )
    return (
        ConversationMember.objects.filter(user=user, left_at__isnull=True)
        .select_related(
            "conversation__cohort",
            "conversation__mentorship__mentee",
            "conversation__mentorship__mentor",
        )
        .annotate(unread=_unread_subquery(), last_message_at=Subquery(last))
        .order_by(Coalesce("last_message_at", "joined_at").desc(), "-pk")
    )


def unread_count(user: User) -> int:
    """All unread messages across her conversations (for a badge)."""
    return sum(row.unread for row in my_conversations(user))


def conversation_title(conversation: Conversation, viewer: User) -> str:
    if conversation.kind == Conversation.Kind.ALUMNI and conversation.cohort is not None:
        return _("Alumni of %(cohort)s") % {"cohort": conversation.cohort.name}
    if conversation.title:
        return conversation.title
    mentorship = conversation.mentorship
    if mentorship is not None:
        if viewer.pk == mentorship.mentee_id:
            return mentorship.mentor.full_name
        if viewer.pk == mentorship.mentor_id:
            return mentorship.mentee.full_name
        return f"{mentorship.mentee.full_name} — {mentorship.mentor.full_name}"
    return str(conversation)


def message_page(messages: QuerySet[Message], *, before: int | None = None):
    """The last ``PAGE_SIZE`` messages (before message id ``before``), oldest first,
    and whether earlier ones exist."""
    rows = messages.select_related("sender")
    if before is not None:
        rows = rows.filter(pk__lt=before)
    newest_first = list(rows.order_by("-created_at", "-pk")[: PAGE_SIZE + 1])
    has_earlier = len(newest_first) > PAGE_SIZE
    return list(reversed(newest_first[:PAGE_SIZE])), has_earlier


def others_read_at(conversation: Conversation, viewer: User):
    """The latest time another current member read the conversation."""
    return (
        ConversationMember.objects.filter(conversation=conversation, left_at__isnull=True)
        .exclude(user=viewer)
        .aggregate(latest=Max("last_read_at"))["latest"]
    )


def held_messages_for(user: User) -> QuerySet[Message]:
    rows = Message.objects.filter(status=Message.Status.HELD).select_related(
        "sender",
        "conversation__cohort",
        "conversation__mentorship__mentee",
        "conversation__mentorship__mentor",
    )
    scope = safeguarding_programme_ids(user)
    if scope is not None:
        rows = rows.filter(conversation__cohort__programme_id__in=scope)
    return rows.order_by("created_at", "pk")


def context_before(message: Message, count: int = 3) -> list[Message]:
    """The few delivered messages just before a held one, for the moderator."""
    rows = Message.objects.filter(
        conversation_id=message.conversation_id,
        status=Message.Status.DELIVERED,
        created_at__lte=message.created_at,
    ).exclude(pk=message.pk)
    return list(reversed(rows.select_related("sender").order_by("-created_at", "-pk")[:count]))


def concerns_for(user: User, *, status: str = "") -> QuerySet[ConcernReport]:
    """Concern reports a safeguarding staff member handles; never one about herself."""
    rows = ConcernReport.objects.select_related(
        "reporter", "about_user", "message__sender", "cohort", "handled_by"
    ).exclude(about_user=user)
    scope = safeguarding_programme_ids(user)
    if scope is not None:
        rows = rows.filter(cohort__programme_id__in=scope)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-status", "-created_at", "-pk")  # open first
