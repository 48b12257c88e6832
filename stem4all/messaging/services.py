"""Writes about conversations: opening a pair's conversation, posting (with the
safeguarding hold), reading, moderating held messages, reporting and closing concerns,
and the cohort's alumni group.

Races are closed by row locks: posting in a pair's conversation locks the mentorship
row (the same lock a pause or an end takes) and re-reads its status, so no message is
delivered after a pause or an end; moderating locks the message and re-reads its
status, so of two moderators deciding at once one wins and the other is told.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stem4all.accounts.models import User
from stem4all.accounts.permissions import can_be_matched_or_contacted
from stem4all.core.errors import DomainError
from stem4all.mentorships.models import Mentorship
from stem4all.notifications.models import Notification
from stem4all.notifications.services import notify
from stem4all.programmes.models import Cohort, Participation

from .models import MAX_MESSAGE_LENGTH, ConcernReport, Conversation, ConversationMember, Message
from .permissions import (
    get_message_for_reporter,
    get_person_for_reporter,
    is_known_adult,
    is_safeguarding_staff,
    posting_refusal,
    safeguarding_staff_of,
    shared_conversation,
)
from .safeguarding import contains_contact_details

Kind = Notification.Kind


class MessagingError(DomainError):
    """A request that the messaging rules refuse; the message is shown to the user."""


def _clean_text(text: str, *, empty: str) -> str:
    text = (text or "").strip()
    if not text:
        raise MessagingError(empty)
    if len(text) > MAX_MESSAGE_LENGTH:
        raise MessagingError(
            _("Keep it under %(limit)s characters; this one has %(length)s.")
            % {"limit": MAX_MESSAGE_LENGTH, "length": len(text)}
        )
    return text


# ------------------------------------------------------------------------ conversations


@transaction.atomic
def conversation_for_mentorship(mentorship: Mentorship) -> Conversation:
    """The pair's conversation, created with both of them as members on first use."""
    conversation = Conversation.objects.filter(mentorship=mentorship).first()
    if conversation is None:
        try:
            with transaction.atomic():
                conversation = Conversation.objects.create(
                    kind=Conversation.Kind.PAIR, mentorship=mentorship, cohort=mentorship.cohort
                )
        except IntegrityError:  # the other member opened it at the same moment
            conversation = Conversation.objects.get(mentorship=mentorship)
    for user_id in (mentorship.mentee_id, mentorship.mentor_id):
        _join(conversation, user_id)
    return conversation


def _join(conversation: Conversation, user_id: int) -> ConversationMember:
    try:
        with transaction.atomic():
            member, _created = ConversationMember.objects.get_or_create(
                conversation=conversation, user_id=user_id
            )
    except IntegrityError:
        member = ConversationMember.objects.get(conversation=conversation, user_id=user_id)
    return member


def _alumni_conversation(cohort: Cohort) -> Conversation:
    kind = Conversation.Kind.ALUMNI
    conversation = Conversation.objects.filter(kind=kind, cohort=cohort).first()
    if conversation is not None:
        return conversation
    try:
        with transaction.atomic():
            return Conversation.objects.create(
                kind=kind, cohort=cohort, title=f"Alumni of {cohort.name}"
            )
    except IntegrityError:  # the unique constraint: someone else created it first
        return Conversation.objects.get(kind=kind, cohort=cohort)


@transaction.atomic
def add_to_alumni_group(*, cohort: Cohort, user: User) -> Conversation:
    """Add her to the cohort's alumni group (created on first use); re-joins a member
    who had left."""
    conversation = _alumni_conversation(cohort)
    member = _join(conversation, user.pk)
    if member.left_at is not None:
        member.left_at = None
        member.save(update_fields=["left_at"])
    return conversation


@transaction.atomic
def leave_alumni_group(*, cohort: Cohort, user: User) -> None:
    """She stops being a member; her earlier messages stay."""
    ConversationMember.objects.filter(
        conversation__kind=Conversation.Kind.ALUMNI,
        conversation__cohort=cohort,
        user=user,
        left_at__isnull=True,
    ).update(left_at=timezone.now())


