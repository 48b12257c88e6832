"""Reads of a roadmap: its steps with comments, progress, and the picture's geometry."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import Roadmap, RoadmapStep, StepComment

BAR_WIDTH = 300


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass(frozen=True)
class Dot:
    x: int
    status: str
    title: str


def steps_of(roadmap: Roadmap | None) -> list[RoadmapStep]:
    if roadmap is None:
        return []
    comments = StepComment.objects.select_related("author")
    return list(
        roadmap.steps.select_related("signed_off_by", "lecture", "training").prefetch_related(
            Prefetch("comments", queryset=comments)
        )
    )


def progress(roadmap: Roadmap | None, steps: list[RoadmapStep] | None = None) -> Progress:
    """Done steps over all steps; dropped steps count in neither."""
    if steps is None:
        steps = list(roadmap.steps.all()) if roadmap else []
    kept = [step for step in steps if step.status != RoadmapStep.Status.DROPPED]
    return Progress(
        done=sum(step.status == RoadmapStep.Status.DONE for step in kept), total=len(kept)
    )


def timeline(steps: list[RoadmapStep]) -> list[Dot]:
    """One dot per dated step, placed by due date between the first and last one."""
    dated = sorted((step for step in steps if step.due_on), key=lambda s: (s.due_on, s.position))
    if not dated:
        return []
    first, last = dated[0].due_on, dated[-1].due_on
    span = (last - first).days
    dots = []
    for step in dated:
        offset = (step.due_on - first).days / span if span else 0.5
        dots.append(
            Dot(x=10 + round(offset * (BAR_WIDTH - 20)), status=step.status, title=step.title)
        )
    return dots


def cohort_progress(cohort) -> QuerySet:
    """Every pair of the cohort with its roadmap figures, in one query: done and total
    steps (dropped ones count in neither) and steps past their due date not yet done."""
    from stem4all.mentorships.models import Mentorship

    today = timezone.localdate()
    kept = ~Q(roadmap__steps__status=RoadmapStep.Status.DROPPED) & Q(roadmap__steps__isnull=False)
    return (
        Mentorship.objects.filter(cohort=cohort)
        .select_related("mentee", "mentor")
        .annotate(
            steps_total=Count("roadmap__steps", filter=kept),
            steps_done=Count(
                "roadmap__steps", filter=Q(roadmap__steps__status=RoadmapStep.Status.DONE)
            ),
            steps_overdue=Count(
                "roadmap__steps",
                filter=Q(
                    roadmap__steps__due_on__lt=today,
                    roadmap__steps__status__in=[
                        RoadmapStep.Status.PLANNED,
                        RoadmapStep.Status.IN_PROGRESS,
                    ],
                ),
            ),
        )
        .order_by("mentee__full_name", "pk")
    )


def bar_of(done: int, total: int, width: int = 100) -> int:
    return round(width * done / total) if total else 0
