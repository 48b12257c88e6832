"""A pair's first month on phones: they agree, the mentee writes her roadmap, the mentor
proposes a meeting and the mentee accepts, they exchange messages, and after the
meeting both log it and give feedback. Every page passes axe and fits 360 px."""

import datetime as dt
import re

from django.utils import timezone

from stem4all.accounts.tests.factories import PASSWORD
from stem4all.matching.tests.factories import MentorshipFactory, make_mentee, make_mentor
from stem4all.meetings.models import Meeting, MeetingFeedback
from stem4all.mentorships.models import MentoringAgreement
from stem4all.messaging.models import Message
from stem4all.programmes.tests.factories import CohortFactory
from stem4all.roadmaps.models import RoadmapStep


def sign_in(page, live_server, email):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("[name=login]", email)
    page.fill("[name=password]", PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_url(re.compile(r".*/dashboard/"))


def open_from_dashboard(page, live_server, link, check_accessibility):
    page.goto(live_server.url + "/dashboard/")
    page.locator("main").get_by_role("link", name=link).first.click()
    check_accessibility(page)


def test_a_pair_lives_its_first_month(live_server, new_page, check_accessibility):
    cohort = CohortFactory(name="Cohort 2027", phase="mentoring")
    mentee = make_mentee(cohort, full_name="Aigerim Mentee", email="aigerim@example.org")
    mentor = make_mentor(cohort, full_name="Dinara Mentor", email="dinara@example.org")
    pair = MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor, started_at=timezone.now())

    # The mentee writes the agreement and confirms it.
    her = new_page()
    sign_in(her, live_server, mentee.email)
    check_accessibility(her)
    open_from_dashboard(her, live_server, "Mentorship and agreement", check_accessibility)
    her.get_by_label("Goals").fill("Apply to two master's programmes; practise interviews.")
    her.get_by_label("Working language").select_option("en")
    end = (timezone.localdate() + dt.timedelta(days=180)).isoformat()
    her.get_by_label("Expected end date").fill(end)
    her.get_by_role("button", name="Save the agreement").click()
    check_accessibility(her)
    her.get_by_role("button", name="Confirm the agreement").click()
    check_accessibility(her)

    # The mentor confirms it too.
    them = new_page()
    sign_in(them, live_server, mentor.email)
    open_from_dashboard(them, live_server, "Mentorship and agreement", check_accessibility)
    them.get_by_role("button", name="Confirm the agreement").click()
    check_accessibility(them)
    assert MentoringAgreement.objects.get(mentorship=pair).is_confirmed

    # The mentee writes her career goal and a first step.
    open_from_dashboard(her, live_server, "Roadmap", check_accessibility)
    her.get_by_role("textbox", name="Career goal").fill(
        "Become a data engineer at a Bishkek fintech."
    )
    her.get_by_role("button", name="Save the goal").click()
    check_accessibility(her)
    her.locator("form[action$='/steps/']").get_by_label("Title").fill("Finish an SQL course")
    her.get_by_role("button", name="Add the step").click()
    check_accessibility(her)
    assert RoadmapStep.objects.filter(roadmap__mentorship=pair).count() == 1

    # The mentor proposes a meeting next week; the mentee accepts it.
    open_from_dashboard(them, live_server, "Meetings", check_accessibility)
    when = (timezone.localtime() + dt.timedelta(days=7)).replace(hour=18, minute=0)
    them.get_by_label("Date and time").fill(when.strftime("%Y-%m-%dT%H:%M"))
    them.get_by_label("Time zone").select_option("Asia/Bishkek")
    them.get_by_label("Online link").fill("https://meet.example.org/first")
    them.get_by_label("Agenda").fill("Getting to know each other.")
    them.get_by_role("button", name="Send the proposal").click()
    check_accessibility(them)
    meeting = Meeting.objects.get(mentorship=pair)

    her.goto(live_server.url + f"/meetings/{meeting.pk}/")
    check_accessibility(her)
    her.get_by_role("button", name="Accept").click()
    check_accessibility(her)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ACCEPTED

    # They write to each other.
    open_from_dashboard(her, live_server, "Messages", check_accessibility)
    her.get_by_label("Your message").fill("Hello! I look forward to our meeting.")
    her.get_by_role("button", name="Send").click()
    check_accessibility(her)
    open_from_dashboard(them, live_server, "Messages", check_accessibility)
    assert "I look forward to our meeting" in them.content()
    them.get_by_label("Your message").fill("Me too. Bring your questions.")
    them.get_by_role("button", name="Send").click()
    check_accessibility(them)
    assert Message.objects.filter(conversation__mentorship=pair).count() == 2

    # A week later the meeting has happened: she logs it, both give feedback.
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))
    her.goto(live_server.url + f"/meetings/{meeting.pk}/")
    check_accessibility(her)
    her.get_by_label("It happened").check()
    her.get_by_label("Notes for both of you").fill("We planned the SQL course.")
    her.get_by_role("button", name="Log").click()
    check_accessibility(her)
    for page in (her, them):
        page.goto(live_server.url + f"/meetings/{meeting.pk}/")
        page.get_by_label("5", exact=True).check()
        page.get_by_role("button", name="Send feedback").click()
        check_accessibility(page)
    assert MeetingFeedback.objects.filter(meeting=meeting).count() == 2
