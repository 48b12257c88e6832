import datetime as dt
import zoneinfo

import pytest

from stem4all.meetings import services
from stem4all.meetings.models import Meeting, MeetingFeedback, PrivateMeetingNote
from stem4all.meetings.services import MeetingError
from stem4all.mentorships.models import Mentorship

from .factories import NOW, MeetingFactory, make_pair

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
BISHKEK = zoneinfo.ZoneInfo("Asia/Bishkek")


@pytest.fixture
def pair(cohort):
    return make_pair(cohort)


def propose(pair, *, by=None, when, zone="Asia/Bishkek", now=NOW, **extra):
    fields = {"duration_minutes": 60, "online_link": "https://meet.example.org/x", **extra}
    return services.propose_meeting(
        mentorship=pair,
        by=by or pair.mentee,
        starts_at_local=when,
        time_zone=zone,
        now=now,
        **fields,
    )


def test_seven_pm_in_bishkek_is_two_pm_in_berlin_in_winter(pair):
    meeting = propose(pair, when=dt.datetime(2026, 1, 15, 19, 0))
    assert meeting.starts_at == dt.datetime(2026, 1, 15, 13, 0, tzinfo=dt.UTC)
    assert meeting.local_start("Europe/Berlin").hour == 14
    assert meeting.local_start("Asia/Bishkek").hour == 19


def test_seven_pm_in_bishkek_is_three_pm_in_berlin_in_summer(pair):
    meeting = propose(pair, when=dt.datetime(2026, 7, 15, 19, 0))
    assert meeting.starts_at == dt.datetime(2026, 7, 15, 13, 0, tzinfo=dt.UTC)
    assert meeting.local_start("Europe/Berlin").hour == 15


def test_a_weekly_time_in_bishkek_moves_an_hour_in_berlin_across_the_march_change(pair):
    # Berlin moves to summer time on 29 March 2026; Bishkek has no DST.
    before = propose(pair, when=dt.datetime(2026, 3, 26, 19, 0))
    after = propose(pair, when=dt.datetime(2026, 4, 2, 19, 0))
    assert after.starts_at - before.starts_at == dt.timedelta(days=7)
    assert before.local_start("Europe/Berlin").hour == 14
    assert after.local_start("Europe/Berlin").hour == 15


def test_a_berlin_time_that_crosses_the_march_change_keeps_its_wall_clock(pair):
    before = propose(
        pair, by=pair.mentor, when=dt.datetime(2026, 3, 28, 10, 0), zone="Europe/Berlin"
    )
    after = propose(
        pair, by=pair.mentor, when=dt.datetime(2026, 3, 29, 10, 0), zone="Europe/Berlin"
    )
    assert before.starts_at.hour == 9  # UTC+1
    assert after.starts_at.hour == 8  # UTC+2
    assert after.starts_at - before.starts_at == dt.timedelta(hours=23)


def test_a_time_skipped_by_the_spring_change_in_berlin_is_refused(pair):
    with pytest.raises(MeetingError, match="does not exist"):
        propose(pair, by=pair.mentor, when=dt.datetime(2026, 3, 29, 2, 30), zone="Europe/Berlin")
    assert not Meeting.objects.exists()


def test_an_ambiguous_autumn_time_in_berlin_is_read_as_the_first_occurrence(pair):
    # 02:30 on 25 October 2026 happens twice; fold=0 is the earlier, summer-time one.
    meeting = propose(
        pair, by=pair.mentor, when=dt.datetime(2026, 10, 25, 2, 30), zone="Europe/Berlin"
    )
    assert meeting.starts_at == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)
    assert meeting.local_start("Asia/Bishkek").hour == 6


def test_a_time_in_the_past_is_refused(pair):
    with pytest.raises(MeetingError):
        propose(pair, when=dt.datetime(2026, 1, 5, 14, 0))  # 08:00 UTC, before NOW


def test_frozen_now_is_the_default(pair, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: dt.datetime(2026, 8, 1, tzinfo=dt.UTC))
    with pytest.raises(MeetingError):
        services.propose_meeting(
            mentorship=pair,
            by=pair.mentee,
            starts_at_local=dt.datetime(2026, 7, 15, 19, 0),
            time_zone="Asia/Bishkek",
            duration_minutes=60,
            online_link="https://x.example.org",
            place="",
            agenda="",
        )


@pytest.mark.parametrize("status", [Mentorship.Status.PAUSED, Mentorship.Status.ENDED_EARLY])
def test_proposing_on_a_paused_or_ended_mentorship_is_refused(pair, status):
    pair.status = status
    pair.save()
    with pytest.raises(MeetingError):
        propose(pair, when=dt.datetime(2026, 1, 15, 19, 0))


