"""The matching pages: staff's matching page and run review, the mentor's proposals,
the mentee's status, and the dashboard."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from stem4all.matching.models import MatchingRun, PairRule, Proposal
from stem4all.matching.tests.factories import (
    MentorshipFactory,
    ProposalFactory,
    make_mentee,
    make_mentor,
)
from stem4all.mentorships.models import Mentorship

START = {
    "mode": "optimal",
    "regional_floor_percent": "",
    "max_international_percent": "",
    "min_language_level": "B1",
    "top_k": "50",
    "response_days": "7",
}


def matching_page(cohort):
    return f"/matching/staff/cohorts/{cohort.pk}/"


def run_page(run):
    return f"/matching/staff/runs/{run.pk}/"


def start_run(client, cohort, **changes):
    return client.post(matching_page(cohort), {**START, **changes})


def test_staff_start_a_run_and_review_it(login, staff, mentee, mentor, cohort):
    client = login(staff)
    assert client.get(matching_page(cohort)).status_code == 200
    response = start_run(client, cohort, spread_load="on", regional_floor_percent="50")
    run = MatchingRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run_page(run)
    assert run.options["regional_floor"] == 0.5 and run.options["spread_load"] is True
    page = client.get(run_page(run))
    body = page.content.decode()
    assert page.context["figures"].matched == 1
    assert mentee.full_name in body and mentor.full_name in body
    assert "Both speak English" in body
    assert "100%" in body  # matched share


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"mode": "greedy"}, "mode"),
        ({"regional_floor_percent": "150"}, "regional_floor_percent"),
        ({"max_international_percent": "-5"}, "max_international_percent"),
        ({"top_k": "0"}, "top_k"),
        ({"top_k": "lots"}, "top_k"),
        ({"response_days": "365"}, "response_days"),
        ({"min_language_level": "native"}, "min_language_level"),
    ],
)
def test_bad_run_options_are_form_errors_never_a_500(login, staff, cohort, changes, field):
    response = start_run(login(staff), cohort, **changes)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not MatchingRun.objects.exists()


def test_the_run_page_has_a_bounded_number_of_queries(
    login, staff, cohort, django_assert_max_num_queries
):
    for _ in range(60):
        make_mentee(cohort)
    for _ in range(12):
        make_mentor(cohort, capacity=5)
    make_mentee(cohort, languages=[("uz", "native")])  # unmatched
    client = login(staff)
    start_run(client, cohort)
    run = MatchingRun.objects.get()
    with django_assert_max_num_queries(16):
        response = client.get(run_page(run))
    assert response.status_code == 200
    assert len(response.context["proposals"]) == 50
    assert response.context["figures"].matched == 60
    assert "No mentor shares a working language" in response.content.decode()
    with django_assert_max_num_queries(16):
        assert client.get(run_page(run) + "?page=2&unmatched_page=x").status_code == 200


def test_the_matching_page_has_a_bounded_number_of_queries(
    login, staff, cohort, django_assert_max_num_queries
):
    mentor = make_mentor(cohort, capacity=10)
    for _ in range(30):
        make_mentee(cohort)
    for _ in range(5):
        ProposalFactory(cohort=cohort, mentee=make_mentee(cohort), mentor=mentor)
    client = login(staff)
    for _ in range(3):
        start_run(client, cohort)
    with django_assert_max_num_queries(16):
        response = client.get(matching_page(cohort))
    assert response.status_code == 200
    assert len(response.context["without_mentor"]) == 30
    assert response.context["counts"]["proposed"] == 5


def test_staff_lock_forbid_and_swap_from_the_run_page(login, staff, cohort):
    first, second = make_mentee(cohort), make_mentee(cohort)
    mentor_a, mentor_b = make_mentor(cohort, capacity=1), make_mentor(cohort, capacity=1)
    client = login(staff)
    start_run(client, cohort)
    run = MatchingRun.objects.get()
    a, b = run.proposals.get(mentee=first), run.proposals.get(mentee=second)
    before = {a.mentee_id: a.mentor_id, b.mentee_id: b.mentor_id}
    response = client.post(f"{run_page(run)}swap/", {"proposals": [a.pk, b.pk], "page": "1"})
    assert response.status_code == 302 and response["Location"].endswith("?page=1")
    a.refresh_from_db()
    assert a.mentor_id == before[second.pk] and {a.mentor_id} < {mentor_a.pk, mentor_b.pk}
    client.post(f"{run_page(run)}lock/", {"mentee": first.pk, "mentor": a.mentor_id})
    assert PairRule.objects.get().kind == "lock"
    client.post(f"{run_page(run)}unlock/", {"mentee": first.pk, "mentor": a.mentor_id})
    client.post(f"{run_page(run)}forbid/", {"mentee": first.pk, "mentor": a.mentor_id})
    assert PairRule.objects.get().kind == "forbid"
    a.refresh_from_db()
    assert a.status == Proposal.Status.WITHDRAWN
    body = client.get(run_page(run)).content.decode()
    assert "Staff forbade her proposed pair" in body


def test_bad_swap_and_pair_input_is_a_message_never_a_500(login, staff, mentee, mentor, cohort):
    client = login(staff)
    start_run(client, cohort)
    run = MatchingRun.objects.get()
    (proposal,) = run.proposals.all()
    for url, data in [
        ("swap/", {"proposals": [proposal.pk]}),
        ("swap/", {"proposals": ["x", "y"]}),
        ("lock/", {"mentee": "abc", "mentor": mentor.pk}),
        ("forbid/", {"mentee": mentor.pk, "mentor": mentee.pk}),
        ("unlock/", {"mentee": mentee.pk, "mentor": mentor.pk}),
    ]:
        response = client.post(f"{run_page(run)}{url}", data, follow=True)
        assert response.status_code == 200, url
        assert list(response.context["messages"]), url
    assert not PairRule.objects.exists()


def test_staff_publish_rerun_and_discard_from_the_page(
    login, staff, mentee, mentor, cohort, django_capture_on_commit_callbacks
):
    client = login(staff)
    start_run(client, cohort)
    first = MatchingRun.objects.get()
    response = client.post(f"{run_page(first)}rerun/")
    second = MatchingRun.objects.exclude(pk=first.pk).get()
    assert response["Location"] == run_page(second)
    client.post(f"{run_page(second)}discard/")
    start_run(client, cohort)
    third = MatchingRun.objects.filter(status="draft").get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{run_page(third)}publish/", follow=True)
    assert "Published: 1 mentor" in response.content.decode()
    assert [m.to for m in mail.outbox] == [[mentor.email]]
    statuses = dict(MatchingRun.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "discarded", second.pk: "discarded", third.pk: "published"}
    response = client.post(f"{run_page(third)}publish/", follow=True)
    assert "no longer a draft" in response.content.decode()


def test_opening_the_matching_page_expires_overdue_proposals(
    login, staff, mentee, mentor, cohort, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(
        cohort=cohort, mentee=mentee, mentor=mentor, respond_by=timezone.now() - dt.timedelta(1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        login(staff).get(matching_page(cohort))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.EXPIRED


def test_staff_rematch_a_mentee_from_the_matching_page(
    login, staff, mentee, mentor, cohort, django_capture_on_commit_callbacks
):
    client = login(staff)
    page = client.get(matching_page(cohort))
    assert [p.user for p in page.context["without_mentor"]] == [mentee]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{matching_page(cohort)}mentees/{mentee.pk}/rematch/", follow=True)
    assert f"{mentor.full_name} is asked to mentor" in response.content.decode()
    assert Proposal.objects.get().status == Proposal.Status.PROPOSED
    response = client.post(f"{matching_page(cohort)}mentees/{mentee.pk}/rematch/", follow=True)
    assert "already waiting" in response.content.decode()


def test_the_mentor_sees_why_but_nothing_private(login, mentee, mentor, cohort):
    ProposalFactory(
        cohort=cohort,
        mentee=mentee,
        mentor=mentor,
        factors=[
            {"code": "fields", "value": 1, "contribution": 0.3, "params": {"fields": ["physics"]}}
        ],
    )
    page = login(mentor).get("/matching/proposals/").content.decode()
    assert mentee.full_name in page
    assert "Shares Physics" in page
    assert mentee.mentee_profile.career_goal in page
    assert "Naryn region" in page
    assert mentee.email not in page
    assert mentee.date_of_birth.isoformat() not in page
    assert "At-Bashy" not in page  # her district stays with staff


def test_the_mentor_accepts_from_her_page(
    login, mentee, mentor, cohort, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    client = login(mentor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/matching/proposals/{proposal.pk}/accept/", follow=True)
    assert "You are now the mentor" in response.content.decode()
    assert Mentorship.objects.get().mentee == mentee
    assert mail.outbox[-1].to == [mentee.email]
    response = client.post(f"/matching/proposals/{proposal.pk}/accept/", follow=True)
    assert "no longer open" in response.content.decode()


def test_declining_without_a_reason_shows_the_error_on_her_page(login, mentee, mentor, cohort):
    proposal = ProposalFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    response = login(mentor).post(
        f"/matching/proposals/{proposal.pk}/decline/", {f"p{proposal.pk}-reason": "  "}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Please correct the reason below." in body and 'class="errorlist' in body
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PROPOSED


def test_the_mentor_declines_with_a_reason(
    login, mentee, mentor, cohort, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(mentor).post(
            f"/matching/proposals/{proposal.pk}/decline/",
            {f"p{proposal.pk}-reason": "Too far from my field."},
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decline_reason) == ("declined", "Too far from my field.")
    assert "still looking" in mail.outbox[-1].body  # no other mentor in this cohort


def test_the_mentors_page_has_a_bounded_number_of_queries(
    login, mentor, cohort, django_assert_max_num_queries
):
    for _ in range(8):
        ProposalFactory(cohort=cohort, mentee=make_mentee(cohort), mentor=mentor)
    for _ in range(2):
        MentorshipFactory(cohort=cohort, mentor=mentor)
    client = login(mentor)
    with django_assert_max_num_queries(8):
        response = client.get("/matching/proposals/")
    assert len(response.context["proposals"]) == 8


def test_the_mentee_sees_only_that_a_mentor_is_proposed_then_her_mentor(
    login, mentee, mentor, cohort
):
    client = login(mentee)
    assert "looking for a mentor" in client.get("/matching/my-mentor/").content.decode()
    proposal = ProposalFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    page = client.get("/matching/my-mentor/").content.decode()
    assert "waiting for her answer" in page
    assert mentor.full_name not in page
    Proposal.objects.filter(pk=proposal.pk).update(status="accepted")
    MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor, proposal=proposal)
    page = client.get("/matching/my-mentor/").content.decode()
    assert mentor.full_name in page and mentor.mentor_profile.job_title in page


def test_the_dashboard_shows_each_person_her_part(login, staff, mentee, mentor, cohort):
    ProposalFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    assert (
        f"/matching/staff/cohorts/{cohort.pk}/" in login(staff).get("/dashboard/").content.decode()
    )
    page = login(mentor).get("/dashboard/").content.decode()
    assert "Answer the proposals" in page and mentee.full_name in page
    page = login(mentee).get("/dashboard/").content.decode()
    assert "waiting for her answer" in page and mentor.full_name not in page
    Proposal.objects.update(status="accepted")
    MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    assert mentor.full_name in login(mentee).get("/dashboard/").content.decode()
    assert "Your mentees" in login(mentor).get("/dashboard/").content.decode()


def test_the_staff_cohort_page_links_to_matching(login, staff, cohort):
    page = login(staff).get(f"/programmes/staff/cohorts/{cohort.pk}/").content.decode()
    assert f'href="/matching/staff/cohorts/{cohort.pk}/"' in page


def test_the_run_page_fits_the_page_budget(login, staff, cohort):
    from stem4all.core.tests.test_page_budget import BUDGET_JS, BUDGET_TOTAL, transferred

    for _ in range(55):
        make_mentee(cohort)
    for _ in range(14):
        make_mentor(cohort, capacity=4)
    client = login(staff)
    start_run(client, cohort)
    for url in [run_page(MatchingRun.objects.get()), matching_page(cohort)]:
        total, js = transferred(client.get(url).content.decode())
        assert total <= BUDGET_TOTAL and js <= BUDGET_JS, (url, total, js)
