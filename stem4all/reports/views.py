"""The report pages: thin views over ``queries``, ``surveys`` and ``charts`` for the
cohort's staff and funders."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from stem4all.accounts.permissions import is_programme_staff
from stem4all.core.exports import FORMATS, download
from stem4all.programmes.permissions import get_cohort_for_staff

from . import charts, queries
from .figures import FIGURES_SECONDS, cohort_figures, forget
from .models import Survey
from .permissions import get_cohort_for_report

# The figures shown large at the top of the dashboard, in this order.
KEY_FIGURES = ["accepted", "mentors", "matched", "meetings", "meeting_hours", "certificates"]


def _charts(*, funnel, months, regions, change) -> dict:
    """Every chart of the dashboard, drawn on the server (``charts``)."""
    return {
        "funnel": charts.funnel_chart(
            [(i.label, i.value) for i in funnel], title=_("From application to completion")
        ),
        "map": charts.region_map(
            {row.key: row.matched for row in regions},
            title=_("Mentees matched with a mentor, by region"),
            unit_label=_("mentees matched"),
        ),
        "trend": charts.trend_chart(
            [month.label for month in months],
            [
                (_("Meetings held"), [month.meetings for month in months]),
                (_("Roadmap steps done"), [month.steps_done for month in months]),
                (_("Pairs started"), [month.new_pairs for month in months]),
            ],
            title=_("Month by month"),
        ),
        "change": charts.change_chart(
            [(row.label, row.baseline_mean, row.endline_mean) for row in change],
            title=_("Mentees' answers before and after (1 to 5)"),
            before_label=_("Baseline"),
            after_label=_("Endline"),
        ),
    }


def _breakdown_chart(dimension, rows):
    """Bars of the groups' completion share once pairs have ended, their matched share
    before that."""
    ended = any(row.completion is not None for row in rows)
    measure = _("Completed, of the ended pairs") if ended else _("Matched with a mentor")
    title = _("%(groups)s: %(measure)s (%%)") % {"groups": dimension.title, "measure": measure}
    bars = [(row.label, row.completion if ended else row.matched_share) for row in rows]
    return {"caption": f"{measure} (%)", "svg": charts.bar_chart(bars, title=title, unit="%")}


def cohort_report(request, cohort_id: int):
    """The cohort's dashboard: key figures, then each chart with its table beside it,
    for the cohort's staff and funders."""
    cohort = get_cohort_for_report(request.user, cohort_id)
    figures = cohort_figures(cohort)
    by_key = {indicator.key: indicator for indicator in figures["indicators"]}
    breakdowns = [
        (
            dimension,
            queries.breakdown_columns(dimension),
            figures["breakdowns"][key],
            _breakdown_chart(dimension, figures["breakdowns"][key]),
        )
        for key, dimension in queries.DIMENSIONS.items()
    ]
    change = figures["change"][Survey.Audience.MENTEE]
    context = {
        "cohort": cohort,
        "is_staff": is_programme_staff(request.user, cohort.programme_id),
        "key_figures": [by_key[key] for key in KEY_FIGURES],
        **figures,
        "breakdowns": breakdowns,
        "mentee_change": change,
        "change_groups": [
            (queries.DIMENSIONS[key], rows) for key, rows in figures["change_by_group"].items()
        ],
        "survey_tables": [(audience, figures["change"][audience]) for audience in Survey.Audience],
        "charts": _charts(
            funnel=figures["funnel"],
            months=figures["months"],
            regions=figures["breakdowns"]["regions"],
            change=change,
        ),
        "min_cell": queries.MIN_CELL,
        "figures_minutes": FIGURES_SECONDS // 60,
        "formats": FORMATS,
    }
    return render(request, "reports/cohort.html", context)


@require_POST
def refresh(request, cohort_id: int):
    """Staff have the cohort's figures recomputed now rather than in a few minutes."""
    cohort = get_cohort_for_staff(request.user, cohort_id)
    forget(cohort)
    return redirect("reports:cohort", cohort_id=cohort.pk)


# Each download is a table of the figures the dashboard shows (``cohort_figures``).


def _indicator_table(figures):
    header = [_("Indicator"), _("Value"), _("Unit")]
    return header, [[i.label, i.value, i.unit] for i in figures["indicators"]]


def _breakdown_table(dimension: str):
    def table(figures):
        header = queries.breakdown_columns(queries.DIMENSIONS[dimension])
        return header, [[row.label, *row.cells] for row in figures["breakdowns"][dimension]]

    return table


def _monthly_table(figures):
    header = [_("Month"), _("Pairs started"), _("Meetings held"), _("Meeting hours")]
    header.append(_("Roadmap steps done"))
    rows = [
        [row.month.strftime("%Y-%m"), row.new_pairs, row.meetings, row.hours, row.steps_done]
        for row in figures["months"]
    ]
    return header, rows


def _funnel_table(figures):
    return [_("Stage"), _("Mentees")], [[i.label, i.value] for i in figures["funnel"]]


def _survey_groups_table(figures):
    header = [_("Breakdown"), _("Group"), _("Answered both"), _("Baseline"), _("Endline")]
    header.append(pgettext("survey result", "Change"))
    rows = [
        [str(queries.DIMENSIONS[key].title), row.label, *row.cells]
        for key, groups in figures["change_by_group"].items()
        for row in groups
    ]
    return header, rows


def _end_reasons_table(figures):
    return [_("Main reason"), _("Pairs")], [list(row) for row in figures["end_reasons"]]


TABLES = {
    "indicators": _indicator_table,
    "monthly": _monthly_table,
    "funnel": _funnel_table,
    "end_reasons": _end_reasons_table,
    "survey_groups": _survey_groups_table,
    **{dimension: _breakdown_table(dimension) for dimension in queries.DIMENSIONS},
}


def cohort_table(request, cohort_id: int, table: str, fmt: str) -> HttpResponse:
    """One table of the report as CSV or XLSX; a suppressed cell is left empty."""
    cohort = get_cohort_for_report(request.user, cohort_id)
    if table not in TABLES or fmt not in FORMATS:
        raise Http404
    header, rows = TABLES[table](cohort_figures(cohort))
    return download(
        name=f"{table}-{cohort.slug}", fmt=fmt, title=str(cohort), header=header, rows=rows
    )
