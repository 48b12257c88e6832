"""Who may read a conversation, moderate a held message or read a concern report.

- A current member reads her conversations; she sees delivered messages and her own
  held or rejected ones (marked), never someone else's held ones.
- Staff of the programme of the conversation's cohort may read it; reading a minor
  mentee's pair conversation leaves a ``StaffAccessLog`` row each time.
- "Safeguarding staff": programme staff who also hold ``messaging.moderate_messages``
  (given through a group; a superuser has every permission). Only they see the
  moderation queue and concern reports.

Everyone else gets 404: a conversation's existence is private.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from stem4all.accounts.models import User
from stem4all.accounts.permissions import (
    get_person_for_viewer,
    is_programme_staff,
    staff_programme_ids,
)
from stem4all.programmes.models import Cohort, Participation

from .models import ConcernReport, Conversation, ConversationMember, Message

MODERATE_PERMISSION = "messaging.moderate_messages"


def is_known_adult(user: User) -> bool:
    """Unknown age counts as not adult, as in ``can_be_matched_or_contacted``."""
    return user.date_of_birth is not None and not user.is_minor


def can_moderate(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(MODERATE_PERMISSION))


def is_safeguarding_staff(user: User, cohort: Cohort | None) -> bool:
    if not can_moderate(user):
        return False
    if cohort is None:
        return user.is_superuser
    return is_programme_staff(user, cohort.programme_id)


def safeguarding_programme_ids(user: User):
    """Programmes whose held messages and concerns the user handles (None: all)."""
    if not can_moderate(user):
        return []
    if user.is_superuser:
        return None
    return staff_programme_ids(user)


def safeguarding_staff_of(cohort: Cohort | None) -> list[User]:
    """The people to tell about a held message or a concern in ``cohort``."""
    if cohort is None:
        return []
    staff = (
        User.objects.filter(
            is_active=True,
            participations__role=Participation.Role.STAFF,
            participations__status=Participation.Status.ACCEPTED,
            participations__cohort__programme_id=cohort.programme_id,
        )
        .distinct()
        .order_by("pk")
    )
    return [person for person in staff if person.has_perm(MODERATE_PERMISSION)]


def current_membership(user: User, conversation: Conversation) -> ConversationMember | None:
    if not user.is_authenticated:
        return None
    return ConversationMember.objects.filter(
        conversation=conversation, user=user, left_at__isnull=True
    ).first()


def is_conversation_staff(user: User, conversation: Conversation) -> bool:
    return conversation.cohort is not None and is_programme_staff(
        user, conversation.cohort.programme_id
    )


def needs_staff_audit(conversation: Conversation) -> bool:
    return bool(staff_audit_subjects(conversation))


def staff_audit_subjects(conversation: Conversation) -> list[User]:
    """Whose private data staff read when they open the conversation: a pair's mentee
    not known to be adult, or a group's current members not known to be adult."""
    if conversation.kind == Conversation.Kind.PAIR:
        mentee = conversation.mentorship.mentee if conversation.mentorship else None
        return [mentee] if mentee is not None and not is_known_adult(mentee) else []
    if conversation.kind != Conversation.Kind.GROUP:
        return []
    members = User.objects.filter(
        conversation_memberships__conversation=conversation,
        conversation_memberships__left_at__isnull=True,
    ).order_by("pk")
    return [member for member in members if not is_known_adult(member)]


