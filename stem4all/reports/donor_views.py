"""The donor report pages for the programme's staff: the cohort's past reports with a
form to ask for a new one in a chosen language, and the download of a ready one."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stem4all.programmes.permissions import get_cohort_for_staff

from .models import DonorReport
from .services import STALE_AFTER, DonorReportError, request_donor_report

PAGE_SIZE = 20


class DonorReportForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language of the report"), choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES


def _default_language(user) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    for code in (getattr(user, "preferred_language", ""), get_language()):
        if code in codes:
            return code
    return settings.LANGUAGE_CODE


def donor_list(request, cohort_id: int):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    reports = (
        DonorReport.objects.filter(cohort=cohort)
        .select_related("requested_by")
        .defer("pdf")
        .order_by("-requested_at", "-pk")
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    form = DonorReportForm(initial={"language": _default_language(request.user)})
    context = {
        "cohort": cohort,
        "page": page,
        "form": form,
        "statuses": DonorReport.Status,
        # A report queued before this was lost; asking again replaces it.
        "stale_before": timezone.now() - STALE_AFTER,
    }
    return render(request, "reports/donor/list.html", context)


@require_POST
def donor_request(request, cohort_id: int):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    form = DonorReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the language of the report."))
        return redirect("reports:donor_list", cohort_id=cohort.pk)
    try:
        request_donor_report(cohort=cohort, by=request.user, language=form.cleaned_data["language"])
    except DonorReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The report is being made. Refresh this page in a minute to download it.")
        )
    return redirect("reports:donor_list", cohort_id=cohort.pk)


def donor_download(request, report_id: int):
    report = (
        DonorReport.objects.select_related("cohort")
        .filter(pk=report_id)
        .defer("pdf", "error")
        .first()
    )
    if report is None:
        raise Http404
    get_cohort_for_staff(request.user, report.cohort_id)
    if report.status != DonorReport.Status.READY:
        raise Http404
    content = DonorReport.objects.values_list("pdf", flat=True).get(pk=report.pk)
    made = timezone.localdate(report.finished_at) if report.finished_at else timezone.localdate()
    name = f"impact-report-{report.cohort.slug}-{report.language}-{made.isoformat()}.pdf"
    response = HttpResponse(bytes(content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
