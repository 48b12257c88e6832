"""The award on a phone: a visitor signs up, confirms her e-mail, votes in two
categories, keeps her receipt and looks it up; once the jury has closed, a staff
member previews and publishes the results, and the public results page shows the
winner."""

import datetime as dt
import re

from django.core import mail
from django.utils import timezone

from stem4all.accounts.tests.factories import PASSWORD, UserFactory
from stem4all.awards.models import Edition, JuryScore, ScoreSheet, Vote
from stem4all.awards.tests.factories import (
    CategoryFactory,
    EditionFactory,
    JuryAssignmentFactory,
    JuryCriterionFactory,
    NominationFactory,
)
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import CohortFactory, ParticipationFactory

EMAIL = "aigerim.voter@example.org"
NEW_PASSWORD = "a-long-voting-passphrase-2026"


def _award(programme):
    edition = EditionFactory(
        programme=programme,
        name="STEM4ALL Award 2026",
        slug="stem4all-award-2026",
        phase="voting",
        description="The programme's award. Public voting is open.",
    )
    categories = {}
    juror = UserFactory(full_name="Test Juror")
    for position, (name, slug, kind, nominees) in enumerate(
        [
            ("Best mentor", "best-mentor", "mentor", ["Elmira Demomentor", "Saikal Demomentor"]),
            ("Best mentee", "best-mentee", "mentee", ["Begimai Demomentee", "Zamira Demomentee"]),
        ]
    ):
        category = CategoryFactory(
            edition=edition, name=name, slug=slug, nominee_kind=kind, position=position
        )
        criterion = JuryCriterionFactory(category=category, name="Impact", weight=1)
        seat = JuryAssignmentFactory(category=category, juror=juror, is_chair=True)
        nominations = [
            NominationFactory(category=category, nominee_user__full_name=full_name)
            for full_name in nominees
        ]
        categories[slug] = (category, criterion, seat, nominations)
    return edition, categories


def _close_the_jury_with_scores(edition, categories):
    """The jury scored both finalists of each category (the voted one higher), and the
    edition's times moved so that voting and the jury closed just now: set directly in
    the database, as the brief of this journey allows."""
    last_vote = Vote.objects.filter(category__edition=edition).latest("cast_at").cast_at
    close = last_vote + dt.timedelta(milliseconds=1)
    assert close < timezone.now()
    Edition.objects.filter(pk=edition.pk).update(
        voting_close_at=close,
        jury_open_at=close,
        jury_close_at=close + dt.timedelta(milliseconds=1),
        results_at=close + dt.timedelta(milliseconds=2),
    )
    for _category, criterion, seat, (first, second) in categories.values():
        for nomination, score in ((first, 10), (second, 5)):
            sheet = ScoreSheet.objects.create(
                assignment=seat, nomination=nomination, submitted_at=close
            )
            JuryScore.objects.create(sheet=sheet, criterion=criterion, score=score)


