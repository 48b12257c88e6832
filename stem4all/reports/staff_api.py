"""The staff side of the surveys and donor reports in the JSON API: building a cohort's
baseline and endline surveys (surveys, questions, answer choices), reading their
results, and asking for and downloading donor reports. Staff of the cohort's programme
only, through the same accessors, forms and services as the pages, so that a funder,
a participant or another programme's staff gets the pages' 403 or 404.

One survey is read, changed and deleted at ``/staff/surveys/{id}``: the participants'
router already serves ``GET /surveys/{id}`` (a survey in my language) and ninja gives
each router's path its own URL pattern, so a second operation on that path here would
hide theirs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from stem4all.accounts.api import validated
from stem4all.programmes.permissions import get_cohort_for_staff

from . import donor_views, queries, surveys
from .default_surveys import add_default_surveys
from .donor_views import PAGE_SIZE, DonorReportForm
from .models import Choice, DonorReport, Question, Survey
from .services import STALE_AFTER, request_donor_report
from .survey_forms import ChoiceForm, MoveForm, QuestionForm, SurveyForm

router = Router(tags=["reports (staff)"])

MOMENT = (
    "ISO 8601 date and time, e.g. 2025-03-01T09:00:00+06:00; without an offset it is "
    "read in the site's time zone."
)


# ---------------------------------------------------------------------------- schemas
#
# The inputs are plain strings with empty defaults so that the page's form, not the
# schema, judges them: a missing or malformed value is a 422 with the form's field
# errors, in the reader's language.


class SurveyIn(Schema):
    kind: str = Field("", description="baseline | endline")
    audience: str = Field("", description="mentee | mentor")
    title_en: str = ""
    title_ru: str = ""
    title_ky: str = ""
    opens_at: str = Field("", description=MOMENT)
    closes_at: str = Field("", description=f"{MOMENT} The survey is closed from this moment.")


class QuestionIn(Schema):
    key: str = Field(
        "",
        description="Letters, numbers, - and _; the same key in the "
        "baseline and the endline for the same question.",
    )
    kind: str = Field("", description="single | multiple | scale | text")
    text_en: str = ""
    text_ru: str = ""
    text_ky: str = ""
    is_required: bool = True
    scale_low_en: str = ""
    scale_low_ru: str = ""
    scale_low_ky: str = ""
    scale_high_en: str = ""
    scale_high_ru: str = ""
    scale_high_ky: str = ""


class ChoiceIn(Schema):
    key: str = ""
    label_en: str = ""
    label_ru: str = ""
    label_ky: str = ""


class MoveIn(Schema):
    direction: str = Field("", description="up | down")


class SurveyListOut(Schema):
    id: int
    cohort_id: int
    kind: str
    audience: str
    title_en: str
    title_ru: str
    title_ky: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    question_count: int
    response_count: int


class DefaultsOut(Schema):
    added: list[SurveyListOut]
    kept: list[SurveyListOut]


class ChoiceStaffOut(Schema):
    id: int
    order: int
    key: str
    label_en: str
    label_ru: str
    label_ky: str


class QuestionStaffOut(Schema):
    id: int
    survey_id: int
    order: int
    key: str
    kind: str
    text_en: str
    text_ru: str
    text_ky: str
    is_required: bool
    scale_low_en: str
    scale_low_ru: str
    scale_low_ky: str
    scale_high_en: str
    scale_high_ru: str
    scale_high_ky: str
    is_answered: bool = Field(description="Answered by someone: its key and kind are fixed.")
    choices: list[ChoiceStaffOut]


class SurveyStaffOut(Schema):
    id: int
    cohort_id: int
    kind: str
    audience: str
    title_en: str
    title_ru: str
    title_ky: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    has_responses: bool = Field(description="Answered by someone: kind and audience are fixed.")
    questions: list[QuestionStaffOut]


class ResultCellOut(Schema):
    label: str
    count: int | None


class QuestionResultOut(Schema):
    key: str
    label: str
    kind: str
    answered: int | None
    mean: Decimal | None
    cells: list[ResultCellOut]
    texts: list[str]


class SurveyResultsOut(Schema):
    survey_id: int
    title: str
    responses: int
    min_cell: int
    questions: list[QuestionResultOut]


class DonorReportIn(Schema):
    language: str = Field("", description="en | ru | ky")


class DonorReportOut(Schema):
    id: int
    cohort_id: int
    language: str
    status: str
    requested_at: dt.datetime
    finished_at: dt.datetime | None
    requested_by: str | None
    is_stale: bool = Field(description="Queued for too long: it was lost; ask again.")
    download_url: str | None

    @staticmethod
    def resolve_requested_by(obj) -> str | None:
        return obj.requested_by.full_name if obj.requested_by else None

    @staticmethod
    def resolve_is_stale(obj) -> bool:
        return (
            obj.status == DonorReport.Status.QUEUED
            and obj.requested_at < timezone.now() - STALE_AFTER
        )

    @staticmethod
    def resolve_download_url(obj, context) -> str | None:
        if obj.status != DonorReport.Status.READY:
            return None
        url = reverse("api-1.0.0:reports_staff_donor_report_pdf", args=[obj.pk])
        return context["request"].build_absolute_uri(url)


# ---------------------------------------------------------------------------- helpers


def _question_out(question: Question, answered: set[int]) -> dict:
    """The question with its (prefetched, ordered) choices."""
    return {
        **{name: getattr(question, name) for name in ("id", "survey_id", "order")},
        **{name: getattr(question, name) for name in Question.EDITABLE_FIELDS},
        "is_answered": question.pk in answered,
        "choices": list(question.choices.all()),
    }


def _survey_out(survey: Survey) -> dict:
    answered = surveys.answered_question_ids(survey)
    return {
        "id": survey.pk,
        "cohort_id": survey.cohort_id,
        **{name: getattr(survey, name) for name in Survey.EDITABLE_FIELDS},
        "has_responses": surveys.has_responses(survey),
        "questions": [_question_out(q, answered) for q in surveys.questions_of(survey)],
    }


def _one_question_out(question_id: int) -> dict:
    question = (
        Question.objects.select_related("survey")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("order", "pk")))
        .get(pk=question_id)
    )
    return _question_out(question, surveys.answered_question_ids(question.survey))


def _donor_reports(cohort):
    return (
        DonorReport.objects.filter(cohort=cohort)
        .select_related("requested_by")
        .defer("pdf", "error")
        .order_by("-requested_at", "-pk")
    )


# ---------------------------------------------------------------------------- surveys


@router.get(
    "/cohorts/{cohort_id}/surveys",
    response=list[SurveyListOut],
    summary="Staff: the cohort's surveys (at most one of each kind per audience)",
)
def list_surveys(request: HttpRequest, cohort_id: int):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    return surveys.surveys_of(cohort)


@router.post(
    "/cohorts/{cohort_id}/surveys",
    response={201: SurveyStaffOut},
    summary="Staff: create a survey of the cohort (422 on bad input)",
)
def create_survey(request: HttpRequest, cohort_id: int, payload: SurveyIn):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    data = validated(SurveyForm(payload.dict(), cohort=cohort))
    survey = surveys.create_survey(cohort=cohort, by=request.user, **data)
    return Status(201, _survey_out(survey))


@router.post(
    "/cohorts/{cohort_id}/surveys/defaults",
    response=DefaultsOut,
    summary="Staff: add the default baseline and endline surveys the cohort lacks",
)
def add_defaults(request: HttpRequest, cohort_id: int):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    added, kept = add_default_surveys(cohort=cohort, by=request.user)
    # Read again for the counts; the kept ones are left exactly as staff made them.
    counted = {survey.pk: survey for survey in surveys.surveys_of(cohort)}
    return {
        "added": [counted[survey.pk] for survey in added],
        "kept": [counted[survey.pk] for survey in kept],
    }


@router.get(
    "/staff/surveys/{survey_id}",
    response=SurveyStaffOut,
    summary="Staff: a survey with its questions and choices in every language",
)
def get_survey(request: HttpRequest, survey_id: int):
    return _survey_out(surveys.get_survey_for_staff(request.user, survey_id))


@router.put(
    "/staff/surveys/{survey_id}",
    response=SurveyStaffOut,
    summary="Staff: replace a survey's settings (409 when its answers forbid the change)",
)
def update_survey(request: HttpRequest, survey_id: int, payload: SurveyIn):
    survey = surveys.get_survey_for_staff(request.user, survey_id)
    data = validated(SurveyForm(payload.dict(), instance=survey, cohort=survey.cohort))
    survey = surveys.update_survey(survey=survey, **data)
    return _survey_out(survey)


@router.delete(
    "/staff/surveys/{survey_id}",
    response={204: None},
    summary="Staff: delete a survey nobody has answered (409 otherwise)",
)
def delete_survey(request: HttpRequest, survey_id: int):
    survey = surveys.get_survey_for_staff(request.user, survey_id)
    surveys.delete_survey(survey=survey)
    return Status(204, None)


@router.get(
    "/surveys/{survey_id}/results",
    response=SurveyResultsOut,
    summary="Staff: the survey's results; cells of fewer than five people are null",
)
def survey_results(request: HttpRequest, survey_id: int):
    survey = surveys.get_survey_for_staff(request.user, survey_id)
    results = surveys.survey_results(survey)
    return {
        "survey_id": survey.pk,
        "title": survey.title,
        "responses": results.responses,
        "min_cell": queries.MIN_CELL,
        "questions": results.questions,
    }


# -------------------------------------------------------------------------- questions


@router.post(
    "/surveys/{survey_id}/questions",
    response={201: QuestionStaffOut},
    summary="Staff: add a question at the end of a survey",
)
def add_question(request: HttpRequest, survey_id: int, payload: QuestionIn):
    survey = surveys.get_survey_for_staff(request.user, survey_id)
    data = validated(QuestionForm(payload.dict(), survey=survey))
    question = surveys.add_question(survey=survey, **data)
    return Status(201, _one_question_out(question.pk))


@router.put(
    "/survey-questions/{question_id}",
    response=QuestionStaffOut,
    summary="Staff: replace a question (409 when its answers forbid the change)",
)
def update_question(request: HttpRequest, question_id: int, payload: QuestionIn):
    question = surveys.get_question_for_staff(request.user, question_id)
    data = validated(QuestionForm(payload.dict(), instance=question, survey=question.survey))
    surveys.update_question(question=question, **data)
    return _one_question_out(question.pk)


@router.delete(
    "/survey-questions/{question_id}",
    response={204: None},
    summary="Staff: delete a question nobody has answered (409 otherwise)",
)
def delete_question(request: HttpRequest, question_id: int):
    question = surveys.get_question_for_staff(request.user, question_id)
    surveys.delete_question(question=question)
    return Status(204, None)


@router.post(
    "/survey-questions/{question_id}/move",
    response=SurveyStaffOut,
    summary="Staff: move a question one place up or down; returns the survey",
)
def move_question(request: HttpRequest, question_id: int, payload: MoveIn):
    question = surveys.get_question_for_staff(request.user, question_id)
    data = validated(MoveForm(payload.dict()))
    surveys.move_question(question=question, direction=data["direction"])
    return _survey_out(question.survey)


# ---------------------------------------------------------------------------- choices


@router.post(
    "/survey-questions/{question_id}/choices",
    response={201: ChoiceStaffOut},
    summary="Staff: add an answer choice at the end (409 for a question without choices)",
)
def add_choice(request: HttpRequest, question_id: int, payload: ChoiceIn):
    question = surveys.get_question_for_staff(request.user, question_id)
    data = validated(ChoiceForm(payload.dict(), question=question))
    return Status(201, surveys.add_choice(question=question, **data))


@router.put(
    "/survey-choices/{choice_id}",
    response=ChoiceStaffOut,
    summary="Staff: replace an answer choice (409 for the key of a chosen one)",
)
def update_choice(request: HttpRequest, choice_id: int, payload: ChoiceIn):
    choice = surveys.get_choice_for_staff(request.user, choice_id)
    data = validated(ChoiceForm(payload.dict(), instance=choice, question=choice.question))
    return surveys.update_choice(choice=choice, **data)


@router.delete(
    "/survey-choices/{choice_id}",
    response={204: None},
    summary="Staff: delete an answer choice nobody has chosen (409 otherwise)",
)
def delete_choice(request: HttpRequest, choice_id: int):
    choice = surveys.get_choice_for_staff(request.user, choice_id)
    surveys.delete_choice(choice=choice)
    return Status(204, None)


@router.post(
    "/survey-choices/{choice_id}/move",
    response=QuestionStaffOut,
    summary="Staff: move an answer choice one place up or down; returns its question",
)
def move_choice(request: HttpRequest, choice_id: int, payload: MoveIn):
    choice = surveys.get_choice_for_staff(request.user, choice_id)
    data = validated(MoveForm(payload.dict()))
    surveys.move_choice(choice=choice, direction=data["direction"])
    return _one_question_out(choice.question_id)


# ---------------------------------------------------------------------- donor reports


@router.get(
    "/cohorts/{cohort_id}/donor-reports",
    response=list[DonorReportOut],
    summary="Staff: the cohort's donor reports, newest first",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_donor_reports(request: HttpRequest, cohort_id: int):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    return _donor_reports(cohort)


@router.post(
    "/cohorts/{cohort_id}/donor-reports",
    response={201: DonorReportOut},
    summary="Staff: ask for a donor report in a language (409 while one is being made)",
)
def request_report(request: HttpRequest, cohort_id: int, payload: DonorReportIn):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    data = validated(DonorReportForm(payload.dict()))
    report = request_donor_report(cohort=cohort, by=request.user, language=data["language"])
    # Read again: with an immediate task backend it may be ready already.
    return Status(201, _donor_reports(cohort).get(pk=report.pk))


@router.get(
    "/donor-reports/{report_id}/pdf",
    url_name="reports_staff_donor_report_pdf",
    summary="Staff: a ready donor report as a PDF attachment (404 until it is ready)",
)
def donor_report_pdf(request: HttpRequest, report_id: int):
    # The page's download: the same check (staff of the programme, ready only), file
    # name and headers.
    return donor_views.donor_download(request, report_id)
