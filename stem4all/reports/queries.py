"""The indicators of a cohort for its staff and, later, its funders: what the
programme did (applications, matches, meetings, roadmap steps, trainings,
certificates, votes) and how the pairs ended. Aggregates only, each computed in the
database with a fixed number of queries whatever the cohort's size.

Privacy: a count of people between 1 and 4 is suppressed (``MIN_CELL``), and so is
any rate whose numerator or denominator is, because a small cell can identify a
person. No report holds a name, a date of birth or a contact.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stem4all.accounts.geography import HOME_COUNTRY, Region
from stem4all.accounts.models import ADULT_AGE, MenteeProfile, years_before
from stem4all.awards.queries import standing_votes
from stem4all.checkins.models import PulseCheck
from stem4all.closure.models import Certificate
from stem4all.learning.models import Registration
from stem4all.meetings.models import Meeting
from stem4all.mentorships.models import Mentorship
from stem4all.programmes.models import Cohort, Participation
from stem4all.roadmaps.models import RoadmapStep

# Cells counting fewer people than this (but some) are not shown.
MIN_CELL = 5
ABROAD = "abroad"


def suppressed(count: int | None) -> int | None:
    """``count``, or None when it counts so few people that it could identify one."""
    if count is None or 0 < count < MIN_CELL:
        return None
    return count


def one_decimal(value) -> Decimal:
    """``value`` with one decimal, rounded half up (as every report figure is shown)."""
    return Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def percent(part: int | None, whole: int | None) -> Decimal | None:
    """A share in per cent with one decimal, None when either side is suppressed."""
    if part is None or whole is None or whole == 0:
        return None
    return one_decimal(Decimal(part) * 100 / Decimal(whole))


@dataclasses.dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    value: int | Decimal | None
    unit: str = ""  # "", "%", "hours", "days", "1-5"

    @property
    def is_suppressed(self) -> bool:
        return self.value is None


def _mentees(cohort: Cohort):
    return Participation.objects.filter(cohort=cohort, role=Participation.Role.MENTEE)


def cohort_indicators(cohort: Cohort, counts: Counts | None = None) -> list[Indicator]:
    """The cohort's indicators, in the order a report reads them: the three queries of
    ``cohort_counts`` (unless given) and three more."""
    counts = counts or cohort_counts(cohort)
    people = {"n": 0, "applied": 0} | counts.total("mentee_people")
    mentors = counts.total("mentor_people").get("n", 0)
    pair_counts = dict.fromkeys(PAIR_COUNTS, 0) | counts.total("pairs")
    pairs = Mentorship.objects.filter(cohort=cohort)
    # Days from her application (the participation) to the start of her first pair.
    waits = (
        pairs.filter(
            mentee__participations__cohort=cohort,
            mentee__participations__role=Participation.Role.MENTEE,
        )
        .annotate(wait=F("started_at") - F("mentee__participations__created_at"))
        .aggregate(average=Avg("wait"))
    )
    accepted_users = _mentees(cohort).filter(status=Participation.Status.ACCEPTED).values("user")
    attendance = Registration.objects.filter(
        training__programme_id=cohort.programme_id, attended=True, user__in=accepted_users
    ).aggregate(attendances=Count("pk"), people=Count("user", distinct=True))
    categories = cohort.programme.award_editions.values("categories")
    votes = standing_votes(categories).aggregate(
        votes=Count("pk"), voters=Count("voter", distinct=True)
    )

    matched = suppressed(pair_counts["mentees"])
    accepted = suppressed(people["n"])
    ended = pair_counts["completed"] + pair_counts["ended_early"]
    wait = waits["average"]
    return [
        Indicator("applicants", _("Mentees who applied"), suppressed(people["applied"])),
        Indicator("accepted", _("Mentees accepted"), accepted),
        Indicator("mentors", _("Mentors accepted"), suppressed(mentors)),
        Indicator("matched", _("Mentees matched"), matched),
        Indicator("matched_share", _("Accepted mentees matched"), percent(matched, accepted), "%"),
        Indicator(
            "days_to_match",
            _("Average days from application to a mentor"),
            one_decimal(wait.total_seconds() / 86400)
            if wait is not None and matched is not None
            else None,
            "days",
        ),
        Indicator("active_pairs", _("Active pairs"), suppressed(pair_counts["active"])),
        Indicator("meetings", _("Mentoring meetings held"), pair_counts["held"]),
        Indicator(
            "meeting_hours",
            _("Hours of mentoring meetings"),
            _hours(pair_counts["minutes"]),
            "hours",
        ),
        Indicator("steps_done", _("Roadmap steps done"), pair_counts["steps"]),
        Indicator("attendances", _("Training attendances"), attendance["attendances"]),
        Indicator(
            "training_people",
            _("Mentees who attended a training"),
            suppressed(attendance["people"]),
        ),
        Indicator(
            "certificates",
            _("Certificates of completion"),
            suppressed(pair_counts["certificates"]),
        ),
        Indicator(
            "pulse",
            _("Average check-in score"),
            _average(pair_counts["pulse_total"], pair_counts["pulse_answers"]),
            "1-5",
        ),
        Indicator(
            "completion",
            _("Pairs that completed, of those that ended"),
            percent(suppressed(pair_counts["completed"]), suppressed(ended)),
            "%",
        ),
        Indicator(
            "ended_early",
            _("Pairs that ended early, of those that ended"),
            percent(suppressed(pair_counts["ended_early"]), suppressed(ended)),
            "%",
        ),
        Indicator("voters", _("Award voters"), suppressed(votes["voters"])),
        Indicator("votes", _("Award votes that count"), votes["votes"]),
    ]


def _region_key(person: str):
    """Her region when she lives in Kyrgyzstan, ``abroad`` otherwise."""
    return Case(
        When(~Q(**{f"{person}__country": HOME_COUNTRY}), then=Value(ABROAD)),
        default=F(f"{person}__region"),
    )


def _settlement_key(person: str):
    """Urban or rural as she said; when she did not, the two cities count as urban."""
    settlement = f"{person}__mentee_profile__settlement"
    return Case(
        When(**{f"{settlement}__in": MenteeProfile.URBAN}, then=Value("urban")),
        When(**{settlement: MenteeProfile.Settlement.VILLAGE}, then=Value("rural")),
        When(
            **{f"{person}__country": HOME_COUNTRY, f"{person}__region__in": CITIES},
            then=Value("urban"),
        ),
        default=Value(""),
    )


def _education_key(person: str):
    return Coalesce(F(f"{person}__mentee_profile__education_level"), Value(""))


def _age_key(person: str):
    """Her age band today; '' when her date of birth is not on record."""
    today, born = timezone.localdate(), f"{person}__date_of_birth"
    bands = [(ADULT_AGE, "under_18"), (25, "18_24"), (35, "25_34")]
    return Case(
        When(**{f"{born}__isnull": True}, then=Value("")),
        *(
            When(**{f"{born}__gt": years_before(today, years)}, then=Value(key))
            for years, key in bands
        ),
        default=Value("35_plus"),
    )


def _mentor_kind_key(person: str):
    """A regional mentor lives in Kyrgyzstan, an international one abroad."""
    return Case(
        When(**{f"{person}__country": ""}, then=Value("")),
        When(**{f"{person}__country": HOME_COUNTRY}, then=Value("regional")),
        default=Value("international"),
    )


CITIES = (Region.BISHKEK, Region.OSH_CITY)

AGE_BANDS = [
    ("under_18", _("Under 18")),
    ("18_24", _("18 to 24")),
    ("25_34", _("25 to 34")),
    ("35_plus", _("35 and over")),
]


@dataclasses.dataclass(frozen=True)
class Dimension:
    key: str
    title: str
    column: str
    value_of: object  # person path -> expression
    choices: list
    # Whose attribute groups the rows: the mentee's, or her mentor's.
    of: str = "mentee"


DIMENSIONS = {
    d.key: d
    for d in (
        Dimension(
            "regions",
            _("Mentees by region"),
            _("Region"),
            _region_key,
            [*Region.choices, (ABROAD, _("Abroad"))],
        ),
        Dimension(
            "settlement",
            _("Mentees in cities and towns, and in villages"),
            _("Where she lives"),
            _settlement_key,
            [("urban", _("City or town")), ("rural", _("Village"))],
        ),
        Dimension("ages", _("Mentees by age"), _("Age"), _age_key, AGE_BANDS),
        Dimension(
            "education",
            _("Mentees by education"),
            _("Education"),
            _education_key,
            list(MenteeProfile.EducationLevel.choices),
        ),
        Dimension(
            "mentors",
            _("Regional and international mentors"),
            _("Mentor"),
            _mentor_kind_key,
            [
                ("regional", _("Regional (in Kyrgyzstan)")),
                ("international", _("International (abroad)")),
            ],
            of="mentor",
        ),
    )
}


@dataclasses.dataclass(frozen=True)
class BreakdownRow:
    key: str
    label: str
    people: int | None
    matched: int | None
    matched_share: Decimal | None
    meetings: int | None
    hours: Decimal | None
    steps_done: int | None
    certificates: int | None
    completion: Decimal | None
    pulse: Decimal | None

    @property
    def cells(self) -> tuple:
        return tuple(getattr(self, key) for key, _label in BREAKDOWN_COLUMNS)


# The columns after the group's name, as (field, label) ; the first two depend on
# whose attribute groups the rows (see ``breakdown_columns``).
BREAKDOWN_COLUMNS = [
    ("people", ""),
    ("matched", ""),
    ("matched_share", _("Matched (%)")),
    ("meetings", _("Meetings held")),
    ("hours", _("Meeting hours")),
    ("steps_done", _("Roadmap steps done")),
    ("certificates", _("Certificates")),
    ("completion", _("Completed, of the ended pairs (%)")),
    ("pulse", _("Average check-in score (1 to 5)")),
]


def breakdown_columns(dimension: Dimension) -> list[str]:
    """The header of a breakdown table: the group's column, then BREAKDOWN_COLUMNS."""
    if dimension.of == "mentor":
        people = [_("Mentors accepted"), _("Mentors with a mentee")]
    else:
        people = [_("Mentees accepted"), _("Mentees matched")]
    return [str(dimension.column), *map(str, people), *(str(c[1]) for c in BREAKDOWN_COLUMNS[2:])]


