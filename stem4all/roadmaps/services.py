"""Writes to a roadmap. Each one locks the mentorship row and re-reads its status:
only an active mentorship's roadmap changes. The mentee owns the goal and the steps;
the mentor comments and signs steps off; either member comments.

The mentorship row lock is also what keeps step positions unique and contiguous
(0, 1, 2, ...): every write that reads ``Max("position")`` or renumbers steps holds it,
so two adds, two moves or two template copies of one pair apply one after the other.

Staff of a programme write its roadmap templates; a mentee copies a published one
into her roadmap (``copy_template``). Copying a template whose steps are still in her
roadmap (not dropped) is refused: a double click copies once.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stem4all.accounts.models import User
from stem4all.accounts.permissions import is_programme_staff
from stem4all.core.errors import DomainError
from stem4all.mentorships.models import Mentorship
from stem4all.notifications.models import Notification
from stem4all.notifications.services import notify
from stem4all.programmes.models import Programme

from .models import Roadmap, RoadmapStep, RoadmapTemplate, RoadmapTemplateStep, StepComment

Status = RoadmapStep.Status


class RoadmapError(DomainError):
    """A request that the roadmap rules refuse; the message is shown to the user."""


def _lock_active(mentorship_id: int) -> Mentorship:
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship_id)
    if mentorship.status in (Mentorship.Status.COMPLETED, Mentorship.Status.ENDED_EARLY):
        raise RoadmapError(
            _("The mentorship has ended: its roadmap can still be read, but not changed.")
        )
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise RoadmapError(_("The roadmap can only change while the mentorship is active."))
    return mentorship


def _next_position(roadmap_id: int) -> int:
    last = RoadmapStep.objects.filter(roadmap_id=roadmap_id).aggregate(last=Max("position"))
    return 0 if last["last"] is None else last["last"] + 1


def _require_mentee(user: User, mentorship: Mentorship) -> None:
    if not user.is_active or user.pk != mentorship.mentee_id:
        raise RoadmapError(_("Only the mentee can change her roadmap."))


def _require_mentor(user: User, mentorship: Mentorship) -> None:
    if not user.is_active or user.pk != mentorship.mentor_id:
        raise RoadmapError(_("Only the mentor can sign off a step."))


def _require_member(user: User, mentorship: Mentorship) -> None:
    if not user.is_active or user.pk not in (mentorship.mentee_id, mentorship.mentor_id):
        raise RoadmapError(_("Only the mentee and her mentor can comment."))


# update_step keeps a step's lecture and training unless they are passed.
UNCHANGED = object()


def _check_learning(mentorship: Mentorship, lecture, training) -> None:
    """A step links only to a published lecture or training of the pair's programme."""
    programme_id = Mentorship.objects.values_list("cohort__programme_id", flat=True).get(
        pk=mentorship.pk
    )
    for item in (lecture, training):
        if item is not None and (item.programme_id != programme_id or not item.is_published):
            raise RoadmapError(_("Choose a lecture or training of your programme."))


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
    *,
    roadmap: Roadmap,
    by: User,
    title: str,
    description: str = "",
    due_on=None,
    link: str = "",
    lecture=None,
    training=None,
) -> RoadmapStep:
    mentorship = _lock_active(roadmap.mentorship_id)
    _require_mentee(by, mentorship)
    _check_learning(mentorship, lecture, training)
    step = RoadmapStep.objects.create(
        lecture=lecture,
        training=training,
        roadmap=roadmap,
        position=_next_position(roadmap.pk),
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
    lecture=UNCHANGED,
    training=UNCHANGED,
) -> RoadmapStep:
    """The mentee edits a step and moves it between planned, in progress, done and
    dropped; a sign-off stays the mentor's and is cleared if the step leaves "done"."""
    mentorship, step = _step_for_mentee(step, by)
    if status not in Status.values:
        raise RoadmapError(_("Choose a valid status."))
    # Only a newly chosen one is checked: a link made earlier stays even if unpublished.
    lecture = step.lecture if lecture is UNCHANGED else lecture
    training = step.training if training is UNCHANGED else training
    _check_learning(
        mentorship,
        lecture if lecture is not None and lecture.pk != step.lecture_id else None,
        training if training is not None and training.pk != step.training_id else None,
    )
    step.lecture, step.training = lecture, training
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
    notify(
        recipient=mentorship.mentee,
        kind=Notification.Kind.STEP_SIGNED_OFF,
        key=f"step-signed-off:{step.pk}:{step.signed_off_at.timestamp():.0f}",
        url=reverse("roadmaps:roadmap", args=[mentorship.pk]),
        params={"step": step.title, "mentor": by.full_name},
    )
    return step


@transaction.atomic
def move_step_to(*, step: RoadmapStep, by: User, position: int) -> RoadmapStep:
    """Put a step at ``position`` (0 is first; past the end means last) and renumber
    the others, keeping positions 0..n-1."""
    _mentorship, step = _step_for_mentee(step, by)
    if position < 0:
        raise RoadmapError(_("A position is 0 or more."))
    order = list(
        RoadmapStep.objects.select_for_update()
        .filter(roadmap_id=step.roadmap_id)
        .exclude(pk=step.pk)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )
    order.insert(min(position, len(order)), step.pk)
    _renumber(step.roadmap_id, order)
    step.position = order.index(step.pk)
    return step


