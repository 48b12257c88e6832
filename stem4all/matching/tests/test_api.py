"""Matching in the JSON API: the same rules as the pages."""

import pytest
from django.core import mail

from stem4all.matching.models import MatchingRun, PairRule, Proposal
from stem4all.matching.tests.factories import (
    MentorshipFactory,
    ProposalFactory,
    make_mentee,
    make_mentor,
)
from stem4all.mentorships.models import Mentorship

JSON = "application/json"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type=JSON)


def start(client, cohort, **payload):
    return post(client, f"/api/v1/cohorts/{cohort.pk}/matching-runs", payload)


def test_staff_run_review_and_publish_through_the_api(
    login, staff, mentee, mentor, cohort, django_capture_on_commit_callbacks
):
    client = login(staff)
    response = start(client, cohort, mode="optimal", regional_floor_percent=40)
    assert response.status_code == 201, response.content
    run = response.json()
    assert run["status"] == "draft" and run["options"]["regional_floor"] == 0.4
    detail = client.get(f"/api/v1/matching-runs/{run['id']}").json()
    assert detail["figures"]["matched"] == 1 and detail["figures"]["matched_percent"] == 100
    proposals = client.get(f"/api/v1/matching-runs/{run['id']}/proposals").json()
    assert proposals["count"] == 1
    item = proposals["items"][0]
    assert (item["mentee_id"], item["mentor_id"]) == (mentee.pk, mentor.pk)
    assert any(reason.startswith("Both speak") for reason in item["reasons"])
    assert client.get(f"/api/v1/matching-runs/{run['id']}/unmatched").json()["count"] == 0
    assert client.get(f"/api/v1/cohorts/{cohort.pk}/matching-runs").json()["count"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        published = post(client, f"/api/v1/matching-runs/{run['id']}/publish")
    assert published.status_code == 200, published.content
    assert published.json()["proposed"] == 1 and published.json()["run"]["status"] == "published"
    assert mail.outbox[-1].to == [mentor.email]
    again = post(client, f"/api/v1/matching-runs/{run['id']}/publish")
    assert again.status_code == 409 and "no longer a draft" in again.json()["detail"]


@pytest.mark.parametrize(
    "payload",
    [
        {"mode": "greedy"},
        {"regional_floor_percent": 101},
        {"top_k": 0},
        {"response_days": 0},
        {"min_language_level": "Z9"},
    ],
)
def test_bad_options_through_the_api_are_422_with_field_errors(login, staff, cohort, payload):
    response = start(login(staff), cohort, **payload)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == set(payload)
    assert not MatchingRun.objects.exists()


def test_malformed_json_is_a_client_error_not_a_500(login, staff, cohort):
    response = login(staff).post(
        f"/api/v1/cohorts/{cohort.pk}/matching-runs", "{not json", content_type=JSON
    )
    assert 400 <= response.status_code < 500


def test_lock_forbid_unlock_swap_and_rerun_through_the_api(login, staff, cohort):
    first, second = make_mentee(cohort), make_mentee(cohort)
    make_mentor(cohort, capacity=1)
    make_mentor(cohort, capacity=1)
    client = login(staff)
    run_id = start(client, cohort).json()["id"]
    run = MatchingRun.objects.get(pk=run_id)
    a, b = run.proposals.get(mentee=first), run.proposals.get(mentee=second)
    swapped = post(
        client, f"/api/v1/matching-runs/{run_id}/swap", {"proposal_a": a.pk, "proposal_b": b.pk}
    )
    assert swapped.status_code == 200, swapped.content
    assert {item["mentor_id"] for item in swapped.json()} == {a.mentor_id, b.mentor_id}
    a.refresh_from_db()
    pair = {"mentee_id": first.pk, "mentor_id": a.mentor_id}
    locked = post(client, f"/api/v1/matching-runs/{run_id}/locks", pair)
    assert locked.status_code == 200 and locked.json()["rules"][0]["kind"] == "lock"
    assert post(client, f"/api/v1/matching-runs/{run_id}/unlock", pair).json()["rules"] == []
    assert post(client, f"/api/v1/matching-runs/{run_id}/unlock", pair).status_code == 409
    assert post(client, f"/api/v1/matching-runs/{run_id}/forbids", pair).status_code == 200
    bad = post(client, f"/api/v1/matching-runs/{run_id}/locks", {"mentee_id": 0, "mentor_id": 0})
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"mentee", "mentor"}
    rerun = post(client, f"/api/v1/matching-runs/{run_id}/rerun")
    assert rerun.status_code == 201
    new = MatchingRun.objects.get(pk=rerun.json()["id"])
    assert (first.pk, a.mentor_id) not in set(new.proposals.values_list("mentee_id", "mentor_id"))
    assert PairRule.objects.get().kind == "forbid"


