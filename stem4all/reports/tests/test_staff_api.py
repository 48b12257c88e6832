"""The staff side of the surveys and donor reports in the JSON API: building a survey
(surveys, questions, choices), its results, the default set, and donor reports; only
staff of the cohort's programme (403 for a funder, a mentee, other staff, 404 for what
does not exist), 422 with the form's field errors, 409 for what the rules refuse."""

import datetime as dt

import pytest
from django.utils import timezone

from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import ParticipationFactory
from stem4all.reports import survey_forms
from stem4all.reports.models import Choice, DonorReport, Question, Survey

from .factories import ChoiceFactory, QuestionFactory, SurveyFactory, answer, member

JSON = "application/json"
NOW = timezone.now()


def when(days: int) -> str:
    return (NOW + dt.timedelta(days=days)).isoformat()


def survey_body(**changes):
    return {
        "kind": "baseline",
        "audience": "mentee",
        "title_en": "At the start",
        "title_ru": "В начале",
        "title_ky": "Башында",
        "opens_at": when(1),
        "closes_at": when(15),
        **changes,
    }


def question_body(**changes):
    return {
        "key": "confidence",
        "kind": "scale",
        "text_en": "I am confident in STEM.",
        "text_ru": "Я уверена в STEM.",
        "text_ky": "Мен STEMде ишенимдүүмүн.",
        "scale_low_en": "Not at all",
        "scale_high_en": "Very",
        **changes,
    }


def send(client, method, url, body=None):
    return getattr(client, method)(url, body, content_type=JSON)


@pytest.fixture
def funder(cohort):
    return ParticipationFactory(cohort=cohort, role=Participation.Role.FUNDER).user


@pytest.fixture
def built(cohort):
    """A mentee baseline of the personas' cohort: a 1-5 question, a one-choice question
    with two choices, and an optional free text."""
    survey = SurveyFactory(cohort=cohort, title_en="At the start", title_ky="Башында")
    QuestionFactory(survey=survey, key="conf", text_en="Confident?", text_ru="Уверена?")
    plan = QuestionFactory(survey=survey, key="plan", kind=Question.Kind.SINGLE)
    ChoiceFactory(question=plan, key="study", label_en="Study", label_ky="Окуу")
    ChoiceFactory(question=plan, key="work", label_en="Work")
    QuestionFactory(survey=survey, key="note", kind=Question.Kind.TEXT, is_required=False)
    return survey


# ---------------------------------------------------------------------------- surveys


def test_staff_create_a_survey_and_see_it_in_the_list(login, staff, cohort):
    client = login(staff)
    created = send(client, "post", f"/api/v1/cohorts/{cohort.pk}/surveys", survey_body())
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["kind"], body["audience"], body["title_ky"]) == ("baseline", "mentee", "Башында")
    assert body["questions"] == [] and body["has_responses"] is False
    survey = Survey.objects.get()
    assert survey.cohort == cohort and survey.created_by == staff
    listed = client.get(f"/api/v1/cohorts/{cohort.pk}/surveys")
    assert listed.status_code == 200
    assert listed.json() == [
        {
            "id": survey.pk,
            "cohort_id": cohort.pk,
            "kind": "baseline",
            "audience": "mentee",
            "title_en": "At the start",
            "title_ru": "В начале",
            "title_ky": "Башында",
            "opens_at": body["opens_at"],
            "closes_at": body["closes_at"],
            "question_count": 0,
            "response_count": 0,
        }
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title_en": ""}, "title_en"),
        ({"kind": "midline"}, "kind"),
        ({"audience": "jury"}, "audience"),
        ({"opens_at": "soon"}, "opens_at"),
        ({"closes_at": ""}, "closes_at"),
        ({"closes_at": when(1)}, "closes_at"),
    ],
)
def test_a_bad_survey_is_422_with_field_errors(login, staff, cohort, changes, field):
    url = f"/api/v1/cohorts/{cohort.pk}/surveys"
    response = send(login(staff), "post", url, survey_body(**changes))
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert not Survey.objects.exists()


def test_a_second_baseline_for_the_same_audience_is_refused(login, staff, cohort):
    SurveyFactory(cohort=cohort, kind="baseline", audience="mentee")
    client = login(staff)
    url = f"/api/v1/cohorts/{cohort.pk}/surveys"
    # The page's form sees the twin: a form error, as on the page.
    response = send(client, "post", url, survey_body())
    assert response.status_code == 422
    assert "already has a survey" in response.json()["errors"]["__all__"][0]
    # For mentors it is the first one.
    assert send(client, "post", url, survey_body(audience="mentor")).status_code == 201


