"""Reads about mentorships, scoped to the viewer (staff of the cohort: the accessor in
``programmes.permissions`` has checked)."""

from __future__ import annotations

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from stem4all.programmes.models import Cohort

from .models import Mentorship


def _count(queryset, group_by: str):
    """A correlated COUNT(*) subquery, 0 when there is no row."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_last_activity(
    rows: QuerySet[Mentorship], *, meetings_count_when_logged: bool = False
) -> QuerySet[Mentorship]:
    """Annotate each pair, in the same query, with its last meeting that happened
    (``last_meeting_at``: when it started, or with ``meetings_count_when_logged`` when
    it was logged, as the inactivity rules count it) and its last delivered message
    (``last_message_at``)."""
    from stem4all.meetings.models import Meeting
    from stem4all.messaging.models import Message

    moment = Coalesce("logged_at", "starts_at") if meetings_count_when_logged else F("starts_at")
    last_meeting = (
        Meeting.objects.filter(mentorship=OuterRef("pk"), outcome=Meeting.Outcome.HAPPENED)
        .annotate(moment=moment)
        .order_by("-moment")
        .values("moment")[:1]
    )
    last_message = (
        Message.objects.filter(
            conversation__mentorship=OuterRef("pk"), status=Message.Status.DELIVERED
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return rows.annotate(
        last_meeting_at=Subquery(last_meeting, output_field=DateTimeField()),
        last_message_at=Subquery(last_message, output_field=DateTimeField()),
    )


def with_health(rows: QuerySet[Mentorship]) -> QuerySet[Mentorship]:
    """Annotate each pair with its health signals, all in the one query: the last
    happened meeting, the last delivered message, roadmap progress (done steps of all
    steps not dropped), the latest pulse score, and the open flags (prefetched, one
    more query for the page)."""
    from stem4all.checkins.models import PairFlag, PulseCheck
    from stem4all.roadmaps.models import RoadmapStep

    steps = RoadmapStep.objects.filter(roadmap__mentorship=OuterRef("pk")).exclude(
        status=RoadmapStep.Status.DROPPED
    )
    latest_pulse = (
        PulseCheck.objects.filter(mentorship=OuterRef("pk"), answered_at__isnull=False)
        .order_by("-answered_at", "-pk")
        .values("score")[:1]
    )
    open_flags = PairFlag.objects.filter(resolved_at__isnull=True)
    rows = (
        with_last_activity(rows)
        .annotate(
            steps_total=_count(steps, "roadmap__mentorship"),
            steps_done=_count(steps.filter(status=RoadmapStep.Status.DONE), "roadmap__mentorship"),
            latest_pulse_score=Subquery(latest_pulse, output_field=IntegerField()),
            has_open_flag=Exists(open_flags.filter(mentorship=OuterRef("pk"))),
        )
        .prefetch_related(
            Prefetch("flags", queryset=open_flags.order_by("created_at"), to_attr="open_flags")
        )
    )
    return rows


def cohort_mentorships(
    cohort: Cohort, *, status: str = "", needs_attention: bool = False
) -> QuerySet[Mentorship]:
    """The cohort's mentorships with their health signals (``with_health``), each
    marked with whether its mentee has an open mentorship or a pending proposal now
    (if neither, staff can re-match her). ``needs_attention``: only pairs with an open
    flag."""
    from stem4all.matching.models import Proposal

    other_open = Mentorship.objects.filter(
        cohort=cohort, mentee_id=OuterRef("mentee_id"), status__in=Mentorship.OPEN_STATUSES
    )
    pending = Proposal.objects.filter(
        cohort=cohort, mentee_id=OuterRef("mentee_id"), status__in=Proposal.OUTSTANDING
    )
    rows = with_health(
        Mentorship.objects.filter(cohort=cohort)
        .select_related("mentee", "mentor", "ended_by")
        .annotate(mentee_has_mentor=Exists(other_open), mentee_is_waiting=Exists(pending))
        .order_by("mentee__full_name", "-started_at", "pk")
    )
    if status:
        rows = rows.filter(status=status)
    if needs_attention:
        rows = rows.filter(has_open_flag=True)
    return rows


__all__ = ["cohort_mentorships", "with_health", "with_last_activity"]
