"""Staff match a cohort on a phone, publish, and a mentor accepts her mentee; a mentee
chooses her mentors. Every page passes axe and fits 360 px."""

import re

from stem4all.accounts.tests.factories import PASSWORD, UserFactory
from stem4all.matching.tests.factories import make_mentee, make_mentor
from stem4all.mentorships.models import Mentorship
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import CohortFactory, ParticipationFactory


def sign_in(page, live_server, email):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("[name=login]", email)
    page.fill("[name=password]", PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_url(re.compile(r".*/dashboard/"))


def test_staff_match_publish_and_a_mentor_accepts(
    live_server, new_page, check_accessibility, settings
):
    settings.STEM4ALL_REQUIRE_STAFF_MFA = False
    cohort = CohortFactory(name="Cohort 2027", phase="matching")
    staff = UserFactory(email="staff@example.org", full_name="Staff Person", is_staff=True)
    ParticipationFactory(user=staff, cohort=cohort, role=Participation.Role.STAFF)
    mentee = make_mentee(cohort, full_name="Aigerim Mentee", fields=("physics",))
    chooser = make_mentee(cohort, full_name="Begimai Chooser", fields=("biology",))
    mentor = make_mentor(
        cohort, full_name="Dinara Mentor", email="mentor@example.org", fields=("physics",)
    )
    make_mentor(cohort, full_name="Elmira Mentor", fields=("biology",))

    # A mentee ranks a mentor on her phone.
    page = new_page()
    sign_in(page, live_server, chooser.email)
    page.goto(live_server.url + f"/matching/cohorts/{cohort.pk}/mentors/")
    check_accessibility(page)
    page.locator("form.actions button").first.click()
    check_accessibility(page)
    assert chooser.mentor_choices.count() == 1

    # Staff start a run, review it and publish.
    staff_page = new_page()
    sign_in(staff_page, live_server, staff.email)
    staff_page.goto(live_server.url + f"/matching/staff/cohorts/{cohort.pk}/")
    check_accessibility(staff_page)
    staff_page.locator("main form.stacked [type=submit]").click()
    staff_page.wait_for_url(re.compile(r".*/matching/staff/runs/\d+/"))
    check_accessibility(staff_page)
    assert "Aigerim Mentee" in staff_page.content()
    staff_page.get_by_role("button", name="Publish: ask the mentors").click()
    check_accessibility(staff_page)

    # The mentor accepts on her phone.
    mentor_page = new_page()
    sign_in(mentor_page, live_server, mentor.email)
    check_accessibility(mentor_page)
    mentor_page.goto(live_server.url + "/matching/proposals/")
    check_accessibility(mentor_page)
    mentor_page.get_by_role("button", name="Accept Aigerim Mentee as my mentee").click()
    check_accessibility(mentor_page)
    assert Mentorship.objects.filter(mentee=mentee, mentor=mentor, status="active").exists()

    page.goto(live_server.url + "/matching/my-mentor/")
    check_accessibility(page)