def test_a_twin_made_after_the_form_checked_is_409(login, staff, cohort, monkeypatch):
    # Another request created it between the form's check and the write: the
    # database's unique constraint refuses, the service says why.
    SurveyFactory(cohort=cohort, kind="baseline", audience="mentee")
    monkeypatch.setattr(survey_forms.SurveyForm, "clean", lambda form: form.cleaned_data)
    response = send(login(staff), "post", f"/api/v1/cohorts/{cohort.pk}/surveys", survey_body())
    assert response.status_code == 409
    assert "already has a survey" in response.json()["detail"]
    assert Survey.objects.count() == 1


def test_staff_read_a_survey_with_every_language(login, staff, built):
    response = login(staff).get(f"/api/v1/staff/surveys/{built.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["title_ky"] == "Башында" and body["has_responses"] is False
    conf, plan, note = body["questions"]
    assert (conf["key"], conf["text_en"], conf["text_ru"]) == ("conf", "Confident?", "Уверена?")
    assert conf["is_answered"] is False and conf["choices"] == []
    assert [(c["key"], c["label_en"], c["label_ky"]) for c in plan["choices"]] == [
        ("study", "Study", "Окуу"),
        ("work", "Work", ""),
    ]
    assert note["is_required"] is False


def test_the_participants_survey_path_still_answers_participants(login, mentee, built):
    # The staff survey lives at /staff/surveys/{id}: /surveys/{id} stays theirs.
    response = login(mentee).get(f"/api/v1/surveys/{built.pk}")
    assert response.status_code == 200 and response.json()["title"] == "At the start"


def test_staff_update_a_survey(login, staff, built):
    url = f"/api/v1/staff/surveys/{built.pk}"
    response = send(login(staff), "put", url, survey_body(title_en="Welcome survey"))
    assert response.status_code == 200, response.content
    built.refresh_from_db()
    assert built.title_en == "Welcome survey" and built.title_ru == "В начале"
    assert len(response.json()["questions"]) == 3
    bad = send(login(staff), "put", url, survey_body(closes_at=when(0)))
    assert bad.status_code == 422 and "closes_at" in bad.json()["errors"]


def test_an_answered_survey_keeps_its_kind_and_cannot_be_deleted(login, staff, cohort, built):
    answer(built, member(cohort), {"conf": 4, "plan": "study"})
    client = login(staff)
    url = f"/api/v1/staff/surveys/{built.pk}"
    changed = send(client, "put", url, survey_body(kind="endline"))
    assert changed.status_code == 409 and "already answered" in changed.json()["detail"]
    assert client.get(url).json()["has_responses"] is True
    deleted = client.delete(url)
    assert deleted.status_code == 409 and "cannot be deleted" in deleted.json()["detail"]
    assert Survey.objects.filter(pk=built.pk, kind="baseline").exists()
    # Its wording and window may still change.
    assert send(client, "put", url, survey_body(title_en="Renamed")).status_code == 200


def test_staff_delete_a_survey_nobody_answered(login, staff, built):
    response = login(staff).delete(f"/api/v1/staff/surveys/{built.pk}")
    assert response.status_code == 204
    assert not Survey.objects.exists()


def test_adding_the_defaults_twice_adds_them_once(login, staff, cohort):
    client = login(staff)
    mine = SurveyFactory(cohort=cohort, kind="baseline", audience="mentee", title_en="Mine")
    url = f"/api/v1/cohorts/{cohort.pk}/surveys/defaults"
    first = client.post(url)
    assert first.status_code == 200, first.content
    body = first.json()
    assert [s["id"] for s in body["kept"]] == [mine.pk]
    assert body["kept"][0]["title_en"] == "Mine"
    assert len(body["added"]) == 3
    assert all(s["question_count"] > 0 for s in body["added"])
    again = client.post(url).json()
    assert again["added"] == [] and len(again["kept"]) == 4
    assert Survey.objects.filter(cohort=cohort).count() == 4


# -------------------------------------------------------------------------- questions


def test_staff_add_change_move_and_delete_questions(login, staff, built):
    client = login(staff)
    added = send(client, "post", f"/api/v1/surveys/{built.pk}/questions", question_body())
    assert added.status_code == 201, added.content
    question = added.json()
    assert (question["key"], question["text_ky"]) == ("confidence", "Мен STEMде ишенимдүүмүн.")
    detail = client.get(f"/api/v1/staff/surveys/{built.pk}").json()
    assert [q["key"] for q in detail["questions"]] == ["conf", "plan", "note", "confidence"]
    url = f"/api/v1/survey-questions/{question['id']}"
    changed = send(client, "put", url, question_body(text_en="Confident in STEM?"))
    assert changed.status_code == 200, changed.content
    assert changed.json()["text_en"] == "Confident in STEM?"
    moved = send(client, "post", f"{url}/move", {"direction": "up"})
    assert moved.status_code == 200
    assert [q["key"] for q in moved.json()["questions"]] == ["conf", "plan", "confidence", "note"]
    assert client.delete(url).status_code == 204
    assert not Question.objects.filter(key="confidence").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"key": ""}, "key"),
        ({"key": "two words"}, "key"),
        ({"key": "conf"}, "key"),  # another question of the survey has it
        ({"kind": "essay"}, "kind"),
        ({"text_en": ""}, "text_en"),
    ],
)
def test_a_bad_question_is_422_with_field_errors(login, staff, built, changes, field):
    url = f"/api/v1/surveys/{built.pk}/questions"
    response = send(login(staff), "post", url, question_body(**changes))
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert built.questions.count() == 3


