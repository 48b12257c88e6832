"""A mentee on her phone registers for a live training, checks in with the code shown
in the session, opens a recording with an access code, and downloads her certificate
of attendance. Every page passes axe and fits 360 px."""

import datetime as dt
import re
from pathlib import Path

from django.utils import timezone

from stem4all.accounts.tests.factories import PASSWORD, UserFactory
from stem4all.learning.models import AttendanceCertificate, Registration
from stem4all.learning.tests.factories import RegistrationFactory, TrainingFactory
from stem4all.matching.tests.factories import make_mentee
from stem4all.programmes.tests.factories import CohortFactory
from stem4all.recordings.services import create_access_code
from stem4all.recordings.tests.factories import RecordingFactory


def sign_in(page, live_server, email):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("[name=login]", email)
    page.fill("[name=password]", PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_url(re.compile(r".*/dashboard/"))


def test_a_mentee_attends_a_training_watches_a_recording_and_gets_her_certificate(
    live_server, new_page, check_accessibility, settings
):
    settings.STEM4ALL_ATTENDANCE_CERTIFICATE_TRAININGS = 3
    cohort = CohortFactory(name="Cohort 2027", phase="mentoring")
    mentee = make_mentee(cohort, full_name="Өмүрбүбү Таңатарова", email="omurbubu@example.org")
    programme = cohort.programme
    # Two trainings she attended earlier; the third starts in ten minutes (check-in
    # opens a quarter of an hour before the start).
    for days_ago in (30, 14):
        past = TrainingFactory(
            programme=programme, starts_at=timezone.now() - dt.timedelta(days=days_ago)
        )
        RegistrationFactory(training=past, user=mentee, attended=True, attended_at=past.starts_at)
    live = TrainingFactory(
        programme=programme,
        title="Leadership in STEM",
        starts_at=timezone.now() + dt.timedelta(minutes=10),
        duration_minutes=90,
    )
    # A recording of another cohort, shared with her by an access code.
    staff = UserFactory(is_staff=True)
    recording = RecordingFactory(cohort=CohortFactory(programme=programme), title="Time management")
    _code, friendly_code = create_access_code(recording=recording, by=staff, label="Naryn school")

    page = new_page()
    sign_in(page, live_server, mentee.email)
    page.locator("main").get_by_role("link", name="Lectures and trainings").click()
    check_accessibility(page)
    page.goto(live_server.url + f"/learning/trainings/{live.pk}/")
    check_accessibility(page)
    page.get_by_role("button", name="Register").click()
    check_accessibility(page)
    assert Registration.objects.get(training=live, user=mentee).status == "registered"

    page.get_by_label("Check-in code").fill(live.checkin_code.lower())
    page.get_by_role("button", name="Check in").click()
    check_accessibility(page)
    assert Registration.objects.get(training=live, user=mentee).attended

    page.goto(live_server.url + "/recordings/code/")
    check_accessibility(page)
    page.get_by_label("Access code").fill(friendly_code)
    page.get_by_role("button", name="Open the recording").click()
    check_accessibility(page)
    assert "Time management" in page.content()
    assert friendly_code not in page.url

    page.goto(live_server.url + "/learning/certificates/")
    check_accessibility(page)
    page.get_by_role("button", name="Get my certificate").click()
    check_accessibility(page)
    certificate = AttendanceCertificate.objects.get(user=mentee)
    with page.expect_download() as download:
        page.locator(f"a[href$='{certificate.code}.pdf']").first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"
