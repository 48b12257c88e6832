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
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


def percent(part: int | None, whole: int | None) -> Decimal | None:
    """A share in per cent with one decimal, None when either side is suppressed."""
    if part is None or whole is None or whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


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


def cohort_indicators(cohort: Cohort) -> list[Indicator]:
    """The cohort's indicators, in the order a report reads them (10 queries)."""
    people = _mentees(cohort).aggregate(
        applicants=Count("pk"),
        accepted=Count("pk", filter=Q(status=Participation.Status.ACCEPTED)),
    )
    mentors = Participation.objects.filter(
        cohort=cohort, role=Participation.Role.MENTOR, status=Participation.Status.ACCEPTED
    ).count()
    pairs = Mentorship.objects.filter(cohort=cohort)
    pair_counts = pairs.aggregate(
        matched=Count("mentee", distinct=True),
        active=Count("pk", filter=Q(status=Mentorship.Status.ACTIVE)),
        completed=Count("pk", filter=Q(status=Mentorship.Status.COMPLETED)),
        ended_early=Count("pk", filter=Q(status=Mentorship.Status.ENDED_EARLY)),
    )
    # Days from her application (the participation) to the start of her first pair.
    waits = (
        pairs.filter(
            mentee__participations__cohort=cohort,
            mentee__participations__role=Participation.Role.MENTEE,
        )
        .annotate(wait=F("started_at") - F("mentee__participations__created_at"))
        .aggregate(average=Avg("wait"))
    )
    meetings = Meeting.objects.filter(
        mentorship__cohort=cohort, outcome=Meeting.Outcome.HAPPENED
    ).aggregate(held=Count("pk"), minutes=Sum("duration_minutes"))
    steps_done = RoadmapStep.objects.filter(
        roadmap__mentorship__cohort=cohort, status=RoadmapStep.Status.DONE
    ).count()
    accepted_users = _mentees(cohort).filter(status=Participation.Status.ACCEPTED).values("user")
    attendance = Registration.objects.filter(
        training__programme_id=cohort.programme_id, attended=True, user__in=accepted_users
    ).aggregate(attendances=Count("pk"), people=Count("user", distinct=True))
    certificates = Certificate.objects.filter(
        mentorship__cohort=cohort, revoked_at__isnull=True
    ).count()
    pulse = PulseCheck.objects.filter(mentorship__cohort=cohort, score__isnull=False).aggregate(
        average=Avg("score"), answers=Count("pk")
    )
    categories = cohort.programme.award_editions.values("categories")
    votes = standing_votes(categories).aggregate(
        votes=Count("pk"), voters=Count("voter", distinct=True)
    )

    matched = suppressed(pair_counts["matched"])
    accepted = suppressed(people["accepted"])
    ended = pair_counts["completed"] + pair_counts["ended_early"]
    wait = waits["average"]
    return [
        Indicator("applicants", _("Mentees who applied"), suppressed(people["applicants"])),
        Indicator("accepted", _("Mentees accepted"), accepted),
        Indicator("mentors", _("Mentors accepted"), suppressed(mentors)),
        Indicator("matched", _("Mentees matched"), matched),
        Indicator("matched_share", _("Accepted mentees matched"), percent(matched, accepted), "%"),
        Indicator(
            "days_to_match",
            _("Average days from application to a mentor"),
            Decimal(wait.total_seconds() / 86400).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if wait is not None and matched is not None
            else None,
            "days",
        ),
        Indicator("active_pairs", _("Active pairs"), suppressed(pair_counts["active"])),
        Indicator("meetings", _("Mentoring meetings held"), meetings["held"]),
        Indicator(
            "meeting_hours",
            _("Hours of mentoring meetings"),
            (Decimal(meetings["minutes"] or 0) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP),
            "hours",
        ),
        Indicator("steps_done", _("Roadmap steps done"), steps_done),
        Indicator("attendances", _("Training attendances"), attendance["attendances"]),
        Indicator(
            "training_people",
            _("Mentees who attended a training"),
            suppressed(attendance["people"]),
        ),
        Indicator("certificates", _("Certificates of completion"), suppressed(certificates)),
        Indicator(
            "pulse",
            _("Average check-in score"),
            Decimal(pulse["average"]).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if pulse["average"] is not None and suppressed(pulse["answers"]) is not None
            else None,
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
            "education",
            _("Mentees by education"),
            _("Education"),
            _education_key,
            list(MenteeProfile.EducationLevel.choices),
        ),
        Dimension("ages", _("Mentees by age"), _("Age"), _age_key, AGE_BANDS),
    )
}


@dataclasses.dataclass(frozen=True)
class BreakdownRow:
    key: str
    label: str
    accepted: int | None
    matched: int | None
    matched_share: Decimal | None

    @property
    def cells(self) -> tuple:
        return (self.accepted, self.matched, self.matched_share)


def breakdown(cohort: Cohort, dimension: str) -> list[BreakdownRow]:
    """Accepted and matched mentees of the cohort per value of ``dimension`` (region,
    education, age band), in the dimension's order, small cells suppressed; the
    grouping is done in the database, two queries."""
    value_of = DIMENSIONS[dimension].value_of
    counts: dict[str, dict[str, int]] = {}
    accepted = (
        _mentees(cohort)
        .filter(status=Participation.Status.ACCEPTED)
        .annotate(group=value_of("user"))
        .values("group")
        .annotate(n=Count("pk"))
    )
    matched = (
        Mentorship.objects.filter(cohort=cohort)
        .annotate(group=value_of("mentee"))
        .values("group")
        .annotate(n=Count("mentee", distinct=True))
    )
    for column, rows in (("accepted", accepted), ("matched", matched)):
        for row in rows:
            cell = counts.setdefault(row["group"] or "", {"accepted": 0, "matched": 0})
            cell[column] += row["n"]
    result = []
    for key, label in [*DIMENSIONS[dimension].choices, ("", _("Not given"))]:
        if key in counts:
            a = suppressed(counts[key]["accepted"])
            m = suppressed(counts[key]["matched"])
            result.append(BreakdownRow(key, str(label), a, m, percent(m, a)))
    return result
