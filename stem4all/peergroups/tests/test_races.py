"""Races on PostgreSQL: joins of a limited group take turns under the group's row
lock, and two staff converting a cohort at once make one set of alumni groups."""

from stem4all.matching.tests.factories import MentorshipFactory, make_mentee, make_mentor
from stem4all.mentorships.models import Mentorship
from stem4all.peergroups import services
from stem4all.peergroups.models import PeerGroup, PeerGroupMember
from stem4all.programmes.models import Cohort
from stem4all.programmes.tests.factories import CohortFactory, ParticipationFactory

from .factories import make_group


def test_ten_joining_a_group_limited_to_three_at_once_make_exactly_three_members(
    postgres_only, run_concurrently
):
    cohort = CohortFactory()
    organiser = make_mentee(cohort)
    group = make_group(organiser, cohort.programme, member_limit=3)
    joiners = [make_mentee(cohort) for _ in range(10)]

    def join(i):
        return services.join_group(group=group, user=joiners[i])

    results, errors = run_concurrently(join, n=10)
    assert len(results) == 2, errors  # the organiser holds the first place
    assert len(errors) == 8
    assert all(isinstance(error, services.PeerGroupError) for error in errors), errors
    current = PeerGroupMember.objects.filter(group=group, status="member", left_at__isnull=True)
    assert current.count() == 3
    assert group.conversation.members.filter(left_at__isnull=True).count() == 3


def test_two_staff_converting_a_cohort_at_once_make_one_set_of_groups(
    postgres_only, run_concurrently
):
    cohort = CohortFactory(phase=Cohort.Phase.CLOSURE)
    staff = [ParticipationFactory(cohort=cohort, role="staff").user for _ in range(2)]
    for region, district in (("naryn", "at_bashy"), ("osh", "kara_suu"), ("chui", "alamudun")):
        mentee = make_mentee(cohort, region=region, district=district)
        MentorshipFactory(
            cohort=cohort,
            mentee=mentee,
            mentor=make_mentor(cohort),
            status=Mentorship.Status.COMPLETED,
        )

    def convert(i):
        return services.create_alumni_groups(cohort=cohort, by=staff[i % 2])

    for round_number in range(3):
        results, errors = run_concurrently(convert, n=2)
        assert errors == []
        assert PeerGroup.objects.filter(cohort=cohort, kind="alumni").count() == 3
        assert PeerGroupMember.objects.filter(group__cohort=cohort).count() == 6
        created = sorted(len(report.groups_created) for report in results)
        # One of the first two made all three groups; later runs find them.
        assert created == ([0, 3] if round_number == 0 else [0, 0])