def _average(total, answers) -> Decimal | None:
    """A mean with one decimal, None when it rests on fewer than MIN_CELL answers."""
    if not suppressed(answers):
        return None
    return one_decimal(Decimal(total) / answers)


def _hours(minutes) -> Decimal:
    return one_decimal(Decimal(minutes or 0) / 60)


def _grouped(queryset, group, **aggregates) -> dict[str, dict]:
    rows = queryset.annotate(group=group).values("group").annotate(**aggregates)
    return {row.pop("group") or "": row for row in rows}


def by_every_dimension(queryset, paths: dict[str, str], **aggregates) -> list[dict]:
    """``aggregates`` per combination of the groups of every dimension whose person
    (mentee, mentor) has a path in ``paths``: one query for all the breakdowns. A few
    hundred rows at most (10 regions x 3 x 5 x 5 x 3), summed per dimension after."""
    groups = {
        f"group_{d.key}": d.value_of(paths[d.of]) for d in DIMENSIONS.values() if d.of in paths
    }
    return list(queryset.annotate(**groups).values(*groups).annotate(**aggregates))


def totals(rows: list[dict], dimension: str | None) -> dict[str, dict[str, int]]:
    """The rows of ``by_every_dimension`` summed per group of one dimension (all
    together, under "", when ``dimension`` is None)."""
    if not rows:
        return {}
    fields = [name for name in rows[0] if not name.startswith("group_")]
    column = f"group_{dimension}" if dimension else None
    summed: dict[str, dict[str, int]] = {}
    for row in rows:
        group = (row[column] or "") if column else ""
        total = summed.get(group)
        if total is None:
            total = summed[group] = dict.fromkeys(fields, 0)
        for name in fields:
            total[name] += row[name] or 0
    return summed