def test_a_bad_direction_is_422(login, staff, built):
    question = built.questions.get(key="conf")
    url = f"/api/v1/survey-questions/{question.pk}/move"
    response = send(login(staff), "post", url, {"direction": "sideways"})
    assert response.status_code == 422 and "direction" in response.json()["errors"]


def test_an_answered_question_keeps_its_key_and_cannot_be_deleted(login, staff, cohort, built):
    answer(built, member(cohort), {"conf": 4})
    question = built.questions.get(key="conf")
    client = login(staff)
    url = f"/api/v1/survey-questions/{question.pk}"
    assert client.get(f"/api/v1/staff/surveys/{built.pk}").json()["questions"][0]["is_answered"]
    renamed = send(client, "put", url, question_body(key="confidence_now"))
    assert renamed.status_code == 409 and "already answered" in renamed.json()["detail"]
    deleted = client.delete(url)
    assert deleted.status_code == 409 and "cannot be deleted" in deleted.json()["detail"]
    question.refresh_from_db()
    assert question.key == "conf"
    reworded = send(client, "put", url, question_body(key="conf", text_en="Sure?"))
    assert reworded.status_code == 200 and reworded.json()["is_answered"] is True


# ---------------------------------------------------------------------------- choices


def test_staff_add_change_move_and_delete_choices(login, staff, built):
    plan = built.questions.get(key="plan")
    client = login(staff)
    body = {"key": "both", "label_en": "Both", "label_ru": "Оба", "label_ky": "Экөө тең"}
    added = send(client, "post", f"/api/v1/survey-questions/{plan.pk}/choices", body)
    assert added.status_code == 201, added.content
    assert added.json()["key"] == "both"
    assert [c.key for c in plan.choices.order_by("order", "pk")] == ["study", "work", "both"]
    url = f"/api/v1/survey-choices/{added.json()['id']}"
    changed = send(client, "put", url, {**body, "label_en": "Study and work"})
    assert changed.status_code == 200 and changed.json()["label_en"] == "Study and work"
    moved = send(client, "post", f"{url}/move", {"direction": "up"})
    assert moved.status_code == 200
    assert [c["key"] for c in moved.json()["choices"]] == ["study", "both", "work"]
    assert client.delete(url).status_code == 204
    assert list(plan.choices.values_list("key", flat=True)) == ["study", "work"]


def test_bad_or_refused_choices(login, staff, cohort, built):
    plan = built.questions.get(key="plan")
    conf = built.questions.get(key="conf")
    client = login(staff)
    url = f"/api/v1/survey-questions/{plan.pk}/choices"
    twin = send(client, "post", url, {"key": "study", "label_en": "Again"})
    assert twin.status_code == 422 and "key" in twin.json()["errors"]
    unlabelled = send(client, "post", url, {"key": "other"})
    assert unlabelled.status_code == 422 and "label_en" in unlabelled.json()["errors"]
    scale = f"/api/v1/survey-questions/{conf.pk}/choices"
    refused = send(client, "post", scale, {"key": "yes", "label_en": "Yes"})
    assert refused.status_code == 409 and "choices" in refused.json()["detail"]
    answer(built, member(cohort), {"conf": 3, "plan": "study"})
    chosen = plan.choices.get(key="study")
    url = f"/api/v1/survey-choices/{chosen.pk}"
    rekeyed = send(client, "put", url, {"key": "studies", "label_en": "Study"})
    assert rekeyed.status_code == 409 and "already chosen" in rekeyed.json()["detail"]
    assert client.delete(url).status_code == 409
    assert Choice.objects.filter(pk=chosen.pk, key="study").exists()


