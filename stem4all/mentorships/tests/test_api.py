"""Mentorships in the JSON API: the same rules as the pages."""

import datetime as dt

import pytest
from django.test import Client

from stem4all.accounts.services import create_api_token
from stem4all.matching.tests.factories import MentorshipFactory, make_mentee, make_mentor
from stem4all.mentorships.models import MentoringAgreement, Mentorship
from stem4all.mentorships.services import start_mentorship

JSON = "application/json"


@pytest.fixture
def pair(cohort, mentee, mentor):
    return start_mentorship(cohort=cohort, mentee=mentee, mentor=mentor)


def signed_in(user):
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    return client


def send(client, method, url, data=None):
    return getattr(client, method)(url, data or {}, content_type=JSON)


def url(pair, tail=""):
    return f"/api/v1/mentorships/{pair.pk}{tail}"


def agreement(pair, **extra):
    end = (pair.started_at + dt.timedelta(days=180)).date().isoformat()
    return {
        "goals": "A first data project",
        "meeting_frequency": "fortnightly",
        "meeting_mode": "online",
        "working_language": "en",
        "expected_end_on": end,
        **extra,
    }


def test_the_pair_lists_reads_pauses_resumes_and_completes(pair, mentee, mentor):
    client = signed_in(mentee)
    listed = client.get("/api/v1/mentorships/").json()
    assert listed["count"] == 1 and listed["items"][0]["mentor"]["id"] == mentor.pk
    assert signed_in(mentor).get("/api/v1/mentorships/").json()["items"][0]["id"] == pair.pk
    response = send(client, "post", url(pair, "/pause"), {"reason": "Exams"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "paused"
    response = send(signed_in(mentor), "post", url(pair, "/resume"))
    assert response.json()["status"] == "active"
    response = send(client, "post", url(pair, "/complete"))
    data = response.json()
    assert data["status"] == "completed" and data["ended_at"]
    assert [(e["from_status"], e["to_status"]) for e in data["events"]] == [
        ("", "active"),
        ("active", "paused"),
        ("paused", "active"),
        ("active", "completed"),
    ]
    assert data["events"][1]["reason"] == "Exams"


def test_ending_early_needs_a_reason(pair, mentee):
    client = signed_in(mentee)
    response = send(client, "post", url(pair, "/end"), {"reason": "  "})
    assert response.status_code == 422 and "reason" in response.json()["errors"]
    bad = send(client, "post", url(pair, "/end"), {"reason": "Moved", "cause": "whim"})
    assert bad.status_code == 422
    response = send(client, "post", url(pair, "/end"), {"reason": "Moved abroad", "cause": "left"})
    assert response.json()["status"] == "ended_early"
    assert (response.json()["end_reason"], response.json()["end_cause"]) == ("Moved abroad", "left")
    again = send(client, "post", url(pair, "/end"), {"reason": "Again"})
    assert again.status_code == 409 and "already ended" in again.json()["detail"]


def test_a_pause_without_a_reason_is_422_and_a_second_resume_409(pair, mentee):
    client = signed_in(mentee)
    response = send(client, "post", url(pair, "/pause"), {})
    assert response.status_code == 422 and "reason" in response.json()["errors"]
    response = send(client, "post", url(pair, "/resume"))
    assert response.status_code == 409
    pair.refresh_from_db()
    assert pair.status == Mentorship.Status.ACTIVE


def test_the_pair_writes_and_confirms_the_agreement(pair, mentee, mentor):
    client = signed_in(mentee)
    response = send(client, "post", url(pair, "/agreement/confirm"))
    assert response.status_code == 409
    response = send(client, "put", url(pair, "/agreement"), agreement(pair))
    assert response.status_code == 200, response.content
    assert response.json()["goals"] == "A first data project"
    send(client, "post", url(pair, "/agreement/confirm"))
    response = send(signed_in(mentor), "post", url(pair, "/agreement/confirm"))
    assert response.json()["is_confirmed"] is True
    detail = client.get(url(pair)).json()
    assert detail["agreement"]["is_confirmed"] is True
    # An edit asks both to confirm again.
    response = send(client, "put", url(pair, "/agreement"), agreement(pair, goals="Two projects"))
    assert response.json()["is_confirmed"] is False


def test_a_bad_agreement_is_422_with_field_errors(pair, mentee):
    too_early = (pair.started_at - dt.timedelta(days=1)).date().isoformat()
    payload = agreement(pair, goals="", meeting_mode="telepathy", expected_end_on=too_early)
    response = send(signed_in(mentee), "put", url(pair, "/agreement"), payload)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"goals", "meeting_mode", "expected_end_on"}
    assert not MentoringAgreement.objects.exists()


def test_staff_read_and_change_status_but_not_the_agreement(pair, staff, cohort):
    client = signed_in(staff)
    assert client.get(url(pair)).status_code == 200
    listed = client.get(f"/api/v1/mentorships/?cohort={cohort.pk}").json()
    assert [item["id"] for item in listed["items"]] == [pair.pk]
    assert send(client, "put", url(pair, "/agreement"), agreement(pair)).status_code == 403
    assert send(client, "post", url(pair, "/agreement/confirm")).status_code == 403
    response = send(client, "post", url(pair, "/pause"), {"reason": "Safeguarding review"})
    assert response.json()["status"] == "paused"


def test_others_get_404_and_other_staff_cannot_list_the_cohort(cohort, pair, stranger, other_staff):
    other_pair = MentorshipFactory(
        cohort=cohort, mentee=make_mentee(cohort), mentor=make_mentor(cohort)
    )
    for user in (stranger, other_pair.mentor, other_staff):
        client = signed_in(user)
        assert client.get(url(pair)).status_code == 404
        assert send(client, "post", url(pair, "/pause"), {"reason": "x"}).status_code == 404
        assert send(client, "put", url(pair, "/agreement"), agreement(pair)).status_code == 404
        assert pair.pk not in [i["id"] for i in client.get("/api/v1/mentorships/").json()["items"]]
    response = signed_in(other_staff).get(f"/api/v1/mentorships/?cohort={cohort.pk}")
    assert response.status_code == 403
    pair.refresh_from_db()
    assert pair.status == Mentorship.Status.ACTIVE


def test_a_personal_token_works_and_session_writes_need_csrf(pair, mentee):
    _token, raw = create_api_token(user=mentee, name="script")
    response = Client().post(
        url(pair, "/pause"),
        {"reason": "Exams"},
        content_type=JSON,
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200, response.content
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(mentee, backend="allauth.account.auth_backends.AuthenticationBackend")
    assert csrf_client.post(url(pair, "/resume"), content_type=JSON).status_code == 403
    assert Client().get(url(pair)).status_code == 401
