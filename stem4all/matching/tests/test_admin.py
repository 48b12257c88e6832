"""The admin lists matching and mentorship rows, each staff member only her programme's."""

import pytest
from django.contrib.auth.models import Permission

from stem4all.accounts.tests.factories import UserFactory
from stem4all.matching import services
from stem4all.matching.tests.factories import MentorshipFactory, ProposalFactory

PAGES = [
    "/admin/matching/matchingrun/",
    "/admin/matching/proposal/",
    "/admin/matching/unmatchedmentee/",
    "/admin/matching/pairrule/",
    "/admin/matching/mentorchoice/",
    "/admin/mentorships/mentorship/",
]


@pytest.fixture
def rows(staff, mentee, mentor, cohort):
    run = services.start_matching_run(cohort=cohort, staff=staff, mode="optimal", options={})
    ProposalFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    return run


def test_a_superuser_opens_every_matching_page_in_the_admin(login, rows, mentee):
    client = login(UserFactory(is_staff=True, is_superuser=True))
    for url in PAGES:
        page = client.get(url)
        assert page.status_code == 200, url
    assert mentee.full_name in client.get("/admin/matching/proposal/").content.decode()
    proposal = rows.proposals.first()
    assert client.get(f"/admin/matching/proposal/{proposal.pk}/change/").status_code == 200


def test_admin_staff_see_only_their_programmes_matching_rows(login, rows, other_staff, mentee):
    other_staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["matching", "mentorships"], codename__startswith="view_"
        )
    )
    client = login(other_staff)
    for url in PAGES:
        page = client.get(url)
        assert page.status_code == 200, url
        assert mentee.full_name not in page.content.decode(), url
