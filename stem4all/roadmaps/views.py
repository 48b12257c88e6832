"""The roadmap page of a mentorship and its plain-form writes (post, redirect)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stem4all.mentorships.models import Mentorship

from . import queries, services
from .forms import CommentForm, GoalForm, MoveForm, StepForm, StepUpdateForm
from .models import Roadmap, RoadmapStep
from .permissions import get_mentorship_for_roadmap_reader, is_mentee_of, is_mentor_of


def _page(request, mentorship: Mentorship, *, bound=None, status=200):
    """Render the page; ``bound`` carries one invalid form to show with its errors:
    ("goal"|"add", form) or ("update"|"comment", step_pk, form)."""
    bound = bound or ()
    roadmap = Roadmap.objects.filter(mentorship=mentorship).first()
    steps = queries.steps_of(roadmap)
    for step in steps:
        step.update_form = StepUpdateForm(
            initial={
                "title": step.title,
                "description": step.description,
                "due_on": step.due_on,
                "link": step.link,
                "status": step.status,
            },
            prefix=f"step-{step.pk}",
        )
        step.comment_form = CommentForm(prefix=f"comment-{step.pk}")
        if bound[:1] in (("update",), ("comment",)) and bound[1] == step.pk:
            setattr(step, f"{bound[0]}_form", bound[2])
    goal_form = GoalForm(initial={"career_goal": roadmap.career_goal if roadmap else ""})
    add_form = StepForm(prefix="add")
    if bound[:1] == ("goal",):
        goal_form = bound[1]
    if bound[:1] == ("add",):
        add_form = bound[1]
    is_active = mentorship.status == Mentorship.Status.ACTIVE
    context = {
        "mentorship": mentorship,
        "roadmap": roadmap,
        "steps": steps,
        "progress": queries.progress(roadmap, steps),
        "dots": queries.timeline(steps),
        "bar_width": queries.BAR_WIDTH,
        "may_edit": is_active and is_mentee_of(request.user, mentorship),
        "may_sign_off": is_active and is_mentor_of(request.user, mentorship),
        "may_comment": is_active
        and (is_mentee_of(request.user, mentorship) or is_mentor_of(request.user, mentorship)),
        "goal_form": goal_form,
        "add_form": add_form,
    }
    return render(request, "roadmaps/roadmap.html", context, status=status)


def roadmap(request, mentorship_id: int):
    mentorship = get_mentorship_for_roadmap_reader(request.user, mentorship_id)
    return _page(request, mentorship)


def _for_member(request, mentorship_id: int) -> Mentorship:
    mentorship = get_mentorship_for_roadmap_reader(request.user, mentorship_id)
    if request.user.pk not in (mentorship.mentee_id, mentorship.mentor_id):
        raise PermissionDenied
    return mentorship


def _step_of(mentorship: Mentorship, step_id: int) -> RoadmapStep:
    return get_object_or_404(
        RoadmapStep.objects.select_related("roadmap"), pk=step_id, roadmap__mentorship=mentorship
    )


def _done(request, mentorship: Mentorship, call, success: str):
    try:
        call()
    except services.RoadmapError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("roadmaps:roadmap", mentorship_id=mentorship.pk)


@require_POST
def save_goal(request, mentorship_id: int):
    mentorship = _for_member(request, mentorship_id)
    form = GoalForm(request.POST)
    if not form.is_valid():
        return _page(request, mentorship, bound=("goal", form), status=400)
    return _done(
        request,
        mentorship,
        lambda: services.save_roadmap_goal(
            mentorship=mentorship, by=request.user, career_goal=form.cleaned_data["career_goal"]
        ),
        _("The career goal is saved."),
    )


@require_POST
def add_step(request, mentorship_id: int):
    mentorship = _for_member(request, mentorship_id)
    form = StepForm(request.POST, prefix="add")
    if not form.is_valid():
        return _page(request, mentorship, bound=("add", form), status=400)

    def call():
        roadmap, _created = Roadmap.objects.get_or_create(mentorship=mentorship)
        services.add_step(roadmap=roadmap, by=request.user, **form.cleaned_data)

    return _done(request, mentorship, call, _("The step is added."))


@require_POST
def update_step(request, mentorship_id: int, step_id: int):
    mentorship = _for_member(request, mentorship_id)
    step = _step_of(mentorship, step_id)
    form = StepUpdateForm(request.POST, prefix=f"step-{step.pk}")
    if not form.is_valid():
        return _page(request, mentorship, bound=("update", step.pk, form), status=400)
    return _done(
        request,
        mentorship,
        lambda: services.update_step(step=step, by=request.user, **form.cleaned_data),
        _("The step is saved."),
    )


@require_POST
def move_step(request, mentorship_id: int, step_id: int):
    mentorship = _for_member(request, mentorship_id)
    step = _step_of(mentorship, step_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A step moves up or down."))
        return redirect("roadmaps:roadmap", mentorship_id=mentorship.pk)
    return _done(
        request,
        mentorship,
        lambda: services.move_step(
            step=step, by=request.user, direction=form.cleaned_data["direction"]
        ),
        _("The step is moved."),
    )


@require_POST
def comment_on_step(request, mentorship_id: int, step_id: int):
    mentorship = _for_member(request, mentorship_id)
    step = _step_of(mentorship, step_id)
    form = CommentForm(request.POST, prefix=f"comment-{step.pk}")
    if not form.is_valid():
        return _page(request, mentorship, bound=("comment", step.pk, form), status=400)
    return _done(
        request,
        mentorship,
        lambda: services.comment_on_step(
            step=step, by=request.user, text=form.cleaned_data["text"]
        ),
        _("The comment is posted."),
    )


@require_POST
def sign_off_step(request, mentorship_id: int, step_id: int):
    mentorship = _for_member(request, mentorship_id)
    step = _step_of(mentorship, step_id)
    return _done(
        request,
        mentorship,
        lambda: services.sign_off_step(step=step, by=request.user),
        _("The step is signed off."),
    )
