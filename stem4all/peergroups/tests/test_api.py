"""Peer groups in the JSON API: the same privacy, rules and errors as the pages."""

import datetime as dt

import pytest
from django.test import Client

from stem4all.matching.tests.factories import make_mentee
from stem4all.peergroups.models import GroupMeeting, PeerGroup
from stem4all.programmes.models import Cohort
from stem4all.programmes.tests.factories import CohortFactory

from .factories import make_group

JSON = "application/json"
API = "/api/v1"


def signed_in(user):
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    return client


@pytest.fixture
def group(mentee, programme):
    return make_group(mentee, programme, topic="Data science in Kyrgyz", member_limit=2)


def test_the_list_and_detail_show_her_programmes_groups_with_members(
    cohort, mentee, group, django_assert_max_num_queries
):
    client = signed_in(make_mentee(cohort))
    with django_assert_max_num_queries(8):
        response = client.get(f"{API}/peer-groups", {"q": "data"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["items"][0]["member_count"] == 1
    detail = client.get(f"{API}/peer-groups/{group.pk}").json()
    assert [m["name"] for m in detail["members"]] == [mentee.full_name]
    assert detail["is_member"] is False
    assert detail["conversation_id"] == group.conversation_id


def test_strangers_and_other_programmes_see_nothing(stranger, other_staff, group):
    for person in (stranger, other_staff, make_mentee(CohortFactory())):
        client = signed_in(person)
        assert client.get(f"{API}/peer-groups").json()["count"] == 0
        assert client.get(f"{API}/peer-groups/{group.pk}").status_code == 404
        assert client.post(f"{API}/peer-groups/{group.pk}/join").status_code == 404
        assert client.get(f"{API}/peer-groups/{group.pk}/meetings").status_code == 404


def test_create_join_leave_and_a_full_group(cohort, mentee, programme, group):
    client = signed_in(mentee)
    response = client.post(
        f"{API}/peer-groups",
        {
            "programme_id": programme.pk,
            "topic": "Robotics",
            "language": "ru",
            "rhythm": "weekly",
            "region": "osh",
            "access": "by_request",
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    assert response.json()["is_member"] is True
    assert PeerGroup.objects.get(topic="Robotics").access == "by_request"

    second = signed_in(make_mentee(cohort))
    assert second.post(f"{API}/peer-groups/{group.pk}/join").json()["status"] == "member"
    third = signed_in(make_mentee(cohort))
    response = third.post(f"{API}/peer-groups/{group.pk}/join")
    assert response.status_code == 409 and "full" in response.json()["detail"]
    assert second.post(f"{API}/peer-groups/{group.pk}/leave").json()["status"] == "left"
    assert third.post(f"{API}/peer-groups/{group.pk}/join").status_code == 200
    assert second.post(f"{API}/peer-groups/{group.pk}/leave").status_code == 409


def test_bad_input_is_a_422_with_field_errors(mentee, programme):
    response = signed_in(mentee).post(
        f"{API}/peer-groups",
        {
            "programme_id": programme.pk,
            "topic": "",
            "language": "xx",
            "rhythm": "daily",
            "member_limit": 1,
        },
        content_type=JSON,
    )
    assert response.status_code == 422
    assert {"topic", "language", "rhythm", "member_limit"} <= set(response.json()["errors"])


def test_a_group_in_a_programme_she_is_not_in_is_refused(mentee):
    other = CohortFactory()
    response = signed_in(mentee).post(
        f"{API}/peer-groups",
        {"programme_id": other.programme_id, "topic": "X", "language": "ru", "rhythm": "weekly"},
        content_type=JSON,
    )
    assert response.status_code == 422 and "programme" in response.json()["errors"]


def test_members_propose_and_list_meetings(cohort, mentee, group):
    client = signed_in(mentee)
    when = (dt.datetime.now() + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    payload = {
        "starts_at_local": when,
        "time_zone": "Asia/Bishkek",
        "duration_minutes": 45,
        "place": "Naryn library",
    }
    response = client.post(f"{API}/peer-groups/{group.pk}/meetings", payload, content_type=JSON)
    assert response.status_code == 201, response.content
    meeting = GroupMeeting.objects.get()
    assert response.json()["ics_url"].endswith(f"/{meeting.pk}/meeting.ics")
    assert [m["id"] for m in client.get(f"{API}/peer-groups/{group.pk}/meetings").json()] == [
        meeting.pk
    ]
    outsider = signed_in(make_mentee(cohort))
    response = outsider.post(f"{API}/peer-groups/{group.pk}/meetings", payload, content_type=JSON)
    assert response.status_code == 409
    response = client.post(
        f"{API}/peer-groups/{group.pk}/meetings", payload | {"place": ""}, content_type=JSON
    )
    assert response.status_code == 422


def test_staff_convert_a_cohort_in_closure_through_the_api(cohort, staff, other_staff, mentee):
    url = f"{API}/cohorts/{cohort.pk}/alumni-groups"
    assert signed_in(staff).post(url).status_code == 409  # not in closure yet
    cohort.phase = Cohort.Phase.CLOSURE
    cohort.save(update_fields=["phase"])
    assert signed_in(other_staff).post(url).status_code == 403
    body = signed_in(staff).post(url).json()
    assert len(body["groups_created"]) == 1 and body["members_added"] == 1
    assert signed_in(staff).post(url).json() == {
        "groups_created": [],
        "members_added": 0,
        "skipped": 0,
    }