@transaction.atomic
def create_group_conversation(*, cohort: Cohort, title: str) -> Conversation:
    """A new GROUP conversation (a peer group's); its members are added with
    ``join_conversation``."""
    return Conversation.objects.create(kind=Conversation.Kind.GROUP, cohort=cohort, title=title)


@transaction.atomic
def join_conversation(*, conversation: Conversation, user: User) -> ConversationMember:
    """Make her a current member (re-joins a member who had left)."""
    member = _join(conversation, user.pk)
    if member.left_at is not None:
        member.left_at = None
        member.save(update_fields=["left_at"])
    return member


@transaction.atomic
def leave_conversation(*, conversation: Conversation, user: User) -> None:
    """She stops being a member; her earlier messages stay."""
    ConversationMember.objects.filter(
        conversation=conversation, user=user, left_at__isnull=True
    ).update(left_at=timezone.now())


# ---------------------------------------------------------------------------- messages


def _current_members(conversation: Conversation) -> list[User]:
    return list(
        User.objects.filter(
            conversation_memberships__conversation=conversation,
            conversation_memberships__left_at__isnull=True,
        ).order_by("pk")
    )


def _staff_ids(members: list[User], cohort: Cohort | None) -> set[int]:
    if cohort is None:
        return set()
    ids = set(
        Participation.objects.filter(
            user__in=members,
            role=Participation.Role.STAFF,
            status=Participation.Status.ACCEPTED,
            cohort__programme_id=cohort.programme_id,
        ).values_list("user_id", flat=True)
    )
    return ids | {member.pk for member in members if member.is_superuser}


def _conversation_url(conversation: Conversation) -> str:
    return reverse("messaging:conversation", args=[conversation.pk])


def _notify_recipients(message: Message, members: list[User] | None = None) -> None:
    conversation = message.conversation
    for member in members if members is not None else _current_members(conversation):
        if member.pk == message.sender_id:
            continue
        if member.is_minor and not can_be_matched_or_contacted(member):
            continue
        notify(
            recipient=member,
            kind=Kind.NEW_MESSAGE,
            key=f"new-message:{message.pk}",
            url=_conversation_url(conversation),
            params={"name": message.sender.full_name},
        )


@transaction.atomic
def post_message(*, conversation: Conversation, sender: User, text: str) -> Message:
    """Post ``text``. It is held for a safeguarding moderator when a member who is not
    known to be an adult (staff aside) takes part and it carries contact details;
    otherwise it is delivered at once."""
    text = _clean_text(text, empty=_("Write a message first."))
    mentorship = None
    if conversation.kind == Conversation.Kind.PAIR:
        # The lock a pause or an end takes: whichever comes second sees the first.
        mentorship = (
            Mentorship.objects.select_related("mentee")
            .select_for_update(of=("self",))
            .get(pk=conversation.mentorship_id)
        )
    refusal = posting_refusal(conversation=conversation, sender=sender, mentorship=mentorship)
    if refusal:
        raise MessagingError(refusal)
    members = _current_members(conversation)
    staff_ids = _staff_ids(members, conversation.cohort)
    with_minor = any(not is_known_adult(m) for m in members if m.pk not in staff_ids)
    hold = with_minor and contains_contact_details(text)
    message = Message.objects.create(
        conversation=conversation,
        sender=sender,
        text=text,
        status=Message.Status.HELD if hold else Message.Status.DELIVERED,
    )
    if hold:
        for moderator in safeguarding_staff_of(conversation.cohort):
            notify(
                recipient=moderator,
                kind=Kind.MESSAGE_HELD,
                key=f"message-held:{message.pk}",
                url=reverse("messaging:moderation"),
                # No name: the kind's general sentence ("a message is held") suits staff.
                params={"cohort": conversation.cohort.name if conversation.cohort else ""},
            )
    else:
        _notify_recipients(message, members)
    ConversationMember.objects.filter(conversation=conversation, user=sender).update(
        last_read_at=message.created_at
    )
    return message


def mark_conversation_read(*, conversation: Conversation, user: User) -> None:
    ConversationMember.objects.filter(
        conversation=conversation, user=user, left_at__isnull=True
    ).update(last_read_at=timezone.now())


# -------------------------------------------------------------------------- moderation


