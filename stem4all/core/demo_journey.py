"""The demo's pilot cohort: pairs already two and a half months into mentoring, so that
every part of the journey can be tried by signing in as a demo account.

Everything is written through the apps' own services (the same rules as in real use),
then backdated: a mentorship that started 75 days ago, a meeting that happened, a
message written last week. The synthetic people come from the main demo cohort: the
named demo accounts and a few of the generated crowd.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone

from stem4all.accounts.models import User
from stem4all.checkins.models import PulseCheck
from stem4all.checkins.services import (
    answer_pulse_check,
    apply_inactivity_rules,
    create_due_pulse_checks,
)
from stem4all.meetings import services as meetings
from stem4all.meetings.models import Meeting
from stem4all.mentorships.models import Mentorship, MentorshipEvent
from stem4all.mentorships.services import confirm_agreement, save_agreement, start_mentorship
from stem4all.messaging.models import Message
from stem4all.messaging.services import conversation_for_mentorship, post_message
from stem4all.programmes.models import Cohort, Participation, Programme
from stem4all.roadmaps import services as roadmaps

PILOT_NAME = "Pilot cohort 2026"
PILOT_SLUG = "pilot-2026"
PILOT_DESCRIPTION = (
    "The pilot cohort: mentoring started ten weeks ago and lasts six months. Its pairs "
    "show the mentoring journey: agreements, roadmaps, meetings and messages."
)
PILOT_STARTED_DAYS_AGO = 75
CROWD_PAIRS = 4

Role = Participation.Role


def _backdate(mentorship: Mentorship, started_at: dt.datetime) -> None:
    Mentorship.objects.filter(pk=mentorship.pk).update(started_at=started_at)
    MentorshipEvent.objects.filter(mentorship=mentorship).update(created_at=started_at)
    mentorship.started_at = started_at


def _say(conversation, sender: User, text: str, at: dt.datetime) -> Message:
    message = post_message(conversation=conversation, sender=sender, text=text)
    Message.objects.filter(pk=message.pk).update(created_at=at)
    return message


def _agree(mentorship: Mentorship, goals: str, ends_on: dt.date, language: str) -> None:
    save_agreement(
        mentorship=mentorship,
        by=mentorship.mentee,
        goals=goals,
        meeting_frequency="fortnightly",
        meeting_mode="online",
        working_language=language,
        expected_end_on=ends_on,
    )
    confirm_agreement(mentorship=mentorship, by=mentorship.mentee)
    confirm_agreement(mentorship=mentorship, by=mentorship.mentor)


def _roadmap(mentorship: Mentorship, goal: str, steps: list[tuple[str, str, int]], today):
    """Steps are (title, status, due in days from today); done steps are signed off."""
    roadmap = roadmaps.save_roadmap_goal(
        mentorship=mentorship, by=mentorship.mentee, career_goal=goal
    )
    for title, status, due_in in steps:
        step = roadmaps.add_step(
            roadmap=roadmap,
            by=mentorship.mentee,
            title=title,
            due_on=today + dt.timedelta(days=due_in),
        )
        if status != "planned":
            step = roadmaps.update_step(
                step=step,
                by=mentorship.mentee,
                title=step.title,
                due_on=step.due_on,
                status=status,
            )
        if status == "done":
            roadmaps.sign_off_step(step=step, by=mentorship.mentor)
    return roadmap


def _meeting(mentorship, by, *, local: dt.datetime, tz: str, agenda: str, now) -> Meeting:
    return meetings.propose_meeting(
        mentorship=mentorship,
        by=by,
        starts_at_local=local,
        time_zone=tz,
        duration_minutes=60,
        online_link="https://meet.example.org/stem4all-demo",
        agenda=agenda,
        now=now,
    )


def _happened_meeting(mentorship, *, days_ago: int, tz: str, agenda: str, notes: str, now):
    """A meeting proposed and accepted before it took place, then logged with feedback."""
    when = (now - dt.timedelta(days=days_ago)).astimezone(zoneinfo.ZoneInfo(tz))
    local = when.replace(hour=18, minute=0, second=0, microsecond=0, tzinfo=None)
    asked_at = now - dt.timedelta(days=days_ago + 3)
    meeting = _meeting(
        mentorship, mentorship.mentor, local=local, tz=tz, agenda=agenda, now=asked_at
    )
    meetings.accept_meeting(meeting=meeting, by=mentorship.mentee, now=asked_at)
    logged_at = meeting.ends_at + dt.timedelta(hours=1)
    meetings.log_meeting(
        meeting=meeting, by=mentorship.mentee, outcome="happened", notes=notes, now=logged_at
    )
    meetings.give_feedback(meeting=meeting, by=mentorship.mentee, rating=5, comment="")
    meetings.give_feedback(meeting=meeting, by=mentorship.mentor, rating=4, comment="")
    return meeting


def seed_pilot_cohort(
    *, programme: Programme, staff: User, people: dict[str, User], crowd: list[User], today
) -> dict[str, int]:
    """Create the pilot cohort and its pairs. ``people`` maps the named accounts' local
    part ("mentee", "minor", "mentor", "international") to their users; ``crowd`` gives
    adult mentees and mentors of the generated crowd, mentees first then mentors."""
    now = timezone.now()
    started_at = now - dt.timedelta(days=PILOT_STARTED_DAYS_AGO)
    starts_on = today - dt.timedelta(days=PILOT_STARTED_DAYS_AGO)
    ends_on = starts_on + dt.timedelta(days=182)
    cohort = Cohort.objects.create(
        programme=programme,
        name=PILOT_NAME,
        slug=PILOT_SLUG,
        description=PILOT_DESCRIPTION,
        phase=Cohort.Phase.MENTORING,
        mentoring_language="en",
        applications_close_on=starts_on - dt.timedelta(days=30),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    mentee, minor = people["mentee"], people["minor"]
    mentor, international = people["mentor"], people["international"]
    crowd_mentees, crowd_mentors = crowd[:CROWD_PAIRS], crowd[CROWD_PAIRS:]
    enrolled = [(staff, Role.STAFF), (mentee, Role.MENTEE), (minor, Role.MENTEE)]
    enrolled += [(mentor, Role.MENTOR), (international, Role.MENTOR)]
    enrolled += [(user, Role.MENTEE) for user in crowd_mentees]
    enrolled += [(user, Role.MENTOR) for user in crowd_mentors]
    Participation.objects.bulk_create(
        [
            Participation(
                user=user,
                cohort=cohort,
                role=role,
                status=Participation.Status.ACCEPTED,
                source=Participation.Source.STAFF,
                decided_by=staff,
                decided_at=started_at - dt.timedelta(days=20),
            )
            for user, role in enrolled
        ]
    )

    def pair(a_mentee: User, a_mentor: User, days_ago: int = PILOT_STARTED_DAYS_AGO):
        mentorship = start_mentorship(cohort=cohort, mentee=a_mentee, mentor=a_mentor, by=staff)
        _backdate(mentorship, now - dt.timedelta(days=days_ago))
        return mentorship

    # The demo mentee and her international mentor in Germany: one hour of difference
    # in summer, two in winter; they meet in English.
    main = pair(mentee, international)
    _agree(
        main,
        "Choose a master's programme in renewable energy abroad and apply to three; "
        "improve my English for interviews; meet every two weeks online.",
        ends_on,
        "en",
    )
    _roadmap(
        main,
        "Become a solar energy engineer at a regional energy company by 2029.",
        [
            ("List five master's programmes and their deadlines", "done", -40),
            ("Take an IELTS practice test", "done", -20),
            ("Write a first motivation letter", "in_progress", 10),
            ("Ask two teachers for recommendation letters", "planned", 30),
            ("Submit three applications", "planned", 80),
        ],
        today,
    )
    _happened_meeting(
        main,
        days_ago=60,
        tz="Europe/Berlin",
        agenda="Getting to know each other; the agreement.",
        notes="We agreed on goals and on meeting every second Thursday.",
        now=now,
    )
    _happened_meeting(
        main,
        days_ago=12,
        tz="Europe/Berlin",
        agenda="The list of programmes; IELTS results.",
        notes="Three programmes stay on the list. Next: the motivation letter.",
        now=now,
    )
    upcoming = (now + dt.timedelta(days=3)).astimezone(zoneinfo.ZoneInfo("Europe/Berlin"))
    next_meeting = _meeting(
        main,
        international,
        local=upcoming.replace(hour=16, minute=0, second=0, microsecond=0, tzinfo=None),
        tz="Europe/Berlin",
        agenda="Read the first draft of the motivation letter together.",
        now=now - dt.timedelta(days=1),
    )
    meetings.accept_meeting(meeting=next_meeting, by=mentee, now=now - dt.timedelta(hours=20))
    chat = conversation_for_mentorship(main)
    _say(
        chat, international, "Hello! I read your profile; I am glad to be your mentor.", started_at
    )
    _say(
        chat,
        mentee,
        "Thank you! I would like to talk about master's programmes in renewable energy.",
        started_at + dt.timedelta(hours=5),
    )
    _say(
        chat,
        international,
        "Good work on the IELTS test. Send me your draft letter when it is ready.",
        now - dt.timedelta(days=6),
    )

    # The demo pupil under 18 with a mentor cleared for minors: her messages are
    # checked for contact details; one is waiting in the moderation queue.
    young = pair(minor, mentor, days_ago=50)
    _agree(
        young,
        "Decide between computer science and electronics for university; "
        "take part in a programming olympiad; meet every two weeks online.",
        ends_on,
        "ky",
    )
    _roadmap(
        young,
        "Study computer science at a university in Bishkek.",
        [
            ("Solve twenty olympiad problems", "in_progress", 20),
            ("Visit a university open day", "planned", 45),
        ],
        today,
    )
    young_chat = conversation_for_mentorship(young)
    _say(
        young_chat,
        mentor,
        "Hello! Which olympiad problems did you try this week?",
        now - dt.timedelta(days=9),
    )
    _say(
        young_chat,
        minor,
        "I solved four problems. Can you call me on 0555 123 456?",
        now - dt.timedelta(days=8),
    )

    # Crowd pairs for the staff's health view: one quiet for five weeks, one unhappy.
    crowd_pairs = [
        pair(m, crowd_mentors[i % len(crowd_mentors)]) for i, m in enumerate(crowd_mentees)
    ]
    quiet, unhappy = crowd_pairs[0], crowd_pairs[1]
    _say(
        conversation_for_mentorship(quiet),
        quiet.mentor,
        "Hello, when can we meet?",
        now - dt.timedelta(days=40),
    )
    Mentorship.objects.filter(pk=quiet.pk).update(started_at=now - dt.timedelta(days=41))

    for busy in crowd_pairs[1:]:
        _say(
            conversation_for_mentorship(busy),
            busy.mentee,
            "Thank you for the call yesterday, I have started the online course.",
            now - dt.timedelta(days=5),
        )
    create_due_pulse_checks(now=now)
    pulses = PulseCheck.objects.filter(mentorship__cohort=cohort, round=1).select_related(
        "mentorship"
    )
    for pulse in pulses:
        if pulse.mentorship_id == unhappy.pk and pulse.respondent_id == unhappy.mentee_id:
            answer_pulse_check(pulse=pulse, by=pulse.respondent, score=2, comment="")
        elif pulse.mentorship_id in (main.pk, young.pk):
            answer_pulse_check(pulse=pulse, by=pulse.respondent, score=4, comment="")
    apply_inactivity_rules(now=now)
    return {"pilot_mentorships": 2 + len(crowd_pairs)}
