"""Mentorship pages: staff's list per cohort, and ending a mentorship early."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stem4all.programmes.permissions import get_cohort_for_staff

from . import queries, services
from .forms import EndEarlyForm, MentorshipFilterForm
from .permissions import get_mentorship_for_participant_or_staff, is_in_mentorship

PAGE_SIZE = 50


def staff_mentorships(request, cohort_id: int):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    filters = MentorshipFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    rows = queries.cohort_mentorships(cohort, status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"cohort": cohort, "filters": filters, "page": page, "status": status}
    return render(request, "mentorships/staff_mentorships.html", context)


def end_early(request, mentorship_id: int):
    mentorship = get_mentorship_for_participant_or_staff(request.user, mentorship_id)
    is_participant = is_in_mentorship(request.user, mentorship)
    form = EndEarlyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_mentorship_early(
                mentorship=mentorship, by=request.user, reason=form.cleaned_data["reason"]
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
