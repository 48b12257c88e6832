"""The demo peer groups seed on a demo-like cohort and seeding twice changes nothing."""

import datetime as dt

from stem4all.peergroups.demo import seed_peer_groups
from stem4all.peergroups.models import GroupMeeting, PeerGroup, PeerGroupMember


def test_the_demo_groups_have_the_mentee_and_minor_and_an_upcoming_meeting(
    cohort, mentee, minor_mentee
):
    today = dt.date.today()
    people = {"mentee": mentee, "minor": minor_mentee}
    groups = seed_peer_groups(cohort=cohort, people=people, today=today)
    assert [g.topic for g in groups] == ["Data science in Kyrgyz", "Women in engineering — Osh"]
    for group in groups:
        assert set(
            PeerGroupMember.objects.filter(group=group, left_at__isnull=True).values_list(
                "user_id", flat=True
            )
        ) == {mentee.pk, minor_mentee.pk}
    meeting = GroupMeeting.objects.get()
    assert meeting.starts_at.date() > today
    seed_peer_groups(cohort=cohort, people=people, today=today)
    assert PeerGroup.objects.count() == 2 and GroupMeeting.objects.count() == 1
