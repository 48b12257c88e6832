"""Matching pages: staff's matching page per cohort and run review, the mentor's
proposals, the mentee's status. Thin: fetch-and-authorise, validate, call a service."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import queries, services
from .forms import (
    DeclineForm,
    MentorChoiceForm,
    MentorFilterForm,
    PairForm,
    StartRunForm,
    SwapForm,
)
from .permissions import (
    get_cohort_for_choosing,
    get_cohort_for_staff,
    get_mentee_for_staff,
    get_proposal_for_mentor,
    get_run_for_staff,
)

PAGE_SIZE = 50


def _page(rows, request, name="page"):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get(name))


# ------------------------------------------------------------------------------ staff


def cohort_matching(request, cohort_id: int):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    # Overdue proposals are expired (and their mentees re-matched) whenever staff look.
    services.expire_overdue_proposals(cohort=cohort)
    form = StartRunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.start_matching_run(
                cohort=cohort,
                staff=request.user,
                mode=form.cleaned_data["mode"],
                options=form.options(),
            )
        except services.MatchingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The run is ready for your review."))
            return redirect("matching:run_detail", run_id=run.pk)
    context = {
        "cohort": cohort,
        "form": form,
        "runs": _page(queries.runs_of_cohort(cohort), request, "runs_page"),
        "counts": queries.proposal_counts(cohort),
        "pending": _page(queries.pending_proposals(cohort), request, "pending_page"),
        "without_mentor": _page(queries.mentees_without_mentor(cohort), request),
    }
    return render(request, "matching/cohort_matching.html", context)


def run_detail(request, run_id: int):
    run = get_run_for_staff(request.user, run_id)
    context = {
        "run": run,
        "cohort": run.cohort,
        "figures": queries.run_figures(run),
        "proposals": _page(queries.run_proposals(run), request),
        "unmatched": _page(queries.run_unmatched(run), request, "unmatched_page"),
        "rules": queries.cohort_pair_rules(run.cohort),
        "pair_form": PairForm(cohort=run.cohort),
    }
    return render(request, "matching/run_detail.html", context)


def _back_to_run(request, run):
    url = reverse("matching:run_detail", args=[run.pk])
    page = request.POST.get("page", "")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _pair_action(service, done_message):
    @require_POST
    def view(request, run_id: int):
        run = get_run_for_staff(request.user, run_id)
        form = PairForm(request.POST, cohort=run.cohort)
        if not form.is_valid():
            _form_errors(request, form)
            return _back_to_run(request, run)
        try:
            service(run=run, staff=request.user, **form.cleaned_data)
        except services.MatchingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                done_message()
                % {
                    "mentee": form.cleaned_data["mentee"].full_name,
                    "mentor": form.cleaned_data["mentor"].full_name,
                },
            )
        return _back_to_run(request, run)

    return view


lock_pair = _pair_action(
    services.lock_pair,
    lambda: _("%(mentee)s and %(mentor)s are locked together for every run of this cohort."),
)
forbid_pair = _pair_action(
    services.forbid_pair,
    lambda: _("%(mentee)s and %(mentor)s will never be proposed together in this cohort."),
)
unlock_pair = _pair_action(
    services.unlock_pair, lambda: _("The rule on %(mentee)s and %(mentor)s is lifted.")
)


@require_POST
def swap(request, run_id: int):
    run = get_run_for_staff(request.user, run_id)
    form = SwapForm(request.POST, run=run)
    if not form.is_valid():
        _form_errors(request, form)
        return _back_to_run(request, run)
    first, second = form.cleaned_data["proposals"]
    try:
        services.swap_mentors(run=run, proposal_a=first, proposal_b=second, staff=request.user)
    except services.MatchingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The two mentors are swapped."))
    return _back_to_run(request, run)


@require_POST
def rerun(request, run_id: int):
    run = get_run_for_staff(request.user, run_id)
    try:
        new = services.rerun_matching(run=run, staff=request.user)
    except services.MatchingError as error:
        messages.error(request, str(error))
        return _back_to_run(request, run)
    messages.success(request, _("A new run is ready; locks and forbidden pairs were kept."))
    return redirect("matching:run_detail", run_id=new.pk)


@require_POST
def publish(request, run_id: int):
    run = get_run_for_staff(request.user, run_id)
    try:
        report = services.publish_matching_run(run=run, staff=request.user)
    except services.MatchingError as error:
        messages.error(request, str(error))
        return _back_to_run(request, run)
    text = ngettext(
        "Published: %(count)s mentor is asked to accept her mentee.",
        "Published: %(count)s mentors are asked to accept their mentees.",
        report.proposed,
    ) % {"count": report.proposed}
    if report.superseded:
        text += " " + ngettext(
            "%(count)s proposal was left out: its mentor is full or its mentee has a mentor.",
            "%(count)s proposals were left out: their mentor is full or their mentee has a mentor.",
            report.superseded,
        ) % {"count": report.superseded}
    messages.success(request, text)
    return redirect("matching:cohort_matching", cohort_id=run.cohort_id)


@require_POST
def discard(request, run_id: int):
    run = get_run_for_staff(request.user, run_id)
    try:
        services.discard_matching_run(run=run, staff=request.user)
    except services.MatchingError as error:
        messages.error(request, str(error))
        return _back_to_run(request, run)
    messages.success(request, _("The run is discarded."))
    return redirect("matching:cohort_matching", cohort_id=run.cohort_id)


@require_POST
def rematch(request, cohort_id: int, mentee_id: int):
    cohort, mentee = get_mentee_for_staff(request.user, cohort_id, mentee_id)
    try:
        outcome = services.rematch_mentee(cohort=cohort, mentee=mentee, staff=request.user)
    except services.MatchingError as error:
        messages.error(request, str(error))
    else:
        if outcome.proposal:
            messages.success(
                request,
                _("%(mentor)s is asked to mentor %(mentee)s.")
                % {"mentor": outcome.proposal.mentor.full_name, "mentee": mentee.full_name},
            )
        else:
            messages.warning(
                request,
                _("No mentor with a free place fits %(mentee)s now.")
                % {"mentee": mentee.full_name},
            )
    return redirect("matching:cohort_matching", cohort_id=cohort.pk)


# ----------------------------------------------------------------------------- mentors


def my_proposals(request, decline_forms=None):
    proposals = _page(queries.proposals_for_mentor(request.user), request)
    decline_forms = decline_forms or {}
    for proposal in proposals:
        proposal.decline_form = decline_forms.get(proposal.pk) or DeclineForm(
            prefix=f"p{proposal.pk}"
        )
    context = {
        "proposals": proposals,
        "mentorships": queries.mentorships_as_mentor(request.user),
    }
    return render(request, "matching/my_proposals.html", context)


@require_POST
def accept(request, proposal_id: int):
    proposal = get_proposal_for_mentor(request.user, proposal_id)
    try:
        services.accept_proposal(proposal=proposal, mentor=request.user)
    except services.MatchingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("You are now the mentor of %(mentee)s. We have told her.")
            % {"mentee": proposal.mentee.full_name},
        )
    return redirect("matching:my_proposals")


@require_POST
def decline(request, proposal_id: int):
    proposal = get_proposal_for_mentor(request.user, proposal_id)
    form = DeclineForm(request.POST, prefix=f"p{proposal.pk}")
    if not form.is_valid():
        return my_proposals(request, decline_forms={proposal.pk: form})
    try:
        services.decline_proposal(
            proposal=proposal, mentor=request.user, reason=form.cleaned_data["reason"]
        )
    except services.MatchingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("You declined. Thank you for saying why; we will find her another mentor.")
        )
    return redirect("matching:my_proposals")


# ----------------------------------------------------------------------------- mentees


def my_match(request):
    statuses = queries.match_status_of_mentee(request.user)
    return render(request, "matching/my_match.html", {"statuses": statuses})


# ------------------------------------------------------------------ mentee chooses

CHOICES_PAGE_SIZE = 20


def choose_mentors(request, cohort_id: int):
    """The mentee browses mentors with a free place, sees why each fits her, and ranks
    up to three. Plain forms: every action works without JavaScript."""
    cohort = get_cohort_for_choosing(request.user, cohort_id)
    if request.method == "POST":
        form = MentorChoiceForm(request.POST)
        if form.is_valid():
            mentor_id = form.cleaned_data["mentor"]
            try:
                if form.cleaned_data["remove"]:
                    services.remove_mentor_choice(
                        cohort=cohort, mentee=request.user, mentor_id=mentor_id
                    )
                    messages.success(request, _("The mentor is no longer among your choices."))
                elif form.cleaned_data["rank"]:
                    services.rank_mentor(
                        cohort=cohort,
                        mentee=request.user,
                        mentor_id=mentor_id,
                        rank=form.cleaned_data["rank"],
                    )
                    messages.success(request, _("Your choices are saved."))
                else:
                    messages.error(request, _("Choose 1st, 2nd or 3rd."))
            except services.MatchingError as error:
                messages.error(request, str(error))
        else:
            messages.error(request, _("Choose 1st, 2nd or 3rd."))
        return redirect(request.get_full_path())
    filters = MentorFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    options = queries.mentor_options(
        cohort,
        request.user,
        field=criteria.get("field", ""),
        language=criteria.get("language", ""),
        region=criteria.get("region", ""),
        mentor_type=criteria.get("mentor_type", ""),
    )
    page = Paginator(options, CHOICES_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "cohort": cohort,
        "filters": filters,
        "page": page,
        "choices": list(queries.my_mentor_choices(cohort, request.user)),
        "rank_choices": MentorChoiceForm.base_fields["rank"].choices,
    }
    return render(request, "matching/choose_mentors.html", context)
