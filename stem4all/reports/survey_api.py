"""Surveys in the JSON API: the surveys open for me, one survey with its questions in
my language, answering it once; for staff, the paired change of a cohort. The same
accessors, form and services as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from stem4all.accounts.api import validated
from stem4all.programmes.permissions import get_cohort_for_staff

from . import surveys
from .models import Survey
from .survey_forms import AnswerForm, field_name

router = Router(tags=["surveys"])


class SurveySummaryOut(Schema):
    id: int
    cohort_id: int
    cohort_name: str
    kind: str
    audience: str
    title: str
    opens_at: dt.datetime
    closes_at: dt.datetime


class ChoiceOut(Schema):
    key: str
    label: str


class QuestionOut(Schema):
    key: str
    kind: str
    text: str
    is_required: bool
    scale_low: str
    scale_high: str
    choices: list[ChoiceOut]


class SurveyOut(SurveySummaryOut):
    is_open: bool
    answered: bool
    questions: list[QuestionOut]


class AnswersIn(Schema):
    # {question key: 1-5 | choice key | [choice keys] | text}
    answers: dict[str, int | str | list[str] | None] = {}


class ResponseOut(Schema):
    id: int
    survey_id: int
    language: str
    submitted_at: dt.datetime


class ChangeRowOut(Schema):
    key: str
    label: str
    respondents: int | None
    baseline_mean: Decimal | None
    endline_mean: Decimal | None
    change: Decimal | None


def _summary(survey: Survey) -> dict:
    return {
        "id": survey.pk,
        "cohort_id": survey.cohort_id,
        "cohort_name": survey.cohort.name,
        "kind": survey.kind,
        "audience": survey.audience,
        "title": survey.title,
        "opens_at": survey.opens_at,
        "closes_at": survey.closes_at,
    }


@router.get("/surveys/open", response=list[SurveySummaryOut], summary="Surveys open for me")
def open_surveys(request: HttpRequest):
    """The open surveys of my cohorts, for my role there, that I have not answered."""
    return [_summary(survey) for survey in surveys.open_surveys_for(request.user)]


@router.get("/surveys/{survey_id}", response=SurveyOut, summary="A survey, in my language")
def get_survey(request: HttpRequest, survey_id: int):
    survey = surveys.get_survey_for_respondent(request.user, survey_id)
    questions = AnswerForm(questions=surveys.questions_of(survey)).questions
    return {
        **_summary(survey),
        "is_open": survey.is_open_at(timezone.now()),
        "answered": surveys.response_of(survey, request.user) is not None,
        "questions": [
            {
                "key": q.key,
                "kind": q.kind,
                "text": q.text,
                "is_required": q.is_required,
                "scale_low": q.scale_low,
                "scale_high": q.scale_high,
                "choices": [{"key": c.key, "label": c.label} for c in q.choices.all()],
            }
            for q in questions
        ],
    }


@router.post(
    "/surveys/{survey_id}/responses",
    response={201: ResponseOut},
    summary="Answer a survey, once, while it is open (409 when closed or answered)",
)
def submit_response(request: HttpRequest, survey_id: int, payload: AnswersIn):
    survey = surveys.get_survey_for_respondent(request.user, survey_id)
    questions = surveys.questions_of(survey)
    form = AnswerForm(
        {f"q-{key}": value for key, value in payload.answers.items()},
        questions=questions,
        unknown_keys=set(payload.answers) - {field_name(q)[2:] for q in questions},
    )
    validated(form)
    response = surveys.submit_response(
        survey=survey, respondent=request.user, answers=form.answers()
    )
    return Status(201, response)


@router.get(
    "/cohorts/{cohort_id}/survey-change",
    response=list[ChangeRowOut],
    summary="Staff: the change from baseline to endline of the same people",
)
def survey_change(
    request: HttpRequest, cohort_id: int, audience: Survey.Audience = Survey.Audience.MENTEE
):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    return surveys.paired_change(cohort, audience=audience)