def test_a_visitor_votes_and_staff_publish_the_winner(
    live_server, new_page, check_accessibility, settings
):
    settings.STEM4ALL_REQUIRE_STAFF_MFA = False
    cohort = CohortFactory(programme__name="STEM4ALL Demo Programme")
    staff = UserFactory(email="staff@example.org", full_name="Staff Person", is_staff=True)
    ParticipationFactory(user=staff, cohort=cohort, role=Participation.Role.STAFF)
    edition, categories = _award(cohort.programme)

    # The award's index and the edition page, signed out.
    page = new_page()
    page.goto(live_server.url + "/awards/")
    check_accessibility(page)
    page.get_by_role("link", name="STEM4ALL Award 2026").click()
    page.wait_for_url(re.compile(r".*/awards/editions/stem4all-award-2026/$"))
    check_accessibility(page)
    assert page.locator("[aria-current=step]").inner_text().startswith("Public voting")

    # Sign up and confirm the e-mail address with the link from the mail.
    page.goto(live_server.url + "/accounts/signup/")
    check_accessibility(page)
    page.fill("[name=email]", EMAIL)
    page.fill("[name=full_name]", "Aigerim Voterova")
    page.fill("[name=password1]", NEW_PASSWORD)
    page.fill("[name=password2]", NEW_PASSWORD)
    page.locator("main form [type=submit]").last.click()
    check_accessibility(page)
    link = re.search(r"http://[^\s]+/accounts/confirm-email/[^\s]+", mail.outbox[-1].body).group(0)
    page.goto(link)
    check_accessibility(page)
    page.locator("main form [type=submit]").click()
    page.wait_for_url(re.compile(r".*/dashboard/"))

    # Vote in two categories; each vote gives a receipt.
    receipts = []
    for category_name, nominee in (
        ("Best mentor", "Elmira Demomentor"),
        ("Best mentee", "Begimai Demomentee"),
    ):
        page.goto(live_server.url + edition.get_absolute_url())
        check_accessibility(page)
        page.get_by_role("link", name=category_name, exact=True).click()
        check_accessibility(page)
        page.get_by_role("button", name=f"Vote for {nominee}").click()
        page.wait_for_url(re.compile(r".*/votes/\d+/receipt/$"))
        check_accessibility(page)
        assert nominee in page.locator("main").inner_text()
        receipts.append(page.locator("code.token").inner_text().strip())
    assert Vote.objects.filter(voter__email=EMAIL).count() == 2

    # Look the first receipt up on the public receipt page.
    page.get_by_role("link", name="Look up a receipt").click()
    check_accessibility(page)
    page.fill("[name=receipt]", receipts[0])
    page.get_by_role("button", name="Look up").click()
    check_accessibility(page)
    result = page.locator("main").inner_text()
    assert "Best mentor" in result and "Elmira Demomentor" in result

    # The jury has closed: staff preview the results and publish them.
    _close_the_jury_with_scores(edition, categories)
    staff_page = new_page()
    staff_page.goto(live_server.url + "/accounts/login/")
    staff_page.fill("[name=login]", staff.email)
    staff_page.fill("[name=password]", PASSWORD)
    staff_page.locator("main form [type=submit]").click()
    staff_page.wait_for_url(re.compile(r".*/dashboard/"))
    staff_page.goto(live_server.url + edition.get_absolute_url())
    check_accessibility(staff_page)
    staff_page.get_by_role("link", name="Preview the results").click()
    check_accessibility(staff_page)
    assert "Elmira Demomentor" in staff_page.locator("main").inner_text()
    staff_page.get_by_role("button", name="Publish the results").click()
    staff_page.wait_for_url(re.compile(r".*/results/$"))
    check_accessibility(staff_page)
    assert Edition.objects.get(pk=edition.pk).are_results_published

    # Anyone sees the winners on the public results page, linked from the edition.
    page.goto(live_server.url + edition.get_absolute_url())
    check_accessibility(page)
    page.get_by_role("link", name="See the results").click()
    check_accessibility(page)
    text = page.locator("main").inner_text()
    assert "Winner: Elmira Demomentor" in text
    assert "Winner: Begimai Demomentee" in text


def test_staff_set_up_an_edition_and_its_categories_on_a_phone(
    live_server, new_page, check_accessibility, settings
):
    settings.STEM4ALL_REQUIRE_STAFF_MFA = False
    cohort = CohortFactory(programme__name="STEM4ALL Demo Programme")
    staff = UserFactory(email="staff@example.org", full_name="Staff Person", is_staff=True)
    ParticipationFactory(user=staff, cohort=cohort, role=Participation.Role.STAFF)

    page = new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("[name=login]", staff.email)
    page.fill("[name=password]", PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_url(re.compile(r".*/dashboard/"))
    page.goto(live_server.url + "/awards/")
    check_accessibility(page)
    page.get_by_role("link", name=re.compile("New edition of the award")).click()
    check_accessibility(page)

    # Phases out of order are refused on the form, with the field named.
    page.fill("[name=name]", "STEM4ALL Award 2027")
    page.fill("[name=slug]", "stem4all-award-2027")
    page.fill("[name=year]", "2027")
    page.fill("[name=voting_open_at]", "2020-01-01T09:00")
    page.locator("main form [type=submit]").click()
    page.wait_for_selector(".errorlist")
    # The refused form answers 400 on purpose, which the browser logs as an error.
    page.console_errors.clear()
    check_accessibility(page)
    assert "The phases must follow each other in order." in page.locator("main").inner_text()
    page.fill("[name=voting_open_at]", page.input_value("[name=nominations_close_at]"))
    page.locator("main form [type=submit]").click()
    page.wait_for_url(re.compile(r".*/editions/stem4all-award-2027/manage/$"))
    check_accessibility(page)
    assert Edition.objects.get(slug="stem4all-award-2027").programme == cohort.programme

    for name, slug, kind in (
        ("Best regional mentee", "best-regional-mentee", "mentee"),
        ("Best STEM practice", "best-stem-practice", "practice"),
    ):
        page.get_by_role("link", name="Add a category").click()
        check_accessibility(page)
        page.fill("[name=name]", name)
        page.fill("[name=slug]", slug)
        page.select_option("[name=nominee_kind]", kind)
        if kind == "mentee":
            page.check("[name=outside_bishkek_only]")
        page.locator("main form [type=submit]").click()
        page.wait_for_url(re.compile(r".*/manage/$"))
        check_accessibility(page)
    page.get_by_role("button", name="Move Best STEM practice up").click()
    page.wait_for_url(re.compile(r".*/manage/$"))
    check_accessibility(page)
    names = page.locator("main ol.cards h3").all_inner_texts()
    assert names == ["Best STEM practice", "Best regional mentee"]

    page.get_by_role("link", name="Public page").click()
    check_accessibility(page)
    assert "living outside Bishkek only" in page.locator("main").inner_text()
    page.goto(live_server.url + "/awards/editions/stem4all-award-2027/edit/")
    check_accessibility(page)