@dataclasses.dataclass(frozen=True)
class Counts:
    """The cohort's people and pairs counted once per combination of every
    dimension's groups (``by_every_dimension``): the indicators, the funnel and
    every breakdown are sums of these rows."""

    mentee_people: list[dict]  # n: accepted, applied: every application
    mentor_people: list[dict]  # n: accepted
    pairs: list[dict]  # mentees, mentors (distinct), statuses, held, minutes, steps...

    def total(self, name: str) -> dict[str, int]:
        return totals(getattr(self, name), None).get("", {})

    def by(self, name: str, dimension: str) -> dict[str, dict[str, int]]:
        return totals(getattr(self, name), dimension)


# What ``cohort_counts`` counts per combination of groups of pairs.
PAIR_COUNTS = [
    "mentees",
    "mentors",
    "active",
    "completed",
    "ended_early",
    "held",
    "minutes",
    "steps",
    "certificates",
    "pulse_total",
    "pulse_answers",
]


def _first_pair_of(role: str):
    """True for the pair that is its mentee's (or mentor's) first in the cohort: one
    per person, so counting these counts people in any grouping of pairs."""
    return ~Exists(
        Mentorship.objects.filter(
            cohort_id=OuterRef("cohort_id"), **{role: OuterRef(role)}, pk__lt=OuterRef("pk")
        )
    )


