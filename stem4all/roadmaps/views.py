"""The roadmap page of a mentorship and its plain-form writes (post, redirect), the
staff's roadmap templates of a programme and the staff's progress view of a cohort.

A step's status change from the page is also sent with htmx: the answer is then the
page's ``progress-picture`` and ``step-status`` partials (swapped out of band), so the
SVG follows without a reload; without JavaScript the form posts and redirects."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stem4all.accounts.services import record_staff_access
from stem4all.learning import queries as learning_queries
from stem4all.mentorships.models import Mentorship
from stem4all.programmes.permissions import get_cohort_for_staff

from . import queries, services
from .forms import (
    CommentForm,
    GoalForm,
    MoveForm,
    MoveToForm,
    StepForm,
    StepUpdateForm,
    TemplateForm,
    TemplateStepForm,
    learning_options,
)
from .models import Roadmap, RoadmapStep, RoadmapTemplateStep
from .permissions import (
    get_mentorship_for_roadmap_member,
    get_mentorship_for_roadmap_reader,
    get_programme_for_template_staff,
    get_template_for_mentee,
    get_template_for_staff,
    is_mentee_of,
    is_mentor_of,
    is_roadmap_staff,
    published_templates_for,
)

PAGE_SIZE = 50


def record_staff_reading(request, mentorship: Mentorship) -> None:
    """Staff opening a minor's roadmap leave a trace in the access log."""
    if request.user.pk in (mentorship.mentee_id, mentorship.mentor_id):
        return
    if mentorship.mentee.is_minor and is_roadmap_staff(request.user, mentorship):
        record_staff_access(
            staff=request.user, subject=mentorship.mentee, action="roadmap", path=request.path
        )


def _page(request, mentorship: Mentorship, *, bound=None, status=200):
    """Render the page; ``bound`` carries one invalid form to show with its errors:
    ("goal"|"add", form) or ("update"|"comment", step_pk, form)."""
    bound = bound or ()
    roadmap = Roadmap.objects.filter(mentorship=mentorship).first()
    steps = queries.steps_of(roadmap)
    watched = learning_queries.watched_lecture_ids(
        mentorship.mentee, [s.lecture_id for s in steps if s.lecture_id]
    )
    attended = learning_queries.attended_training_ids(
        mentorship.mentee, [s.training_id for s in steps if s.training_id]
    )
    learning = learning_options(mentorship)
    for step in steps:
        step.update_form = StepUpdateForm(
            initial={
                "title": step.title,
                "description": step.description,
                "due_on": step.due_on,
                "link": step.link,
                "lecture": step.lecture_id,
                "training": step.training_id,
                "status": step.status,
            },
            prefix=f"step-{step.pk}",
            learning=learning,
        )
        step.lecture_watched = step.lecture_id in watched
        step.training_attended = step.training_id in attended
        step.comment_form = CommentForm(prefix=f"comment-{step.pk}")
        if bound[:1] in (("update",), ("comment",)) and bound[1] == step.pk:
            setattr(step, f"{bound[0]}_form", bound[2])
    goal_form = GoalForm(initial={"career_goal": roadmap.career_goal if roadmap else ""})
    add_form = StepForm(prefix="add", learning=learning)
    if bound[:1] == ("goal",):
        goal_form = bound[1]
    if bound[:1] == ("add",):
        add_form = bound[1]
    is_active = mentorship.status == Mentorship.Status.ACTIVE
    may_edit = is_active and is_mentee_of(request.user, mentorship)
    context = {
        "is_ended": not mentorship.is_open,
        "templates": list(published_templates_for(mentorship)) if may_edit else [],
        "mentorship": mentorship,
        "roadmap": roadmap,
        "steps": steps,
        "progress": queries.progress(roadmap, steps),
        "dots": queries.timeline(steps),
        "bar_width": queries.BAR_WIDTH,
        "may_edit": may_edit,
        "may_sign_off": is_active and is_mentor_of(request.user, mentorship),
        "may_comment": is_active
        and (is_mentee_of(request.user, mentorship) or is_mentor_of(request.user, mentorship)),
        "goal_form": goal_form,
        "add_form": add_form,
    }
    return render(request, "roadmaps/roadmap.html", context, status=status)


def roadmap(request, mentorship_id: int):
    mentorship = get_mentorship_for_roadmap_reader(request.user, mentorship_id)
    record_staff_reading(request, mentorship)
    return _page(request, mentorship)


