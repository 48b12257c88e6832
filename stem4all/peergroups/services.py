"""Writes about peer groups: creating one, joining (or asking to join) and leaving,
accepting a request, proposing a group meeting, and turning a finished cohort into
alumni groups.

Races are closed by row locks: joining locks the group row and counts its members
inside the transaction, so a member limit is never exceeded; the alumni conversion
locks the cohort row, so two staff converting at once make one set of groups (and
a unique constraint on (cohort, region) for alumni groups backs it up).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stem4all.accounts.geography import Region
from stem4all.accounts.models import User
from stem4all.accounts.permissions import can_be_matched_or_contacted
from stem4all.core.errors import DomainError
from stem4all.meetings.services import MeetingError, to_utc
from stem4all.mentorships.models import Mentorship
from stem4all.messaging.services import (
    create_group_conversation,
    join_conversation,
    leave_conversation,
)
from stem4all.programmes.models import Cohort, Participation, Programme

from .models import GroupMeeting, PeerGroup, PeerGroupMember
from .permissions import is_group_organiser, is_programme_participant

Status = PeerGroupMember.Status


class PeerGroupError(DomainError):
    """A request that the peer group rules refuse; the message is shown to the user."""


def _refuse_unsafe(user: User) -> None:
    # Group conversations are contact: the one safeguarding rule decides.
    if not can_be_matched_or_contacted(user):
        if user.is_minor:
            raise PeerGroupError(_("You can join a group once a guardian's consent is on record."))
        raise PeerGroupError(_("You can join a group once your date of birth is on record."))


def _home_cohort(user: User, programme: Programme) -> Cohort:
    """The cohort a participant's new group hangs from: her latest as a mentee, else
    the latest where she completed a mentorship as a mentor."""
    cohort = (
        Cohort.objects.filter(
            programme=programme,
            participations__user=user,
            participations__role=Participation.Role.MENTEE,
            participations__status=Participation.Status.ACCEPTED,
        )
        .order_by("-starts_on", "-pk")
        .first()
    )
    if cohort is None:
        cohort = (
            Cohort.objects.filter(
                programme=programme,
                mentorships__mentor=user,
                mentorships__status=Mentorship.Status.COMPLETED,
            )
            .order_by("-starts_on", "-pk")
            .first()
        )
    if cohort is None:
        raise PeerGroupError(_("Only the programme's mentees and alumni can start a group."))
    return cohort


def _add_member(group: PeerGroup, user: User, *, status: str = Status.MEMBER) -> PeerGroupMember:
    member, created = PeerGroupMember.objects.get_or_create(
        group=group, user=user, defaults={"status": status}
    )
    if not created:
        member.status = status
        member.left_at = None
        member.joined_at = timezone.now()
        member.save(update_fields=["status", "left_at", "joined_at"])
    if status == Status.MEMBER:
        join_conversation(conversation=group.conversation, user=user)
    return member


def _member_count(group: PeerGroup) -> int:
    return PeerGroupMember.objects.filter(
        group=group, status=Status.MEMBER, left_at__isnull=True
    ).count()


def _refuse_when_full(group: PeerGroup) -> None:
    if group.member_limit is not None and _member_count(group) >= group.member_limit:
        raise PeerGroupError(
            _("This group is full: it has %(limit)s members.") % {"limit": group.member_limit}
        )


@transaction.atomic
def create_group(
    *,
    creator: User,
    programme: Programme,
    topic: str,
    language: str,
    rhythm: str,
    region: str = "",
    description: str = "",
    member_limit: int | None = None,
    access: str = PeerGroup.Access.OPEN,
) -> PeerGroup:
    """A participant starts a group; she is its organiser and first member."""
    if not is_programme_participant(creator, programme.pk):
        raise PeerGroupError(_("Only the programme's mentees and alumni can start a group."))
    _refuse_unsafe(creator)
    topic = (topic or "").strip()
    if not topic:
        raise PeerGroupError(_("Give the group a topic."))
    cohort = _home_cohort(creator, programme)
    group = PeerGroup.objects.create(
        programme=programme,
        cohort=cohort,
        topic=topic,
        region=region or "",
        language=language,
        rhythm=rhythm,
        description=(description or "").strip(),
        member_limit=member_limit,
        access=access,
        conversation=create_group_conversation(cohort=cohort, title=topic),
        created_by=creator,
    )
    _add_member(group, creator)
    return group


def _lock(group: PeerGroup) -> PeerGroup:
    return (
        PeerGroup.objects.select_related("conversation")
        .select_for_update(of=("self",))
        .get(pk=group.pk)
    )


@transaction.atomic
def join_group(*, group: PeerGroup, user: User) -> PeerGroupMember:
    """She joins an open group, or asks to join a by-request one."""
    if not is_programme_participant(user, group.programme_id):
        raise PeerGroupError(_("Only the programme's mentees and alumni can join its groups."))
    _refuse_unsafe(user)
    # The lock makes joins of one group take turns: the count below is the truth.
    locked = _lock(group)
    existing = PeerGroupMember.objects.filter(group=locked, user=user).first()
    if existing is not None and existing.left_at is None:
        if existing.status == Status.MEMBER:
            raise PeerGroupError(_("You are already a member of this group."))
        raise PeerGroupError(_("You have already asked to join; the organiser will answer."))
    if locked.access == PeerGroup.Access.BY_REQUEST:
        return _add_member(locked, user, status=Status.REQUESTED)
    _refuse_when_full(locked)
    return _add_member(locked, user)


@transaction.atomic
def accept_join_request(*, group: PeerGroup, member: PeerGroupMember, by: User) -> PeerGroupMember:
    """The organiser accepts a request to join her by-request group."""
    locked = _lock(group)
    if not is_group_organiser(by, locked):
        raise PeerGroupError(_("Only the organiser can accept members."))
    member = (
        PeerGroupMember.objects.select_related("user")
        .select_for_update(of=("self",))
        .filter(pk=member.pk, group=locked)
        .first()
    )
    if member is None or member.status != Status.REQUESTED or member.left_at is not None:
        raise PeerGroupError(_("This request has already been answered or withdrawn."))
    _refuse_unsafe(member.user)
    _refuse_when_full(locked)
    return _add_member(locked, member.user)


@transaction.atomic
def leave_group(*, group: PeerGroup, user: User) -> None:
    """She leaves (or withdraws her request); her earlier messages stay."""
    updated = PeerGroupMember.objects.filter(group=group, user=user, left_at__isnull=True).update(
        left_at=timezone.now()
    )
    if not updated:
        raise PeerGroupError(_("You are not a member of this group."))
    leave_conversation(conversation=group.conversation, user=user)


@transaction.atomic
def propose_group_meeting(
    *,
    group: PeerGroup,
    by: User,
    starts_at_local: dt.datetime,
    time_zone: str,
    duration_minutes: int,
    online_link: str = "",
    place: str = "",
    agenda: str = "",
) -> GroupMeeting:
    """A member puts a meeting in the group's calendar."""
    if not PeerGroupMember.objects.filter(
        group=group, user=by, status=Status.MEMBER, left_at__isnull=True
    ).exists():
        raise PeerGroupError(_("Only the group's members can propose a meeting."))
    try:
        starts_at = to_utc(starts_at_local, time_zone)
    except MeetingError as error:
        raise PeerGroupError(str(error)) from None
    if starts_at <= timezone.now():
        raise PeerGroupError(_("Choose a time in the future."))
    if not online_link and not (place or "").strip():
        raise PeerGroupError(_("Give an online link or a place."))
    return GroupMeeting.objects.create(
        group=group,
        starts_at=starts_at,
        time_zone=time_zone,
        duration_minutes=duration_minutes,
        online_link=online_link or "",
        place=(place or "").strip(),
        agenda=(agenda or "").strip(),
        created_by=by,
    )