def _renumber(roadmap_id: int, order: list[int]) -> None:
    # Through positions above every current one, so that the unique constraint holds
    # after each statement.
    high = _next_position(roadmap_id) + len(order)
    for index, pk in enumerate(order):
        RoadmapStep.objects.filter(pk=pk).update(position=high + index)
    for index, pk in enumerate(order):
        RoadmapStep.objects.filter(pk=pk).update(position=index)


# --------------------------------------------------------------------------- templates


def _require_programme_staff(user: User, programme_id: int) -> None:
    if not is_programme_staff(user, programme_id):
        raise RoadmapError(_("Only staff of the programme can change its templates."))


@transaction.atomic
def create_template(
    *,
    programme: Programme,
    by: User,
    title: str,
    summary: str = "",
    career_goal: str = "",
    language: str = "",
) -> RoadmapTemplate:
    _require_programme_staff(by, programme.pk)
    return RoadmapTemplate.objects.create(
        programme=programme,
        title=title.strip(),
        summary=summary.strip(),
        career_goal=career_goal.strip(),
        language=language,
        created_by=by,
    )


def _lock_template(template: RoadmapTemplate, by: User) -> RoadmapTemplate:
    locked = RoadmapTemplate.objects.select_for_update().get(pk=template.pk)
    _require_programme_staff(by, locked.programme_id)
    return locked


@transaction.atomic
def update_template(
    *,
    template: RoadmapTemplate,
    by: User,
    title: str,
    summary: str = "",
    career_goal: str = "",
    language: str = "",
) -> RoadmapTemplate:
    template = _lock_template(template, by)
    template.title = title.strip()
    template.summary = summary.strip()
    template.career_goal = career_goal.strip()
    template.language = language
    template.save(update_fields=["title", "summary", "career_goal", "language"])
    return template


@transaction.atomic
def publish_template(*, template: RoadmapTemplate, by: User, publish: bool) -> RoadmapTemplate:
    template = _lock_template(template, by)
    if publish and not template.steps.exists():
        raise RoadmapError(_("Add at least one step before publishing the template."))
    template.is_published = publish
    template.save(update_fields=["is_published"])
    return template


@transaction.atomic
def add_template_step(
    *,
    template: RoadmapTemplate,
    by: User,
    title: str,
    description: str = "",
    due_offset_days: int | None = None,
) -> RoadmapTemplateStep:
    template = _lock_template(template, by)
    last = template.steps.aggregate(last=Max("position"))["last"]
    return RoadmapTemplateStep.objects.create(
        template=template,
        position=0 if last is None else last + 1,
        title=title.strip(),
        description=description.strip(),
        due_offset_days=due_offset_days,
    )


@transaction.atomic
def remove_template_step(*, step: RoadmapTemplateStep, by: User) -> None:
    template = _lock_template(step.template, by)
    step.delete()
    order = list(template.steps.order_by("position", "pk").values_list("pk", flat=True))
    for index, pk in enumerate(order):
        RoadmapTemplateStep.objects.filter(pk=pk).update(position=index)


@transaction.atomic
def copy_template(
    *, mentorship: Mentorship, by: User, template: RoadmapTemplate, today: dt.date | None = None
) -> list[RoadmapStep]:
    """Append a published template's steps after hers, due ``today + offset``; fill her
    career goal from it if she has none. Refused while steps copied from this template
    are still in her roadmap (not dropped), so a double click copies once."""
    mentorship = _lock_active(mentorship.pk)
    _require_mentee(by, mentorship)
    template = RoadmapTemplate.objects.filter(
        pk=template.pk, is_published=True, programme__cohorts=mentorship.cohort_id
    ).first()
    if template is None:
        raise RoadmapError(_("This template is not available to you."))
    roadmap, _created = Roadmap.objects.get_or_create(mentorship=mentorship)
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    already = (
        RoadmapStep.objects.filter(roadmap=roadmap, copied_from_template=template)
        .exclude(status=Status.DROPPED)
        .exists()
    )
    if already:
        raise RoadmapError(
            _(
                "You have already copied “%(title)s”: its steps are in your roadmap. "
                "Drop them first to copy it again."
            )
            % {"title": template.title}
        )
    today = today or timezone.localdate()
    start = _next_position(roadmap.pk)
    steps = RoadmapStep.objects.bulk_create(
        [
            RoadmapStep(
                roadmap=roadmap,
                position=start + index,
                title=item.title,
                description=item.description,
                due_on=None
                if item.due_offset_days is None
                else today + dt.timedelta(days=item.due_offset_days),
                copied_from_template=template,
            )
            for index, item in enumerate(template.steps.order_by("position", "pk"))
        ]
    )
    fields = ["updated_at"]
    if not roadmap.career_goal.strip() and template.career_goal:
        roadmap.career_goal = template.career_goal
        fields.append("career_goal")
    roadmap.save(update_fields=fields)
    return steps
