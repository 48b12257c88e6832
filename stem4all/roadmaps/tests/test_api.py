"""Roadmaps in the JSON API: the same rules as the page."""

import pytest
from django.test import Client

from stem4all.accounts.services import create_api_token
from stem4all.matching.tests.factories import MentorshipFactory, make_mentee, make_mentor
from stem4all.mentorships.models import Mentorship
from stem4all.notifications.models import Notification
from stem4all.roadmaps import services
from stem4all.roadmaps.models import Roadmap

from .factories import make_template

JSON = "application/json"


@pytest.fixture
def pair(cohort, mentee, mentor):
    return MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor)


@pytest.fixture
def roadmap(pair):
    return Roadmap.objects.create(mentorship=pair, career_goal="Data engineer")


def base(pair):
    return f"/api/v1/mentorships/{pair.pk}/roadmap"


def send(client, method, url, data=None):
    return getattr(client, method)(url, data or {}, content_type=JSON)


def test_the_mentee_builds_her_roadmap_through_the_api(login, pair, mentee, mentor):
    client = login(mentee)
    response = send(client, "put", f"{base(pair)}/goal", {"career_goal": "Data engineer"})
    assert response.status_code == 200, response.content
    assert response.json()["career_goal"] == "Data engineer"
    ids = []
    for title in ("Learn SQL", "Build a project", "Apply"):
        response = send(client, "post", f"{base(pair)}/steps", {"title": title, "due_on": ""})
        assert response.status_code == 201, response.content
        ids.append(response.json()["id"])
    assert [s["position"] for s in client.get(base(pair)).json()["steps"]] == [0, 1, 2]
    response = send(client, "post", f"{base(pair)}/steps/{ids[2]}/move", {"direction": "up"})
    assert [s["title"] for s in response.json()["steps"]] == [
        "Learn SQL",
        "Apply",
        "Build a project",
    ]
    response = send(client, "post", f"{base(pair)}/steps/{ids[2]}/move", {"position": 0})
    assert [s["id"] for s in response.json()["steps"]] == [ids[2], ids[0], ids[1]]
    response = send(client, "patch", f"{base(pair)}/steps/{ids[0]}", {"status": "in_progress"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_progress" and response.json()["title"] == "Learn SQL"
    response = send(
        client,
        "put",
        f"{base(pair)}/steps/{ids[0]}",
        {"title": "Learn SQL well", "status": "planned", "due_on": "2027-03-01"},
    )
    assert response.json()["due_on"] == "2027-03-01"
    mentor_client = login(mentor)
    response = send(mentor_client, "post", f"{base(pair)}/steps/{ids[0]}/comments", {"text": "Go"})
    assert response.status_code == 201 and response.json()["author_name"] == mentor.full_name
    response = send(mentor_client, "post", f"{base(pair)}/steps/{ids[0]}/sign-off")
    assert response.status_code == 200 and response.json()["status"] == "done"
    data = mentor_client.get(base(pair)).json()
    assert data["progress"] == {"done": 1, "total": 3, "percent": 33}
    assert data["steps"][1]["comments"][0]["text"] == "Go"
    assert Notification.objects.get().recipient == mentee


def test_others_get_404_and_staff_may_read_but_not_write(
    login, cohort, pair, roadmap, mentee, staff, other_staff, stranger
):
    step = services.add_step(roadmap=roadmap, by=mentee, title="Learn SQL")
    other_pair = MentorshipFactory(
        cohort=cohort, mentee=make_mentee(cohort), mentor=make_mentor(cohort)
    )
    for user in (stranger, other_pair.mentor, other_staff):
        client = login(user)
        assert client.get(base(pair)).status_code == 404
        assert send(client, "post", f"{base(pair)}/steps", {"title": "x"}).status_code == 404
        assert send(client, "post", f"{base(pair)}/steps/{step.pk}/sign-off").status_code == 404
    client = login(staff)
    assert client.get(base(pair)).json()["steps"][0]["title"] == "Learn SQL"
    assert send(client, "post", f"{base(pair)}/steps", {"title": "x"}).status_code == 403
    assert send(client, "put", f"{base(pair)}/goal", {"career_goal": "x"}).status_code == 403
    assert send(client, "post", f"{base(pair)}/steps/{step.pk}/sign-off").status_code == 403
    assert roadmap.steps.count() == 1


def test_bad_input_is_422_with_field_errors(login, pair, roadmap, mentee):
    step = services.add_step(roadmap=roadmap, by=mentee, title="Learn SQL")
    client = login(mentee)
    response = send(
        client, "post", f"{base(pair)}/steps", {"title": "", "due_on": "soon", "link": "no url"}
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"title", "due_on", "link"}
    response = send(client, "patch", f"{base(pair)}/steps/{step.pk}", {"status": "bogus"})
    assert response.status_code == 422 and "status" in response.json()["errors"]
    response = send(client, "post", f"{base(pair)}/steps/{step.pk}/move", {"direction": "left"})
    assert response.status_code == 422 and "direction" in response.json()["errors"]
    response = send(client, "post", f"{base(pair)}/steps/{step.pk}/move", {"position": -1})
    assert response.status_code == 422 and "position" in response.json()["errors"]
    assert send(client, "put", f"{base(pair)}/goal", {"career_goal": ""}).status_code == 422


def test_rule_violations_are_409(login, pair, roadmap, mentee, mentor):
    step = services.add_step(roadmap=roadmap, by=mentee, title="Learn SQL")
    # The mentor may not edit her steps; the mentee may not sign off.
    response = send(login(mentor), "post", f"{base(pair)}/steps", {"title": "x"})
    assert response.status_code == 409 and "Only the mentee" in response.json()["detail"]
    response = send(login(mentee), "post", f"{base(pair)}/steps/{step.pk}/sign-off")
    assert response.status_code == 409


def test_an_ended_roadmap_is_read_only_through_the_api(login, pair, roadmap, mentee):
    services.add_step(roadmap=roadmap, by=mentee, title="Learn SQL")
    Mentorship.objects.filter(pk=pair.pk).update(status=Mentorship.Status.COMPLETED)
    client = login(mentee)
    data = client.get(base(pair)).json()
    assert data["is_read_only"] and data["steps"][0]["title"] == "Learn SQL"
    response = send(client, "post", f"{base(pair)}/steps", {"title": "More"})
    assert response.status_code == 409 and "has ended" in response.json()["detail"]


def test_the_mentee_lists_and_copies_a_template_once(login, pair, mentee, programme):
    template = make_template(programme)
    make_template(programme, title="Draft", is_published=False)
    client = login(mentee)
    listed = client.get(f"{base(pair)}/templates").json()
    assert [t["title"] for t in listed] == ["Into data engineering"]
    assert [s["due_offset_days"] for s in listed[0]["steps"]] == [14, 60]
    url = f"{base(pair)}/templates/{template.pk}/copy"
    response = send(client, "post", url)
    assert response.status_code == 201, response.content
    assert [s["title"] for s in response.json()["steps"]] == ["Learn SQL", "Build a project"]
    again = send(client, "post", url)
    assert again.status_code == 409 and "already copied" in again.json()["detail"]


def test_a_personal_token_works_and_session_writes_need_csrf(pair, mentee):
    _token, raw = create_api_token(user=mentee, name="script")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    response = Client().post(
        f"{base(pair)}/steps", {"title": "By script"}, content_type=JSON, **auth
    )
    assert response.status_code == 201, response.content
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(mentee, backend="allauth.account.auth_backends.AuthenticationBackend")
    response = csrf_client.post(f"{base(pair)}/steps", {"title": "x"}, content_type=JSON)
    assert response.status_code == 403
    assert Client().get(base(pair)).status_code == 401
