"""Reads about peer groups, scoped to the viewer."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from stem4all.accounts.models import User

from .models import GroupMeeting, PeerGroup, PeerGroupMember
from .permissions import visible_programme_ids

CURRENT = Q(members__status=PeerGroupMember.Status.MEMBER, members__left_at__isnull=True)


def groups_for_viewer(
    user: User, *, q: str = "", region: str = "", language: str = ""
) -> QuerySet[PeerGroup]:
    """The groups of the programmes she takes part in or runs, with ``member_count``."""
    rows = PeerGroup.objects.select_related("programme")
    scope = visible_programme_ids(user)
    if scope is not None:
        rows = rows.filter(programme_id__in=scope)
    if q:
        rows = rows.filter(Q(topic__icontains=q) | Q(description__icontains=q))
    if region:
        rows = rows.filter(region=region)
    if language:
        rows = rows.filter(language=language)
    return rows.annotate(member_count=Count("members", filter=CURRENT)).order_by("topic", "pk")


def current_members(group: PeerGroup) -> QuerySet[PeerGroupMember]:
    return (
        PeerGroupMember.objects.filter(
            group=group, status=PeerGroupMember.Status.MEMBER, left_at__isnull=True
        )
        .select_related("user")
        .order_by("joined_at", "pk")
    )


def pending_requests(group: PeerGroup) -> QuerySet[PeerGroupMember]:
    return (
        PeerGroupMember.objects.filter(
            group=group, status=PeerGroupMember.Status.REQUESTED, left_at__isnull=True
        )
        .select_related("user")
        .order_by("joined_at", "pk")
    )


def upcoming_meetings(group: PeerGroup, *, limit: int = 20) -> list[GroupMeeting]:
    since = timezone.now() - dt.timedelta(hours=3)
    rows = group.meetings.filter(starts_at__gte=since).select_related("created_by")
    return list(rows.order_by("starts_at", "pk")[:limit])


def member_count(group: PeerGroup) -> int:
    return current_members(group).count()
