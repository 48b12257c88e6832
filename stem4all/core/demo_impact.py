"""The demo's closed cohort, *Cohort 2025*: a whole mentoring year already over, so
that the impact report has something to show. Its alumnae are planned with the rest
of the demo people (``demo_data._alumnae``); most of today's mentors mentored then
too. This module writes what the pairs did: the pairs and how each ended, meetings,
roadmap steps, check-ins and certificates, and the baseline and endline surveys.

Everything is bulk-created from one seeded generator, so the same seed gives the same
cohort; at ten times the programme's size (3,200 alumnae) it takes a few seconds.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections import deque

from stem4all.accounts.choices import Language
from stem4all.accounts.models import ADULT_AGE, MentorProfile, User, years_before
from stem4all.checkins.models import PulseCheck
from stem4all.closure.models import Certificate
from stem4all.meetings.models import Meeting
from stem4all.mentorships.models import Mentorship
from stem4all.programmes.models import Cohort, Participation, Programme
from stem4all.reports.demo import seed_surveys
from stem4all.reports.models import Survey
from stem4all.roadmaps.models import Roadmap, RoadmapStep

PAST_COHORT_NAME = "Cohort 2025"
PAST_COHORT_SLUG = "cohort-2025"
PAST_COHORT_STARTS_DAYS_AGO = 450
PAST_COHORT_MONTHS = 9
PAST_COHORT_DESCRIPTION = (
    "The first full year of the programme: nine months of mentoring, now closed. Its "
    "figures are in the cohort's impact report."
)

BISHKEK = zoneinfo.ZoneInfo("Asia/Bishkek")
BATCH_SIZE = 1000
MATCHED_SHARE = 0.93
RETURNING_MENTORS = 0.8
MENTEES_PER_MENTOR = 2
# How the pairs ended: most completed; the rest ended early, for these reasons.
COMPLETED_SHARE = 0.84
EARLY_CAUSES = {
    Mentorship.EndCause.TIME: 38,
    Mentorship.EndCause.CONTACT: 24,
    Mentorship.EndCause.LEFT: 13,
    Mentorship.EndCause.FIT: 11,
    Mentorship.EndCause.GOALS_MET: 6,
    Mentorship.EndCause.CONDUCT: 2,
    Mentorship.EndCause.OTHER: 6,
}
EARLY_REASON = {
    Mentorship.EndCause.TIME: "Exams and a part-time job left no time for meetings.",
    Mentorship.EndCause.CONTACT: "The mentee stopped answering messages.",
    Mentorship.EndCause.LEFT: "The mentee moved abroad with her family.",
    Mentorship.EndCause.FIT: "Different expectations about the goals.",
    Mentorship.EndCause.GOALS_MET: "She was admitted to the programme she aimed for.",
    Mentorship.EndCause.CONDUCT: "Ended by staff after a review.",
    Mentorship.EndCause.OTHER: "Personal reasons.",
}
STEP_TITLES = [
    "Map the study or career path",
    "Write a CV in English",
    "Finish an online course",
    "Build a small project",
    "Apply for a scholarship or internship",
    "Give a short talk about the project",
]
DURATIONS = [30, 45, 45, 60, 60, 60, 90]
PULSE_SCORES = {  # weights of 1..5 by how the pair ended
    Mentorship.Status.COMPLETED: [2, 4, 14, 42, 38],
    Mentorship.Status.ENDED_EARLY: [10, 22, 34, 24, 10],
}


def past_cohort(programme: Programme, today: dt.date) -> Cohort:
    from .demo_data import _add_months

    starts_on = today - dt.timedelta(days=PAST_COHORT_STARTS_DAYS_AGO)
    # The day after its ninth month.
    ends_on = _add_months(starts_on.replace(day=1), PAST_COHORT_MONTHS)
    return Cohort.objects.create(
        programme=programme,
        name=PAST_COHORT_NAME,
        slug=PAST_COHORT_SLUG,
        description=PAST_COHORT_DESCRIPTION,
        phase=Cohort.Phase.CLOSURE,
        mentoring_language=Language.ENGLISH,
        applications_close_on=starts_on - dt.timedelta(days=15),
        starts_on=starts_on,
        ends_on=ends_on - dt.timedelta(days=1),
    )


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=BISHKEK)


def _with_pks(model, objects: list, **lookup) -> list:
    """``bulk_create`` and, on a database that gives no ids back, read them."""
    model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    if objects and objects[0].pk is None:
        ids = dict(model.objects.filter(**lookup).values_list("mentee_id", "pk"))
        for row in objects:
            row.pk = ids[row.mentee_id]
    return objects


def seed_past_cohort(
    *,
    cohort: Cohort,
    alumnae: list[User],
    mentors: list[User],
    staff: User,
    funder: User | None,
    today: dt.date,
    seed: int = 2025,
) -> dict[str, int]:
    rng = random.Random(seed)
    start, end = cohort.starts_on, cohort.ends_on
    returning = mentors[: max(2, round(len(mentors) * RETURNING_MENTORS))]
    people = [
        Participation(
            user=mentor,
            cohort=cohort,
            role=Participation.Role.MENTOR,
            status=Participation.Status.ACCEPTED,
            source=Participation.Source.STAFF,
            decided_by=staff,
            decided_at=_at(start, 9) - dt.timedelta(days=20),
            created_at=_at(start, 9) - dt.timedelta(days=rng.randint(25, 70)),
        )
        for mentor in returning
    ]
    people.append(
        Participation(user=staff, cohort=cohort, role=Participation.Role.STAFF, status="accepted")
    )
    if funder is not None:
        for funded in Cohort.objects.filter(programme_id=cohort.programme_id).exclude(
            participations__user=funder
        ):
            people.append(
                Participation(
                    user=funder, cohort=funded, role=Participation.Role.FUNDER, status="accepted"
                )
            )
    Participation.objects.bulk_create(people, batch_size=BATCH_SIZE)

    pairs = _pairs(rng, cohort, alumnae, returning, start, end, today)
    meetings, steps, pulses, certificates = [], [], [], []
    roadmaps = [Roadmap(mentorship=pair, career_goal="") for pair in pairs]
    Roadmap.objects.bulk_create(roadmaps, batch_size=BATCH_SIZE)
    if roadmaps and roadmaps[0].pk is None:
        ids = dict(
            Roadmap.objects.filter(mentorship__cohort=cohort).values_list("mentorship_id", "pk")
        )
        for roadmap in roadmaps:
            roadmap.pk = ids[roadmap.mentorship_id]
    for pair, roadmap in zip(pairs, roadmaps, strict=True):
        completed = pair.status == Mentorship.Status.COMPLETED
        last = pair.ended_at.date()
        days = max(7, (last - pair.started_at.date()).days)
        held = rng.randint(6, 12) if completed else rng.randint(1, 4)
        for number in range(held + (1 if rng.random() < 0.3 else 0)):
            day = pair.started_at.date() + dt.timedelta(days=(2 * number + 1) * days // (2 * held))
            meetings.append(
                Meeting(
                    mentorship=pair,
                    proposed_by_id=pair.mentor_id,
                    starts_at=_at(day, rng.choice([10, 15, 18, 19])),
                    time_zone="Asia/Bishkek",
                    duration_minutes=rng.choice(DURATIONS),
                    online_link="https://meet.demo.stem4all.example/pair",
                    status=Meeting.Status.ACCEPTED,
                    outcome=Meeting.Outcome.HAPPENED if number < held else Meeting.Outcome.MISSED,
                    logged_by_id=pair.mentor_id,
                    logged_at=_at(day, 21),
                )
            )
        titles = rng.sample(STEP_TITLES, 5)
        done = rng.randint(3, 5) if completed else rng.randint(0, 2)
        for position, title in enumerate(titles):
            finished = position < done
            signed = pair.started_at + dt.timedelta(days=(position + 1) * days // 6)
            steps.append(
                RoadmapStep(
                    roadmap=roadmap,
                    position=position,
                    title=title,
                    status=RoadmapStep.Status.DONE if finished else RoadmapStep.Status.PLANNED,
                    signed_off_by_id=pair.mentor_id if finished else None,
                    signed_off_at=signed if finished else None,
                )
            )
        for round_number in range(1, days // 30 + 1):
            due = pair.started_at.date() + dt.timedelta(days=30 * round_number)
            answered = rng.random() < 0.85
            score = rng.choices(range(1, 6), weights=PULSE_SCORES[pair.status])[0]
            pulses.append(
                PulseCheck(
                    mentorship=pair,
                    respondent_id=pair.mentee_id,
                    round=round_number,
                    due_on=due,
                    score=score if answered else None,
                    answered_at=_at(due, 20) if answered else None,
                )
            )
        if completed:
            certificates.append(
                Certificate(
                    mentee_id=pair.mentee_id,
                    mentorship=pair,
                    mentee_name=pair.mentee.full_name,
                    mentor_name=pair.mentor.full_name,
                    programme_name=cohort.programme.name,
                    cohort_name=cohort.name,
                    started_on=pair.started_at.date(),
                    completed_on=last,
                )
            )
    Meeting.objects.bulk_create(meetings, batch_size=BATCH_SIZE)
    RoadmapStep.objects.bulk_create(steps, batch_size=BATCH_SIZE)
    PulseCheck.objects.bulk_create(pulses, batch_size=BATCH_SIZE)
    Certificate.objects.bulk_create(certificates, batch_size=BATCH_SIZE)
    fortnight = dt.timedelta(days=14)
    seed_surveys(
        cohort=cohort,
        staff=staff,
        today=today,
        windows={
            Survey.Kind.BASELINE: (_at(start, 0) - fortnight, _at(start, 0) + fortnight),
            Survey.Kind.ENDLINE: (_at(end, 0) - fortnight, _at(end, 0) + fortnight),
        },
    )
    return {"past_pairs": len(pairs), "past_meetings": len(meetings)}


def _pairs(rng, cohort, alumnae, mentors, start, end, today) -> list[Mentorship]:
    """Most alumnae get a mentor in the first five weeks, at most two per mentor; one
    under 18 only a mentor cleared for minors."""
    cleared = set(
        MentorProfile.objects.filter(user__in=mentors, is_cleared_for_minors=True).values_list(
            "user_id", flat=True
        )
    )
    slots = [m for m in mentors for _i in range(MENTEES_PER_MENTOR)]
    rng.shuffle(slots)
    # Two queues of the same places; a place taken through one is skipped in the other.
    queues = {False: deque(slots), True: deque(m for m in slots if m.pk in cleared)}
    cutoff = years_before(today, ADULT_AGE)
    matched = alumnae[:]
    rng.shuffle(matched)
    matched = matched[: round(len(matched) * MATCHED_SHARE)]
    pairs, taken = [], dict.fromkeys((m.pk for m in mentors), 0)
    for mentee in matched:
        queue = queues[bool(mentee.date_of_birth and mentee.date_of_birth > cutoff)]
        while queue and taken[queue[0].pk] >= MENTEES_PER_MENTOR:
            queue.popleft()
        if not queue:
            continue
        mentor = queue.popleft()
        taken[mentor.pk] += 1
        started = _at(start + dt.timedelta(days=rng.randint(0, 35)), 12)
        if rng.random() < COMPLETED_SHARE:
            status, cause, ended = Mentorship.Status.COMPLETED, "", _at(end, 17)
        else:
            status = Mentorship.Status.ENDED_EARLY
            cause = rng.choices(list(EARLY_CAUSES), weights=list(EARLY_CAUSES.values()))[0]
            ended = started + dt.timedelta(days=rng.randint(30, 180))
            ended = min(ended, _at(end, 12))
        pairs.append(
            Mentorship(
                cohort=cohort,
                mentee=mentee,
                mentor=mentor,
                status=status,
                started_at=started,
                ended_at=ended,
                end_cause=cause,
                end_reason=EARLY_REASON[cause] if cause else "",
                ended_by_id=mentor.pk if cause else None,
            )
        )
    # Applications arrive a few weeks before the mentee's pair starts.
    return _with_pks(Mentorship, pairs, cohort=cohort)
