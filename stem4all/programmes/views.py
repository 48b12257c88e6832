from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from stem4all.accounts.permissions import has_current_guardian_consent, is_any_programme_staff
from stem4all.accounts.services import record_staff_access
from stem4all.core.public import public

from . import queries, services
from .forms import ApplicationForm, DecisionForm, ImportForm, ParticipantFilterForm, PhaseForm
from .importing import format_reference
from .models import Participation
from .permissions import (
    get_cohort_for_staff,
    get_cohort_open_for_applications,
    get_own_participation,
    get_participation_for_staff,
)

PAGE_SIZE = 50


@public
def cohort_detail(request, cohort_id: int):
    cohort = get_cohort_open_for_applications(cohort_id)
    mine = []
    if request.user.is_authenticated:
        mine = list(Participation.objects.filter(user=request.user, cohort=cohort))
    return render(request, "programmes/cohort_detail.html", {"cohort": cohort, "mine": mine})


def apply(request, cohort_id: int, role: str):
    cohort = get_cohort_open_for_applications(cohort_id)
    if role not in Participation.APPLYING_ROLES:
        messages.error(request, _("One can only apply as a mentee or as a mentor."))
        return redirect("programmes:cohort_detail", cohort_id=cohort.pk)
    missing = services.missing_for_application(request.user, role)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not missing:
        try:
            services.apply_to_cohort(
                user=request.user,
                cohort=cohort,
                role=role,
                motivation=form.cleaned_data["motivation"],
            )
        except services.ProgrammeError as error:
            messages.error(request, str(error))
            return redirect("programmes:cohort_detail", cohort_id=cohort.pk)
        messages.success(request, _("Your application is sent. We will e-mail you the decision."))
        return redirect("core:dashboard")
    context = {
        "cohort": cohort,
        "role": role,
        "role_label": Participation.Role(role).label,
        "form": form,
        "missing": missing,
    }
    return render(request, "programmes/apply.html", context)


@require_POST
def withdraw(request, participation_id: int):
    participation = get_own_participation(request.user, participation_id)
    try:
        services.withdraw_application(participation=participation)
    except services.ProgrammeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("core:dashboard")


def staff_home(request):
    if not is_any_programme_staff(request.user):
        raise PermissionDenied
    cohorts = queries.cohorts_with_counts_for_staff(request.user)
    return render(request, "programmes/staff_home.html", {"cohorts": cohorts})


def staff_cohort(request, cohort_id: int):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    filters = ParticipantFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    rows = queries.cohort_participations(
        cohort,
        role=criteria.get("role", ""),
        status=criteria.get("status", ""),
        search=criteria.get("q", ""),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "cohort": cohort,
        "filters": filters,
        "page": page,
        "phase_form": PhaseForm(initial={"expected_phase": cohort.phase}),
        "next_phase_label": (
            cohort.Phase(cohort.next_phase()).label if cohort.next_phase() else None
        ),
    }
    return render(request, "programmes/staff_cohort.html", context)


@require_POST
def advance_phase(request, cohort_id: int):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    form = PhaseForm(request.POST)
    if form.is_valid():
        try:
            cohort = services.advance_cohort_phase(
                cohort=cohort, expected_phase=form.cleaned_data["expected_phase"]
            )
        except services.ProgrammeError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The cohort is now in phase: %(phase)s.") % {"phase": cohort.get_phase_display()},
            )
    return redirect("programmes:staff_cohort", cohort_id=cohort.pk)


def staff_application(request, participation_id: int):
    participation = get_participation_for_staff(request.user, participation_id)
    applicant = participation.user
    record_staff_access(
        staff=request.user, subject=applicant, action="view application", path=request.path
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            participation = services.decide_application(
                participation=participation,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                staff=request.user,
            )
        except services.ProgrammeError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(name)s: %(status)s.")
                % {"name": applicant.full_name, "status": participation.get_status_display()},
            )
            if not request.htmx:
                return redirect("programmes:staff_cohort", cohort_id=participation.cohort_id)
            form = DecisionForm()
    context = {
        "participation": participation,
        "applicant": applicant,
        "languages": list(applicant.languages.all()),
        "form": form,
        "can_decide": participation.status
        in (Participation.Status.APPLIED, Participation.Status.WAITLISTED),
        "needs_consent": participation.role == Participation.Role.MENTEE and applicant.is_minor,
        "has_consent": has_current_guardian_consent(applicant) if applicant.is_minor else None,
    }
    template = "programmes/staff_application.html"
    if request.htmx:
        template += "#decision-panel"
    return render(request, template, context)


def import_participants(request, cohort_id: int):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    valid_message = ""
    if request.method == "POST" and form.is_valid():
        report = services.import_participants(
            cohort=cohort,
            uploaded_file=form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
            staff=request.user,
        )
        if report.imported:
            messages.success(
                request,
                ngettext(
                    "Imported %(count)s participant into %(cohort)s.",
                    "Imported %(count)s participants into %(cohort)s.",
                    report.rows_read,
                )
                % {"count": report.rows_read, "cohort": cohort.name}
                + " "
                + _("New accounts: %(new)s; existing accounts reused: %(reused)s.")
                % {"new": report.to_create, "reused": report.existing_users_reused},
            )
            return redirect("programmes:staff_cohort", cohort_id=cohort.pk)
        if report.is_valid:
            valid_message = ngettext(
                "%(count)s row is valid; untick 'Only check the file' to import.",
                "All %(count)s rows are valid; untick 'Only check the file' to import.",
                report.rows_read,
            ) % {"count": report.rows_read}
    context = {
        "cohort": cohort,
        "form": form,
        "report": report,
        "valid_message": valid_message,
        **format_reference(),
    }
    return render(request, "programmes/import.html", context)
