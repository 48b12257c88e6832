"""Staff's list of a cohort's pairs shows each pair's health: last meeting, last message,
roadmap progress, latest check-in, open flags; with a "needs attention" filter, in a
bounded number of queries, for staff of the programme only."""

import pytest
from django.utils import timezone

from stem4all.checkins.models import PairFlag
from stem4all.matching.tests.factories import MentorshipFactory
from stem4all.meetings.tests.factories import MeetingFactory
from stem4all.roadmaps.models import Roadmap, RoadmapStep

from .factories import START, PairFlagFactory, PulseCheckFactory, add_message, day


def healthy_signals(mentorship):
    MeetingFactory(mentorship=mentorship, status="accepted", outcome="happened", starts_at=day(3))
    MeetingFactory(mentorship=mentorship, status="accepted", outcome="happened", starts_at=day(9))
    MeetingFactory(mentorship=mentorship, status="accepted", outcome="missed", starts_at=day(12))
    add_message(mentorship, at=day(11))
    add_message(mentorship, at=day(13), status="held")
    roadmap = Roadmap.objects.create(mentorship=mentorship)
    for position, status in enumerate(["done", "done", "planned", "dropped", "in_progress"]):
        RoadmapStep.objects.create(
            roadmap=roadmap, position=position, title=f"Step {position}", status=status
        )
    PulseCheckFactory(mentorship=mentorship, round=1, score=2, answered_at=day(30))
    PulseCheckFactory(mentorship=mentorship, round=2, score=4, answered_at=day(90))


def test_staff_see_each_pairs_signals_for_30_pairs_in_bounded_queries(
    login, staff, cohort, django_assert_max_num_queries
):
    pairs = [MentorshipFactory(cohort=cohort, started_at=START) for _ in range(30)]
    for mentorship in pairs:
        healthy_signals(mentorship)
    flagged = pairs[0]
    PairFlagFactory(mentorship=flagged)
    PairFlagFactory(mentorship=flagged, reason=PairFlag.Reason.INACTIVE_35_DAYS)
    PairFlagFactory(mentorship=pairs[1], resolved_at=timezone.now())
    client = login(staff)
    with django_assert_max_num_queries(12):
        response = client.get(f"/mentorships/staff/cohorts/{cohort.pk}/")
    assert response.status_code == 200
    rows = {m.pk: m for m in response.context["page"]}
    assert len(rows) == 30
    row = rows[flagged.pk]
    assert row.last_meeting_at == day(9)
    assert row.last_message_at == day(11)
    assert (row.steps_done, row.steps_total) == (2, 4)
    assert row.latest_pulse_score == 4
    assert len(row.open_flags) == 2
    assert rows[pairs[1].pk].open_flags == []
    html = response.content.decode()
    assert "2 of 4 steps" in html and "4 of 5" in html
    assert "low check-in score" in html and "no meeting or message for 35 days" in html
    assert f"/checkins/flags/{row.open_flags[0].pk}/resolve/" in html
    assert f"/mentorships/{flagged.pk}/end/" in html


def test_a_pair_without_activity_shows_dashes(login, staff, cohort):
    MentorshipFactory(cohort=cohort, started_at=START)
    response = login(staff).get(f"/mentorships/staff/cohorts/{cohort.pk}/")
    row = response.context["page"][0]
    assert row.last_meeting_at is None and row.last_message_at is None
    assert (row.steps_done, row.steps_total) == (0, 0) and row.latest_pulse_score is None


def test_needs_attention_shows_only_pairs_with_an_open_flag(login, staff, cohort):
    flagged, calm, resolved = (MentorshipFactory(cohort=cohort) for _ in range(3))
    PairFlagFactory(mentorship=flagged)
    PairFlagFactory(mentorship=resolved, resolved_at=timezone.now())
    client = login(staff)
    response = client.get(f"/mentorships/staff/cohorts/{cohort.pk}/?attention=on")
    assert [m.pk for m in response.context["page"]] == [flagged.pk]
    everyone = client.get(f"/mentorships/staff/cohorts/{cohort.pk}/")
    assert len(everyone.context["page"]) == 3
    assert client.get(f"/mentorships/staff/cohorts/{cohort.pk}/?attention=x").status_code == 200


def test_resolving_from_the_health_view_comes_back_to_it(login, staff, cohort):
    flag = PairFlagFactory(mentorship=MentorshipFactory(cohort=cohort))
    back = f"/mentorships/staff/cohorts/{cohort.pk}/?attention=on"
    response = login(staff).post(f"/checkins/flags/{flag.pk}/resolve/", {"next": back})
    assert response["Location"] == back


@pytest.mark.parametrize("who", ["mentee", "mentor", "other_staff", "stranger"])
def test_only_staff_of_the_programme_see_the_health_view(request, login, cohort, who):
    PairFlagFactory(mentorship=MentorshipFactory(cohort=cohort))
    client = login(request.getfixturevalue(who))
    # As the existing list: 403 for a cohort that is not hers, 404 for none.
    assert client.get(f"/mentorships/staff/cohorts/{cohort.pk}/").status_code == 403
    assert client.get("/mentorships/staff/cohorts/999999/").status_code == 404
