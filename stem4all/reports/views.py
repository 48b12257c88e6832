"""The report pages: thin views over ``queries`` for the cohort's staff."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from stem4all.core.exports import FORMATS, download

from . import queries
from .permissions import get_cohort_for_report


def cohort_report(request, cohort_id: int):
    cohort = get_cohort_for_report(request.user, cohort_id)
    context = {
        "cohort": cohort,
        "indicators": queries.cohort_indicators(cohort),
        "breakdowns": [
            (dimension, queries.breakdown(cohort, dimension.key))
            for dimension in queries.DIMENSIONS.values()
        ],
        "min_cell": queries.MIN_CELL,
        "formats": FORMATS,
    }
    return render(request, "reports/cohort.html", context)


def _indicator_table(cohort):
    header = [_("Indicator"), _("Value"), _("Unit")]
    rows = [[i.label, i.value, i.unit] for i in queries.cohort_indicators(cohort)]
    return header, rows


def _breakdown_table(dimension: str):
    def table(cohort):
        header = [
            str(queries.DIMENSIONS[dimension].column),
            _("Mentees accepted"),
            _("Mentees matched"),
            _("Matched (%)"),
        ]
        rows = [[row.label, *row.cells] for row in queries.breakdown(cohort, dimension)]
        return header, rows

    return table


TABLES = {
    "indicators": _indicator_table,
    **{dimension: _breakdown_table(dimension) for dimension in queries.DIMENSIONS},
}


def cohort_table(request, cohort_id: int, table: str, fmt: str) -> HttpResponse:
    """One table of the report as CSV or XLSX; a suppressed cell is left empty."""
    cohort = get_cohort_for_report(request.user, cohort_id)
    if table not in TABLES or fmt not in FORMATS:
        raise Http404
    header, rows = TABLES[table](cohort)
    return download(
        name=f"{table}-{cohort.slug}", fmt=fmt, title=str(cohort), header=header, rows=rows
    )
