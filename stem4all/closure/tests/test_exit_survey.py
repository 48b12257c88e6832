import pytest
from django.urls import reverse

from stem4all.closure import services
from stem4all.closure.models import ExitSurvey
from stem4all.closure.tests.factories import ExitSurveyFactory, ended_pair
from stem4all.matching.tests.factories import MentorshipFactory, make_mentee, make_mentor
from stem4all.mentorships import services as mentorship_services
from stem4all.notifications.models import Notification

ANSWERS = {
    "overall_rating": "5",
    "goals_met": "4",
    "would_recommend": "True",
    "what_worked": "Клара помогла мне с Python.",
    "what_to_improve": "More meetings in person",
}


@pytest.fixture
def ended(cohort, mentee, mentor):
    return ended_pair(cohort, mentee, mentor)


def url(mentorship):
    return reverse("closure:exit_survey", args=[mentorship.pk])


def test_the_mentee_answers_the_exit_survey_of_a_completed_mentorship(login, mentee, ended):
    client = login(mentee)
    assert client.get(url(ended)).status_code == 200
    response = client.post(url(ended), ANSWERS, follow=True)
    assert "Thank you for your answers." in response.content.decode()
    survey = ExitSurvey.objects.get()
    assert (survey.respondent, survey.role) == (mentee, "mentee")
    assert (survey.overall_rating, survey.goals_met, survey.would_recommend) == (5, 4, True)
    assert survey.what_worked == "Клара помогла мне с Python."
    assert survey.stay_in_touch is False


def test_the_mentor_answers_too_after_an_early_end(login, mentor, cohort, mentee):
    pair = ended_pair(cohort, mentee, mentor, status="ended_early")
    login(mentor).post(url(pair), {**ANSWERS, "would_recommend": "False"})
    survey = ExitSurvey.objects.get()
    assert (survey.respondent, survey.role, survey.would_recommend) == (mentor, "mentor", False)


def test_an_active_mentorship_has_no_exit_survey_yet(login, mentee, mentor, cohort):
    pair = MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    client = login(mentee)
    page = client.get(url(pair)).content.decode()
    assert "The exit survey opens when the mentorship has ended." in page
    assert "Send my answers" not in page
    response = client.post(url(pair), ANSWERS, follow=True)
    assert "The exit survey opens when the mentorship has ended." in response.content.decode()
    assert not ExitSurvey.objects.exists()
    with pytest.raises(services.ClosureError):
        services.submit_exit_survey(
            mentorship=pair, respondent=mentee, overall_rating=3, goals_met=3, would_recommend=True
        )


def test_a_second_answer_is_refused_with_a_clear_message(login, mentee, ended):
    client = login(mentee)
    client.post(url(ended), ANSWERS)
    response = client.post(url(ended), {**ANSWERS, "overall_rating": "1"}, follow=True)
    assert "You have already answered the exit survey." in response.content.decode()
    assert ExitSurvey.objects.get().overall_rating == 5
    assert "Your answers" in client.get(url(ended)).content.decode()


