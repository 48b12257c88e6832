"""The impact dashboard on a phone: the funder opens the closed cohort's report from
her dashboard, reads the charts and the tables beside them, and downloads a table;
staff ask for the donor PDF and download it. Without JavaScript the charts are
still there, drawn on the server."""

import re

import pytest

from stem4all.core.demo_data import seed_programme
from stem4all.core.demo_impact import PAST_COHORT_NAME, PAST_COHORT_SLUG
from stem4all.programmes.models import Cohort

from .conftest import PHONE
from .test_demo_pages import sign_in


@pytest.fixture
def demo(db, settings):
    settings.STEM4ALL_REQUIRE_STAFF_MFA = False
    seed_programme(mentees=40, mentors=30, seed=1)
    return Cohort.objects.get(slug=PAST_COHORT_SLUG)


def test_the_funder_reads_the_dashboard_on_a_phone(
    live_server, new_page, check_accessibility, demo
):
    page = new_page()
    sign_in(page, live_server, "funder")
    page.get_by_role("link", name=re.compile(PAST_COHORT_NAME)).first.click()
    page.wait_for_url(re.compile(rf".*/reports/cohorts/{demo.pk}/$"))
    check_accessibility(page)

    figures = page.locator(".figures")
    assert "Mentees accepted" in figures.inner_text() and "40" in figures.inner_text()
    for name in ("From application to completion", "Mentees matched with a mentor, by region"):
        chart = page.get_by_role("img", name=re.compile(name))
        assert chart.is_visible()
        assert chart.bounding_box()["width"] <= PHONE["width"]
    # The numbers of a chart are in a table beside it, one tap away.
    funnel = page.locator("section", has=page.locator("#funnel"))
    funnel.locator("summary").click()
    assert funnel.get_by_role("cell").first.is_visible()
    check_accessibility(page)
    with page.expect_download() as download:
        funnel.get_by_role("link", name="Download (CSV)").click()
    assert download.value.suggested_filename.endswith(".csv")
    # A funder reads reports, nothing else: no staff links on her page.
    assert page.get_by_role("link", name="Donor report (PDF)").count() == 0


def test_staff_ask_for_the_donor_pdf_and_the_charts_need_no_javascript(
    browser, live_server, new_page, check_accessibility, demo
):
    page = new_page()
    sign_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/reports/cohorts/{demo.pk}/")
    page.get_by_role("link", name="Donor report (PDF)").click()
    check_accessibility(page)
    page.locator("main form [type=submit]").click()
    link = page.get_by_role("link", name=re.compile("Download", re.I)).first
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")

    cookies = page.context.cookies()
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    context.add_cookies(cookies)
    plain = context.new_page()
    plain.goto(f"{live_server.url}/reports/cohorts/{demo.pk}/")
    assert plain.locator("svg[role=img]").count() >= 4
    assert plain.locator("svg title", has_text="by region").count() == 1
    width = plain.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    context.close()


def test_a_mentee_answers_her_baseline_survey_on_a_phone_in_kyrgyz(
    live_server, new_page, check_accessibility, demo
):
    page = new_page()
    sign_in(page, live_server, "mentee")  # she reads the site in Kyrgyz
    assert page.locator("html").get_attribute("lang") == "ky"
    page.locator("#open-surveys-heading").locator("..").get_by_role("link").first.click()
    assert "Мен илим, технология" in page.locator("main form").inner_text()
    check_accessibility(page)
    submit = page.locator("main form [type=submit]")
    submit.click()
    assert page.get_by_role("alert").is_visible()  # nothing answered yet
    check_accessibility(page)
    names = page.eval_on_selector_all(
        "main form input[type=radio], main form input[type=checkbox]",
        "inputs => [...new Set(inputs.map(i => i.name))]",
    )
    assert len(names) >= 8
    for name in names:
        page.locator(f"main form input[name='{name}']").last.check()
    submit.click()
    assert page.locator("main form input[type=radio]").count() == 0
    page.goto(live_server.url + "/dashboard/")
    assert page.locator("#open-surveys-heading").count() == 0
