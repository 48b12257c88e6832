"""Turning a finished cohort into alumni groups: one per region of its mentees, with
its accepted mentees and the mentors who completed a mentorship; twice is once."""

import pytest
from django.urls import reverse

from stem4all.matching.tests.factories import MentorshipFactory, make_mentee, make_mentor
from stem4all.mentorships.models import Mentorship
from stem4all.peergroups import services
from stem4all.peergroups.models import PeerGroup, PeerGroupMember
from stem4all.programmes.models import Cohort, Participation


@pytest.fixture
def finished(cohort):
    cohort.phase = Cohort.Phase.CLOSURE
    cohort.save(update_fields=["phase"])
    return cohort


@pytest.fixture
def alumni(finished):
    naryn = [make_mentee(finished, region="naryn", district="at_bashy") for _ in range(2)]
    osh = make_mentee(finished, region="osh", district="kara_suu")
    unconsented = make_mentee(finished, age=15, with_consent=False, region="osh")
    make_mentee(finished, region="chui", district="alamudun")  # becomes rejected below
    Participation.objects.filter(user__region="chui", cohort=finished).update(
        status=Participation.Status.REJECTED
    )
    mentor = make_mentor(finished)
    MentorshipFactory(
        cohort=finished, mentee=naryn[0], mentor=mentor, status=Mentorship.Status.COMPLETED
    )
    early = make_mentor(finished)
    MentorshipFactory(
        cohort=finished, mentee=osh, mentor=early, status=Mentorship.Status.ENDED_EARLY
    )
    return {
        "naryn": naryn,
        "osh": osh,
        "unconsented": unconsented,
        "mentor": mentor,
        "early": early,
    }


def members(group):
    return set(
        PeerGroupMember.objects.filter(group=group, left_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )


def test_one_group_per_region_with_mentees_and_completing_mentors(finished, staff, alumni):
    report = services.create_alumni_groups(cohort=finished, by=staff)
    groups = {group.region: group for group in report.groups_created}
    assert set(groups) == {"naryn", "osh"}
    assert members(groups["naryn"]) == {
        alumni["naryn"][0].pk,
        alumni["naryn"][1].pk,
        alumni["mentor"].pk,
    }
    assert members(groups["osh"]) == {alumni["osh"].pk}
    assert report.skipped == [alumni["unconsented"]]
    assert all(group.kind == PeerGroup.Kind.ALUMNI for group in groups.values())
    assert groups["naryn"].conversation.members.count() == 3
    assert groups["naryn"].conversation.cohort == finished


def test_converting_twice_creates_nothing_new_and_does_not_re_add_leavers(finished, staff, alumni):
    first = services.create_alumni_groups(cohort=finished, by=staff)
    naryn = next(group for group in first.groups_created if group.region == "naryn")
    services.leave_group(group=naryn, user=alumni["naryn"][1])
    again = services.create_alumni_groups(cohort=finished, by=staff)
    assert again.groups_created == [] and again.members_added == 0
    assert PeerGroup.objects.filter(kind="alumni").count() == 2
    assert alumni["naryn"][1].pk not in members(naryn)


def test_a_late_accepted_mentee_is_added_on_a_second_run(finished, staff, alumni):
    services.create_alumni_groups(cohort=finished, by=staff)
    late = make_mentee(finished, region="naryn")
    again = services.create_alumni_groups(cohort=finished, by=staff)
    assert again.groups_created == [] and again.members_added == 1
    assert late.pk in members(PeerGroup.objects.get(kind="alumni", region="naryn"))


def test_a_cohort_not_in_closure_is_refused(cohort, staff, mentee):
    with pytest.raises(services.PeerGroupError, match="closure"):
        services.create_alumni_groups(cohort=cohort, by=staff)
    assert not PeerGroup.objects.exists()


def test_the_staff_page_previews_and_creates_the_groups(login, finished, staff, alumni):
    client = login(staff)
    url = reverse("peergroups:alumni_groups", args=[finished.pk])
    page = client.get(url).content.decode()
    assert "Create alumni groups" in page
    assert "1 mentee is left out" in page
    response = client.post(url, follow=True)
    assert "2 new groups, 4 people added." in response.content.decode()
    response = client.post(url, follow=True)
    assert "0 new groups, 0 people added." in response.content.decode()
    assert PeerGroup.objects.count() == 2


def test_alumni_see_their_group_and_the_mentor_member_too(login, finished, staff, alumni):
    services.create_alumni_groups(cohort=finished, by=staff)
    group = PeerGroup.objects.get(region="naryn")
    url = reverse("peergroups:group_detail", args=[group.pk])
    assert login(alumni["naryn"][0]).get(url).status_code == 200
    assert login(alumni["mentor"]).get(url).status_code == 200


def test_only_the_programmes_staff_may_convert(login, finished, other_staff, mentee, alumni):
    url = reverse("peergroups:alumni_groups", args=[finished.pk])
    assert login(other_staff).post(url).status_code == 403
    assert login(mentee).post(url).status_code == 403
    assert not PeerGroup.objects.exists()


def test_a_staff_participation_is_not_enough_to_join_groups(finished, staff, alumni):
    services.create_alumni_groups(cohort=finished, by=staff)
    group = PeerGroup.objects.get(region="naryn")
    with pytest.raises(services.PeerGroupError):
        services.join_group(group=group, user=staff)


def test_staff_find_the_conversion_of_a_cohort_in_closure_on_the_group_list(
    login, finished, staff, mentee
):
    page = login(staff).get(reverse("peergroups:group_list")).content.decode()
    assert reverse("peergroups:alumni_groups", args=[finished.pk]) in page
    page = login(mentee).get(reverse("peergroups:group_list")).content.decode()
    assert reverse("peergroups:alumni_groups", args=[finished.pk]) not in page