# ---------------------------------------------------------------------------- results


def test_results_are_counts_with_small_cells_null_and_texts_without_authors(
    login, staff, cohort, built
):
    people = [member(cohort, full_name=f"Respondent{i} Privatova") for i in range(6)]
    for i, person in enumerate(people):
        values = {"conf": 5 if i < 5 else 2, "plan": "study" if i < 5 else "work"}
        if i == 0:
            values["note"] = "More meetings, please."
        answer(built, person, values)
    response = login(staff).get(f"/api/v1/surveys/{built.pk}/results")
    assert response.status_code == 200
    body = response.json()
    assert (body["survey_id"], body["responses"], body["min_cell"]) == (built.pk, 6, 5)
    conf, plan, note = body["questions"]
    assert (conf["key"], conf["answered"], conf["mean"]) == ("conf", 6, "4.50")
    # Nobody is not a small cell; one to four people are.
    assert [cell["count"] for cell in conf["cells"]] == [0, None, 0, 0, 5]
    assert plan["cells"] == [{"label": "Study", "count": 5}, {"label": "Work", "count": None}]
    assert note["answered"] is None and note["texts"] == ["More meetings, please."]
    assert "Privatova" not in response.content.decode()


# ----------------------------------------------------------------------- who may not


@pytest.mark.parametrize("persona", ["funder", "mentee", "other_staff", "stranger"])
def test_only_the_programmes_staff_may_build_and_read_surveys(request, login, persona, built):
    client = login(request.getfixturevalue(persona))
    question = built.questions.get(key="plan")
    choice = question.choices.first()
    cohort_id = built.cohort_id
    calls = [
        ("get", f"/api/v1/cohorts/{cohort_id}/surveys", None),
        ("post", f"/api/v1/cohorts/{cohort_id}/surveys", survey_body(audience="mentor")),
        ("post", f"/api/v1/cohorts/{cohort_id}/surveys/defaults", None),
        ("get", f"/api/v1/staff/surveys/{built.pk}", None),
        ("put", f"/api/v1/staff/surveys/{built.pk}", survey_body(title_en="Mine now")),
        ("delete", f"/api/v1/staff/surveys/{built.pk}", None),
        ("get", f"/api/v1/surveys/{built.pk}/results", None),
        ("post", f"/api/v1/surveys/{built.pk}/questions", question_body()),
        ("put", f"/api/v1/survey-questions/{question.pk}", question_body()),
        ("post", f"/api/v1/survey-questions/{question.pk}/move", {"direction": "up"}),
        ("delete", f"/api/v1/survey-questions/{question.pk}", None),
        ("post", f"/api/v1/survey-questions/{question.pk}/choices", {"key": "x", "label_en": "X"}),
        ("put", f"/api/v1/survey-choices/{choice.pk}", {"key": "x", "label_en": "X"}),
        ("post", f"/api/v1/survey-choices/{choice.pk}/move", {"direction": "down"}),
        ("delete", f"/api/v1/survey-choices/{choice.pk}", None),
        ("get", f"/api/v1/cohorts/{cohort_id}/donor-reports", None),
        ("post", f"/api/v1/cohorts/{cohort_id}/donor-reports", {"language": "en"}),
    ]
    for method, url, body in calls:
        response = send(client, method, url, body)
        assert response.status_code == 403, (method, url, response.status_code)
    assert Survey.objects.count() == 1 and built.questions.count() == 3
    assert Choice.objects.count() == 2 and not DonorReport.objects.exists()


def test_what_does_not_exist_is_404(login, staff):
    client = login(staff)
    for url in (
        "/api/v1/cohorts/999999/surveys",
        "/api/v1/staff/surveys/999999",
        "/api/v1/surveys/999999/results",
        "/api/v1/cohorts/999999/donor-reports",
        "/api/v1/donor-reports/999999/pdf",
    ):
        assert client.get(url).status_code == 404, url
    assert client.delete("/api/v1/survey-questions/999999").status_code == 404
    assert client.delete("/api/v1/survey-choices/999999").status_code == 404


