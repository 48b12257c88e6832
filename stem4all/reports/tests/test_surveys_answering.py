"""Answering a survey: the open surveys of a participant, the page in her language
(Russian, Kyrgyz, falling back to English), once only, bad input as form errors, the
window's exact edges, people outside the audience refused; the open and reminder
notifications, once each."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from stem4all.notifications.models import Notification
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import ParticipationFactory
from stem4all.reports import surveys
from stem4all.reports.models import Answer, Question, Response, Survey

from .factories import ChoiceFactory, QuestionFactory, SurveyFactory, member

DAY = dt.timedelta(days=1)


@pytest.fixture
def survey(cohort):
    survey = SurveyFactory(
        cohort=cohort,
        title_en="Start of the programme",
        title_ru="Начало программы",
        title_ky="Программанын башталышы",
    )
    QuestionFactory(
        survey=survey,
        key="confidence",
        text_en="How confident are you?",
        text_ru="Насколько вы уверены?",
        text_ky="Канчалык ишенимдүүсүз?",
        scale_low_en="Not at all",
        scale_high_en="Very",
    )
    plan = QuestionFactory(
        survey=survey, key="plan", kind=Question.Kind.SINGLE, text_en="Your plan?", text_ru=""
    )
    ChoiceFactory(question=plan, key="study", label_en="Study", label_ru="Учиться")
    ChoiceFactory(question=plan, key="work", label_en="Work", label_ky="Иштөө")
    topics = QuestionFactory(
        survey=survey, key="topics", kind=Question.Kind.MULTIPLE, text_en="Topics?"
    )
    for key in ("ai", "bio", "energy"):
        ChoiceFactory(question=topics, key=key, label_en=key.upper())
    QuestionFactory(
        survey=survey,
        key="comments",
        kind=Question.Kind.TEXT,
        text_en="Anything else?",
        is_required=False,
    )
    return survey


GOOD = {"q-confidence": "4", "q-plan": "study", "q-topics": ["ai", "energy"], "q-comments": "Hi"}


def url(survey):
    return reverse("reports:survey_answer", args=[survey.pk])


def test_a_mentee_answers_once_and_her_answers_are_stored(login, mentee, survey):
    client = login(mentee)
    assert "How confident are you?" in client.get(url(survey)).content.decode()
    response = client.post(url(survey), GOOD)
    assert response.status_code == 302
    stored = Response.objects.get(survey=survey, respondent=mentee)
    answers = {a.question.key: a for a in stored.answers.select_related("question")}
    assert answers["confidence"].scale_value == 4
    assert [c.key for c in answers["plan"].choices.all()] == ["study"]
    assert sorted(c.key for c in answers["topics"].choices.all()) == ["ai", "energy"]
    assert answers["comments"].text == "Hi"
    page = client.get(url(survey)).content.decode()
    assert "Answers are final" in page and '<form method="post" class="stacked"' not in page
    again = client.post(url(survey), GOOD, follow=True)
    assert "already answered" in again.content.decode()
    assert Response.objects.count() == 1 and Answer.objects.count() == 4


def test_an_optional_question_can_be_skipped(login, mentee, survey):
    data = {k: v for k, v in GOOD.items() if k != "q-comments"}
    assert login(mentee).post(url(survey), data).status_code == 302
    assert not Answer.objects.filter(question__key="comments").exists()


@pytest.mark.parametrize(
    ("language", "title", "question", "choice"),
    [
        ("ru", "Начало программы", "Насколько вы уверены?", "Учиться"),
        ("ky", "Программанын башталышы", "Канчалык ишенимдүүсүз?", "Иштөө"),
    ],
)
def test_she_reads_the_survey_in_her_language_with_english_where_missing(
    login, mentee, survey, language, title, question, choice
):
    mentee.preferred_language = language
    mentee.save(update_fields=["preferred_language"])
    client = login(mentee)
    body = client.get(url(survey)).content.decode()
    assert title in body and question in body and choice in body
    assert "Your plan?" in body  # no translation: English
    client.post(url(survey), GOOD)
    assert Response.objects.get().language == language


def test_bad_input_gives_form_errors_and_stores_nothing(login, mentee, survey):
    client = login(mentee)
    bad = [
        {},
        {**GOOD, "q-confidence": "7"},
        {**GOOD, "q-confidence": "x"},
        {**GOOD, "q-plan": "nonsense"},
        {**GOOD, "q-topics": ["ai", "nonsense"]},
        {**GOOD, "q-comments": "x" * 2001},
    ]
    for data in bad:
        page = client.post(url(survey), data)
        assert page.status_code == 200, data
        assert "Please correct the answers marked below." in page.content.decode()
    page = client.post(url(survey), {}).content.decode()
    assert "Please answer this question." in page
    assert not Response.objects.exists()


@pytest.mark.parametrize("persona", ["mentor", "staff", "other_staff", "stranger", "partner"])
def test_people_outside_the_audience_cannot_see_or_answer(request, login, persona, survey):
    person = request.getfixturevalue(persona)
    client = login(person)
    assert client.get(url(survey)).status_code == 404
    assert client.post(url(survey), GOOD).status_code == 404
    assert surveys.open_surveys_for(person) == []
    assert not Response.objects.exists()


def test_a_mentee_not_yet_accepted_is_outside_the_audience(login, cohort, survey):
    applicant = member(cohort)
    Participation.objects.filter(user=applicant).update(status=Participation.Status.APPLIED)
    assert login(applicant).get(url(survey)).status_code == 404


def test_the_window_is_half_open_to_the_microsecond(mentee, survey):
    answers = {"confidence": 3, "plan": "work", "topics": ["bio"]}
    with pytest.raises(surveys.SurveyError, match="not open yet"):
        surveys.submit_response(
            survey=survey,
            respondent=mentee,
            answers=answers,
            now=survey.opens_at - dt.timedelta(microseconds=1),
        )
    with pytest.raises(surveys.SurveyError, match="closed"):
        surveys.submit_response(
            survey=survey, respondent=mentee, answers=answers, now=survey.closes_at
        )
    last = survey.closes_at - dt.timedelta(microseconds=1)
    surveys.submit_response(survey=survey, respondent=mentee, answers=answers, now=last)
    assert Response.objects.get().submitted_at == last
    other = member(survey.cohort)
    surveys.submit_response(survey=survey, respondent=other, answers=answers, now=survey.opens_at)
    assert Response.objects.count() == 2


def test_a_closed_or_future_survey_shows_a_clear_message(login, mentee, cohort):
    now = timezone.now()
    closed = SurveyFactory(cohort=cohort, opens_at=now - 9 * DAY, closes_at=now - DAY)
    future = SurveyFactory(
        cohort=cohort, kind=Survey.Kind.ENDLINE, opens_at=now + DAY, closes_at=now + 9 * DAY
    )
    QuestionFactory(survey=closed, key="q")
    client = login(mentee)
    assert "This survey closed on" in client.get(url(closed)).content.decode()
    assert "This survey is not open yet" in client.get(url(future)).content.decode()
    response = client.post(url(closed), {"q-q": "3"}, follow=True)
    assert "This survey closed on" in response.content.decode()
    assert not Response.objects.exists()


def test_the_service_checks_the_answers_again(mentee, survey):
    for answers in (
        {"confidence": 6, "plan": "work", "topics": ["bio"]},
        {"confidence": True, "plan": "work", "topics": ["bio"]},
        {"confidence": 3, "plan": "nope", "topics": ["bio"]},
        {"confidence": 3, "plan": "work", "topics": []},
        {"confidence": 3, "plan": "work", "topics": ["bio"], "unknown": 1},
    ):
        with pytest.raises(surveys.SurveyError):
            surveys.submit_response(survey=survey, respondent=mentee, answers=answers)
    assert not Response.objects.exists()


def test_a_choice_question_without_choices_is_left_out(login, mentee, survey):
    QuestionFactory(survey=survey, key="empty", kind=Question.Kind.SINGLE, text_en="Empty?")
    client = login(mentee)
    assert "Empty?" not in client.get(url(survey)).content.decode()
    assert client.post(url(survey), GOOD).status_code == 302


def test_open_surveys_for_lists_what_she_has_not_answered(mentee, mentor, cohort, survey):
    now = timezone.now()
    SurveyFactory(cohort=cohort, kind=Survey.Kind.ENDLINE, opens_at=now + DAY)
    mentors = SurveyFactory(cohort=cohort, audience=Survey.Audience.MENTOR)
    assert surveys.open_surveys_for(mentee) == [survey]
    assert surveys.open_surveys_for(mentor) == [mentors]
    surveys.submit_response(
        survey=survey,
        respondent=mentee,
        answers={"confidence": 3, "plan": "work", "topics": ["bio"]},
    )
    assert surveys.open_surveys_for(mentee) == []


def test_the_dashboard_include_lists_open_surveys(login, mentee, survey):
    from django.template.loader import render_to_string

    html = render_to_string(
        "reports/surveys/_open_surveys.html", {"open_surveys": surveys.open_surveys_for(mentee)}
    )
    assert url(survey) in html and "Start of the programme" in html
    assert (
        "Start of the programme"
        in login(mentee).get(reverse("reports:my_surveys")).content.decode()
    )
    with translation.override("ru"):
        assert "Начало программы" in render_to_string(
            "reports/surveys/_open_surveys.html", {"open_surveys": [survey]}
        )


# ---------------------------------------------------------------------- notifications


def test_the_audience_is_told_once_when_a_survey_opens(
    survey, mentee, mentor, cohort, django_capture_on_commit_callbacks, mailoutbox
):
    other = member(cohort)
    ParticipationFactory(
        user=member(cohort, role=Participation.Role.MENTOR),
        cohort=cohort,
        role=Participation.Role.MENTEE,
        status=Participation.Status.REJECTED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert surveys.send_survey_notifications(survey.opens_at) == 2
        assert surveys.send_survey_notifications(survey.opens_at + DAY) == 0
    told = Notification.objects.filter(kind=Notification.Kind.SURVEY_OPEN)
    assert set(told.values_list("recipient", flat=True)) == {mentee.pk, other.pk}
    assert told.first().url == url(survey)
    assert len(mailoutbox) == 2
    assert surveys.send_survey_notifications(survey.opens_at - dt.timedelta(seconds=1)) == 0


def test_those_who_have_not_answered_are_reminded_once_before_the_close(survey, mentee, cohort):
    answered = member(cohort)
    surveys.submit_response(
        survey=survey,
        respondent=answered,
        answers={"confidence": 3, "plan": "work", "topics": ["bio"]},
    )
    before = survey.closes_at - surveys.REMINDER_DAYS * DAY - dt.timedelta(seconds=1)
    assert surveys.send_survey_notifications(before) == 1  # the open notice, to her
    start = survey.closes_at - surveys.REMINDER_DAYS * DAY
    assert surveys.send_survey_notifications(start) == 1
    assert surveys.send_survey_notifications(start + DAY) == 0
    assert surveys.send_survey_notifications(survey.closes_at) == 0
    reminders = Notification.objects.filter(kind=Notification.Kind.SURVEY_REMINDER)
    assert list(reminders.values_list("recipient", flat=True)) == [mentee.pk]
    assert reminders.get().key == f"survey-reminder:{survey.pk}"


def test_the_notification_texts_read_in_her_language(survey, mentee):
    from stem4all.notifications.texts import notification_text

    surveys.send_survey_notifications(survey.opens_at)
    text = notification_text(Notification.objects.get())
    assert survey.cohort.name in text and "open for you until" in text


def test_run_periodic_runs_the_survey_rule(survey, mentee):
    from stem4all.checkins.services import run_periodic

    assert run_periodic(survey.opens_at)["survey_notifications"] == 1
