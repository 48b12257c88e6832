"""Answering a pulse check-in (once, only the person asked), a low score flags the pair
to staff, and staff resolve flags."""

import json

import pytest

from stem4all.checkins.models import PairFlag, PulseCheck
from stem4all.notifications.models import Notification

from .factories import PairFlagFactory, PulseCheckFactory, make_started_pair


@pytest.fixture
def pair(cohort, mentee, mentor):
    return make_started_pair(cohort, mentee, mentor)


@pytest.fixture
def pulse(pair, mentee):
    return PulseCheckFactory(mentorship=pair, respondent=mentee)


def test_she_answers_her_check_in_once(login, pulse, mentee):
    client = login(mentee)
    page = client.get(f"/checkins/pulse/{pulse.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'type="radio"' in html and '<label for="id_comment">' in html
    response = client.post(f"/checkins/pulse/{pulse.pk}/", {"score": "4", "comment": "Good."})
    assert response.status_code == 302
    pulse.refresh_from_db()
    assert (pulse.score, pulse.comment) == (4, "Good.") and pulse.is_answered
    again = client.post(
        f"/checkins/pulse/{pulse.pk}/", {"score": "1", "comment": "Changed"}, follow=True
    )
    assert "already answered this check-in" in again.content.decode()
    pulse.refresh_from_db()
    assert pulse.score == 4
    assert not PairFlag.objects.exists()


@pytest.mark.parametrize("score", ["", "0", "6", "three"])
def test_a_bad_score_is_refused_with_a_clear_message(login, pulse, mentee, score):
    response = login(mentee).post(f"/checkins/pulse/{pulse.pk}/", {"score": score})
    assert response.status_code == 400
    pulse.refresh_from_db()
    assert not pulse.is_answered


@pytest.mark.parametrize("who", ["mentor", "staff", "other_staff", "stranger"])
def test_nobody_else_sees_or_answers_her_check_in(request, login, pulse, who):
    client = login(request.getfixturevalue(who))
    assert client.get(f"/checkins/pulse/{pulse.pk}/").status_code == 404
    assert client.post(f"/checkins/pulse/{pulse.pk}/", {"score": "1"}).status_code == 404
    assert client.get("/checkins/pulse/999999/").status_code == 404
    pulse.refresh_from_db()
    assert not pulse.is_answered


def test_a_low_score_flags_the_pair_to_staff_once(login, pair, mentee, mentor, staff, other_staff):
    first = PulseCheckFactory(mentorship=pair, respondent=mentee)
    second = PulseCheckFactory(mentorship=pair, respondent=mentor)
    login(mentee).post(f"/checkins/pulse/{first.pk}/", {"score": "2"})
    login(mentor).post(f"/checkins/pulse/{second.pk}/", {"score": "1"})
    flag = PairFlag.objects.get()
    assert flag.reason == PairFlag.Reason.LOW_PULSE
    assert flag.details["pulse_id"] == first.pk
    told = Notification.objects.filter(kind=Notification.Kind.PAIR_FLAGGED)
    assert [n.recipient_id for n in told] == [staff.pk]
    assert told[0].url == f"/mentorships/staff/cohorts/{pair.cohort_id}/?attention=1"


def test_a_score_of_three_flags_nothing(login, pulse, mentee, staff):
    login(mentee).post(f"/checkins/pulse/{pulse.pk}/", {"score": "3"})
    assert not PairFlag.objects.exists()


def test_the_api_answers_a_check_in_with_the_same_rules(login, pulse, mentee, mentor):
    client = login(mentee)
    url = f"/api/v1/pulse-checks/{pulse.pk}"
    assert client.get(url).json()["answered_at"] is None
    bad = client.post(f"{url}/answer", json.dumps({"score": 9}), content_type="application/json")
    assert bad.status_code == 422 and "score" in bad.json()["errors"]
    ok = client.post(f"{url}/answer", json.dumps({"score": 5}), content_type="application/json")
    assert ok.status_code == 200 and ok.json()["score"] == 5
    again = client.post(f"{url}/answer", json.dumps({"score": 5}), content_type="application/json")
    assert again.status_code == 409
    assert login(mentor).get(url).status_code == 404


def test_staff_resolve_a_flag_once(login, pair, staff):
    flag = PairFlagFactory(mentorship=pair)
    client = login(staff)
    assert client.get(f"/checkins/flags/{flag.pk}/resolve/").status_code == 405
    response = client.post(f"/checkins/flags/{flag.pk}/resolve/")
    assert response["Location"] == f"/mentorships/staff/cohorts/{pair.cohort_id}/"
    flag.refresh_from_db()
    assert flag.resolved_by == staff and not flag.is_open
    again = client.post(f"/checkins/flags/{flag.pk}/resolve/", follow=True)
    assert "already resolved" in again.content.decode()
    # A new flag for the same reason may be raised once the old one is resolved.
    PairFlagFactory(mentorship=pair)
    assert PairFlag.objects.count() == 2


def test_a_resolve_never_redirects_off_the_site(login, pair, staff):
    flag = PairFlagFactory(mentorship=pair)
    response = login(staff).post(
        f"/checkins/flags/{flag.pk}/resolve/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"/mentorships/staff/cohorts/{pair.cohort_id}/"


@pytest.mark.parametrize("who", ["mentee", "mentor", "other_staff", "stranger"])
def test_only_staff_of_the_programme_resolve_a_flag(request, login, pair, who):
    flag = PairFlagFactory(mentorship=pair)
    response = login(request.getfixturevalue(who)).post(f"/checkins/flags/{flag.pk}/resolve/")
    assert response.status_code == 404
    flag.refresh_from_db()
    assert flag.is_open


def test_the_database_keeps_one_open_flag_per_pair_and_reason(pair):
    from django.db import IntegrityError, transaction

    PairFlagFactory(mentorship=pair)
    with pytest.raises(IntegrityError), transaction.atomic():
        PairFlagFactory(mentorship=pair)
    PairFlagFactory(mentorship=pair, reason=PairFlag.Reason.INACTIVE_35_DAYS)


def test_the_database_keeps_one_check_in_per_person_and_round(pair, mentee):
    from django.db import IntegrityError, transaction

    PulseCheckFactory(mentorship=pair, respondent=mentee)
    with pytest.raises(IntegrityError), transaction.atomic():
        PulseCheckFactory(mentorship=pair, respondent=mentee)
    assert PulseCheck.objects.count() == 1
