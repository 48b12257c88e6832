"""Writes to a roadmap. Each one locks the mentorship row and re-reads its status:
only an active mentorship's roadmap changes. The mentee owns the goal and the steps;
the mentor comments and signs steps off; either member comments."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from stem4all.accounts.models import User
from stem4all.core.errors import DomainError
from stem4all.mentorships.models import Mentorship

from .models import Roadmap, RoadmapStep, StepComment

Status = RoadmapStep.Status


class RoadmapError(DomainError):
    """A request that the roadmap rules refuse; the message is shown to the user."""


def _lock_active(mentorship_id: int) -> Mentorship:
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship_id)
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise RoadmapError(_("The roadmap can only change while the mentorship is active."))
    return mentorship


def _require_mentee(user: User, mentorship: Mentorship) -> None:
    if not user.is_active or user.pk != mentorship.mentee_id:
        raise RoadmapError(_("Only the mentee can change her roadmap."))


def _require_mentor(user: User, mentorship: Mentorship) -> None:
    if not user.is_active or user.pk != mentorship.mentor_id:
        raise RoadmapError(_("Only the mentor can sign off a step."))


def _require_member(user: User, mentorship: Mentorship) -> None:
    if not user.is_active or user.pk not in (mentorship.mentee_id, mentorship.mentor_id):
        raise RoadmapError(_("Only the mentee and her mentor can comment."))


def _step_for_mentee(step: RoadmapStep, by: User) -> tuple[Mentorship, RoadmapStep]:
    mentorship = _lock_active(step.roadmap.mentorship_id)
    _require_mentee(by, mentorship)
    return mentorship, RoadmapStep.objects.select_for_update().get(pk=step.pk)


@transaction.atomic
def save_roadmap_goal(*, mentorship: Mentorship, by: User, career_goal: str) -> Roadmap:
    mentorship = _lock_active(mentorship.pk)
    _require_mentee(by, mentorship)
    roadmap, _created = Roadmap.objects.get_or_create(mentorship=mentorship)
    roadmap.career_goal = career_goal.strip()
    roadmap.save(update_fields=["career_goal", "updated_at"])
    return roadmap


@transaction.atomic
def add_step(
    *, roadmap: Roadmap, by: User, title: str, description: str = "", due_on=None, link: str = ""
) -> RoadmapStep:
    mentorship = _lock_active(roadmap.mentorship_id)
    _require_mentee(by, mentorship)
    last = roadmap.steps.aggregate(last=Max("position"))["last"]
    step = RoadmapStep.objects.create(
        roadmap=roadmap,
        position=0 if last is None else last + 1,
        title=title.strip(),
        description=description.strip(),
        due_on=due_on,
        link=link,
    )
    Roadmap.objects.filter(pk=roadmap.pk).update(updated_at=timezone.now())
    return step


@transaction.atomic
def update_step(
    *,
    step: RoadmapStep,
    by: User,
    title: str,
    description: str = "",
    due_on=None,
    link: str = "",
    status: str = Status.PLANNED,
) -> RoadmapStep:
    """The mentee edits a step and moves it between planned, in progress, done and
    dropped; a sign-off stays the mentor's and is cleared if the step leaves "done"."""
    _mentorship, step = _step_for_mentee(step, by)
    if status not in Status.values:
        raise RoadmapError(_("Choose a valid status."))
    step.title = title.strip()
    step.description = description.strip()
    step.due_on = due_on
    step.link = link
    step.status = status
    if status != Status.DONE:
        step.signed_off_by = None
        step.signed_off_at = None
    step.save()
    return step


@transaction.atomic
def move_step(*, step: RoadmapStep, by: User, direction: str) -> RoadmapStep:
    _mentorship, step = _step_for_mentee(step, by)
    if direction not in ("up", "down"):
        raise RoadmapError(_("A step moves up or down."))
    siblings = RoadmapStep.objects.select_for_update().filter(roadmap_id=step.roadmap_id)
    if direction == "up":
        neighbour = siblings.filter(position__lt=step.position).order_by("-position").first()
    else:
        neighbour = siblings.filter(position__gt=step.position).order_by("position").first()
    if neighbour is None:
        return step
    # Swap through a free position: the unique constraint holds at every statement.
    mine, theirs = step.position, neighbour.position
    free = (siblings.aggregate(last=Max("position"))["last"] or 0) + 1
    RoadmapStep.objects.filter(pk=step.pk).update(position=free)
    RoadmapStep.objects.filter(pk=neighbour.pk).update(position=mine)
    RoadmapStep.objects.filter(pk=step.pk).update(position=theirs)
    step.position = theirs
    return step


@transaction.atomic
def comment_on_step(*, step: RoadmapStep, by: User, text: str) -> StepComment:
    mentorship = _lock_active(step.roadmap.mentorship_id)
    _require_member(by, mentorship)
    text = text.strip()
    if not text:
        raise RoadmapError(_("Write a comment first."))
    return StepComment.objects.create(step=step, author=by, text=text)


@transaction.atomic
def sign_off_step(*, step: RoadmapStep, by: User) -> RoadmapStep:
    mentorship = _lock_active(step.roadmap.mentorship_id)
    _require_mentor(by, mentorship)
    step = RoadmapStep.objects.select_for_update().get(pk=step.pk)
    if step.status == Status.DROPPED:
        raise RoadmapError(_("A dropped step cannot be signed off."))
    step.status = Status.DONE
    step.signed_off_by = by
    step.signed_off_at = timezone.now()
    step.save(update_fields=["status", "signed_off_by", "signed_off_at"])
    return step
