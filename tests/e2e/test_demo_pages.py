"""Every kind of page of the seeded demo, opened on a phone by the person it is for:
each one passes axe, logs no console error and fits 360 px."""

import re

import pytest

from stem4all.community.models import PartnerOrganisation, Practice
from stem4all.core.demo_data import DEMO_DOMAIN, DEMO_PASSWORD, seed_programme
from stem4all.core.demo_impact import PAST_COHORT_SLUG
from stem4all.core.demo_journey import PILOT_SLUG
from stem4all.learning.models import Lecture, Training
from stem4all.mentorships.models import Mentorship
from stem4all.peergroups.models import PeerGroup
from stem4all.programmes.models import Cohort
from stem4all.recordings.models import Recording
from stem4all.reports.models import Survey


@pytest.fixture
def demo(db, settings):
    settings.STEM4ALL_REQUIRE_STAFF_MFA = False
    seed_programme(mentees=40, mentors=30, seed=1)
    pilot = Cohort.objects.get(slug=PILOT_SLUG)
    return {
        "pilot": pilot,
        "pair": Mentorship.objects.get(cohort=pilot, mentee__email=f"mentee@{DEMO_DOMAIN}"),
        "lecture": Lecture.objects.filter(is_published=True).first(),
        "training": Training.objects.filter(is_published=True).order_by("-starts_at").first(),
        "group": PeerGroup.objects.first(),
        "practice": Practice.objects.filter(status="approved").first(),
        "partner": PartnerOrganisation.objects.filter(status="approved").first(),
        "recording": Recording.objects.first(),
        "survey": Survey.objects.filter(cohort__slug=PAST_COHORT_SLUG).first(),
    }


def sign_in(page, live_server, who):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("[name=login]", f"{who}@{DEMO_DOMAIN}")
    page.fill("[name=password]", DEMO_PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_url(re.compile(r".*/dashboard/"))


def visit_all(page, live_server, check_accessibility, paths):
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        check_accessibility(page)


def test_the_demo_pages_of_mentees_partners_and_staff(
    live_server, new_page, check_accessibility, demo
):
    pair, pilot = demo["pair"], demo["pilot"]
    page = new_page()
    sign_in(page, live_server, "mentee")
    visit_all(
        page,
        live_server,
        check_accessibility,
        [
            "/dashboard/",
            f"/mentorships/{pair.pk}/",
            f"/roadmaps/mentorship/{pair.pk}/",
            f"/meetings/pair/{pair.pk}/",
            f"/messages/{pair.conversation.pk}/",
            "/notifications/",
            "/learning/",
            "/learning/lectures/",
            f"/learning/lectures/{demo['lecture'].pk}/",
            "/learning/trainings/",
            f"/learning/trainings/{demo['training'].pk}/",
            "/learning/certificates/",
            "/groups/",
            f"/groups/{demo['group'].pk}/",
            "/recordings/",
            "/community/",
            f"/community/practices/{demo['practice'].slug}/",
            "/community/partners/",
            f"/community/partners/{demo['partner'].slug}/",
            "/reports/surveys/mine/",
        ],
    )

    partner_page = new_page()
    sign_in(partner_page, live_server, "partner")
    visit_all(partner_page, live_server, check_accessibility, ["/community/mine/"])

    staff_page = new_page()
    sign_in(staff_page, live_server, "staff")
    visit_all(
        staff_page,
        live_server,
        check_accessibility,
        [
            f"/mentorships/staff/cohorts/{pilot.pk}/",
            f"/roadmaps/staff/cohorts/{pilot.pk}/progress/",
            f"/closure/staff/cohorts/{pilot.pk}/exit-surveys/",
            f"/reports/cohorts/{pilot.pk}/",
            f"/reports/donor/cohorts/{pilot.pk}/",
            f"/reports/surveys/cohorts/{pilot.pk}/",
            f"/reports/surveys/{demo['survey'].pk}/results/",
            f"/reports/surveys/{demo['survey'].pk}/edit/",
            f"/reports/surveys/questions/{demo['survey'].questions.first().pk}/",
            "/messages/moderation/",
            "/messages/concerns/",
            f"/learning/trainings/{demo['training'].pk}/roster/",
            f"/recordings/staff/cohorts/{pilot.pk}/",
            f"/recordings/staff/{demo['recording'].pk}/codes/",
            "/community/review/",
            f"/groups/cohorts/{pilot.pk}/alumni/",
        ],
    )
