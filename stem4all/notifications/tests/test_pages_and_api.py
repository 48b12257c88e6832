"""The notification list, opening and marking read, the nav count and the API: each
person sees only her own notifications."""

import json

import pytest
from django.utils import timezone

from stem4all.notifications.models import Notification

from .factories import NotificationFactory


def test_the_list_shows_her_notifications_only_with_unread_ones_highlighted(
    login, mentee, mentor, django_assert_max_num_queries
):
    for _ in range(40):
        NotificationFactory(recipient=mentee, read_at=timezone.now())
    NotificationFactory(recipient=mentee, read_at=timezone.now(), params={"name": "Old"})
    NotificationFactory(recipient=mentor, params={"name": "Secret"})
    mine = NotificationFactory(recipient=mentee)
    client = login(mentee)
    with django_assert_max_num_queries(8):
        response = client.get("/notifications/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Secret" not in html
    assert len(response.context["page"]) == 30
    assert f"/notifications/{mine.pk}/open/" in html
    assert html.count('class="notification unread"') == 1
    assert "Mark all read" in html
    # The nav shows the unread count.
    assert 'Notifications <span class="badge">1' in html


def test_opening_a_notification_marks_it_read_and_follows_its_link(login, mentee):
    notification = NotificationFactory(recipient=mentee, url="/meetings/7/")
    client = login(mentee)
    response = client.get(f"/notifications/{notification.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/meetings/7/"
    notification.refresh_from_db()
    assert notification.is_read
    assert client.post(f"/notifications/{notification.pk}/open/").status_code == 302


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_a_link_off_the_site_is_refused(login, mentee, url):
    notification = NotificationFactory(recipient=mentee, url=url)
    client = login(mentee)
    response = client.get(f"/notifications/{notification.pk}/open/", follow=True)
    assert response.redirect_chain[-1][0] == "/notifications/"
    assert "does not lead to this site" in response.content.decode()
    notification.refresh_from_db()
    assert notification.is_read


def test_nobody_opens_or_reads_someone_elses_notification(login, mentee, mentor):
    theirs = NotificationFactory(recipient=mentor)
    client = login(mentee)
    assert client.get(f"/notifications/{theirs.pk}/open/").status_code == 404
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read").status_code == 404
    assert client.get("/notifications/999999/open/").status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_mark_all_read_is_a_post_and_touches_only_her_notifications(login, mentee, mentor):
    NotificationFactory.create_batch(3, recipient=mentee)
    theirs = NotificationFactory(recipient=mentor)
    client = login(mentee)
    assert client.get("/notifications/read-all/").status_code == 405
    response = client.post("/notifications/read-all/")
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=mentee, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert not theirs.is_read
    page = client.get("/notifications/").content.decode()
    assert "Mark all read" not in page


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_api_lists_her_notifications_paginated_and_marks_read(login, mentee, mentor):
    mine = NotificationFactory(recipient=mentee)
    NotificationFactory(recipient=mentor)
    client = login(mentee)
    body = client.get("/api/v1/notifications").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == mine.pk and item["read_at"] is None
    assert item["title"] == "Meeting accepted"
    assert item["text"].startswith("Elena accepted the meeting")
    response = client.post(f"/api/v1/notifications/{mine.pk}/read")
    assert response.status_code == 200 and response.json()["read_at"] is not None
    NotificationFactory.create_batch(2, recipient=mentee)
    response = client.post(
        "/api/v1/notifications/read", json.dumps({}), content_type="application/json"
    )
    assert response.json() == {"marked": 2}


def test_the_nav_count_is_only_for_signed_in_people(client, db):
    response = client.get("/")
    assert "unread_notifications" not in response.context
    assert "/notifications/" not in response.content.decode()
