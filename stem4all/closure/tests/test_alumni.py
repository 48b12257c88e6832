import pytest
from django.urls import reverse

from stem4all.closure.models import ExitSurvey
from stem4all.closure.tests.factories import ended_pair
from stem4all.matching.tests.factories import MentorshipFactory
from stem4all.messaging.models import Conversation, ConversationMember

from .test_exit_survey import ANSWERS


@pytest.fixture
def ended(cohort, mentee, mentor):
    return ended_pair(cohort, mentee, mentor)


def survey_url(mentorship):
    return reverse("closure:exit_survey", args=[mentorship.pk])


def alumni_url(mentorship):
    return reverse("closure:alumni_group", args=[mentorship.pk])


def current_members(cohort):
    return set(
        ConversationMember.objects.filter(
            conversation__kind=Conversation.Kind.ALUMNI,
            conversation__cohort=cohort,
            left_at__isnull=True,
        ).values_list("user__email", flat=True)
    )


def test_staying_in_touch_in_the_survey_adds_both_to_the_cohorts_alumni_group(
    login, mentee, mentor, ended, cohort
):
    login(mentee).post(survey_url(ended), {**ANSWERS, "stay_in_touch": "on"})
    login(mentor).post(survey_url(ended), {**ANSWERS, "stay_in_touch": "on"})
    assert current_members(cohort) == {mentee.email, mentor.email}
    group = Conversation.objects.get(kind=Conversation.Kind.ALUMNI, cohort=cohort)
    page = login(mentee).get(survey_url(ended)).content.decode()
    assert reverse("messaging:conversation", args=[group.pk]) in page
    assert "Leave the alumni group" in page


def test_saying_no_adds_her_to_no_group(login, mentee, ended, cohort):
    login(mentee).post(survey_url(ended), ANSWERS)
    assert current_members(cohort) == set()
    assert "Join the alumni group" in login(mentee).get(survey_url(ended)).content.decode()


def test_she_leaves_the_group_later_and_may_come_back(login, mentee, ended, cohort):
    client = login(mentee)
    client.post(survey_url(ended), {**ANSWERS, "stay_in_touch": "on"})
    response = client.post(alumni_url(ended), {"action": "leave"}, follow=True)
    assert "You have left your cohort&#x27;s alumni group." in response.content.decode()
    assert current_members(cohort) == set()
    assert ExitSurvey.objects.get().stay_in_touch is False
    assert "Join the alumni group" in response.content.decode()
    client.post(alumni_url(ended), {"action": "join"})
    assert current_members(cohort) == {mentee.email}
    assert ExitSurvey.objects.get().stay_in_touch is True


def test_the_alumni_group_waits_for_the_end_of_the_mentorship(login, mentee, mentor, cohort):
    active = MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    response = login(mentee).post(alumni_url(active), {"action": "join"}, follow=True)
    assert "The alumni group opens when the mentorship has ended." in response.content.decode()
    assert current_members(cohort) == set()


def test_an_unknown_action_is_a_clear_message(login, mentee, ended):
    response = login(mentee).post(alumni_url(ended), {"action": "dance"}, follow=True)
    assert "Choose whether to join or to leave the group." in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"), [("stranger", 404), ("other_staff", 404), ("staff", 403)]
)
def test_nobody_else_joins_through_her_mentorship(request, login, ended, cohort, who, status):
    client = login(request.getfixturevalue(who))
    assert client.post(alumni_url(ended), {"action": "join"}).status_code == status
    assert current_members(cohort) == set()


def test_the_mentorship_page_links_to_the_closure_pages(login, mentee, mentor, staff, ended):
    page = login(mentee).get(reverse("mentorships:mentorship", args=[ended.pk])).content.decode()
    assert survey_url(ended) in page
    assert reverse("closure:certificate", args=[ended.pk]) in page
    assert reverse("messaging:mentorship_conversation", args=[ended.pk]) in page
    page = login(mentor).get(reverse("mentorships:mentorship", args=[ended.pk])).content.decode()
    assert survey_url(ended) in page
    assert reverse("closure:certificate", args=[ended.pk]) not in page
    page = login(staff).get(reverse("mentorships:mentorship", args=[ended.pk])).content.decode()
    assert reverse("closure:staff_exit_surveys", args=[ended.cohort_id]) in page
    assert reverse("closure:certificate", args=[ended.pk]) in page
