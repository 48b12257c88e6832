import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from icalendar import Calendar

from stem4all.matching.tests.factories import MentorshipFactory, make_mentee, make_mentor
from stem4all.meetings import services
from stem4all.meetings.calendar import feed_ics, meeting_ics
from stem4all.meetings.models import CalendarFeed, Meeting

from .factories import MeetingFactory, make_pair

pytestmark = pytest.mark.urls("stem4all.meetings.tests.urls")


@pytest.fixture
def pair(cohort):
    return make_pair(cohort)


@pytest.fixture
def meeting(pair):
    return MeetingFactory(mentorship=pair, starts_at=dt.datetime(2030, 1, 15, 13, 0, tzinfo=dt.UTC))


def events(data: bytes):
    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_the_ics_file_parses_back_with_utc_times_uid_and_the_other_persons_name(meeting, pair):
    (event,) = events(meeting_ics(meeting, for_user=pair.mentee))
    assert event.decoded("dtstart") == dt.datetime(2030, 1, 15, 13, 0, tzinfo=dt.UTC)
    assert event.decoded("dtend") == dt.datetime(2030, 1, 15, 14, 0, tzinfo=dt.UTC)
    assert str(event["summary"]).endswith("Hanna Testfrau")
    assert str(event["status"]) == "TENTATIVE"
    assert str(event["url"]) == meeting.online_link
    (again,) = events(meeting_ics(meeting, for_user=pair.mentor))
    assert str(again["uid"]) == str(event["uid"])
    assert str(again["summary"]).endswith("Aigerim Testkyzy")


def test_the_feed_lists_proposed_and_accepted_meetings_of_open_mentorships(meeting, pair, cohort):
    MeetingFactory(mentorship=pair, status=Meeting.Status.ACCEPTED)
    MeetingFactory(mentorship=pair, status=Meeting.Status.SUPERSEDED)
    ended = MentorshipFactory(
        cohort=cohort, mentee=pair.mentee, mentor=make_mentor(cohort), status="completed"
    )
    MeetingFactory(mentorship=ended)
    found = events(feed_ics(pair.mentee))
    assert sorted(str(e["status"]) for e in found) == ["CONFIRMED", "TENTATIVE"]


def test_the_feed_token_works_is_stored_hashed_and_stops_when_revoked(client, meeting, pair):
    token = services.create_calendar_feed(user=pair.mentee)
    feed = CalendarFeed.objects.get()
    assert token not in feed.token_hash and feed.token_hash == services.hash_token(token)
    url = reverse("meetings:public_feed", args=[token])
    response = client.get(url)  # not signed in
    assert response.status_code == 200
    assert len(events(response.content)) == 1
    assert client.get(reverse("meetings:public_feed", args=["wrong"])).status_code == 404
    new_token = services.create_calendar_feed(user=pair.mentee)
    assert client.get(url).status_code == 404  # the old link stopped
    assert client.get(reverse("meetings:public_feed", args=[new_token])).status_code == 200
    services.revoke_calendar_feed(user=pair.mentee)
    assert client.get(reverse("meetings:public_feed", args=[new_token])).status_code == 404


def test_the_calendar_page_shows_a_new_link_once(login, pair):
    client = login(pair.mentee)
    response = client.post(reverse("meetings:calendar_feed"), {"action": "create"})
    assert b"/meetings/feed/" in response.content
    assert b"/meetings/feed/" not in client.get(reverse("meetings:calendar_feed")).content


def test_a_stranger_or_a_mentor_of_another_pair_gets_404(login, meeting, pair, cohort, stranger):
    other_mentor = make_mentor(cohort, full_name="Other Testmentor")
    MentorshipFactory(cohort=cohort, mentee=make_mentee(cohort), mentor=other_mentor)
    for person in (stranger, other_mentor):
        client = login(person)
        for name, arg in (
            ("meetings:meeting_detail", meeting.pk),
            ("meetings:meeting_download", meeting.pk),
            ("meetings:mentorship_meetings", pair.pk),
        ):
            assert client.get(reverse(name, args=[arg])).status_code == 404
        assert (
            client.post(
                reverse("meetings:meeting_detail", args=[meeting.pk]), {"action": "accept"}
            ).status_code
            == 404
        )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PROPOSED


