"""Meetings in the JSON API, and the notifications a proposal and an acceptance send."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from stem4all.accounts.services import create_api_token
from stem4all.matching.tests.factories import MentorshipFactory, make_mentee, make_mentor
from stem4all.meetings import services
from stem4all.meetings.models import Meeting, MeetingFeedback, PrivateMeetingNote
from stem4all.mentorships.models import Mentorship
from stem4all.notifications.models import Notification

from .factories import MeetingFactory

JSON = "application/json"


@pytest.fixture
def pair(cohort, mentee, mentor):
    return MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor)


def soon(days=7):
    return timezone.now() + dt.timedelta(days=days)


def proposal(**extra):
    when = soon().astimezone(dt.UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    return {
        "starts_at_local": when.strftime("%Y-%m-%dT%H:%M"),
        "time_zone": "Asia/Bishkek",
        "duration_minutes": 60,
        "online_link": "https://meet.example.org/pair",
        "agenda": "Study plan",
        **extra,
    }


def signed_in(user):
    # A client of its own: ``login`` re-signs the one shared test client.
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    return client


def send(client, method, url, data=None):
    return getattr(client, method)(url, data or {}, content_type=JSON)


def proposed(pair, by=None, **fields):
    return MeetingFactory(
        mentorship=pair, proposed_by=by or pair.mentee, starts_at=soon(), **fields
    )


def test_a_pair_proposes_accepts_and_downloads_a_meeting(
    login, pair, mentee, mentor, django_capture_on_commit_callbacks
):
    client = login(mentee)
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, "post", f"/api/v1/mentorships/{pair.pk}/meetings", proposal())
    assert response.status_code == 201, response.content
    meeting = response.json()
    assert meeting["status"] == "proposed" and meeting["time_zone"] == "Asia/Bishkek"
    listed = client.get(f"/api/v1/mentorships/{pair.pk}/meetings").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == meeting["id"]
    with django_capture_on_commit_callbacks(execute=True):
        accepted = send(login(mentor), "post", f"/api/v1/meetings/{meeting['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    ics = login(mentee).get(f"/api/v1/meetings/{meeting['id']}/ics")
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in ics.content and b"STATUS:CONFIRMED" in ics.content


def test_the_other_member_gets_one_notification_of_a_proposal(
    pair, mentee, mentor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.propose_meeting(
            mentorship=pair,
            by=mentee,
            starts_at_local=soon().replace(tzinfo=None),
            time_zone="UTC",
            duration_minutes=60,
            place="Library",
        )
    notice = Notification.objects.get()
    assert notice.recipient == mentor and notice.kind == Notification.Kind.MEETING_PROPOSED
    assert notice.key == f"meeting-proposed:{meeting.pk}"
    assert notice.url == f"/meetings/{meeting.pk}/"


def test_the_proposer_gets_one_notification_when_accepted(
    pair, mentee, mentor, django_capture_on_commit_callbacks
):
    meeting = proposed(pair, by=mentee)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_meeting(meeting=meeting, by=mentor)
    notice = Notification.objects.get()
    assert notice.recipient == mentee and notice.kind == Notification.Kind.MEETING_ACCEPTED
    assert notice.key == f"meeting-accepted:{meeting.pk}:1"


def test_another_time_cancel_log_feedback_and_private_note(pair, mentee, mentor):
    meeting = proposed(pair, by=mentee)
    client = signed_in(mentor)
    url = f"/api/v1/meetings/{meeting.pk}"
    response = send(client, "post", f"{url}/other-time", proposal(place="Cafe", online_link=""))
    assert response.status_code == 201, response.content
    new = response.json()
    assert new["replaces_id"] == meeting.pk and new["proposed_by_id"] == mentor.pk
    assert client.get(url).json()["status"] == "superseded"
    # The mentee is told of the new time.
    assert Notification.objects.filter(recipient=mentee, kind="meeting_proposed").count() == 1
    response = send(signed_in(mentee), "post", f"/api/v1/meetings/{new['id']}/cancel")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    past = MeetingFactory(
        mentorship=pair,
        proposed_by=mentee,
        status=Meeting.Status.ACCEPTED,
        starts_at=timezone.now() - dt.timedelta(hours=2),
    )
    response = send(
        client,
        "post",
        f"/api/v1/meetings/{past.pk}/log",
        {"outcome": "happened", "notes": "Good", "private_note": "Mine"},
    )
    assert response.status_code == 200 and response.json()["outcome"] == "happened"
    assert response.json()["my_private_note"] == "Mine"
    response = send(client, "post", f"/api/v1/meetings/{past.pk}/feedback", {"rating": 5})
    assert response.status_code == 201 and response.json()["my_feedback_given"]
    again = send(client, "post", f"/api/v1/meetings/{past.pk}/feedback", {"rating": 4})
    assert again.status_code == 409
    response = send(client, "put", f"/api/v1/meetings/{past.pk}/private-note", {"text": "New"})
    assert response.status_code == 200 and response.json() == {"text": "New"}
    # Only its author reads a private note.
    assert signed_in(mentee).get(f"/api/v1/meetings/{past.pk}").json()["my_private_note"] == ""
    send(client, "put", f"/api/v1/meetings/{past.pk}/private-note", {"text": ""})
    assert not PrivateMeetingNote.objects.exists()
    assert MeetingFeedback.objects.get().rating == 5


def test_nobody_outside_the_pair_sees_or_changes_a_meeting(
    login, cohort, pair, staff, other_staff, stranger
):
    meeting = proposed(pair)
    other_pair = MentorshipFactory(
        cohort=cohort, mentee=make_mentee(cohort), mentor=make_mentor(cohort)
    )
    for user in (stranger, other_pair.mentor, other_staff, staff):
        client = login(user)
        assert client.get(f"/api/v1/meetings/{meeting.pk}").status_code == 404
        assert client.get(f"/api/v1/meetings/{meeting.pk}/ics").status_code == 404
        assert send(client, "post", f"/api/v1/meetings/{meeting.pk}/accept").status_code == 404
        assert client.get(f"/api/v1/mentorships/{pair.pk}/meetings").status_code == 404
        response = send(client, "post", f"/api/v1/mentorships/{pair.pk}/meetings", proposal())
        assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == "proposed" and Meeting.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"starts_at_local": "tomorrow"}, {"starts_at_local"}),
        ({"time_zone": "Mars/Olympus"}, {"time_zone"}),
        ({"duration_minutes": 5}, {"duration_minutes"}),
        ({"online_link": "", "place": ""}, {"__all__"}),
        ({"online_link": "not a link"}, {"online_link", "__all__"}),
    ],
)
def test_a_bad_proposal_is_422_with_field_errors(login, pair, mentee, payload, fields):
    response = send(
        login(mentee), "post", f"/api/v1/mentorships/{pair.pk}/meetings", proposal(**payload)
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == fields
    assert not Meeting.objects.exists()


def test_bad_log_and_feedback_are_422(login, pair, mentee):
    meeting = proposed(pair)
    client = login(mentee)
    response = send(client, "post", f"/api/v1/meetings/{meeting.pk}/log", {"outcome": "maybe"})
    assert response.status_code == 422 and "outcome" in response.json()["errors"]
    response = send(client, "post", f"/api/v1/meetings/{meeting.pk}/feedback", {"rating": 9})
    assert response.status_code == 422 and "rating" in response.json()["errors"]


def test_rule_violations_are_409(login, pair, mentee, mentor):
    meeting = proposed(pair, by=mentee)
    response = send(login(mentee), "post", f"/api/v1/meetings/{meeting.pk}/accept")
    assert response.status_code == 409 and "other person" in response.json()["detail"]
    past = proposal(starts_at_local="2020-01-01T10:00")
    response = send(login(mentee), "post", f"/api/v1/mentorships/{pair.pk}/meetings", past)
    assert response.status_code == 409 and "future" in response.json()["detail"]
    Mentorship.objects.filter(pk=pair.pk).update(status=Mentorship.Status.PAUSED)
    response = send(login(mentor), "post", f"/api/v1/meetings/{meeting.pk}/accept")
    assert response.status_code == 409


def test_a_personal_token_works_and_session_writes_need_csrf(pair, mentee, mentor):
    meeting = proposed(pair, by=mentee)
    _token, raw = create_api_token(user=mentor, name="script")
    response = Client().post(
        f"/api/v1/meetings/{meeting.pk}/accept",
        content_type=JSON,
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200, response.content
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(mentee, backend="allauth.account.auth_backends.AuthenticationBackend")
    response = csrf_client.post(f"/api/v1/meetings/{meeting.pk}/cancel", content_type=JSON)
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == "accepted"
