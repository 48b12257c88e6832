"""The periodic rules with frozen time: pulse check-ins on day 30, 90, 150...; meeting
reminders once per version of a meeting; inactivity reminders on day 21 and flags on
day 35, each once per quiet spell; and the command that runs them all."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from stem4all.checkins import services
from stem4all.checkins.models import PairFlag, PulseCheck
from stem4all.meetings.models import Meeting
from stem4all.meetings.tests.factories import MeetingFactory
from stem4all.notifications.models import Notification

from .factories import START, add_message, day, make_started_pair

Kind = Notification.Kind


@pytest.fixture
def pair(cohort, mentee, mentor):
    return make_started_pair(cohort, mentee, mentor)


def kinds(kind):
    return list(Notification.objects.filter(kind=kind).order_by("pk"))


# ------------------------------------------------------------------------- pulse


def test_pulse_check_ins_come_on_day_30_then_every_60_days(pair, mentee, mentor):
    assert services.create_due_pulse_checks(day(29, 23)) == 0
    assert services.create_due_pulse_checks(day(30)) == 2
    rounds = PulseCheck.objects.order_by("respondent_id")
    assert {(p.respondent_id, p.round) for p in rounds} == {(mentee.pk, 1), (mentor.pk, 1)}
    assert {p.due_on for p in rounds} == {dt.date(2026, 2, 4)}
    assert services.create_due_pulse_checks(day(30)) == 0
    assert services.create_due_pulse_checks(day(89)) == 0
    assert services.create_due_pulse_checks(day(90)) == 2
    assert services.create_due_pulse_checks(day(149)) == 0
    assert services.create_due_pulse_checks(day(150)) == 2
    assert sorted(set(PulseCheck.objects.values_list("round", flat=True))) == [1, 2, 3]
    due = kinds(Kind.PULSE_DUE)
    assert len(due) == 6
    to_mentee = next(n for n in due if n.recipient_id == mentee.pk)
    assert to_mentee.url == f"/checkins/pulse/{to_mentee.key.split(':')[1]}/"
    assert to_mentee.params == {"name": mentor.get_short_name()}


@pytest.mark.parametrize("status", ["paused", "completed", "ended_early"])
def test_a_pair_that_is_not_active_gets_no_check_in(cohort, mentee, mentor, status):
    make_started_pair(cohort, mentee, mentor, status=status)
    assert services.create_due_pulse_checks(day(30)) == 0
    assert not PulseCheck.objects.exists()


# ---------------------------------------------------------------- meeting reminders


def test_an_accepted_meeting_is_reminded_once_per_version(pair, mentee, mentor):
    now = day(40)
    meeting = MeetingFactory(
        mentorship=pair, status="accepted", starts_at=now + dt.timedelta(hours=5)
    )
    MeetingFactory(mentorship=pair, status="accepted", starts_at=now + dt.timedelta(hours=25))
    MeetingFactory(mentorship=pair, status="proposed", starts_at=now + dt.timedelta(hours=3))
    MeetingFactory(mentorship=pair, status="accepted", starts_at=now - dt.timedelta(hours=1))
    assert services.send_meeting_reminders(now) == 2
    assert services.send_meeting_reminders(now + dt.timedelta(minutes=15)) == 0
    reminders = kinds(Kind.MEETING_REMINDER)
    assert {n.recipient_id for n in reminders} == {mentee.pk, mentor.pk}
    assert {n.key for n in reminders} == {f"meeting-reminder:{meeting.pk}:0"}
    # Rescheduled: a new sequence, a new reminder.
    Meeting.objects.filter(pk=meeting.pk).update(sequence=1, starts_at=now + dt.timedelta(hours=6))
    assert services.send_meeting_reminders(now) == 2
    assert len(kinds(Kind.MEETING_REMINDER)) == 4


# ----------------------------------------------------------------------- inactivity


def test_a_pair_quiet_for_20_days_is_left_alone(pair):
    assert services.apply_inactivity_rules(day(20, 23)) == {"reminders": 0, "flags": 0}
    assert not Notification.objects.exists()


def test_a_pair_quiet_for_21_days_is_reminded_once_even_if_run_twice(pair, mentee, mentor):
    assert services.apply_inactivity_rules(day(21)) == {"reminders": 2, "flags": 0}
    assert services.apply_inactivity_rules(day(21)) == {"reminders": 0, "flags": 0}
    assert services.apply_inactivity_rules(day(25)) == {"reminders": 0, "flags": 0}
    reminders = kinds(Kind.INACTIVITY_REMINDER)
    assert {n.recipient_id for n in reminders} == {mentee.pk, mentor.pk}
    assert all(n.key == f"inactivity:{pair.pk}:2026-01-05" for n in reminders)
    assert not PairFlag.objects.exists()


def test_a_pair_quiet_for_35_days_is_flagged_and_staff_told_once(
    pair, staff, other_staff, mentee, mentor
):
    assert services.apply_inactivity_rules(day(35)) == {"reminders": 2, "flags": 1}
    assert services.apply_inactivity_rules(day(35, 1)) == {"reminders": 0, "flags": 0}
    flag = PairFlag.objects.get()
    assert flag.reason == PairFlag.Reason.INACTIVE_35_DAYS and flag.is_open
    assert flag.details["days"] == 35
    told = kinds(Kind.PAIR_FLAGGED)
    assert [n.recipient_id for n in told] == [staff.pk]
    assert told[0].params == {
        "mentee": mentee.full_name,
        "mentor": mentor.full_name,
        "reason": "inactive_35_days",
    }
    # Staff resolve it: the same quiet spell does not flag the pair again.
    services.resolve_pair_flag(flag=flag, by=staff)
    assert services.apply_inactivity_rules(day(40)) == {"reminders": 0, "flags": 0}


def test_a_happened_meeting_or_a_delivered_message_restarts_the_clock(pair):
    MeetingFactory(
        mentorship=pair, status="accepted", outcome="happened", starts_at=day(10), logged_at=None
    )
    MeetingFactory(mentorship=pair, status="accepted", outcome="missed", starts_at=day(20))
    add_message(pair, at=day(15))
    add_message(pair, at=day(30), status="held")
    assert services.apply_inactivity_rules(day(35)) == {"reminders": 0, "flags": 0}
    # 21 days after the message of day 15.
    assert services.apply_inactivity_rules(day(36)) == {"reminders": 2, "flags": 0}
    assert services.apply_inactivity_rules(day(50)) == {"reminders": 0, "flags": 1}
    # They write again: a new quiet spell reminds again.
    add_message(pair, at=day(51))
    assert services.apply_inactivity_rules(day(72)) == {"reminders": 2, "flags": 0}


def test_a_logged_meeting_counts_from_when_it_was_logged(pair):
    MeetingFactory(
        mentorship=pair, status="accepted", outcome="happened", starts_at=day(5), logged_at=day(12)
    )
    assert services.apply_inactivity_rules(day(32)) == {"reminders": 0, "flags": 0}
    assert services.apply_inactivity_rules(day(33))["reminders"] == 2


def test_paused_pairs_are_not_chased(cohort, mentee, mentor):
    make_started_pair(cohort, mentee, mentor, status="paused")
    assert services.apply_inactivity_rules(day(60)) == {"reminders": 0, "flags": 0}


def test_inactivity_reads_all_pairs_in_a_bounded_number_of_queries(
    cohort, django_assert_max_num_queries
):
    from stem4all.matching.tests.factories import MentorshipFactory

    pairs = [MentorshipFactory(cohort=cohort, started_at=START) for _ in range(10)]
    for mentorship in pairs:
        add_message(mentorship, at=day(20))
    # One read of every pair with its last activity, whatever their number.
    with django_assert_max_num_queries(2):
        assert services.apply_inactivity_rules(day(30)) == {"reminders": 0, "flags": 0}


# -------------------------------------------------------------------------- command


def test_run_periodic_runs_every_rule_and_prints_one_line_each(pair, mailoutbox):
    out = io.StringIO()
    call_command("run_periodic", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "pulse check-ins",
        "meeting reminders",
        "training reminders",
        "inactivity",
        "message digests",
        "survey notifications",
        "report figures",
    ]


def test_run_periodic_at_a_frozen_time_does_the_work_once(
    pair, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.run_periodic(day(35))
        second = services.run_periodic(day(35))
    assert first["pulse_checks"] == 2 and first["inactivity"] == {"reminders": 2, "flags": 1}
    assert second == {
        "pulse_checks": 0,
        "meeting_reminders": 0,
        "inactivity": {"reminders": 0, "flags": 0},
        "message_digests": 0,
        "training_reminders": 0,
        "survey_notifications": 0,
        "report_figures": 0,
    }
    assert len(mailoutbox) == 4  # two check-ins, two reminders; no staff in this cohort


def test_the_cli_knows_run_periodic(monkeypatch):
    from stem4all import cli

    seen = []
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda argv: seen.append(argv)
    )
    cli.main(["stem4all", "run-periodic"])
    assert seen == [["stem4all", "run_periodic"]]