def _for_member(request, mentorship_id: int) -> Mentorship:
    return get_mentorship_for_roadmap_member(request.user, mentorship_id)


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
    form = StepForm(request.POST, prefix="add", mentorship=mentorship)
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
    form = StepUpdateForm(request.POST, prefix=f"step-{step.pk}", mentorship=mentorship)
    if not form.is_valid():
        return _page(request, mentorship, bound=("update", step.pk, form), status=400)
    if request.htmx:
        return _progress_fragment(request, mentorship, step, form)
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
    if request.POST.get("position", "") != "":
        to = MoveToForm(request.POST)
        if not to.is_valid():
            messages.error(request, _("Choose a position of 0 or more."))
            return redirect("roadmaps:roadmap", mentorship_id=mentorship.pk)
        return _done(
            request,
            mentorship,
            lambda: services.move_step_to(
                step=step, by=request.user, position=to.cleaned_data["position"]
            ),
            _("The step is moved."),
        )
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


def _progress_fragment(request, mentorship, step, form):
    """htmx: save the step, answer with the new picture and the step's status line."""
    try:
        services.update_step(step=step, by=request.user, **form.cleaned_data)
    except services.RoadmapError as error:
        return HttpResponse(
            render_to_string(
                "roadmaps/roadmap.html#htmx-error", {"error": str(error)}, request=request
            ),
            status=409,
        )
    step.refresh_from_db()
    roadmap = step.roadmap
    steps = queries.steps_of(roadmap)
    context = {
        "mentorship": mentorship,
        "step": step,
        "progress": queries.progress(roadmap, steps),
        "dots": queries.timeline(steps),
        "bar_width": queries.BAR_WIDTH,
        "oob": True,
    }
    html = render_to_string("roadmaps/roadmap.html#progress-picture", context, request=request)
    html += render_to_string("roadmaps/roadmap.html#step-status", context, request=request)
    return HttpResponse(html)


@require_POST
def copy_template(request, mentorship_id: int, template_id: int):
    mentorship = _for_member(request, mentorship_id)
    template = get_template_for_mentee(request.user, mentorship, template_id)
    return _done(
        request,
        mentorship,
        lambda: services.copy_template(mentorship=mentorship, by=request.user, template=template),
        _("The template's steps are added to your roadmap. Adapt them as you like."),
    )


# ------------------------------------------------------------------------------ staff


def staff_templates(request, programme_id: int):
    programme = get_programme_for_template_staff(request.user, programme_id)
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = services.create_template(
                programme=programme, by=request.user, **form.cleaned_data
            )
        except services.RoadmapError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The template is created. Add its steps."))
            return redirect("roadmaps:staff_template", template_id=template.pk)
    templates = programme.roadmap_templates.order_by("title", "pk").prefetch_related("steps")
    page = Paginator(templates, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"programme": programme, "page": page, "form": form}
    return render(
        request, "roadmaps/staff_templates.html", context, status=400 if form.errors else 200
    )


def staff_template(request, template_id: int):
    template = get_template_for_staff(request.user, template_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = TemplateForm(request.POST if action == "save" else None, instance=template)
    step_form = TemplateStepForm(request.POST if action == "add_step" else None, prefix="step")
    if request.method == "POST":
        try:
            if action == "save" and form.is_valid():
                services.update_template(template=template, by=request.user, **form.cleaned_data)
                messages.success(request, _("The template is saved."))
                return redirect("roadmaps:staff_template", template_id=template.pk)
            if action == "add_step" and step_form.is_valid():
                services.add_template_step(
                    template=template, by=request.user, **step_form.cleaned_data
                )
                messages.success(request, _("The step is added."))
                return redirect("roadmaps:staff_template", template_id=template.pk)
            if action == "remove_step":
                step = get_object_or_404(
                    RoadmapTemplateStep, pk=request.POST.get("step") or 0, template=template
                )
                services.remove_template_step(step=step, by=request.user)
                messages.success(request, _("The step is removed."))
                return redirect("roadmaps:staff_template", template_id=template.pk)
            if action in ("publish", "unpublish"):
                services.publish_template(
                    template=template, by=request.user, publish=action == "publish"
                )
                messages.success(
                    request,
                    _("The template is published.")
                    if action == "publish"
                    else _("The template is no longer published."),
                )
                return redirect("roadmaps:staff_template", template_id=template.pk)
            if action not in ("save", "add_step"):
                messages.error(request, _("Unknown action."))
        except services.RoadmapError as error:
            messages.error(request, str(error))
            return redirect("roadmaps:staff_template", template_id=template.pk)
    context = {
        "template": template,
        "steps": template.steps.order_by("position", "pk"),
        "form": form,
        "step_form": step_form,
    }
    invalid = form.errors or step_form.errors
    return render(request, "roadmaps/staff_template.html", context, status=400 if invalid else 200)


def staff_cohort_progress(request, cohort_id: int):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    page = Paginator(queries.cohort_progress(cohort), PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        row.bar = queries.bar_of(row.steps_done, row.steps_total, queries.BAR_WIDTH)
    context = {"cohort": cohort, "page": page, "bar_width": queries.BAR_WIDTH}
    return render(request, "roadmaps/staff_cohort_progress.html", context)
