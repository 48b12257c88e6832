"""Roadmaps in the JSON API: read by the pair and staff of the programme (also after
the mentorship ended), written by the pair through the same forms and services as the
page; published templates listed and copied by the mentee."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from stem4all.accounts.api import validated
from stem4all.accounts.services import record_staff_access
from stem4all.mentorships.models import Mentorship

from . import queries, services
from .forms import CommentForm, GoalForm, MoveForm, MoveToForm, StepForm, StepUpdateForm
from .models import Roadmap, RoadmapStep
from .permissions import (
    get_mentorship_for_roadmap_member,
    get_mentorship_for_roadmap_reader,
    get_template_for_mentee,
    is_mentee_of,
    is_roadmap_staff,
    published_templates_for,
)
from .schemas import (
    CommentIn,
    CommentOut,
    GoalIn,
    MoveIn,
    RoadmapOut,
    StepIn,
    StepOut,
    StepPatchIn,
    StepUpdateIn,
    TemplateOut,
)

router = Router(tags=["roadmaps"])


def roadmap_out(mentorship: Mentorship) -> dict:
    mentorship = Mentorship.objects.get(pk=mentorship.pk)
    roadmap = Roadmap.objects.filter(mentorship=mentorship).first()
    steps = queries.steps_of(roadmap)
    progress = queries.progress(roadmap, steps)
    return {
        "mentorship_id": mentorship.pk,
        "mentorship_status": mentorship.status,
        "is_read_only": mentorship.status != Mentorship.Status.ACTIVE,
        "career_goal": roadmap.career_goal if roadmap else "",
        "progress": {"done": progress.done, "total": progress.total, "percent": progress.percent},
        "steps": steps,
    }


def _step_of(mentorship: Mentorship, step_id: int) -> RoadmapStep:
    return get_object_or_404(
        RoadmapStep.objects.select_related("roadmap"), pk=step_id, roadmap__mentorship=mentorship
    )


def _step_out(step: RoadmapStep) -> RoadmapStep:
    return RoadmapStep.objects.prefetch_related("comments__author").get(pk=step.pk)


@router.get(
    "/mentorships/{mentorship_id}/roadmap",
    response=RoadmapOut,
    summary="The roadmap: goal, steps with comments, progress (the pair, staff)",
)
def get_roadmap(request: HttpRequest, mentorship_id: int):
    mentorship = get_mentorship_for_roadmap_reader(request.user, mentorship_id)
    member = request.user.pk in (mentorship.mentee_id, mentorship.mentor_id)
    if not member and mentorship.mentee.is_minor and is_roadmap_staff(request.user, mentorship):
        record_staff_access(
            staff=request.user, subject=mentorship.mentee, action="roadmap", path=request.path
        )
    return roadmap_out(mentorship)


@router.put(
    "/mentorships/{mentorship_id}/roadmap/goal",
    response=RoadmapOut,
    summary="Write the career goal (the mentee)",
)
def save_goal(request: HttpRequest, mentorship_id: int, payload: GoalIn):
    mentorship = get_mentorship_for_roadmap_member(request.user, mentorship_id)
    data = validated(GoalForm(payload.dict()))
    services.save_roadmap_goal(
        mentorship=mentorship, by=request.user, career_goal=data["career_goal"]
    )
    return roadmap_out(mentorship)


@router.post(
    "/mentorships/{mentorship_id}/roadmap/steps",
    response={201: StepOut},
    summary="Add a step at the end (the mentee)",
)
def add_step(request: HttpRequest, mentorship_id: int, payload: StepIn):
    mentorship = get_mentorship_for_roadmap_member(request.user, mentorship_id)
    data = validated(StepForm(payload.dict()))
    roadmap, _created = Roadmap.objects.get_or_create(mentorship=mentorship)
    step = services.add_step(roadmap=roadmap, by=request.user, **data)
    return Status(201, _step_out(step))


def _update(request, mentorship_id: int, step_id: int, values: dict):
    mentorship = get_mentorship_for_roadmap_member(request.user, mentorship_id)
    step = _step_of(mentorship, step_id)
    current = {
        "title": step.title,
        "description": step.description,
        "due_on": step.due_on.isoformat() if step.due_on else "",
        "link": step.link,
        "status": step.status,
    }
    data = validated(StepUpdateForm({**current, **values}))
    return _step_out(services.update_step(step=step, by=request.user, **data))


@router.put(
    "/mentorships/{mentorship_id}/roadmap/steps/{step_id}",
    response=StepOut,
    summary="Replace a step's fields and status (the mentee)",
)
def put_step(request: HttpRequest, mentorship_id: int, step_id: int, payload: StepUpdateIn):
    values = payload.dict()
    values["due_on"] = values["due_on"] or ""
    return _update(request, mentorship_id, step_id, values)


@router.patch(
    "/mentorships/{mentorship_id}/roadmap/steps/{step_id}",
    response=StepOut,
    summary="Change some of a step's fields, e.g. only its status (the mentee)",
)
def patch_step(request: HttpRequest, mentorship_id: int, step_id: int, payload: StepPatchIn):
    values = payload.dict(exclude_unset=True)
    if "due_on" in values and values["due_on"] is None:
        values["due_on"] = ""
    return _update(request, mentorship_id, step_id, values)


@router.post(
    "/mentorships/{mentorship_id}/roadmap/steps/{step_id}/move",
    response=RoadmapOut,
    summary='Move a step: {"direction": "up"|"down"} or {"position": n} (the mentee)',
)
def move_step(request: HttpRequest, mentorship_id: int, step_id: int, payload: MoveIn):
    mentorship = get_mentorship_for_roadmap_member(request.user, mentorship_id)
    step = _step_of(mentorship, step_id)
    if payload.position is not None:
        data = validated(MoveToForm({"position": payload.position}))
        services.move_step_to(step=step, by=request.user, position=data["position"])
    else:
        data = validated(MoveForm({"direction": payload.direction or ""}))
        services.move_step(step=step, by=request.user, direction=data["direction"])
    return roadmap_out(mentorship)


@router.post(
    "/mentorships/{mentorship_id}/roadmap/steps/{step_id}/comments",
    response={201: CommentOut},
    summary="Comment on a step (the pair)",
)
def comment(request: HttpRequest, mentorship_id: int, step_id: int, payload: CommentIn):
    mentorship = get_mentorship_for_roadmap_member(request.user, mentorship_id)
    step = _step_of(mentorship, step_id)
    data = validated(CommentForm(payload.dict()))
    return Status(201, services.comment_on_step(step=step, by=request.user, text=data["text"]))


@router.post(
    "/mentorships/{mentorship_id}/roadmap/steps/{step_id}/sign-off",
    response=StepOut,
    summary="Sign a step off as done (the mentor)",
)
def sign_off(request: HttpRequest, mentorship_id: int, step_id: int):
    mentorship = get_mentorship_for_roadmap_member(request.user, mentorship_id)
    step = _step_of(mentorship, step_id)
    return _step_out(services.sign_off_step(step=step, by=request.user))


@router.get(
    "/mentorships/{mentorship_id}/roadmap/templates",
    response=list[TemplateOut],
    summary="Published roadmap templates of the pair's programme (the mentee)",
)
def list_templates(request: HttpRequest, mentorship_id: int):
    mentorship = get_mentorship_for_roadmap_member(request.user, mentorship_id)
    if not is_mentee_of(request.user, mentorship):
        return []
    return list(published_templates_for(mentorship))


@router.post(
    "/mentorships/{mentorship_id}/roadmap/templates/{template_id}/copy",
    response={201: RoadmapOut},
    summary="Copy a template's steps after yours (the mentee); a second copy is refused",
)
def copy_template(request: HttpRequest, mentorship_id: int, template_id: int):
    mentorship = get_mentorship_for_roadmap_member(request.user, mentorship_id)
    template = get_template_for_mentee(request.user, mentorship, template_id)
    services.copy_template(mentorship=mentorship, by=request.user, template=template)
    return Status(201, roadmap_out(mentorship))