# ---------------------------------------------------------------------- alumni groups


@dataclass
class AlumniConversion:
    groups_created: list[PeerGroup] = field(default_factory=list)
    members_added: int = 0
    # Minors without a current guardian consent (or unknown age) are left out.
    skipped: list[User] = field(default_factory=list)


def alumni_members_by_region(cohort: Cohort) -> tuple[dict[str, list[User]], list[User]]:
    """Who goes into which region's alumni group: every accepted mentee (by her region)
    and every mentor who completed a mentorship (in her mentee's region's group); and
    the mentees left out by the safeguarding rule."""
    mentees = list(
        User.objects.filter(
            is_active=True,
            participations__cohort=cohort,
            participations__role=Participation.Role.MENTEE,
            participations__status=Participation.Status.ACCEPTED,
        )
        .distinct()
        .order_by("pk")
    )
    by_region: dict[str, list[User]] = {}
    skipped = []
    for mentee in mentees:
        if not can_be_matched_or_contacted(mentee):
            skipped.append(mentee)
            continue
        by_region.setdefault(mentee.region or "", []).append(mentee)
    completed = (
        Mentorship.objects.filter(cohort=cohort, status=Mentorship.Status.COMPLETED)
        .select_related("mentor", "mentee")
        .order_by("pk")
    )
    for mentorship in completed:
        region = mentorship.mentee.region or ""
        mentor = mentorship.mentor
        if mentor.is_active and region in by_region and mentor not in by_region[region]:
            by_region[region].append(mentor)
    return by_region, skipped


def region_label(region: str) -> str:
    return str(Region(region).label) if region else _("no region (outside Kyrgyzstan)")


def _alumni_topic(cohort: Cohort, region: str) -> str:
    where = region_label(region)
    return _("Alumni of %(cohort)s — %(region)s") % {"cohort": cohort.name, "region": where}


@transaction.atomic
def create_alumni_groups(*, cohort: Cohort, by: User) -> AlumniConversion:
    """One alumni group per region of the cohort's mentees, with its accepted mentees
    and the mentors who completed a mentorship. Running it again creates nothing
    new (and does not add back someone who left)."""
    # Two staff at once: the second waits here and then finds the first one's groups.
    locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if locked.phase != Cohort.Phase.CLOSURE:
        raise PeerGroupError(_("Alumni groups can be made once the cohort is in its closure."))
    by_region, skipped = alumni_members_by_region(locked)
    report = AlumniConversion(skipped=skipped)
    for region, people in sorted(by_region.items()):
        group = PeerGroup.objects.filter(
            kind=PeerGroup.Kind.ALUMNI, cohort=locked, region=region
        ).first()
        if group is None:
            topic = _alumni_topic(locked, region)
            group = PeerGroup.objects.create(
                programme_id=locked.programme_id,
                cohort=locked,
                kind=PeerGroup.Kind.ALUMNI,
                topic=topic,
                region=region,
                language=locked.mentoring_language,
                rhythm=PeerGroup.Rhythm.MONTHLY,
                access=PeerGroup.Access.OPEN,
                conversation=create_group_conversation(cohort=locked, title=topic),
                created_by=by,
            )
            report.groups_created.append(group)
        known = set(PeerGroupMember.objects.filter(group=group).values_list("user_id", flat=True))
        for person in people:
            if person.pk not in known:
                _add_member(group, person)
                report.members_added += 1
    return report