def cohort_counts(cohort: Cohort) -> Counts:
    """Three queries, whatever the cohort's size."""
    mentees = _mentees(cohort)
    accepted = Q(status=Participation.Status.ACCEPTED)
    pairs = _with_activity(Mentorship.objects.filter(cohort=cohort)).annotate(
        first_of_mentee=_first_pair_of("mentee"), first_of_mentor=_first_pair_of("mentor")
    )
    status = Mentorship.Status
    return Counts(
        mentee_people=by_every_dimension(
            mentees, {"mentee": "user"}, n=Count("pk", filter=accepted), applied=Count("pk")
        ),
        mentor_people=by_every_dimension(
            Participation.objects.filter(accepted, cohort=cohort, role=Participation.Role.MENTOR),
            {"mentor": "user"},
            n=Count("pk"),
        ),
        pairs=by_every_dimension(
            pairs,
            {"mentee": "mentee", "mentor": "mentor"},
            mentees=Count("pk", filter=Q(first_of_mentee=True)),
            mentors=Count("pk", filter=Q(first_of_mentor=True)),
            active=Count("pk", filter=Q(status=status.ACTIVE)),
            completed=Count("pk", filter=Q(status=status.COMPLETED)),
            ended_early=Count("pk", filter=Q(status=status.ENDED_EARLY)),
            held=Sum("held"),
            minutes=Sum("minutes"),
            steps=Sum("steps"),
            certificates=Count("pk", filter=Q(certified=True)),
            pulse_total=Sum("pulse_total"),
            pulse_answers=Sum("pulse_answers"),
        ),
    )


def breakdowns(cohort: Cohort, counts: Counts | None = None) -> dict[str, list[BreakdownRow]]:
    """The cohort's figures per group of every dimension (region, urban/rural, age
    band, education, the kind of mentor), each in its dimension's order: the three
    queries of ``cohort_counts`` for all of them, whatever the cohort's size.

    A group's activity (meetings, hours, steps, completion) is shown only when it
    counts at least MIN_CELL matched people, so a small group's figures never
    describe one or two people."""
    counts = counts or cohort_counts(cohort)
    return {
        key: _breakdown_rows(
            dimension,
            people=counts.by(f"{dimension.of}_people", key),
            pairs=counts.by("pairs", key),
        )
        for key, dimension in DIMENSIONS.items()
    }


