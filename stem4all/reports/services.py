"""Writes of the reports app outside the surveys (``surveys.py``): asking for a donor
report, whose PDF the task in ``tasks.py`` builds after the request commits."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stem4all.core.errors import DomainError

from .models import DonorReport

# A report still queued after this long was lost (a worker stopped, the queue was
# cleared): it is marked failed so that staff can ask again.
STALE_AFTER = dt.timedelta(minutes=30)


class DonorReportError(DomainError):
    """A donor report that cannot be asked for now; the message says why."""


def request_donor_report(*, cohort, by, language: str, now: dt.datetime | None = None):
    """Queue a donor report of ``cohort`` in ``language``, asked for by ``by`` (staff of
    the programme: the caller authorises). Refused while one is already queued for the
    same cohort and language; the cohort's row lock makes two requests at once queue
    one report. A queued report older than ``STALE_AFTER`` is marked failed first."""
    from stem4all.programmes.models import Cohort

    from .tasks import enqueue_donor_report

    now = now or timezone.now()
    with transaction.atomic():
        Cohort.objects.select_for_update().get(pk=cohort.pk)
        queued = DonorReport.objects.filter(
            cohort=cohort, language=language, status=DonorReport.Status.QUEUED
        )
        queued.filter(requested_at__lt=now - STALE_AFTER).update(
            status=DonorReport.Status.FAILED,
            error=_("It was not made in time. Ask for it again."),
            finished_at=now,
        )
        if queued.exists():
            raise DonorReportError(
                _("A report in this language is already being made. Refresh this page in a minute.")
            )
        report = DonorReport.objects.create(cohort=cohort, requested_by=by, language=language)
        transaction.on_commit(lambda: enqueue_donor_report(report.pk))
    return report
