"""The surveys in the JSON API: my open surveys, one in my language, answering once
(422 on bad input, 409 when closed or answered), and the paired change for staff."""

import datetime as dt

import pytest
from django.utils import timezone

from stem4all.reports.models import Question, Response

from .factories import ChoiceFactory, QuestionFactory, SurveyFactory, answer, member


@pytest.fixture
def survey(cohort):
    survey = SurveyFactory(cohort=cohort, title_en="At the start", title_ky="Башында")
    QuestionFactory(survey=survey, key="conf", text_en="Confident?", text_ky="Ишенесизби?")
    plan = QuestionFactory(survey=survey, key="plan", kind=Question.Kind.MULTIPLE)
    ChoiceFactory(question=plan, key="study", label_en="Study", label_ky="Окуу")
    ChoiceFactory(question=plan, key="work", label_en="Work")
    QuestionFactory(survey=survey, key="note", kind=Question.Kind.TEXT, is_required=False)
    return survey


def post(client, survey, answers):
    return client.post(
        f"/api/v1/surveys/{survey.pk}/responses",
        {"answers": answers},
        content_type="application/json",
    )


def test_my_open_surveys_and_one_in_my_language(login, mentee, survey):
    mentee.preferred_language = "ky"
    mentee.save(update_fields=["preferred_language"])
    client = login(mentee)
    listed = client.get("/api/v1/surveys/open")
    assert listed.status_code == 200
    assert [(s["id"], s["title"]) for s in listed.json()] == [(survey.pk, "Башында")]
    detail = client.get(f"/api/v1/surveys/{survey.pk}").json()
    assert detail["is_open"] is True and detail["answered"] is False
    conf, plan, note = detail["questions"]
    assert conf["text"] == "Ишенесизби?" and conf["kind"] == "scale"
    assert plan["choices"] == [{"key": "study", "label": "Окуу"}, {"key": "work", "label": "Work"}]
    assert note["is_required"] is False


def test_answering_once_then_409(login, mentee, survey):
    client = login(mentee)
    response = post(client, survey, {"conf": 5, "plan": ["study", "work"], "note": "Thanks"})
    assert response.status_code == 201, response.content
    assert response.json()["survey_id"] == survey.pk
    again = post(client, survey, {"conf": 4, "plan": ["work"]})
    assert again.status_code == 409
    assert "already answered" in again.json()["detail"]
    assert Response.objects.count() == 1
    assert client.get("/api/v1/surveys/open").json() == []
    assert client.get(f"/api/v1/surveys/{survey.pk}").json()["answered"] is True


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"plan": ["study"]}, "q-conf"),
        ({"conf": 9, "plan": ["study"]}, "q-conf"),
        ({"conf": "many", "plan": ["study"]}, "q-conf"),
        ({"conf": 3, "plan": ["nope"]}, "q-plan"),
        ({"conf": 3, "plan": "study"}, "q-plan"),
        ({"conf": 3, "plan": ["study"], "note": "x" * 2001}, "q-note"),
        ({"conf": 3, "plan": ["study"], "ghost": 1}, "__all__"),
    ],
)
def test_bad_answers_are_422_with_field_errors(login, mentee, survey, answers, field):
    response = post(login(mentee), survey, answers)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert not Response.objects.exists()


def test_a_malformed_payload_is_422_not_500(login, mentee, survey):
    client = login(mentee)
    for body in ({"answers": {"conf": {"deep": 1}}}, {"answers": "nope"}, []):
        response = client.post(
            f"/api/v1/surveys/{survey.pk}/responses", body, content_type="application/json"
        )
        assert response.status_code == 422, (body, response.content)


def test_a_closed_survey_is_409(login, mentee, cohort):
    now = timezone.now()
    closed = SurveyFactory(
        cohort=cohort, opens_at=now - dt.timedelta(days=9), closes_at=now - dt.timedelta(hours=1)
    )
    QuestionFactory(survey=closed, key="conf")
    response = post(login(mentee), closed, {"conf": 3})
    assert response.status_code == 409 and "closed" in response.json()["detail"]


@pytest.mark.parametrize("persona", ["mentor", "staff", "stranger"])
def test_people_outside_the_audience_get_404(request, login, persona, survey):
    client = login(request.getfixturevalue(persona))
    assert client.get(f"/api/v1/surveys/{survey.pk}").status_code == 404
    assert post(client, survey, {"conf": 3, "plan": ["study"]}).status_code == 404
    assert client.get("/api/v1/surveys/open").json() == []


def test_staff_read_the_paired_change_and_others_may_not(login, staff, mentee, other_staff, cohort):
    baseline = SurveyFactory(cohort=cohort, kind="baseline")
    endline = SurveyFactory(cohort=cohort, kind="endline")
    for survey in (baseline, endline):
        QuestionFactory(survey=survey, key="conf", text_en="Confident?")
    for value in range(1, 6):
        person = member(cohort)
        answer(baseline, person, {"conf": value})
        answer(endline, person, {"conf": min(5, value + 1)})
    url = f"/api/v1/cohorts/{cohort.pk}/survey-change"
    rows = login(staff).get(url).json()
    assert rows == [
        {
            "key": "conf",
            "label": "Confident?",
            "respondents": 5,
            "baseline_mean": "3.00",
            "endline_mean": "3.80",
            "change": "0.80",
        }
    ]
    assert login(staff).get(url + "?audience=mentor").json() == []
    assert login(staff).get(url + "?audience=jury").status_code == 422
    assert login(mentee).get(url).status_code == 403
    assert login(other_staff).get(url).status_code == 403
