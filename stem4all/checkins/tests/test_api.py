"""The staff's pair-health list and flag resolution in the JSON API: the same query
and rules as the health view."""

import pytest
from django.utils import timezone

from stem4all.checkins.models import PairFlag
from stem4all.matching.tests.factories import MentorshipFactory

from .factories import PairFlagFactory, PulseCheckFactory, make_started_pair


@pytest.fixture
def pair(cohort, mentee, mentor):
    return make_started_pair(cohort, mentee, mentor)


def test_staff_read_every_pairs_health_signals(login, staff, cohort, pair, mentee):
    PulseCheckFactory(mentorship=pair, respondent=mentee, score=2, answered_at=timezone.now())
    flag = PairFlagFactory(mentorship=pair)
    quiet = MentorshipFactory(cohort=cohort)
    response = login(staff).get(f"/api/v1/cohorts/{cohort.pk}/pair-health")
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["items"]}
    assert set(rows) == {pair.pk, quiet.pk}
    assert rows[pair.pk]["latest_pulse_score"] == 2
    assert [f["id"] for f in rows[pair.pk]["open_flags"]] == [flag.pk]
    assert rows[quiet.pk]["open_flags"] == [] and rows[quiet.pk]["steps_total"] == 0
    attention = login(staff).get(f"/api/v1/cohorts/{cohort.pk}/pair-health?needs_attention=true")
    assert [row["id"] for row in attention.json()["items"]] == [pair.pk]


def test_only_staff_of_the_programme_read_pair_health(login, cohort, pair, mentee, other_staff):
    url = f"/api/v1/cohorts/{cohort.pk}/pair-health"
    assert login(mentee).get(url).status_code in (403, 404)
    assert login(other_staff).get(url).status_code in (403, 404)


def test_staff_resolve_a_flag_once_through_the_api(login, staff, pair, other_staff, mentor):
    flag = PairFlagFactory(mentorship=pair)
    url = f"/api/v1/pair-flags/{flag.pk}/resolve"
    assert login(other_staff).post(url).status_code == 404
    assert login(mentor).post(url).status_code == 404
    response = login(staff).post(url)
    assert response.status_code == 200 and response.json()["resolved_at"]
    assert login(staff).post(url).status_code == 409
    assert PairFlag.objects.get(pk=flag.pk).resolved_by == staff