def test_signed_out_is_401(client, built):
    assert client.get(f"/api/v1/staff/surveys/{built.pk}").status_code == 401


def test_the_lists_take_a_bounded_number_of_queries(
    login, staff, cohort, django_assert_max_num_queries
):
    for kind in ("baseline", "endline"):
        for audience in ("mentee", "mentor"):
            survey = SurveyFactory(cohort=cohort, kind=kind, audience=audience)
            for _i in range(3):
                QuestionFactory(survey=survey)
    for _i in range(5):
        DonorReport.objects.create(cohort=cohort, requested_by=staff, language="en")
    client = login(staff)
    # Session and user included; none of these grows with the rows.
    with django_assert_max_num_queries(6):
        assert len(client.get(f"/api/v1/cohorts/{cohort.pk}/surveys").json()) == 4
    with django_assert_max_num_queries(7):
        assert client.get(f"/api/v1/cohorts/{cohort.pk}/donor-reports").json()["count"] == 5
    with django_assert_max_num_queries(10):
        assert len(client.get(f"/api/v1/staff/surveys/{survey.pk}").json()["questions"]) == 3
    with django_assert_max_num_queries(13):
        assert len(client.get(f"/api/v1/surveys/{survey.pk}/results").json()["questions"]) == 3


# ---------------------------------------------------------------------- donor reports


def test_staff_ask_for_a_donor_report_and_download_its_pdf(
    login, staff, cohort, django_capture_on_commit_callbacks
):
    client = login(staff)
    url = f"/api/v1/cohorts/{cohort.pk}/donor-reports"
    with django_capture_on_commit_callbacks(execute=True):
        asked = send(client, "post", url, {"language": "ru"})
    assert asked.status_code == 201, asked.content
    body = asked.json()
    assert (body["language"], body["status"], body["download_url"]) == ("ru", "queued", None)
    assert body["requested_by"] == staff.full_name and body["cohort_id"] == cohort.pk
    listed = client.get(url).json()
    assert listed["count"] == 1
    (report,) = listed["items"]
    assert report["id"] == body["id"] and report["status"] == "ready"
    assert report["finished_at"] is not None and report["is_stale"] is False
    pdf_url = f"/api/v1/donor-reports/{report['id']}/pdf"
    assert report["download_url"] == f"http://testserver{pdf_url}"
    response = client.get(pdf_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "-ru-" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF")


def test_a_second_report_in_a_language_being_made_is_409(login, staff, cohort):
    DonorReport.objects.create(cohort=cohort, requested_by=staff, language="ky")
    client = login(staff)
    url = f"/api/v1/cohorts/{cohort.pk}/donor-reports"
    refused = send(client, "post", url, {"language": "ky"})
    assert refused.status_code == 409 and "already being made" in refused.json()["detail"]
    assert DonorReport.objects.count() == 1


@pytest.mark.parametrize("body", [{"language": "fr"}, {"language": ""}, {}])
def test_a_bad_language_is_422(login, staff, cohort, body):
    response = send(login(staff), "post", f"/api/v1/cohorts/{cohort.pk}/donor-reports", body)
    assert response.status_code == 422, response.content
    assert "language" in response.json()["errors"]
    assert not DonorReport.objects.exists()


def test_a_report_not_ready_has_no_pdf_and_others_may_not_download(
    login, staff, cohort, funder, other_staff
):
    queued = DonorReport.objects.create(cohort=cohort, requested_by=staff, language="en")
    assert login(staff).get(f"/api/v1/donor-reports/{queued.pk}/pdf").status_code == 404
    ready = DonorReport.objects.create(
        cohort=cohort, language="en", status="ready", pdf=b"%PDF-1.7 test", finished_at=NOW
    )
    url = f"/api/v1/donor-reports/{ready.pk}/pdf"
    for persona in (funder, other_staff):
        assert login(persona).get(url).status_code == 403
    assert login(staff).get(url).content == b"%PDF-1.7 test"
    listed = login(staff).get(f"/api/v1/cohorts/{cohort.pk}/donor-reports").json()["items"]
    assert [r["requested_by"] for r in listed] == [None, staff.full_name]