def _lock_held(message: Message, by: User) -> Message:
    locked = (
        Message.objects.select_related("conversation__cohort", "sender", "moderated_by")
        .select_for_update(of=("self",))
        .get(pk=message.pk)
    )
    if not is_safeguarding_staff(by, locked.conversation.cohort):
        raise PermissionDenied
    if locked.status != Message.Status.HELD:
        who = locked.moderated_by.full_name if locked.moderated_by else _("someone else")
        raise MessagingError(
            _("This message has already been decided by %(who)s: %(status)s.")
            % {"who": who, "status": locked.get_status_display()}
        )
    return locked


def _decide(locked: Message, *, by: User, status: str, note: str) -> Message:
    locked.status = status
    locked.moderated_by = by
    locked.moderated_at = timezone.now()
    locked.moderation_note = (note or "").strip()[:2000]
    locked.save(update_fields=["status", "moderated_by", "moderated_at", "moderation_note"])
    return locked


@transaction.atomic
def release_message(*, message: Message, by: User, note: str = "") -> Message:
    """A moderator lets a held message through: the recipients see it and are told."""
    locked = _decide(_lock_held(message, by), by=by, status=Message.Status.DELIVERED, note=note)
    _notify_recipients(locked)
    return locked


@transaction.atomic
def reject_message(*, message: Message, by: User, note: str = "") -> Message:
    """A moderator stops a held message: its sender sees it as not delivered."""
    return _decide(_lock_held(message, by), by=by, status=Message.Status.REJECTED, note=note)


# ---------------------------------------------------------------------------- concerns


def _cohort_shared_by(reporter: User, person: User) -> Cohort | None:
    conversation = shared_conversation(reporter, person)
    if conversation is not None:
        return conversation.cohort
    shared = Participation.objects.filter(user=person, cohort__participations__user=reporter)
    participation = shared.select_related("cohort").order_by("-cohort__starts_on").first()
    return participation.cohort if participation else None


@transaction.atomic
def report_concern(
    *, reporter: User, text: str, message: Message | None = None, about_user: User | None = None
) -> ConcernReport:
    """Record a concern about a message or a person and tell the cohort's safeguarding
    staff (never the person it is about)."""
    from django.http import Http404

    text = _clean_text(text, empty=_("Say what worries you."))
    try:
        if message is not None:
            message = get_message_for_reporter(reporter, message.pk)
        if about_user is not None:
            about_user = get_person_for_reporter(reporter, about_user.pk)
    except Http404:
        raise MessagingError(_("You cannot report this.")) from None
    if message is not None and about_user is None and message.sender_id != reporter.pk:
        about_user = message.sender
    if message is not None:
        cohort = message.conversation.cohort
    elif about_user is not None:
        cohort = _cohort_shared_by(reporter, about_user)
    else:
        raise MessagingError(_("Say which message or person the concern is about."))
    report = ConcernReport.objects.create(
        reporter=reporter, about_user=about_user, message=message, cohort=cohort, text=text
    )
    for moderator in safeguarding_staff_of(cohort):
        if about_user is not None and moderator.pk == about_user.pk:
            continue
        notify(
            recipient=moderator,
            kind=Kind.CONCERN_REPORTED,
            key=f"concern-reported:{report.pk}",
            url=reverse("messaging:concerns"),
            params={"name": about_user.full_name} if about_user is not None else {},
        )
    return report


@transaction.atomic
def close_concern(*, report: ConcernReport, by: User, note: str) -> ConcernReport:
    note = _clean_text(note, empty=_("Write down what was done."))
    locked = (
        ConcernReport.objects.select_related("cohort")
        .select_for_update(of=("self",))
        .get(pk=report.pk)
    )
    if not is_safeguarding_staff(by, locked.cohort) or locked.about_user_id == by.pk:
        raise PermissionDenied
    if locked.status != ConcernReport.Status.OPEN:
        raise MessagingError(_("This concern is already closed."))
    locked.status = ConcernReport.Status.CLOSED
    locked.handled_by = by
    locked.handled_at = timezone.now()
    locked.outcome_note = note
    locked.save(update_fields=["status", "handled_by", "handled_at", "outcome_note"])
    return locked
