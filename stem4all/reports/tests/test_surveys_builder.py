"""The staff survey builder: who may build, creating and editing surveys, questions and
choices, moving them, the default set (idempotent, stored in each language), and the
changes refused once people have answered."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import ParticipationFactory
from stem4all.reports import default_surveys, surveys
from stem4all.reports.models import Choice, Question, Survey

from .factories import ChoiceFactory, QuestionFactory, SurveyFactory, answer, member

DAY = dt.timedelta(days=1)


@pytest.fixture
def survey(cohort):
    return SurveyFactory(cohort=cohort, title_en="Start of the programme")


@pytest.fixture
def funder(cohort):
    from stem4all.accounts.tests.factories import UserFactory

    user = UserFactory(full_name="Test Funder")
    ParticipationFactory(user=user, cohort=cohort, role=Participation.Role.FUNDER)
    return user


def test_staff_list_the_cohorts_surveys(login, staff, survey):
    page = login(staff).get(reverse("reports:survey_list", args=[survey.cohort_id]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Start of the programme" in body
    assert "Add the default set" in body


@pytest.mark.parametrize("persona", ["mentee", "mentor", "other_staff", "stranger", "funder"])
def test_nobody_but_the_programmes_staff_reaches_the_builder(
    request, login, persona, survey, client
):
    person = request.getfixturevalue(persona)
    question = QuestionFactory(survey=survey)
    choice = ChoiceFactory(question=QuestionFactory(survey=survey, kind=Question.Kind.SINGLE))
    client = login(person)
    pages = [
        reverse("reports:survey_list", args=[survey.cohort_id]),
        reverse("reports:survey_create", args=[survey.cohort_id]),
        reverse("reports:survey_edit", args=[survey.pk]),
        reverse("reports:survey_results", args=[survey.pk]),
        reverse("reports:survey_results_download", args=[survey.pk, "csv"]),
        reverse("reports:survey_change_download", args=[survey.cohort_id, "mentee", "csv"]),
        reverse("reports:question_create", args=[survey.pk]),
        reverse("reports:question_edit", args=[question.pk]),
        reverse("reports:choice_edit", args=[choice.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 403, url
    posts = [
        reverse("reports:survey_add_defaults", args=[survey.cohort_id]),
        reverse("reports:survey_delete", args=[survey.pk]),
        reverse("reports:question_delete", args=[question.pk]),
        reverse("reports:question_move", args=[question.pk]),
        reverse("reports:choice_delete", args=[choice.pk]),
        reverse("reports:choice_create", args=[choice.question_id]),
    ]
    for url in posts:
        assert client.post(url, {"direction": "up"}).status_code == 403, url
    assert Survey.objects.count() == 1 and Question.objects.count() == 2
    assert Choice.objects.count() == 1


def test_a_missing_survey_is_404_for_staff(login, staff):
    assert login(staff).get(reverse("reports:survey_edit", args=[999999])).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, survey):
    response = client.get(reverse("reports:survey_list", args=[survey.cohort_id]))
    assert response.status_code == 302


def _window(days_from_now=0):
    start = timezone.localtime() + days_from_now * DAY
    return {
        "opens_at": start.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (start + 14 * DAY).strftime("%Y-%m-%dT%H:%M"),
    }


def test_staff_create_a_survey_and_add_questions_and_choices(login, staff, cohort):
    client = login(staff)
    response = client.post(
        reverse("reports:survey_create", args=[cohort.pk]),
        {"kind": "endline", "audience": "mentee", "title_en": "At the end", **_window()},
    )
    survey = Survey.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:survey_edit", args=[survey.pk])
    assert survey.created_by == staff and survey.title_ru == ""

    response = client.post(
        reverse("reports:question_create", args=[survey.pk]),
        {"key": "plan", "kind": "single", "text_en": "Your plan?", "is_required": "on"},
    )
    question = Question.objects.get()
    assert response["Location"] == reverse("reports:question_edit", args=[question.pk])
    for key, label in (("study", "Study"), ("work", "Work")):
        response = client.post(
            reverse("reports:choice_create", args=[question.pk]),
            {"choice-key": key, "choice-label_en": label},
        )
        assert response.status_code == 302
    assert [c.key for c in question.choices.order_by("order")] == ["study", "work"]
    page = client.get(reverse("reports:survey_edit", args=[survey.pk]))
    assert "Your plan?" in page.content.decode()


def test_bad_builder_input_shows_form_errors(login, staff, cohort, survey):
    client = login(staff)
    page = client.post(
        reverse("reports:survey_create", args=[cohort.pk]),
        {"kind": "baseline", "audience": "mentee", "title_en": "", **_window()},
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert "Give the survey a title." in body
    assert "already has a survey of this kind" in body
    window = _window()
    window["closes_at"] = window["opens_at"]
    page = client.post(
        reverse("reports:survey_create", args=[cohort.pk]),
        {"kind": "endline", "audience": "mentor", "title_en": "X", **window},
    )
    assert "A survey must close after it opens." in page.content.decode()
    QuestionFactory(survey=survey, key="taken")
    page = client.post(
        reverse("reports:question_create", args=[survey.pk]),
        {"key": "taken", "kind": "scale", "text_en": "Again?"},
    )
    assert "Another question of this survey has this key." in page.content.decode()
    page = client.post(
        reverse("reports:question_create", args=[survey.pk]),
        {"key": "not a slug!", "kind": "nonsense", "text_en": ""},
    )
    assert page.status_code == 200
    assert "Use only letters, numbers, hyphens or underscores." in page.content.decode()
    assert Survey.objects.count() == 1 and Question.objects.count() == 1


def test_questions_and_choices_move_up_and_down(login, staff, survey):
    first, second, third = (QuestionFactory(survey=survey, order=n) for n in (1, 2, 3))
    client = login(staff)
    client.post(reverse("reports:question_move", args=[third.pk]), {"direction": "up"})
    assert [q.pk for q in surveys.questions_of(survey)] == [first.pk, third.pk, second.pk]
    client.post(reverse("reports:question_move", args=[first.pk]), {"direction": "up"})
    client.post(reverse("reports:question_move", args=[first.pk]), {"direction": "down"})
    assert [q.pk for q in surveys.questions_of(survey)] == [third.pk, first.pk, second.pk]
    client.post(reverse("reports:question_move", args=[second.pk]), {"direction": "sideways"})
    assert [q.pk for q in surveys.questions_of(survey)] == [third.pk, first.pk, second.pk]
    question = QuestionFactory(survey=survey, kind=Question.Kind.SINGLE)
    a, b = ChoiceFactory(question=question), ChoiceFactory(question=question)
    client.post(reverse("reports:choice_move", args=[b.pk]), {"direction": "up"})
    assert list(question.choices.order_by("order").values_list("pk", flat=True)) == [b.pk, a.pk]


def test_unanswered_questions_and_choices_can_be_deleted(login, staff, survey):
    question = QuestionFactory(survey=survey, kind=Question.Kind.SINGLE)
    choice = ChoiceFactory(question=question)
    client = login(staff)
    client.post(reverse("reports:choice_delete", args=[choice.pk]))
    assert not Choice.objects.exists()
    client.post(reverse("reports:question_delete", args=[question.pk]))
    assert not Question.objects.exists()
    client.post(reverse("reports:survey_delete", args=[survey.pk]))
    assert not Survey.objects.exists()


@pytest.fixture
def answered(survey):
    scale = QuestionFactory(survey=survey, key="confidence")
    single = QuestionFactory(survey=survey, key="plan", kind=Question.Kind.SINGLE)
    chosen = ChoiceFactory(question=single, key="study")
    spare = ChoiceFactory(question=single, key="work")
    answer(survey, member(survey.cohort), {"confidence": 4, "plan": "study"})
    return scale, single, chosen, spare


def test_nothing_that_breaks_answers_changes_once_people_answered(login, staff, survey, answered):
    scale, single, chosen, spare = answered
    client = login(staff)
    response = client.post(reverse("reports:question_delete", args=[scale.pk]), follow=True)
    assert "People have already answered this question: it cannot be deleted." in (
        response.content.decode()
    )
    response = client.post(reverse("reports:choice_delete", args=[chosen.pk]), follow=True)
    assert "People have already chosen this answer: it cannot be deleted." in (
        response.content.decode()
    )
    response = client.post(reverse("reports:survey_delete", args=[survey.pk]), follow=True)
    assert "it cannot be deleted" in response.content.decode()
    page = client.post(
        reverse("reports:question_edit", args=[scale.pk]),
        {"key": "confidence", "kind": "text", "text_en": "Now free text?"},
    )
    assert "its key and kind of answer can no longer change" in page.content.decode()
    page = client.post(
        reverse("reports:survey_edit", args=[survey.pk]),
        {"kind": "baseline", "audience": "mentor", "title_en": "T", **_window()},
    )
    assert "its kind and who answers it can no longer change" in page.content.decode()
    with pytest.raises(surveys.SurveyError):
        surveys.update_choice(choice=chosen, key="renamed")
    assert Question.objects.count() == 2 and Choice.objects.count() == 2
    scale.refresh_from_db()
    assert scale.kind == Question.Kind.SCALE
    assert Survey.objects.get().audience == Survey.Audience.MENTEE


def test_wording_dates_new_questions_and_unchosen_choices_still_change(
    login, staff, survey, answered
):
    scale, single, chosen, spare = answered
    client = login(staff)
    response = client.post(
        reverse("reports:question_edit", args=[scale.pk]),
        {"key": "confidence", "kind": "scale", "text_en": "Better wording?", "is_required": "on"},
    )
    assert response.status_code == 302
    scale.refresh_from_db()
    assert scale.text_en == "Better wording?"
    client.post(reverse("reports:choice_delete", args=[spare.pk]))
    assert not Choice.objects.filter(pk=spare.pk).exists()
    response = client.post(
        reverse("reports:survey_edit", args=[survey.pk]),
        {"kind": "baseline", "audience": "mentee", "title_en": "Longer", **_window(1)},
    )
    assert response.status_code == 302
    surveys.add_question(survey=survey, key="new", kind="scale", text_en="New?")
    page = client.get(reverse("reports:survey_edit", args=[survey.pk]))
    assert "People have already answered this survey" in page.content.decode()


def test_the_default_set_is_added_once(login, staff, cohort):
    client = login(staff)
    url = reverse("reports:survey_add_defaults", args=[cohort.pk])
    client.post(url)
    client.post(url)
    assert Survey.objects.filter(cohort=cohort).count() == 4
    kinds = set(Survey.objects.values_list("kind", "audience"))
    assert kinds == {
        ("baseline", "mentee"),
        ("endline", "mentee"),
        ("baseline", "mentor"),
        ("endline", "mentor"),
    }
    baseline = Survey.objects.get(kind="baseline", audience="mentee")
    endline = Survey.objects.get(kind="endline", audience="mentee")
    base_keys = set(baseline.questions.values_list("key", flat=True))
    end_keys = set(endline.questions.values_list("key", flat=True))
    assert base_keys < end_keys
    assert {"mentor_satisfaction", "mentor_feedback"} == end_keys - base_keys
    assert {"stem_solve_problems", "english_confidence", "leadership", "financial_literacy"} <= (
        base_keys
    )
    plan = baseline.questions.get(key="stem_plan")
    assert plan.kind == "single" and plan.choices.count() == 5
    assert Question.objects.filter(survey__cohort=cohort).count() == sum(
        len(questions) for _title, questions in default_surveys.DEFAULT_SET.values()
    )
    assert baseline.opens_at < timezone.make_aware(
        dt.datetime.combine(cohort.starts_on, dt.time.min)
    )


def test_the_default_set_keeps_a_survey_staff_already_made(staff, cohort):
    mine = SurveyFactory(cohort=cohort, kind="baseline", audience="mentee", title_en="Mine")
    added, kept = default_surveys.add_default_surveys(cohort=cohort, by=staff)
    assert kept == [mine] and len(added) == 3
    assert not mine.questions.exists()


def test_the_default_texts_are_stored_in_each_language(cohort, staff):
    text = default_surveys.in_each_language("text", default_surveys.STEM_SELF_EFFICACY[3].text)
    assert text == {
        "text_en": "I feel that I belong in STEM.",
        "text_ru": "Я чувствую, что мне есть место в STEM.",
        "text_ky": "Мен өзүмдү STEM чөйрөсүнүн бир бөлүгү катары сезем.",
    }
    # A text the catalogues do not know yet is stored empty, and read in English.
    other = default_surveys.in_each_language("text", "A question nobody has translated yet.")
    assert other["text_ru"] == "" and other["text_ky"] == ""
