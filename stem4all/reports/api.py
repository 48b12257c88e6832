"""The impact report in the JSON API: the same permission check and queries as the
page, so a script sees exactly the figures (and the suppressed cells, as null) that
the dashboard shows. Aggregates only: no endpoint here lists a person."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from . import queries
from .figures import cohort_figures
from .permissions import get_cohort_for_report

router = Router(tags=["reports"])

Number = int | float | None


def _number(value) -> Number:
    return float(value) if isinstance(value, Decimal) else value


class IndicatorOut(Schema):
    key: str
    label: str
    value: Number
    unit: str


class BreakdownOut(Schema):
    key: str
    title: str
    columns: list[str]
    rows: list[dict[str, Number | str]]


class MonthOut(Schema):
    month: dt.date
    new_pairs: int | None
    meetings: int
    hours: float
    steps_done: int


class CountOut(Schema):
    label: str
    value: int | None


class _ChangeFields(Schema):
    key: str
    label: str
    respondents: int | None
    baseline_mean: float | None
    endline_mean: float | None
    change: float | None


class ChangeOut(_ChangeFields):
    audience: str


class GroupChangeOut(_ChangeFields):
    breakdown: str


class CohortReportOut(Schema):
    cohort: str
    programme: str
    min_cell: int
    computed_at: dt.datetime
    indicators: list[IndicatorOut]
    funnel: list[IndicatorOut]
    monthly: list[MonthOut]
    end_reasons: list[CountOut]
    breakdowns: list[BreakdownOut]
    survey_change: list[ChangeOut]
    survey_change_by_group: list[GroupChangeOut]


def _indicators(rows) -> list[dict]:
    return [
        {"key": i.key, "label": str(i.label), "value": _number(i.value), "unit": i.unit}
        for i in rows
    ]


def _breakdown(dimension, rows) -> dict:
    fields = ["label", *(key for key, _label in queries.BREAKDOWN_COLUMNS)]
    return {
        "key": dimension.key,
        "title": str(dimension.title),
        "columns": queries.breakdown_columns(dimension),
        "rows": [
            dict(zip(fields, (row.label, *map(_number, row.cells)), strict=True)) | {"key": row.key}
            for row in rows
        ],
    }


@router.get(
    "/reports/cohorts/{cohort_id}",
    response=CohortReportOut,
    summary=(
        "A cohort's impact report (staff and the cohort's funders); small cells are null; "
        "the figures are at most a few minutes old (computed_at)"
    ),
)
def cohort_report(request: HttpRequest, cohort_id: int):
    cohort = get_cohort_for_report(request.user, cohort_id)
    figures = cohort_figures(cohort)
    return {
        "cohort": cohort.name,
        "programme": cohort.programme.name,
        "min_cell": queries.MIN_CELL,
        "computed_at": figures["computed_at"],
        "indicators": _indicators(figures["indicators"]),
        "funnel": _indicators(figures["funnel"]),
        "monthly": [
            {
                "month": row.month,
                "new_pairs": row.new_pairs,
                "meetings": row.meetings,
                "hours": float(row.hours),
                "steps_done": row.steps_done,
            }
            for row in figures["months"]
        ],
        "end_reasons": [
            {"label": label, "value": value} for label, value in figures["end_reasons"]
        ],
        "breakdowns": [
            _breakdown(d, figures["breakdowns"][key]) for key, d in queries.DIMENSIONS.items()
        ],
        "survey_change": [
            {"audience": audience, **_change(row)}
            for audience, rows in figures["change"].items()
            for row in rows
        ],
        "survey_change_by_group": [
            {"breakdown": key, **_change(row)}
            for key, rows in figures["change_by_group"].items()
            for row in rows
        ],
    }


def _change(row) -> dict:
    return {
        "key": row.key,
        "label": row.label,
        "respondents": row.respondents,
        "baseline_mean": _number(row.baseline_mean),
        "endline_mean": _number(row.endline_mean),
        "change": _number(row.change),
    }
