"""Two periodic runs at once (cron overlapping a slow run, two machines) create each
flag, check-in and notification once: the database's unique constraints decide."""

import pytest

from stem4all.checkins import services
from stem4all.checkins.models import PairFlag, PulseCheck
from stem4all.notifications.models import Notification

from .factories import day, make_started_pair

Kind = Notification.Kind


@pytest.fixture
def pair(postgres_only, cohort, mentee, mentor, staff):
    return make_started_pair(cohort, mentee, mentor)


def test_concurrent_inactivity_runs_flag_a_pair_and_tell_staff_once(pair, staff, run_concurrently):
    # Reminded on day 21 already: on day 35 the runs race on the flag alone.
    assert services.apply_inactivity_rules(day(21))["reminders"] == 2
    results, errors = run_concurrently(lambda i: services.apply_inactivity_rules(day(35)), n=6)
    assert errors == []
    assert sum(r["flags"] for r in results) == 1
    assert sum(r["reminders"] for r in results) == 0
    assert PairFlag.objects.filter(mentorship=pair).count() == 1
    assert Notification.objects.filter(kind=Kind.PAIR_FLAGGED, recipient=staff).count() == 1
    assert Notification.objects.filter(kind=Kind.INACTIVITY_REMINDER).count() == 2


def test_concurrent_first_runs_remind_and_flag_once(pair, staff, run_concurrently):
    results, errors = run_concurrently(lambda i: services.apply_inactivity_rules(day(35)), n=6)
    assert errors == []
    assert sum(r["flags"] for r in results) == 1
    assert sum(r["reminders"] for r in results) == 2
    assert PairFlag.objects.filter(mentorship=pair).count() == 1
    assert Notification.objects.filter(kind=Kind.PAIR_FLAGGED, recipient=staff).count() == 1


def test_concurrent_pulse_runs_create_each_check_in_once(pair, run_concurrently):
    results, errors = run_concurrently(lambda i: services.create_due_pulse_checks(day(30)), n=6)
    assert errors == []
    assert sum(results) == 2
    assert PulseCheck.objects.filter(mentorship=pair).count() == 2
    assert Notification.objects.filter(kind=Kind.PULSE_DUE).count() == 2
