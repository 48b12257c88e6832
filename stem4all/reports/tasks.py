"""The reports' background work: the task that builds a donor report's PDF, queued by
``services.request_donor_report`` once the request's transaction commits, and the one
that recomputes a dashboard's figures when a view finds them old."""

from __future__ import annotations

import logging

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

logger = logging.getLogger(__name__)

ERROR_LENGTH = 300


def enqueue_donor_report(report_id: int) -> None:
    try:
        build_donor_report.enqueue(report_id=report_id)
    except Exception:  # the queue refused it: say so rather than leave it queued
        logger.exception("donor report %s could not be queued", report_id)
        _mark_failed(report_id, _("It could not be queued. Ask for it again."))


def _mark_failed(report_id: int, error: str) -> None:
    from .models import DonorReport

    DonorReport.objects.filter(pk=report_id).exclude(status=DonorReport.Status.READY).update(
        status=DonorReport.Status.FAILED, error=error[:ERROR_LENGTH], finished_at=timezone.now()
    )


@task()
def build_donor_report(*, report_id: int) -> None:
    """Build the report's PDF in its language and store it. Safe to run twice: a ready
    report is left as it is. Any error marks it failed (and is logged), so that it never
    stays queued."""
    from .models import DonorReport
    from .pdf import build_donor_pdf

    report = (
        DonorReport.objects.select_related("cohort__programme")
        .defer("pdf")
        .filter(pk=report_id)
        .first()
    )
    if report is None or report.status == DonorReport.Status.READY:
        return
    try:
        with translation.override(report.language):
            content = build_donor_pdf(report.cohort)
    except Exception as error:  # noqa: BLE001 - any failure must end the queued state
        logger.exception("donor report %s failed", report_id)
        _mark_failed(report_id, f"{type(error).__name__}: {error}")
        return
    DonorReport.objects.filter(pk=report_id).exclude(status=DonorReport.Status.READY).update(
        status=DonorReport.Status.READY, pdf=content, error="", finished_at=timezone.now()
    )


@task()
def refresh_figures(*, cohort_id: int, language: str) -> None:
    """Recompute a cohort's dashboard figures that a view found old (``figures``)."""
    from stem4all.programmes.models import Cohort

    from .figures import recompute

    cohort = Cohort.objects.select_related("programme").filter(pk=cohort_id).first()
    if cohort is not None:
        recompute(cohort, language)