def test_bad_answers_show_clear_messages_and_save_nothing(login, mentee, ended):
    response = login(mentee).post(url(ended), {**ANSWERS, "overall_rating": "9", "goals_met": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Choose a number from 1 to 5.") == 2
    response = login(mentee).post(url(ended), {**ANSWERS, "would_recommend": ""})
    assert "Answer yes or no." in response.content.decode()
    assert not ExitSurvey.objects.exists()


@pytest.mark.parametrize("who", ["stranger", "other_staff"])
def test_strangers_and_other_programmes_staff_get_404(request, login, ended, who):
    client = login(request.getfixturevalue(who))
    assert client.get(url(ended)).status_code == 404
    assert client.post(url(ended), ANSWERS).status_code == 404
    assert not ExitSurvey.objects.exists()


def test_another_mentor_of_the_cohort_gets_404(login, cohort, ended):
    other = make_mentor(cohort)
    MentorshipFactory(cohort=cohort, mentee=make_mentee(cohort), mentor=other)
    assert login(other).get(url(ended)).status_code == 404


def test_the_programmes_staff_may_not_answer_for_the_pair(login, staff, ended):
    assert login(staff).post(url(ended), ANSWERS).status_code == 403
    assert not ExitSurvey.objects.exists()


def test_completing_a_mentorship_asks_both_for_their_exit_survey(
    mentee, mentor, cohort, django_capture_on_commit_callbacks
):
    pair = MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    with django_capture_on_commit_callbacks(execute=True):
        mentorship_services.complete_mentorship(mentorship=pair, by=mentor)
    rows = Notification.objects.filter(kind=Notification.Kind.EXIT_SURVEY_DUE)
    assert {n.recipient for n in rows} == {mentee, mentor}
    assert {n.url for n in rows} == {url(pair)}


def test_an_early_end_asks_both_for_the_exit_survey_but_issues_no_certificate(
    mentee, mentor, cohort, django_capture_on_commit_callbacks
):
    from stem4all.closure.models import Certificate

    pair = MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    with django_capture_on_commit_callbacks(execute=True):
        mentorship_services.end_mentorship_early(mentorship=pair, by=mentor, reason="Moved away")
    asked = Notification.objects.filter(kind=Notification.Kind.EXIT_SURVEY_DUE)
    assert set(asked.values_list("recipient", flat=True)) == {mentee.pk, mentor.pk}
    assert not Certificate.objects.exists()


# ---------------------------------------------------------------- staff list


def staff_url(cohort):
    return reverse("closure:staff_exit_surveys", args=[cohort.pk])


def test_staff_see_the_cohorts_answers_with_averages(login, staff, cohort, mentee, mentor, ended):
    ExitSurveyFactory(mentorship=ended, respondent=mentee, overall_rating=5, goals_met=4)
    ExitSurveyFactory(mentorship=ended, respondent=mentor, overall_rating=2, goals_met=2)
    other = ended_pair(cohort, make_mentee(cohort), make_mentor(cohort))
    ExitSurveyFactory(mentorship=other, overall_rating=4, goals_met=3, would_recommend=False)
    elsewhere = ExitSurveyFactory(what_worked="Answer of another cohort")
    response = login(staff).get(staff_url(cohort))
    assert response.status_code == 200
    summary = {row["role"]: row for row in response.context["summary"]}
    assert summary["mentee"]["answers"] == 2
    assert summary["mentee"]["overall"] == pytest.approx(4.5)
    assert summary["mentee"]["goals"] == pytest.approx(3.5)
    assert summary["mentee"]["recommend"] == 1
    assert summary["mentor"]["overall"] == pytest.approx(2)
    assert response.context["page"].paginator.count == 3
    assert elsewhere.what_worked not in response.content.decode()


def test_the_staff_list_uses_a_bounded_number_of_queries(
    login, staff, cohort, django_assert_max_num_queries
):
    for _ in range(12):
        ExitSurveyFactory(mentorship=ended_pair(cohort, make_mentee(cohort), make_mentor(cohort)))
    client = login(staff)
    with django_assert_max_num_queries(14):
        response = client.get(staff_url(cohort))
    assert response.context["page"].paginator.count == 12


@pytest.mark.parametrize(("who", "status"), [("other_staff", 403), ("mentee", 403)])
def test_only_the_programmes_staff_see_the_list(request, login, cohort, ended, who, status):
    ExitSurveyFactory(mentorship=ended)
    client = login(request.getfixturevalue(who))
    assert client.get(staff_url(cohort)).status_code == status


# ---------------------------------------------------------------- API


def api_url(mentorship):
    return f"/api/v1/mentorships/{mentorship.pk}/exit-survey"


def test_the_api_submits_and_reads_my_exit_survey_once(login, mentee, ended):
    client = login(mentee)
    assert client.get(api_url(ended)).status_code == 404
    payload = {"overall_rating": 4, "goals_met": 5, "would_recommend": True, "what_worked": "X"}
    response = client.post(api_url(ended), payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["role"] == "mentee"
    assert client.get(api_url(ended)).json()["goals_met"] == 5
    again = client.post(api_url(ended), payload, content_type="application/json")
    assert again.status_code == 409
    assert "already answered" in again.json()["detail"]


def test_the_api_answers_422_for_bad_input_and_409_before_the_end(login, mentee, mentor, cohort):
    ended = ended_pair(cohort, mentee, mentor)
    client = login(mentee)
    response = client.post(
        api_url(ended),
        {"overall_rating": 0, "would_recommend": None},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"overall_rating", "goals_met", "would_recommend"}
    active = MentorshipFactory(cohort=cohort, mentee=make_mentee(cohort), mentor=mentor)
    payload = {"overall_rating": 4, "goals_met": 5, "would_recommend": True}
    response = login(mentor).post(api_url(active), payload, content_type="application/json")
    assert response.status_code == 409


def test_the_api_hides_a_mentorship_from_strangers(login, stranger, ended):
    payload = {"overall_rating": 4, "goals_met": 5, "would_recommend": True}
    client = login(stranger)
    assert client.post(api_url(ended), payload, content_type="application/json").status_code == 404
