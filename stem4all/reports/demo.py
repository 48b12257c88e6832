"""Demo data for the surveys: the default set for the demo cohort, the baseline closed
months ago and the endline open now, with synthetic answers from most mentees and
mentors so that the paired change shows a plausible improvement.

Deterministic (``random.Random(seed)``) and fast: a few bulk inserts whatever the
cohort's size. Seeding twice adds nothing (the surveys exist, and so do answers).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from stem4all.accounts.models import User
from stem4all.programmes.models import Cohort, Participation

from .default_surveys import add_default_surveys
from .models import Answer, AnswerChoice, Question, Response, Survey
from .surveys import questions_of

DAY = dt.timedelta(days=1)
BASELINE_ANSWER_SHARE = 0.9
ENDLINE_ANSWER_SHARE = 0.75  # of those who answered the baseline; the endline is open
TEXT_SHARE = 0.3

# Synthetic free-text answers, without names.
MENTEE_TEXTS = (
    "Planning each step of my roadmap with a date helped me most.",
    "Our weekly calls in English gave me confidence.",
    "I would like more meetings in the first months.",
    "The mock interview before my internship application helped a lot.",
    "Sometimes it was hard to find a time that suited us both.",
)
MENTOR_TEXTS = (
    "A short guide for the first meeting would help new mentors.",
    "More time between the trainings and the end of the cohort.",
    "Meeting other mentors halfway through was useful.",
)
# Choices drawn at the start and at the end: more mentees plan a STEM path at the end.
PLAN_WEIGHTS = {
    Survey.Kind.BASELINE: {
        "study_stem": 30,
        "work_stem": 10,
        "study_work_stem": 15,
        "other_field": 20,
        "not_sure": 25,
    },
    Survey.Kind.ENDLINE: {
        "study_stem": 32,
        "work_stem": 16,
        "study_work_stem": 27,
        "other_field": 12,
        "not_sure": 13,
    },
}
OTHER_WEIGHTS = {
    "mentor_experience": {"first_time": 45, "informal": 35, "programme": 20},
    "mentor_again": {"yes": 70, "maybe": 22, "no": 8},
}


def _clamp(value: float) -> int:
    return max(1, min(5, round(value)))


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _moment(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    return start + (end - start) * rng.random()


def _answered_by(survey: Survey, now: dt.datetime) -> dt.datetime:
    """The latest a synthetic answer can be dated: now, for a survey still open."""
    return min(survey.closes_at, now) if now > survey.opens_at else survey.closes_at


def _answers(rng, survey: Survey, questions: list[Question], start_levels: dict, gain: float):
    """(question, scale value, choice keys, text) for one person's response."""
    texts = MENTEE_TEXTS if survey.audience == Survey.Audience.MENTEE else MENTOR_TEXTS
    for question in questions:
        if question.kind == Question.Kind.SCALE:
            level = start_levels.setdefault(question.key, rng.gauss(2.7, 0.8))
            if survey.kind == Survey.Kind.ENDLINE:
                if question.key in ("mentor_satisfaction", "programme_satisfaction"):
                    level = rng.gauss(4.2, 0.7)
                else:
                    level += gain + rng.gauss(0, 0.5)
            yield question, _clamp(level), (), ""
        elif question.kind == Question.Kind.TEXT:
            if rng.random() < TEXT_SHARE:
                yield question, None, (), rng.choice(texts)
        elif question.key == "stem_plan":
            yield question, None, (_weighted(rng, PLAN_WEIGHTS[survey.kind]),), ""
        elif question.key in OTHER_WEIGHTS:
            yield question, None, (_weighted(rng, OTHER_WEIGHTS[question.key]),), ""
        else:
            choices = [choice.key for choice in question.choices.all()]
            if choices:
                yield question, None, (rng.choice(choices),), ""


@transaction.atomic
def seed_surveys(
    *,
    cohort: Cohort,
    staff: User,
    today: dt.date,
    seed: int = 2024,
    windows: dict[str, tuple[dt.datetime, dt.datetime]] | None = None,
) -> dict[str, int]:
    """Install the default surveys for ``cohort`` and answer them for its accepted
    mentees and mentors. ``windows`` (kind -> (opens, closes)) default to a baseline
    from 150 to 120 days before ``today`` and an endline open from 5 days before to 16
    days after. Returns the numbers of surveys and responses."""
    add_default_surveys(cohort=cohort, by=staff)
    midnight = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    windows = windows or {
        Survey.Kind.BASELINE: (midnight - 150 * DAY, midnight - 120 * DAY),
        Survey.Kind.ENDLINE: (midnight - 5 * DAY, midnight + 16 * DAY),
    }
    surveys = list(Survey.objects.filter(cohort=cohort).order_by("audience", "-kind"))
    for survey in surveys:
        survey.opens_at, survey.closes_at = windows[survey.kind]
    Survey.objects.bulk_update(surveys, ["opens_at", "closes_at"])
    if Response.objects.filter(survey__cohort=cohort).exists():
        return {"surveys": len(surveys), "responses": 0}

    rng = random.Random(seed)
    people = {
        audience: list(
            User.objects.filter(
                participations__cohort=cohort,
                participations__role=audience,
                participations__status=Participation.Status.ACCEPTED,
            )
            .distinct()
            .order_by("pk")
            .values_list("pk", "preferred_language")
        )
        for audience in Survey.Audience.values
    }
    now = timezone.now()
    responses: list[Response] = []
    rows: list[tuple[Response, Question, int | None, tuple, str]] = []
    for audience, persons in people.items():
        by_kind = {s.kind: s for s in surveys if s.audience == audience}
        baseline, endline = by_kind.get(Survey.Kind.BASELINE), by_kind.get(Survey.Kind.ENDLINE)
        questions = {s.pk: questions_of(s) for s in by_kind.values()}
        for person_id, language in persons:
            levels: dict[str, float] = {}
            gain = rng.gauss(0.6, 0.35)
            answered_baseline = rng.random() < BASELINE_ANSWER_SHARE
            answers_endline = rng.random() < (ENDLINE_ANSWER_SHARE if answered_baseline else 0.2)
            for survey, answers in ((baseline, answered_baseline), (endline, answers_endline)):
                if survey is None or not answers:
                    continue
                response = Response(
                    survey=survey,
                    respondent_id=person_id,
                    language=language or "en",
                    submitted_at=_moment(rng, survey.opens_at, _answered_by(survey, now)),
                )
                responses.append(response)
                for question, value, keys, text in _answers(
                    rng, survey, questions[survey.pk], levels, gain
                ):
                    rows.append((response, question, value, keys, text))
    Response.objects.bulk_create(responses, batch_size=500)
    answers = [
        Answer(response=response, question=question, scale_value=value, text=text)
        for response, question, value, _keys, text in rows
    ]
    Answer.objects.bulk_create(answers, batch_size=1000)
    chosen = []
    for answer, (_response, question, _value, keys, _text) in zip(answers, rows, strict=True):
        by_key = {choice.key: choice for choice in question.choices.all()}
        chosen.extend(AnswerChoice(answer=answer, choice=by_key[key]) for key in keys)
    AnswerChoice.objects.bulk_create(chosen, batch_size=1000)
    return {"surveys": len(surveys), "responses": len(responses)}
