"""Messaging in the JSON API: the same visibility, rules and errors as the pages."""

import pytest
from django.test import Client

from stem4all.accounts.models import StaffAccessLog
from stem4all.accounts.services import create_api_token
from stem4all.mentorships import services as mentorship_services
from stem4all.messaging import services
from stem4all.messaging.models import ConcernReport, ConversationMember, Message

from .factories import grant_safeguarding_role, open_pair_conversation

PHONE = "my number is 0555 123 456"


@pytest.fixture
def pair(cohort, mentee, mentor):
    return open_pair_conversation(cohort, mentee=mentee, mentor=mentor)


@pytest.fixture
def minor_pair(cohort, minor_mentee, mentor):
    return open_pair_conversation(cohort, mentee=minor_mentee, mentor=mentor)


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


def test_listing_conversations_and_messages_with_a_token(pair, mentee, mentor):
    _mentorship, conversation = pair
    services.post_message(conversation=conversation, sender=mentor, text="Welcome!")
    _token, raw = create_api_token(user=mentee, name="script")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    (row,) = client.get("/api/v1/conversations").json()
    assert row["id"] == conversation.pk and row["unread"] == 1
    assert row["title"] == "Elena Testmentor" and row["kind"] == "pair"
    data = client.get(f"/api/v1/conversations/{conversation.pk}/messages").json()
    assert [m["text"] for m in data["messages"]] == ["Welcome!"]
    assert data["can_post"] is True and data["posting_closed_reason"] == ""
    assert Client().get("/api/v1/conversations").status_code == 401


def test_posting_marking_read_and_the_read_flag(login, pair, mentee, mentor):
    _mentorship, conversation = pair
    client = login(mentee)
    response = post(client, f"/api/v1/conversations/{conversation.pk}/messages", {"text": "Hi"})
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "delivered"
    mentor_client = login(mentor)
    assert post(mentor_client, f"/api/v1/conversations/{conversation.pk}/read").status_code == 204
    assert ConversationMember.objects.get(user=mentor).last_read_at is not None
    (message,) = (
        login(mentee).get(f"/api/v1/conversations/{conversation.pk}/messages").json()["messages"]
    )
    assert message["is_read"] is True


def test_bad_input_is_422_and_a_refusal_is_409(login, pair, mentee, mentor):
    mentorship, conversation = pair
    client = login(mentee)
    path = f"/api/v1/conversations/{conversation.pk}/messages"
    empty = post(client, path, {"text": ""})
    assert empty.status_code == 422 and "text" in empty.json()["errors"]
    assert post(client, path, {"text": "x" * 4001}).status_code == 422
    assert post(client, path, {}).status_code in (400, 422)
    mentorship_services.pause_mentorship(mentorship=mentorship, by=mentor, reason="Exams.")
    refused = post(client, path, {"text": "Hello?"})
    assert refused.status_code == 409
    assert "paused" in refused.json()["detail"]
    data = client.get(path).json()
    assert data["can_post"] is False and "paused" in data["posting_closed_reason"]
    assert not Message.objects.exists()


def test_strangers_and_other_staff_get_404_and_staff_cannot_post(
    login, pair, stranger, other_staff, staff
):
    _mentorship, conversation = pair
    path = f"/api/v1/conversations/{conversation.pk}/messages"
    for person in (stranger, other_staff):
        client = login(person)
        assert client.get(path).status_code == 404
        assert post(client, path, {"text": "hi"}).status_code == 404
        assert post(client, f"/api/v1/conversations/{conversation.pk}/read").status_code == 404
        assert client.get("/api/v1/conversations").json() == []
    staff_client = login(staff)
    assert staff_client.get(path).status_code == 200
    assert post(staff_client, path, {"text": "hi"}).status_code == 403


def test_held_messages_in_the_api_and_the_staff_audit(
    login, minor_pair, minor_mentee, mentor, staff
):
    _mentorship, conversation = minor_pair
    path = f"/api/v1/conversations/{conversation.pk}/messages"
    held = post(login(mentor), path, {"text": PHONE}).json()
    assert held["status"] == "held"
    assert login(mentor).get(path).json()["messages"][0]["status"] == "held"
    assert login(minor_mentee).get(path).json()["messages"] == []
    login(staff).get(path)
    assert StaffAccessLog.objects.filter(
        staff=staff, subject=minor_mentee, action="read conversation"
    ).exists()

    moderator = grant_safeguarding_role(staff)
    client = login(moderator)
    (queued,) = client.get("/api/v1/moderation/messages").json()
    assert queued["id"] == held["id"] and queued["text"] == PHONE
    released = post(client, f"/api/v1/moderation/messages/{held['id']}/release", {"note": "ok"})
    assert released.status_code == 200 and released.json()["status"] == "delivered"
    again = post(client, f"/api/v1/moderation/messages/{held['id']}/reject", {})
    assert again.status_code == 409 and "already been decided" in again.json()["detail"]
    assert [m["text"] for m in login(minor_mentee).get(path).json()["messages"]] == [PHONE]


def test_reporting_a_concern_through_the_api_gives_a_receipt_only(
    login, minor_pair, minor_mentee, mentor, staff
):
    _mentorship, conversation = minor_pair
    message = services.post_message(conversation=conversation, sender=mentor, text="Hello")
    client = login(minor_mentee)
    response = post(client, "/api/v1/concerns", {"text": "Odd message", "message_id": message.pk})
    assert response.status_code == 201
    assert set(response.json()) == {"detail", "created_at"}
    report = ConcernReport.objects.get()
    assert report.about_user == mentor
    assert (
        post(client, "/api/v1/concerns", {"text": "", "message_id": message.pk}).status_code == 422
    )
    assert post(client, "/api/v1/concerns", {"text": "x"}).status_code == 409
    assert post(client, "/api/v1/concerns", {"text": "x", "message_id": 999999}).status_code == 404
    mentor_client = login(mentor)
    assert mentor_client.get("/api/v1/concerns").status_code == 404
    close = post(mentor_client, f"/api/v1/concerns/{report.pk}/close", {"note": "x"})
    assert close.status_code == 404

    moderator = grant_safeguarding_role(staff)
    staff_client = login(moderator)
    (listed,) = staff_client.get("/api/v1/concerns").json()
    assert listed["text"] == "Odd message" and listed["status"] == "open"
    assert (
        post(staff_client, f"/api/v1/concerns/{report.pk}/close", {"note": ""}).status_code == 422
    )
    closed = post(staff_client, f"/api/v1/concerns/{report.pk}/close", {"note": "Handled."})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    again = post(staff_client, f"/api/v1/concerns/{report.pk}/close", {"note": "Again."})
    assert again.status_code == 409