def test_the_proposals_api_has_a_bounded_number_of_queries(
    login, staff, cohort, django_assert_max_num_queries
):
    for _ in range(40):
        make_mentee(cohort)
    for _ in range(10):
        make_mentor(cohort, capacity=4)
    client = login(staff)
    run_id = start(client, cohort).json()["id"]
    with django_assert_max_num_queries(10):
        data = client.get(f"/api/v1/matching-runs/{run_id}/proposals").json()
    assert data["count"] == 40 and len(data["items"]) == 40
    with django_assert_max_num_queries(10):
        assert client.get(f"/api/v1/matching-runs/{run_id}").status_code == 200


def test_the_mentors_proposals_api_has_a_bounded_number_of_queries_and_no_private_data(
    login, mentor, cohort, django_assert_max_num_queries
):
    for _ in range(12):
        ProposalFactory(cohort=cohort, mentee=make_mentee(cohort), mentor=mentor)
    client = login(mentor)
    with django_assert_max_num_queries(8):
        data = client.get("/api/v1/me/proposals").json()
    assert data["count"] == 12
    card = data["items"][0]["mentee"]
    assert set(card) == {
        "id",
        "full_name",
        "fields",
        "career_goal",
        "region",
        "country",
        "languages",
        "is_minor",
    }


def test_the_mentor_accepts_and_declines_through_the_api(
    login, mentor, cohort, django_capture_on_commit_callbacks
):
    one, two = make_mentee(cohort), make_mentee(cohort)
    first = ProposalFactory(cohort=cohort, mentee=one, mentor=mentor)
    second = ProposalFactory(cohort=cohort, mentee=two, mentor=mentor)
    client = login(mentor)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = post(client, f"/api/v1/proposals/{first.pk}/accept")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["mentee_id"] == one.pk and accepted.json()["status"] == "active"
    assert post(client, f"/api/v1/proposals/{first.pk}/accept").status_code == 409
    no_reason = post(client, f"/api/v1/proposals/{second.pk}/decline", {"reason": " "})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["errors"]
    with django_capture_on_commit_callbacks(execute=True):
        declined = post(client, f"/api/v1/proposals/{second.pk}/decline", {"reason": "Full."})
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    assert Mentorship.objects.get().mentee == one


@pytest.mark.parametrize("who", ["mentee", "other_staff", "stranger", "mentor"])
def test_only_staff_use_the_staff_matching_api(request, login, mentee, cohort, staff, who):
    make_mentor(cohort)
    run_id = start(login(staff), cohort).json()["id"]
    client = login(request.getfixturevalue(who))
    assert start(client, cohort).status_code == 403
    assert client.get(f"/api/v1/matching-runs/{run_id}").status_code == 403
    assert client.get(f"/api/v1/matching-runs/{run_id}/proposals").status_code == 403
    assert post(client, f"/api/v1/matching-runs/{run_id}/publish").status_code == 403
    assert post(client, f"/api/v1/matching-runs/{run_id}/rerun").status_code == 403
    rematch = post(client, f"/api/v1/cohorts/{cohort.pk}/mentees/{mentee.pk}/rematch")
    assert rematch.status_code == 403
    assert MatchingRun.objects.get().status == "draft"
    assert not Proposal.objects.exclude(status="draft").exists()


@pytest.mark.parametrize("who", ["mentee", "staff", "stranger"])
def test_nobody_but_her_mentor_answers_a_proposal_through_the_api(
    request, login, mentee, mentor, cohort, who
):
    proposal = ProposalFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    client = login(request.getfixturevalue(who))
    assert post(client, f"/api/v1/proposals/{proposal.pk}/accept").status_code == 404
    decline = post(client, f"/api/v1/proposals/{proposal.pk}/decline", {"reason": "No."})
    assert decline.status_code == 404
    assert client.get("/api/v1/me/proposals").json()["count"] == 0


def test_staff_rematch_through_the_api(login, staff, mentee, cohort):
    client = login(staff)
    url = f"/api/v1/cohorts/{cohort.pk}/mentees/{mentee.pk}/rematch"
    nobody = post(client, url).json()
    assert nobody["proposal"] is None and nobody["unmatched_reason"] == "no_cleared_mentor"
    mentor = make_mentor(cohort)
    found = post(client, url).json()
    assert found["proposal"]["mentor_id"] == mentor.pk
    assert post(client, url).status_code == 409


def test_the_mentee_match_status_shows_her_mentor_once_accepted(login, mentee, mentor, cohort):
    MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    (status,) = login(mentee).get("/api/v1/me/match").json()
    assert status["state"] == "matched"
    assert status["mentor"]["full_name"] == mentor.full_name
    assert status["mentor"]["job_title"] == mentor.mentor_profile.job_title


def test_the_matching_api_needs_credentials(client, cohort):
    assert client.get("/api/v1/me/proposals").status_code == 401
    assert client.post(f"/api/v1/cohorts/{cohort.pk}/matching-runs").status_code == 401
