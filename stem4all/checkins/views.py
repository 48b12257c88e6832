"""Pulse check-in page for its respondent, and staff resolving a pair's flag."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import PulseForm
from .permissions import get_flag_for_staff, get_pulse_for_respondent


def pulse(request, pulse_id: int):
    pulse = get_pulse_for_respondent(request.user, pulse_id)
    form = PulseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.answer_pulse_check(pulse=pulse, by=request.user, **form.cleaned_data)
            except services.CheckinError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Thank you for your answer."))
            return redirect("checkins:pulse", pulse_id=pulse.pk)
        status = 400
    mentorship = pulse.mentorship
    other = mentorship.mentor if pulse.respondent_id == mentorship.mentee_id else mentorship.mentee
    context = {"pulse": pulse, "form": form, "other": other}
    return render(request, "checkins/pulse.html", context, status=status)


@require_POST
def resolve_flag(request, flag_id: int):
    flag = get_flag_for_staff(request.user, flag_id)
    try:
        services.resolve_pair_flag(flag=flag, by=request.user)
    except services.CheckinError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The flag is resolved."))
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("mentorships:staff_mentorships", cohort_id=flag.mentorship.cohort_id)
