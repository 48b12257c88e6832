"""Starting a mentorship, ending it early, and who may see or end it."""

import pytest
from django.core import mail
from django.db import IntegrityError

from stem4all.matching.tests.factories import MentorshipFactory, make_mentee, make_mentor
from stem4all.mentorships import services
from stem4all.mentorships.models import Mentorship
from stem4all.programmes.tests.factories import CohortFactory


@pytest.fixture
def pair(cohort):
    return make_mentee(cohort), make_mentor(cohort)


def test_a_mentee_has_one_open_mentorship_per_cohort(pair, cohort):
    mentee, mentor = pair
    services.start_mentorship(cohort=cohort, mentee=mentee, mentor=mentor)
    other = make_mentor(cohort)
    with pytest.raises(services.MentorshipError):
        services.start_mentorship(cohort=cohort, mentee=mentee, mentor=other)
    assert Mentorship.objects.filter(mentee=mentee).count() == 1
    # Another cohort is another mentorship.
    services.start_mentorship(cohort=CohortFactory(), mentee=mentee, mentor=other)


def test_the_database_refuses_a_second_open_mentorship(pair, cohort):
    mentee, mentor = pair
    MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor, status="paused")
    with pytest.raises(IntegrityError):
        MentorshipFactory(cohort=cohort, mentee=mentee, mentor=make_mentor(cohort))


def test_an_ended_mentorship_frees_the_mentee_for_another(pair, cohort, staff):
    mentee, mentor = pair
    first = services.start_mentorship(cohort=cohort, mentee=mentee, mentor=mentor)
    services.end_mentorship_early(mentorship=first, by=staff, reason="Moved away.")
    second = services.start_mentorship(cohort=cohort, mentee=mentee, mentor=make_mentor(cohort))
    assert second.status == Mentorship.Status.ACTIVE


def test_ending_early_needs_a_reason_and_happens_once(pair, cohort, staff):
    mentee, mentor = pair
    mentorship = services.start_mentorship(cohort=cohort, mentee=mentee, mentor=mentor)
    with pytest.raises(services.MentorshipError):
        services.end_mentorship_early(mentorship=mentorship, by=staff, reason=" ")
    services.end_mentorship_early(mentorship=mentorship, by=staff, reason="No contact.")
    mentorship.refresh_from_db()
    assert (mentorship.status, mentorship.ended_by, mentorship.end_reason) == (
        "ended_early",
        staff,
        "No contact.",
    )
    assert mentorship.ended_at is not None
    with pytest.raises(services.MentorshipError):
        services.end_mentorship_early(mentorship=mentorship, by=staff, reason="Again.")


def test_ending_early_tells_the_other_person_but_not_why(
    pair, cohort, django_capture_on_commit_callbacks
):
    mentee, mentor = pair
    mentorship = services.start_mentorship(cohort=cohort, mentee=mentee, mentor=mentor)
    with django_capture_on_commit_callbacks(execute=True):
        services.end_mentorship_early(mentorship=mentorship, by=mentee, reason="Private reason.")
    assert all("Private reason" not in sent.body for sent in mail.outbox)
    (message,) = [sent for sent in mail.outbox if "exit survey" not in sent.subject.lower()]
    assert message.to == [mentor.email]
    assert "Private reason" not in message.body


def test_the_mentee_ends_her_mentorship_from_the_page(login, pair, cohort):
    mentee, mentor = pair
    mentorship = MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    client = login(mentee)
    url = f"/mentorships/{mentorship.pk}/end/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(url, {"reason": "We do not get on."})
    assert response.status_code == 200 and "cause" in response.context["form"].errors
    response = client.post(url, {"reason": "We do not get on.", "cause": "nonsense"})
    assert response.status_code == 200 and "cause" in response.context["form"].errors
    response = client.post(url, {"reason": "We do not get on.", "cause": "fit"})
    assert response.status_code == 302
    mentorship.refresh_from_db()
    assert (mentorship.status, mentorship.ended_by) == ("ended_early", mentee)
    assert (mentorship.end_cause, mentorship.end_reason) == ("fit", "We do not get on.")


@pytest.mark.parametrize("who", ["stranger", "other_staff", "minor_mentee"])
def test_nobody_else_sees_or_ends_a_mentorship(request, login, pair, cohort, who):
    mentee, mentor = pair
    mentorship = MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    client = login(request.getfixturevalue(who))
    url = f"/mentorships/{mentorship.pk}/end/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "Mischief."}).status_code == 404
    mentorship.refresh_from_db()
    assert mentorship.status == "active"


def test_staff_list_mentorships_with_bounded_queries_and_end_one(
    login, staff, cohort, django_assert_max_num_queries
):
    for _ in range(12):
        MentorshipFactory(cohort=cohort)
    client = login(staff)
    with django_assert_max_num_queries(10):
        response = client.get(f"/mentorships/staff/cohorts/{cohort.pk}/")
    assert response.status_code == 200
    assert len(response.context["page"]) == 12
    mentorship = Mentorship.objects.first()
    response = client.post(
        f"/mentorships/{mentorship.pk}/end/", {"reason": "Staff decision.", "cause": "conduct"}
    )
    assert response.status_code == 302
    page = client.get(f"/mentorships/staff/cohorts/{cohort.pk}/?status=ended_early")
    assert [m.pk for m in page.context["page"]] == [mentorship.pk]
    assert "Find her a new mentor" in page.content.decode()
    assert client.get(f"/mentorships/staff/cohorts/{cohort.pk}/?status=bogus").status_code == 200


@pytest.mark.parametrize("who", ["mentee", "mentor", "other_staff", "stranger"])
def test_only_staff_of_the_programme_list_its_mentorships(request, login, cohort, who):
    client = login(request.getfixturevalue(who))
    assert client.get(f"/mentorships/staff/cohorts/{cohort.pk}/").status_code == 403
