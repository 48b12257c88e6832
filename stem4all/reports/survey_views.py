"""Survey pages: staff build a cohort's surveys and read their results; participants
answer the open ones. Thin views over ``surveys`` (rules, queries) and
``survey_forms``."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stem4all.core.exports import FORMATS, download
from stem4all.programmes.permissions import get_cohort_for_staff

from . import queries, surveys
from .default_surveys import add_default_surveys
from .models import Question, Survey
from .survey_forms import AnswerForm, ChoiceForm, MoveForm, QuestionForm, SurveyForm


def _posted(request):
    # Not ``request.POST or None``: an empty submission must show its errors.
    return request.POST if request.method == "POST" else None


# ------------------------------------------------------------------------------ staff


def survey_list(request, cohort_id: int):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    context = {
        "cohort": cohort,
        "surveys": surveys.surveys_of(cohort),
        "changes": [
            (audience, label, surveys.paired_change(cohort, audience=audience))
            for audience, label in Survey.Audience.choices
        ],
        "min_cell": queries.MIN_CELL,
        "formats": FORMATS,
    }
    return render(request, "reports/surveys/list.html", context)


@require_POST
def survey_add_defaults(request, cohort_id: int):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    added, kept = add_default_surveys(cohort=cohort, by=request.user)
    if added:
        messages.success(
            request,
            _("Added: %(surveys)s.") % {"surveys": ", ".join(s.title for s in added)},
        )
    if kept:
        messages.info(
            request,
            _("Already there and left as they are: %(surveys)s.")
            % {"surveys": ", ".join(s.title for s in kept)},
        )
    return redirect("reports:survey_list", cohort_id=cohort.pk)


def survey_create(request, cohort_id: int):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    form = SurveyForm(_posted(request), cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            survey = surveys.create_survey(cohort=cohort, by=request.user, **form.cleaned_data)
        except surveys.SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The survey is created. Now add its questions."))
            return redirect("reports:survey_edit", survey_id=survey.pk)
    context = {"cohort": cohort, "form": form, "survey": None}
    return render(request, "reports/surveys/survey_form.html", context)


def survey_edit(request, survey_id: int):
    survey = surveys.get_survey_for_staff(request.user, survey_id)
    form = SurveyForm(_posted(request), instance=survey, cohort=survey.cohort)
    if request.method == "POST" and form.is_valid():
        try:
            surveys.update_survey(survey=survey, **form.cleaned_data)
        except surveys.SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The survey is saved."))
            return redirect("reports:survey_edit", survey_id=survey.pk)
    answered = surveys.answered_question_ids(survey)
    context = {
        "cohort": survey.cohort,
        "survey": survey,
        "form": form,
        "questions": surveys.questions_of(survey),
        "answered": answered,
        "has_responses": surveys.has_responses(survey),
    }
    return render(request, "reports/surveys/survey_form.html", context)


@require_POST
def survey_delete(request, survey_id: int):
    survey = surveys.get_survey_for_staff(request.user, survey_id)
    try:
        surveys.delete_survey(survey=survey)
    except surveys.SurveyError as error:
        messages.error(request, str(error))
        return redirect("reports:survey_edit", survey_id=survey.pk)
    messages.success(request, _("The survey is deleted."))
    return redirect("reports:survey_list", cohort_id=survey.cohort_id)


def question_create(request, survey_id: int):
    survey = surveys.get_survey_for_staff(request.user, survey_id)
    form = QuestionForm(_posted(request), survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            question = surveys.add_question(survey=survey, **form.cleaned_data)
        except surveys.SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The question is added."))
            if question.has_choices:
                return redirect("reports:question_edit", question_id=question.pk)
            return redirect("reports:survey_edit", survey_id=survey.pk)
    context = {"survey": survey, "form": form, "question": None}
    return render(request, "reports/surveys/question_form.html", context)


def question_edit(request, question_id: int, choice_form=None):
    question = surveys.get_question_for_staff(request.user, question_id)
    survey = question.survey
    form = QuestionForm(
        request.POST if choice_form is None and request.method == "POST" else None,
        instance=question,
        survey=survey,
    )
    if choice_form is None and request.method == "POST" and form.is_valid():
        try:
            surveys.update_question(question=question, **form.cleaned_data)
        except surveys.SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The question is saved."))
            return redirect("reports:survey_edit", survey_id=survey.pk)
    question = Question.objects.prefetch_related("choices").get(pk=question.pk)
    context = {
        "survey": survey,
        "question": question,
        "form": form,
        "is_answered": question.pk in surveys.answered_question_ids(survey),
        "choices": list(question.choices.order_by("order", "pk")),
        "chosen": surveys.chosen_choice_ids(question),
        "choice_form": choice_form or ChoiceForm(question=question, prefix="choice"),
    }
    return render(request, "reports/surveys/question_form.html", context)


def _direction(request) -> str:
    form = MoveForm(request.POST)
    return form.cleaned_data["direction"] if form.is_valid() else ""


@require_POST
def question_move(request, question_id: int):
    question = surveys.get_question_for_staff(request.user, question_id)
    surveys.move_question(question=question, direction=_direction(request))
    url = reverse("reports:survey_edit", args=[question.survey_id])
    return redirect(f"{url}#question-{question.pk}")


@require_POST
def question_delete(request, question_id: int):
    question = surveys.get_question_for_staff(request.user, question_id)
    try:
        surveys.delete_question(question=question)
    except surveys.SurveyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The question is deleted."))
    return redirect("reports:survey_edit", survey_id=question.survey_id)


@require_POST
def choice_create(request, question_id: int):
    question = surveys.get_question_for_staff(request.user, question_id)
    form = ChoiceForm(request.POST, question=question, prefix="choice")
    if form.is_valid():
        try:
            surveys.add_choice(question=question, **form.cleaned_data)
        except surveys.SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The answer is added."))
            return redirect("reports:question_edit", question_id=question.pk)
    return question_edit(request, question_id, choice_form=form)


def choice_edit(request, choice_id: int):
    choice = surveys.get_choice_for_staff(request.user, choice_id)
    form = ChoiceForm(_posted(request), instance=choice, question=choice.question)
    if request.method == "POST" and form.is_valid():
        try:
            surveys.update_choice(choice=choice, **form.cleaned_data)
        except surveys.SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The answer is saved."))
            return redirect("reports:question_edit", question_id=choice.question_id)
    context = {"choice": choice, "question": choice.question, "form": form}
    return render(request, "reports/surveys/choice_form.html", context)


@require_POST
def choice_move(request, choice_id: int):
    choice = surveys.get_choice_for_staff(request.user, choice_id)
    surveys.move_choice(choice=choice, direction=_direction(request))
    return redirect("reports:question_edit", question_id=choice.question_id)


@require_POST
def choice_delete(request, choice_id: int):
    choice = surveys.get_choice_for_staff(request.user, choice_id)
    try:
        surveys.delete_choice(choice=choice)
    except surveys.SurveyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The answer is deleted."))
    return redirect("reports:question_edit", question_id=choice.question_id)


def survey_results(request, survey_id: int):
    survey = surveys.get_survey_for_staff(request.user, survey_id)
    context = {
        "survey": survey,
        "results": surveys.survey_results(survey),
        "min_cell": queries.MIN_CELL,
        "formats": FORMATS,
    }
    return render(request, "reports/surveys/results.html", context)


def survey_results_download(request, survey_id: int, fmt: str) -> HttpResponse:
    survey = surveys.get_survey_for_staff(request.user, survey_id)
    if fmt not in FORMATS:
        raise Http404
    header, rows = surveys.results_table(survey)
    return download(
        name=f"survey-{survey.cohort.slug}-{survey.audience}-{survey.kind}",
        fmt=fmt,
        title=survey.title,
        header=header,
        rows=rows,
    )


def survey_change_download(request, cohort_id: int, audience: str, fmt: str) -> HttpResponse:
    cohort = get_cohort_for_staff(request.user, cohort_id)
    if fmt not in FORMATS or audience not in Survey.Audience.values:
        raise Http404
    header, rows = surveys.change_table(cohort, audience)
    return download(
        name=f"survey-change-{cohort.slug}-{audience}",
        fmt=fmt,
        title=str(cohort),
        header=header,
        rows=rows,
    )


# ----------------------------------------------------------------------- participants


def my_surveys(request):
    context = {"open_surveys": surveys.open_surveys_for(request.user)}
    return render(request, "reports/surveys/mine.html", context)


def survey_answer(request, survey_id: int):
    survey = surveys.get_survey_for_respondent(request.user, survey_id)
    response = surveys.response_of(survey, request.user)
    questions = surveys.questions_of(survey)
    form = AnswerForm(_posted(request), questions=questions)
    if request.method == "POST" and response is not None:
        messages.info(request, _("You have already answered this survey. Thank you!"))
        return redirect("reports:survey_answer", survey_id=survey.pk)
    if request.method == "POST" and form.is_valid():
        try:
            surveys.submit_response(survey=survey, respondent=request.user, answers=form.answers())
        except surveys.SurveyError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you for your answers."))
        return redirect("reports:survey_answer", survey_id=survey.pk)
    now = timezone.now()
    context = {
        "survey": survey,
        "response": response,
        "form": form,
        "is_open": survey.is_open_at(now),
        "not_yet": now < survey.opens_at,
    }
    return render(request, "reports/surveys/answer.html", context)