def test_a_member_downloads_the_ics(login, meeting, pair):
    response = login(pair.mentor).get(reverse("meetings:meeting_download", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert len(events(response.content)) == 1


def test_only_the_other_member_accepts_on_the_page(login, meeting, pair):
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    login(pair.mentee).post(url, {"action": "accept"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PROPOSED
    response = login(pair.mentor).post(url, {"action": "accept"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ACCEPTED


def test_proposing_on_the_page_and_seeing_it_in_my_time_zone(login, pair):
    client = login(pair.mentee)
    url = reverse("meetings:mentorship_meetings", args=[pair.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "starts_at_local": "2030-01-15T19:00",
            "time_zone": "Asia/Bishkek",
            "duration_minutes": "60",
            "place": "Library",
            "agenda": "",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.starts_at == dt.datetime(2030, 1, 15, 13, 0, tzinfo=dt.UTC)
    page = login(pair.mentor).get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    assert page.status_code == 200
    assert b"Europe/Berlin" in page.content


@pytest.mark.parametrize(
    "data",
    [
        {},
        {
            "starts_at_local": "not a date",
            "time_zone": "Asia/Bishkek",
            "duration_minutes": "60",
            "place": "x",
        },
        {
            "starts_at_local": "2030-01-15T19:00",
            "time_zone": "Mars/Olympus",
            "duration_minutes": "60",
            "place": "x",
        },
        {
            "starts_at_local": "2030-01-15T19:00",
            "time_zone": "Asia/Bishkek",
            "duration_minutes": "999",
            "place": "x",
        },
        {
            "starts_at_local": "2030-01-15T19:00",
            "time_zone": "Asia/Bishkek",
            "duration_minutes": "60",
        },
        {
            "starts_at_local": "2030-03-31T02:30",
            "time_zone": "Europe/Berlin",
            "duration_minutes": "60",
            "place": "x",
        },
        {
            "starts_at_local": "2001-01-01T10:00",
            "time_zone": "Europe/Berlin",
            "duration_minutes": "60",
            "place": "x",
        },
    ],
)
def test_bad_input_gives_form_errors_not_500(login, pair, data):
    response = login(pair.mentee).post(
        reverse("meetings:mentorship_meetings", args=[pair.pk]), data
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Meeting.objects.exists()


def test_bad_log_and_feedback_posts_give_form_errors(login, meeting, pair):
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    client = login(pair.mentor)
    for data in (
        {"action": "log", "outcome": "maybe"},
        {"action": "feedback", "rating": "9"},
        {"action": "nope"},
    ):
        assert client.post(url, data).status_code == 200
    response = client.post(url, {"action": "log", "outcome": "happened"})
    assert response.status_code == 200  # not accepted yet: the service refuses
    assert response.context["log_form"].non_field_errors()


def test_private_note_is_shown_only_to_its_author(login, pair):
    meeting = MeetingFactory(
        mentorship=pair,
        status=Meeting.Status.ACCEPTED,
        starts_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
    )
    services.log_meeting(
        meeting=meeting,
        by=pair.mentee,
        outcome="happened",
        notes="Shared",
        private_note="SecretNote",
    )
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    assert b"SecretNote" in login(pair.mentee).get(url).content
    mentor_page = login(pair.mentor).get(url).content
    assert b"SecretNote" not in mentor_page and b"Shared" in mentor_page


@override_settings(LANGUAGE_CODE="en")
def test_feedback_on_the_page_once(login, pair):
    meeting = MeetingFactory(mentorship=pair, status=Meeting.Status.ACCEPTED, outcome="happened")
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    client = login(pair.mentor)
    assert (
        client.post(url, {"action": "feedback", "rating": "5", "comment": "ok"}).status_code == 302
    )
    assert client.post(url, {"action": "feedback", "rating": "4"}).status_code == 200
    assert meeting.feedback.count() == 1
