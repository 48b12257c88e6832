"""A new mentee signs up on her phone, fills her profile in Kyrgyz, applies, and a staff
member accepts her."""

import re

from django.core import mail

from stem4all.accounts.tests.factories import PASSWORD, UserFactory
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import CohortFactory, ParticipationFactory

EMAIL = "zhyldyz.new@example.org"
NEW_PASSWORD = "my-own-long-passphrase-2026"


def test_new_mentee_signs_up_applies_and_is_accepted(
    live_server, new_page, check_accessibility, settings
):
    settings.STEM4ALL_REQUIRE_STAFF_MFA = False
    cohort = CohortFactory(name="Cohort 2027", programme__name="STEM4ALL Demo Programme")
    staff = UserFactory(email="staff@example.org", full_name="Staff Person", is_staff=True)
    ParticipationFactory(user=staff, cohort=cohort, role=Participation.Role.STAFF)

    page = new_page()
    page.goto(live_server.url + "/")
    check_accessibility(page)
    page.get_by_role("link", name="Create an account to apply").click()

    # Sign up.
    check_accessibility(page)
    page.fill("[name=email]", EMAIL)
    page.fill("[name=full_name]", "Zhyldyz Asanova")
    page.fill("[name=password1]", NEW_PASSWORD)
    page.fill("[name=password2]", NEW_PASSWORD)
    page.locator("form [type=submit]").last.click()
    check_accessibility(page)

    # Verify the e-mail address with the link from the mail.
    link = re.search(r"http://[^\s]+/accounts/confirm-email/[^\s]+", mail.outbox[-1].body).group(0)
    page.goto(link)
    check_accessibility(page)
    page.locator("main form [type=submit]").click()
    page.wait_for_url(re.compile(r".*/dashboard/"))
    check_accessibility(page)

    # Switch the interface to Kyrgyz, without JavaScript needed (a plain form post).
    page.select_option("#language-select", "ky")
    page.locator(".language-switch button").click()
    assert page.locator("html").get_attribute("lang") == "ky"
    check_accessibility(page)

    # Personal details.
    page.goto(live_server.url + "/profile/details/")
    check_accessibility(page)
    page.fill("[name=date_of_birth]", "2005-03-14")
    page.select_option("[name=region]", "naryn")
    page.select_option("[name=district]", "at_bashy")
    page.locator("main form [type=submit]").click()
    page.wait_for_url(re.compile(r".*/profile/$"))
    check_accessibility(page)

    # Languages.
    page.goto(live_server.url + "/profile/languages/")
    check_accessibility(page)
    page.select_option("[name=lang_ky]", "native")
    page.select_option("[name=lang_en]", "B1")
    page.locator("main form [type=submit]").click()
    page.wait_for_url(re.compile(r".*/profile/$"))

    # Mentee profile, filled in Kyrgyz.
    page.goto(live_server.url + "/profile/mentee/")
    check_accessibility(page)
    page.select_option("[name=education_level]", "university")
    page.fill("[name=institution]", "Нарын мамлекеттик университети")
    page.check("[name=stem_fields][value=data_science]")
    page.fill("[name=career_goal]", "Бишкектеги финтех компанияда маалымат инженери болуу.")
    page.check("[name=preferred_mentor_type][value=international]")
    page.check("[name=availability][value=weekend_morning]")
    page.locator("main form [type=submit]").click()
    page.wait_for_url(re.compile(r".*/profile/$"))
    check_accessibility(page)
    assert "маалымат инженери" in page.content()

    # Apply to the cohort.
    page.goto(live_server.url + f"/programmes/cohorts/{cohort.pk}/")
    check_accessibility(page)
    page.locator("a[href$='/apply/mentee/']").click()
    check_accessibility(page)
    page.fill(
        "[name=motivation]", "Мен маалымат илимин үйрөнүп, айылдагы кыздарга жардам бергим келет."
    )
    page.check("[name=agrees_to_privacy]")
    page.locator("main form [type=submit]").click()
    page.wait_for_url(re.compile(r".*/dashboard/"))
    check_accessibility(page)
    application = Participation.objects.get(user__email=EMAIL, cohort=cohort)
    assert application.status == Participation.Status.APPLIED

    # A staff member signs in on her own phone and accepts the application.
    staff_page = new_page()
    staff_page.goto(live_server.url + "/accounts/login/")
    check_accessibility(staff_page)
    staff_page.fill("[name=login]", staff.email)
    staff_page.fill("[name=password]", PASSWORD)
    staff_page.locator("main form [type=submit]").click()
    staff_page.wait_for_url(re.compile(r".*/dashboard/"))
    check_accessibility(staff_page)
    staff_page.get_by_role("link", name="Cohort 2027").first.click()
    check_accessibility(staff_page)
    staff_page.get_by_role("link", name="Zhyldyz Asanova").click()
    check_accessibility(staff_page)
    staff_page.check("[name=decision][value=accepted]")
    staff_page.get_by_role("button", name="Save decision").click()
    staff_page.wait_for_selector("#decision-panel .status-accepted")
    check_accessibility(staff_page)

    application.refresh_from_db()
    assert application.status == Participation.Status.ACCEPTED
    page.goto(live_server.url + "/dashboard/")
    assert page.locator(".status-accepted").count() == 1