def test_a_stranger_cannot_propose(pair, stranger):
    with pytest.raises(MeetingError):
        propose(pair, by=stranger, when=dt.datetime(2026, 1, 15, 19, 0))


@pytest.mark.parametrize(
    ("extra", "message"),
    [({"online_link": "", "place": ""}, "link or a place"), ({"duration_minutes": 5}, "minutes")],
)
def test_a_meeting_needs_a_place_and_a_sane_duration(pair, extra, message):
    with pytest.raises(MeetingError, match=message):
        propose(pair, when=dt.datetime(2026, 1, 15, 19, 0), **extra)


def test_only_the_other_member_accepts_while_proposed(pair, stranger):
    meeting = propose(pair, when=dt.datetime(2026, 1, 15, 19, 0))
    for person in (pair.mentee, stranger):
        with pytest.raises(MeetingError):
            services.accept_meeting(meeting=meeting, by=person, now=NOW)
    accepted = services.accept_meeting(meeting=meeting, by=pair.mentor, now=NOW)
    assert accepted.status == Meeting.Status.ACCEPTED
    assert accepted.responded_by == pair.mentor
    assert accepted.sequence == 1
    with pytest.raises(MeetingError):
        services.accept_meeting(meeting=meeting, by=pair.mentor, now=NOW)


def test_proposing_another_time_supersedes_the_first(pair):
    first = propose(pair, when=dt.datetime(2026, 1, 15, 19, 0))
    second = services.propose_other_time(
        meeting=first,
        by=pair.mentor,
        starts_at_local=dt.datetime(2026, 1, 16, 16, 0),
        time_zone="Europe/Berlin",
        duration_minutes=45,
        online_link="",
        place="Library",
        agenda="",
        now=NOW,
    )
    first.refresh_from_db()
    assert first.status == Meeting.Status.SUPERSEDED
    assert second.replaces == first and second.proposed_by == pair.mentor
    assert second.starts_at == dt.datetime(2026, 1, 16, 15, 0, tzinfo=dt.UTC)
    services.accept_meeting(meeting=second, by=pair.mentee, now=NOW)


def test_cancel_stops_a_meeting(pair):
    meeting = propose(pair, when=dt.datetime(2026, 1, 15, 19, 0))
    services.cancel_meeting(meeting=meeting, by=pair.mentee, now=NOW)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED


def accepted_meeting(pair):
    meeting = propose(pair, when=dt.datetime(2026, 1, 15, 19, 0))
    return services.accept_meeting(meeting=meeting, by=pair.mentor, now=NOW)


def test_a_meeting_is_logged_only_after_it_starts(pair):
    meeting = accepted_meeting(pair)
    with pytest.raises(MeetingError, match="after it starts"):
        services.log_meeting(meeting=meeting, by=pair.mentee, outcome="happened", now=NOW)
    later = meeting.starts_at + dt.timedelta(hours=2)
    services.log_meeting(
        meeting=meeting,
        by=pair.mentee,
        outcome="happened",
        notes="Good plan",
        private_note="Ask about the scholarship",
        now=later,
    )
    meeting.refresh_from_db()
    assert meeting.outcome == "happened" and meeting.logged_by == pair.mentee
    note = PrivateMeetingNote.objects.get()
    assert note.author == pair.mentee


def test_feedback_is_given_once_per_person_and_only_after_it_happened(pair):
    meeting = accepted_meeting(pair)
    with pytest.raises(MeetingError):
        services.give_feedback(meeting=meeting, by=pair.mentee, rating=5, comment="")
    later = meeting.starts_at + dt.timedelta(hours=2)
    services.log_meeting(meeting=meeting, by=pair.mentor, outcome="happened", now=later)
    services.give_feedback(meeting=meeting, by=pair.mentee, rating=5, comment="Great")
    services.give_feedback(meeting=meeting, by=pair.mentor, rating=4, comment="")
    with pytest.raises(MeetingError, match="already"):
        services.give_feedback(meeting=meeting, by=pair.mentee, rating=3, comment="")
    assert MeetingFeedback.objects.count() == 2


def test_no_feedback_on_a_missed_meeting(pair):
    meeting = accepted_meeting(pair)
    later = meeting.starts_at + dt.timedelta(hours=2)
    services.log_meeting(meeting=meeting, by=pair.mentor, outcome="missed", now=later)
    with pytest.raises(MeetingError):
        services.give_feedback(meeting=meeting, by=pair.mentee, rating=2, comment="")


def test_factory_meeting_is_valid(cohort):
    meeting = MeetingFactory(mentorship=make_pair(cohort))
    assert meeting.ends_at - meeting.starts_at == dt.timedelta(hours=1)
