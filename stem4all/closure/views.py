"""Closure pages: a member's exit survey (with the alumni group option), the mentee's
certificate and its PDF, the public verification page, and staff's list of answers."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stem4all.accounts.services import record_staff_access
from stem4all.core.public import public
from stem4all.mentorships.models import Mentorship
from stem4all.programmes.permissions import get_cohort_for_staff

from . import queries, services
from .forms import ExitSurveyForm, RevokeCertificateForm
from .pdf import render_certificate
from .permissions import (
    can_revoke_certificate,
    get_mentorship_for_certificate,
    get_mentorship_for_survey,
    is_survey_open,
)

PAGE_SIZE = 50


def programme_partners(mentorship: Mentorship) -> list[str]:
    programme = mentorship.cohort.programme
    return programme.organiser_list() + programme.funder_list()


def exit_survey(request, mentorship_id: int):
    mentorship = get_mentorship_for_survey(request.user, mentorship_id)
    survey = queries.exit_survey_of(mentorship, request.user)
    form = ExitSurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_exit_survey(
                mentorship=mentorship, respondent=request.user, **form.cleaned_data
            )
        except services.ClosureError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you for your answers."))
        return redirect("closure:exit_survey", mentorship_id=mentorship.pk)
    context = {
        "mentorship": mentorship,
        "survey": survey,
        "form": form,
        "is_open": is_survey_open(mentorship),
        "is_mentee": request.user.pk == mentorship.mentee_id,
        "certificate": queries.certificate_of(mentorship),
        "alumni_group": queries.alumni_group_of(mentorship.cohort, request.user),
    }
    return render(request, "closure/exit_survey.html", context)


@require_POST
def alumni_group(request, mentorship_id: int):
    """Join or leave the cohort's alumni group (``action`` = join or leave)."""
    mentorship = get_mentorship_for_survey(request.user, mentorship_id)
    action = request.POST.get("action")
    try:
        if action == "join":
            services.join_alumni_group(mentorship=mentorship, user=request.user)
            messages.success(request, _("You are in your cohort's alumni group."))
        elif action == "leave":
            services.leave_alumni_group(mentorship=mentorship, user=request.user)
            messages.success(request, _("You have left your cohort's alumni group."))
        else:
            messages.error(request, _("Choose whether to join or to leave the group."))
    except services.ClosureError as error:
        messages.error(request, str(error))
    return redirect("closure:exit_survey", mentorship_id=mentorship.pk)


def _certificate_or_issue(mentorship: Mentorship):
    certificate = queries.certificate_of(mentorship)
    if certificate is None and mentorship.status == Mentorship.Status.COMPLETED:
        # Mentorships completed before certificates existed, or a task not yet run.
        certificate = services.issue_certificate(mentorship=mentorship)
    return certificate


def certificate_page(request, mentorship_id: int, revoke_form=None):
    mentorship = get_mentorship_for_certificate(request.user, mentorship_id)
    certificate = _certificate_or_issue(mentorship)
    may_revoke = can_revoke_certificate(request.user, mentorship)
    context = {
        "mentorship": mentorship,
        "certificate": certificate,
        "verify_url": (
            request.build_absolute_uri(reverse("closure:verify", args=[certificate.code]))
            if certificate
            else ""
        ),
        "may_revoke": may_revoke,
        "revoke_form": revoke_form or (RevokeCertificateForm() if may_revoke else None),
    }
    return render(request, "closure/certificate.html", context)


def certificate_pdf(request, mentorship_id: int):
    mentorship = get_mentorship_for_certificate(request.user, mentorship_id)
    certificate = _certificate_or_issue(mentorship)
    if certificate is None or certificate.is_revoked:
        raise Http404
    if request.user.pk != mentorship.mentee_id:
        record_staff_access(
            staff=request.user,
            subject=mentorship.mentee,
            action="download certificate",
            path=request.path,
        )
    verify_url = request.build_absolute_uri(reverse("closure:verify", args=[certificate.code]))
    with translation.override(mentorship.mentee.preferred_language or None):
        content = render_certificate(
            certificate, verify_url=verify_url, partners=programme_partners(mentorship)
        )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def revoke_certificate(request, mentorship_id: int):
    mentorship = get_mentorship_for_certificate(request.user, mentorship_id)
    certificate = queries.certificate_of(mentorship)
    if certificate is None:
        raise Http404
    form = RevokeCertificateForm(request.POST)
    if not form.is_valid():
        return certificate_page(request, mentorship_id, revoke_form=form)
    try:
        services.revoke_certificate(
            certificate=certificate, by=request.user, reason=form.cleaned_data["reason"]
        )
    except services.ClosureError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The certificate is revoked."))
    return redirect("closure:certificate", mentorship_id=mentorship.pk)


@public
def verify(request, code: str):
    certificate = queries.valid_certificate(code)
    status = 200 if certificate else 404
    response = render(request, "closure/verify.html", {"certificate": certificate}, status=status)
    # A mentee may be a minor: her name is shown to whoever has the code, never to a
    # search engine that found a link.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def staff_exit_surveys(request, cohort_id: int):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    rows = queries.cohort_exit_surveys(cohort)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "cohort": cohort,
        "page": page,
        "summary": queries.cohort_exit_survey_summary(cohort),
    }
    return render(request, "closure/staff_exit_surveys.html", context)
