"""Who may see a peer group, its members and meetings, and who may join one.

- "Participants" of a programme: its accepted mentees (current ones and alumni), and
  mentors who completed a mentorship in one of its cohorts (alumni groups include
  them). They see the programme's groups and may join open ones.
- Staff of the programme see its groups (reading the conversation is recorded by
  the messaging app when a member is not known to be adult).
- A current member always sees her group.

Everyone else gets 404: a group's existence is private.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from stem4all.accounts.models import User
from stem4all.accounts.permissions import is_programme_staff, staff_programme_ids
from stem4all.mentorships.models import Mentorship
from stem4all.programmes.models import Participation, Programme

from .models import GroupMeeting, PeerGroup, PeerGroupMember


def participant_programmes(user: User) -> QuerySet[Programme]:
    """Programmes whose peer groups she may see and join as a participant."""
    if not user.is_authenticated or not user.is_active:
        return Programme.objects.none()
    mentee = Q(
        cohorts__participations__user=user,
        cohorts__participations__role=Participation.Role.MENTEE,
        cohorts__participations__status=Participation.Status.ACCEPTED,
    )
    mentor = Q(
        cohorts__mentorships__mentor=user,
        cohorts__mentorships__status=Mentorship.Status.COMPLETED,
    )
    ids = Programme.objects.filter(mentee | mentor).values("pk")
    return Programme.objects.filter(pk__in=ids).order_by("name")


def is_programme_participant(user: User, programme_id: int) -> bool:
    return participant_programmes(user).filter(pk=programme_id).exists()


def visible_programme_ids(user: User):
    """Programmes whose groups she sees (None: all, for a superuser)."""
    if user.is_superuser:
        return None
    participant = set(participant_programmes(user).values_list("pk", flat=True))
    staff = set(staff_programme_ids(user).values_list("cohort__programme_id", flat=True))
    return participant | staff


def current_group_membership(user: User, group: PeerGroup) -> PeerGroupMember | None:
    if not user.is_authenticated:
        return None
    return PeerGroupMember.objects.filter(group=group, user=user).first()


def can_view_group(user: User, group: PeerGroup) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if is_programme_staff(user, group.programme_id):
        return True
    if is_programme_participant(user, group.programme_id):
        return True
    return PeerGroupMember.objects.filter(
        group=group, user=user, status=PeerGroupMember.Status.MEMBER, left_at__isnull=True
    ).exists()


def get_group_for_viewer(user: User, group_id: int) -> PeerGroup:
    group = (
        PeerGroup.objects.select_related("programme", "cohort", "conversation", "created_by")
        .filter(pk=group_id)
        .first()
    )
    if group is None or not can_view_group(user, group):
        raise Http404
    return group


def get_group_meeting_for_viewer(user: User, meeting_id: int) -> GroupMeeting:
    meeting = GroupMeeting.objects.select_related("group").filter(pk=meeting_id).first()
    if meeting is None or not can_view_group(user, meeting.group):
        raise Http404
    return meeting


def is_group_organiser(user: User, group: PeerGroup) -> bool:
    return user.is_authenticated and group.created_by_id == user.pk