def get_conversation_for_reader(
    user: User, conversation_id: int
) -> tuple[Conversation, ConversationMember | None]:
    """The conversation and the reader's membership (None for staff reading it)."""
    conversation = (
        Conversation.objects.select_related(
            "cohort__programme", "mentorship__mentee", "mentorship__mentor"
        )
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None or not user.is_authenticated or not user.is_active:
        raise Http404
    membership = current_membership(user, conversation)
    if membership is not None:
        return conversation, membership
    if is_conversation_staff(user, conversation):
        return conversation, None
    raise Http404


def visible_messages(user: User, conversation: Conversation, *, is_member: bool) -> QuerySet:
    rows = Message.objects.filter(conversation=conversation)
    if is_member:
        return rows.filter(Q(status=Message.Status.DELIVERED) | Q(sender=user))
    if is_safeguarding_staff(user, conversation.cohort):
        return rows
    return rows.filter(status=Message.Status.DELIVERED)


def get_message_for_reporter(user: User, message_id) -> Message:
    message = (
        Message.objects.select_related("conversation__cohort__programme", "sender")
        .filter(pk=message_id)
        .first()
    )
    if message is None or not user.is_authenticated:
        raise Http404
    conversation = message.conversation
    is_member = current_membership(user, conversation) is not None
    if not is_member and not is_conversation_staff(user, conversation):
        raise Http404
    if not visible_messages(user, conversation, is_member=is_member).filter(pk=message.pk):
        raise Http404
    return message


def shared_conversation(user: User, other: User) -> Conversation | None:
    return (
        Conversation.objects.filter(
            members__user=user, members__left_at__isnull=True, cohort__isnull=False
        )
        .filter(members__user=other, members__left_at__isnull=True)
        .select_related("cohort")
        .order_by("-created_at")
        .first()
    )


def get_person_for_reporter(user: User, person_id) -> User:
    """Someone the reporter can see: a profile she may open, or a person she shares a
    conversation with."""
    person = User.objects.filter(pk=person_id, is_active=True).first()
    if person is None or not user.is_authenticated or person.pk == user.pk:
        raise Http404
    if shared_conversation(user, person) is not None:
        return person
    get_person_for_viewer(user, person.pk)
    return person


def get_held_message_for_moderator(user: User, message_id: int) -> Message:
    message = (
        Message.objects.select_related("conversation__cohort__programme", "sender")
        .filter(pk=message_id)
        .first()
    )
    if message is None or not is_safeguarding_staff(user, message.conversation.cohort):
        raise Http404
    return message


def get_concern_for_safeguarding(user: User, report_id: int) -> ConcernReport:
    report = ConcernReport.objects.select_related("cohort").filter(pk=report_id).first()
    if report is None or not is_safeguarding_staff(user, report.cohort):
        raise Http404
    if report.about_user_id == user.pk:
        raise Http404
    return report


def require_safeguarding_staff(user: User) -> None:
    """The moderation queue and the concern list: 404 for anyone without the role in
    at least one programme."""
    if not can_moderate(user):
        raise Http404
    if not user.is_superuser and not staff_programme_ids(user).exists():
        raise Http404


def posting_refusal(
    *, conversation: Conversation, sender: User, mentorship=None, membership=None
) -> str:
    """Why ``sender`` cannot write in ``conversation`` now, or "" when she can. The
    posting service calls it with the mentorship it has just locked; pages call it to
    disable the message box with the same explanation."""
    from stem4all.accounts.permissions import can_be_matched_or_contacted
    from stem4all.mentorships.models import Mentorship

    if membership is None:
        membership = current_membership(sender, conversation)
    if membership is None:
        return _("Only the members of this conversation can write in it.")
    if conversation.kind == Conversation.Kind.PAIR:
        mentorship = mentorship or conversation.mentorship
        if mentorship.status == Mentorship.Status.PAUSED:
            return _("The mentorship is paused: you can write again when it resumes.")
        if mentorship.status != Mentorship.Status.ACTIVE:
            return _(
                "The mentorship has ended: the conversation stays as a record, "
                "but no new messages can be sent."
            )
        mentee = mentorship.mentee
        if not can_be_matched_or_contacted(mentee):
            if not mentee.is_active:
                return _("The mentee's account is closed: no new messages can be sent.")
            if mentee.date_of_birth is None:
                return _("Messages are paused until the mentee's date of birth is on record.")
            return _("Messages are paused until a guardian's consent for the mentee is on record.")
    elif sender.is_minor and not can_be_matched_or_contacted(sender):
        return _("You can write here once a guardian's consent is on record.")
    return ""