def _with_activity(pairs):
    """Each pair with its meetings held, their minutes, its roadmap steps done and
    whether it has a valid certificate: subqueries on indexed foreign keys, so the
    grouping above runs over pairs, not over every meeting."""
    happened = (
        Meeting.objects.filter(mentorship=OuterRef("pk"), outcome=Meeting.Outcome.HAPPENED)
        .order_by()
        .values("mentorship")
    )
    done = (
        RoadmapStep.objects.filter(
            roadmap__mentorship=OuterRef("pk"), status=RoadmapStep.Status.DONE
        )
        .order_by()
        .values("roadmap__mentorship")
    )
    scored = (
        PulseCheck.objects.filter(mentorship=OuterRef("pk"), score__isnull=False)
        .order_by()
        .values("mentorship")
    )
    return pairs.annotate(
        pulse_total=Subquery(scored.annotate(n=Sum("score")).values("n")),
        pulse_answers=Subquery(scored.annotate(n=Count("pk")).values("n")),
        held=Subquery(happened.annotate(n=Count("pk")).values("n")),
        minutes=Subquery(happened.annotate(n=Sum("duration_minutes")).values("n")),
        steps=Subquery(done.annotate(n=Count("pk")).values("n")),
        certified=Exists(
            Certificate.objects.filter(mentorship=OuterRef("pk"), revoked_at__isnull=True)
        ),
    )


def _breakdown_rows(dimension: Dimension, *, people: dict, pairs: dict) -> list[BreakdownRow]:
    result = []
    for key, label in [*dimension.choices, ("", _("Not given"))]:
        if not people.get(key, {}).get("n") and not pairs.get(key, {}).get(f"{dimension.of}s"):
            continue
        shown = suppressed(people.get(key, {}).get("n", 0))
        pair = pairs.get(key, {})
        matched = suppressed(pair.get(f"{dimension.of}s", 0))
        active = matched is not None
        completed = suppressed(pair.get("completed", 0))
        ended = suppressed(pair.get("completed", 0) + pair.get("ended_early", 0))
        result.append(
            BreakdownRow(
                key=key,
                label=str(label),
                people=shown,
                matched=matched,
                matched_share=percent(matched, shown),
                meetings=pair.get("held", 0) if active else None,
                hours=_hours(pair.get("minutes")) if active else None,
                steps_done=pair.get("steps", 0) if active else None,
                certificates=suppressed(pair.get("certificates", 0)),
                completion=percent(completed, ended) if active else None,
                pulse=_average(pair.get("pulse_total"), pair.get("pulse_answers", 0))
                if active
                else None,
            )
        )
    return result


def breakdown(cohort: Cohort, dimension: str) -> list[BreakdownRow]:
    """One dimension of ``breakdowns`` (the same three queries)."""
    return breakdowns(cohort)[dimension]


@dataclasses.dataclass(frozen=True)
class MonthRow:
    month: dt.date  # the first day of the month
    label: str
    new_pairs: int | None
    meetings: int
    hours: Decimal
    steps_done: int


# A trend longer than this many months shows its last ones only.
MAX_MONTHS = 36


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = _next_month(month)
    return months[-MAX_MONTHS:]


