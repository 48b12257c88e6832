"""Mentorship pages: staff's list per cohort, the pair's mentorship page (status,
history, agreement, transitions), and ending a mentorship early."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stem4all.programmes.permissions import get_cohort_for_staff

from . import queries, services
from .forms import AgreementForm, EndEarlyForm, MentorshipFilterForm, PauseForm
from .models import MentoringAgreement, Mentorship
from .permissions import (
    can_edit_agreement,
    get_mentorship_for_participant,
    get_mentorship_for_participant_or_staff,
    is_in_mentorship,
)

PAGE_SIZE = 50


def staff_mentorships(request, cohort_id: int):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    filters = MentorshipFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    attention = filters.is_valid() and filters.cleaned_data["attention"]
    rows = queries.cohort_mentorships(cohort, status=status, needs_attention=attention)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"cohort": cohort, "filters": filters, "page": page}
    return render(request, "mentorships/staff_mentorships.html", context)


def end_early(request, mentorship_id: int):
    mentorship = get_mentorship_for_participant_or_staff(request.user, mentorship_id)
    is_participant = is_in_mentorship(request.user, mentorship)
    form = EndEarlyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_mentorship_early(
                mentorship=mentorship,
                by=request.user,
                reason=form.cleaned_data["reason"],
                cause=form.cleaned_data["cause"],
            )
        except services.MentorshipError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The mentorship has ended."))
        if is_participant:
            return redirect("core:dashboard")
        return redirect("mentorships:staff_mentorships", cohort_id=mentorship.cohort_id)
    context = {"mentorship": mentorship, "form": form, "is_participant": is_participant}
    return render(request, "mentorships/end_early.html", context)


def _agreement_of(mentorship: Mentorship) -> MentoringAgreement | None:
    return MentoringAgreement.objects.filter(mentorship=mentorship).first()


def _render_mentorship(request, mentorship, *, pause_form=None, agreement_form=None, status=200):
    agreement = _agreement_of(mentorship)
    may_edit = can_edit_agreement(request.user, mentorship) and mentorship.is_open
    if agreement_form is None and may_edit:
        agreement_form = AgreementForm(instance=agreement, mentorship=mentorship)
    context = {
        "mentorship": mentorship,
        "events": mentorship.events.select_related("actor"),
        "agreement": agreement,
        "agreement_form": agreement_form,
        "may_edit_agreement": may_edit,
        "pause_form": pause_form or PauseForm(),
        "is_participant": is_in_mentorship(request.user, mentorship),
    }
    return render(request, "mentorships/mentorship.html", context, status=status)


def mentorship_detail(request, mentorship_id: int):
    mentorship = get_mentorship_for_participant_or_staff(request.user, mentorship_id)
    return _render_mentorship(request, mentorship)


def _apply(request, mentorship, action, success_message):
    try:
        action()
    except services.MentorshipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success_message)
    return redirect("mentorships:mentorship", mentorship_id=mentorship.pk)


@require_POST
def pause(request, mentorship_id: int):
    mentorship = get_mentorship_for_participant_or_staff(request.user, mentorship_id)
    form = PauseForm(request.POST)
    if not form.is_valid():
        return _render_mentorship(request, mentorship, pause_form=form)
    return _apply(
        request,
        mentorship,
        lambda: services.pause_mentorship(
            mentorship=mentorship, by=request.user, reason=form.cleaned_data["reason"]
        ),
        _("The mentorship is paused."),
    )


@require_POST
def resume(request, mentorship_id: int):
    mentorship = get_mentorship_for_participant_or_staff(request.user, mentorship_id)
    return _apply(
        request,
        mentorship,
        lambda: services.resume_mentorship(mentorship=mentorship, by=request.user),
        _("The mentorship is active again."),
    )


@require_POST
def complete(request, mentorship_id: int):
    mentorship = get_mentorship_for_participant_or_staff(request.user, mentorship_id)
    return _apply(
        request,
        mentorship,
        lambda: services.complete_mentorship(mentorship=mentorship, by=request.user),
        _("The mentorship is complete. Congratulations!"),
    )


@require_POST
def save_agreement(request, mentorship_id: int):
    mentorship = get_mentorship_for_participant(request.user, mentorship_id)
    form = AgreementForm(request.POST, instance=_agreement_of(mentorship), mentorship=mentorship)
    if not form.is_valid():
        return _render_mentorship(request, mentorship, agreement_form=form)
    return _apply(
        request,
        mentorship,
        lambda: services.save_agreement(
            mentorship=mentorship, by=request.user, **form.cleaned_data
        ),
        _("The agreement is saved."),
    )


@require_POST
def confirm_agreement(request, mentorship_id: int):
    mentorship = get_mentorship_for_participant(request.user, mentorship_id)
    return _apply(
        request,
        mentorship,
        lambda: services.confirm_agreement(mentorship=mentorship, by=request.user),
        _("You confirmed the agreement."),
    )