def _per_month(queryset, field: str, months: list[dt.date], **aggregates) -> list[dict]:
    """``aggregates`` (name -> (function, field)) of the rows whose ``field`` falls in
    each month, in the site's time zone; one query, grouped by the month's number,
    which a CASE of plain comparisons gives (no date function runs per row)."""
    zone = timezone.get_current_timezone()
    bounds = [dt.datetime.combine(m, dt.time(), tzinfo=zone) for m in months]
    bounds.append(dt.datetime.combine(_next_month(months[-1]), dt.time(), tzinfo=zone))
    number = Case(
        *(When(**{f"{field}__lt": end}, then=Value(index)) for index, end in enumerate(bounds[1:])),
        output_field=IntegerField(),
    )
    rows = (
        queryset.filter(**{f"{field}__gte": bounds[0], f"{field}__lt": bounds[-1]})
        .annotate(month_number=number)
        .values("month_number")
        .annotate(**{name: function(column) for name, (function, column) in aggregates.items()})
    )
    by_number = {row.pop("month_number"): row for row in rows}
    return [
        {name: by_number.get(index, {}).get(name) or 0 for name in aggregates}
        for index in range(len(months))
    ]


def monthly(cohort: Cohort) -> list[MonthRow]:
    """The cohort's activity per calendar month (in the site's time zone) from its
    start to today or its end: pairs started, meetings held and their hours, roadmap
    steps signed off. Three queries."""
    months = _months(cohort.starts_on, min(timezone.localdate(), cohort.ends_on))
    if not months:
        return []
    pairs = _per_month(
        Mentorship.objects.filter(cohort=cohort), "started_at", months, n=(Count, "pk")
    )
    meetings = _per_month(
        Meeting.objects.filter(mentorship__cohort=cohort, outcome=Meeting.Outcome.HAPPENED),
        "starts_at",
        months,
        held=(Count, "pk"),
        minutes=(Sum, "duration_minutes"),
    )
    steps = _per_month(
        RoadmapStep.objects.filter(
            roadmap__mentorship__cohort=cohort, status=RoadmapStep.Status.DONE
        ),
        "signed_off_at",
        months,
        n=(Count, "pk"),
    )
    return [
        MonthRow(
            month=month,
            label=date_format(month, "M Y"),
            new_pairs=suppressed(pair["n"]),
            meetings=meeting["held"],
            hours=_hours(meeting["minutes"]),
            steps_done=step["n"],
        )
        for month, pair, meeting, step in zip(months, pairs, meetings, steps, strict=True)
    ]


def funnel(cohort: Cohort, counts: Counts | None = None) -> list[Indicator]:
    """How many mentees reached each stage: applied, accepted, matched, met their mentor
    at least once, completed. One query besides ``cohort_counts`` (unless given)."""
    counts = counts or cohort_counts(cohort)
    people, pairs = counts.total("mentee_people"), counts.total("pairs")
    happened = Meeting.objects.filter(mentorship=OuterRef("pk"), outcome=Meeting.Outcome.HAPPENED)
    reached = (
        Mentorship.objects.filter(cohort=cohort)
        .annotate(has_met=Exists(happened))
        .aggregate(
            met=Count("mentee", distinct=True, filter=Q(has_met=True)),
            completed=Count("mentee", distinct=True, filter=Q(status=Mentorship.Status.COMPLETED)),
        )
    )
    stages = [
        ("applied", pgettext_lazy("funnel stage", "Applied"), people.get("applied", 0)),
        ("accepted", pgettext_lazy("funnel stage", "Accepted"), people.get("n", 0)),
        ("matched", _("Matched with a mentor"), pairs.get("mentees", 0)),
        ("met", _("Met her mentor at least once"), reached["met"]),
        ("completed", _("Completed the programme"), reached["completed"]),
    ]
    return [Indicator(key, label, suppressed(value)) for key, label, value in stages]


def end_reasons(cohort: Cohort) -> list[tuple[str, int | None]]:
    """Why pairs ended early, by the main reason recorded (one query); a reason given
    by fewer than MIN_CELL pairs is not shown."""
    counts = _grouped(
        Mentorship.objects.filter(cohort=cohort, status=Mentorship.Status.ENDED_EARLY),
        F("end_cause"),
        n=Count("pk"),
    )
    choices = [*Mentorship.EndCause.choices, ("", _("Not recorded"))]
    return [(str(label), suppressed(counts[key]["n"])) for key, label in choices if key in counts]
