"""The dashboard itself: every chart with a table beside it, within the page budget
at its largest (36 months, every region), in each language; its figures are kept for
a few minutes and staff can have them recomputed."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from stem4all.accounts.geography import Region
from stem4all.core.tests.test_page_budget import BUDGET_JS, BUDGET_TOTAL, transferred
from stem4all.matching.tests.factories import MentorshipFactory
from stem4all.meetings.tests.factories import MeetingFactory
from stem4all.mentorships.models import Mentorship
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import ParticipationFactory

from .conftest import mentee_in


@pytest.fixture
def staff_of(db):
    def make(cohort):
        from stem4all.accounts.tests.factories import UserFactory

        user = UserFactory(is_staff=True)
        ParticipationFactory(user=user, cohort=cohort, role=Participation.Role.STAFF)
        return user

    return make


@pytest.fixture
def largest(counted):
    """The counted cohort spread over three years, with five mentees in every region."""
    today = timezone.localdate()
    counted.starts_on, counted.ends_on = today - dt.timedelta(days=1100), today
    counted.save(update_fields=["starts_on", "ends_on"])
    for region in Region.values:
        for _i in range(5):
            MentorshipFactory(cohort=counted, mentee=mentee_in(counted, region))
    for month in range(36):
        pair = Mentorship.objects.filter(cohort=counted).order_by("?").first()
        MeetingFactory(
            mentorship=pair,
            outcome="happened",
            starts_at=timezone.now() - dt.timedelta(days=30 * month + 1),
        )
    return counted


@pytest.mark.parametrize("language", ["en", "ru", "ky"])
def test_the_largest_dashboard_fits_the_page_budget(login, staff_of, largest, language):
    staff = staff_of(largest)
    staff.preferred_language = language
    staff.save(update_fields=["preferred_language"])
    response = login(staff).get(reverse("reports:cohort", args=[largest.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{language}"' in html
    # Funnel, map, months (no survey yet) and bars for the four other breakdowns; a
    # table for each, and for the rest.
    assert html.count('role="img"') == 7 and html.count("<table") >= 9
    total, js = transferred(html)
    assert js <= BUDGET_JS and total <= BUDGET_TOTAL, (total, js)


def test_the_figures_are_kept_until_staff_recompute_them(login, staff_of, counted, funder):
    url = reverse("reports:cohort", args=[counted.pk])
    refresh = reverse("reports:refresh", args=[counted.pk])
    assert login(funder).post(refresh).status_code == 403  # a funder only reads
    client = login(staff_of(counted))
    assert "Recompute now" in client.get(url).content.decode()
    for _i in range(5):
        MentorshipFactory(cohort=counted, mentee=mentee_in(counted, Region.TALAS))
    assert matched(client.get(url)) == "10"  # as computed before
    assert client.get(refresh).status_code == 405
    assert client.post(refresh).status_code == 302
    assert matched(client.get(url)) == "15"


def matched(response) -> str:
    return re.search(r"<dt>Mentees matched</dt><dd>(\d+)</dd>", response.content.decode())[1]


def test_old_figures_are_shown_while_a_task_recomputes_them(
    login, staff_of, counted, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from stem4all.reports import figures

    client = login(staff_of(counted))
    url = reverse("reports:cohort", args=[counted.pk])
    client.get(url)
    for _i in range(5):
        MentorshipFactory(cohort=counted, mentee=mentee_in(counted, Region.TALAS))
    key = figures._key(counted.pk, "en")
    kept = cache.get(key)
    kept["computed_at"] -= dt.timedelta(seconds=figures.FIGURES_SECONDS + 1)
    cache.set(key, kept)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert matched(client.get(url)) == "10"  # the old figures, at once
        client.get(url)  # a second view queues nothing more
    assert len(queued) == 1
    assert matched(client.get(url)) == "15"  # recomputed by the task


def test_no_download_of_the_demo_cohort_holds_a_name_a_contact_or_a_birth_date(
    db, client, settings
):
    """The closed demo cohort has every kind of figure, surveys with free texts among
    them: every cell of every table, survey download and the API is scanned."""
    import csv
    import io
    import json

    import openpyxl

    from stem4all.accounts.models import User
    from stem4all.core.demo_data import DEMO_DOMAIN, seed_programme
    from stem4all.core.demo_impact import PAST_COHORT_SLUG
    from stem4all.programmes.models import Cohort
    from stem4all.reports.models import Survey
    from stem4all.reports.views import TABLES

    settings.STEM4ALL_REQUIRE_STAFF_MFA = False
    seed_programme(mentees=40, mentors=30, seed=1)
    cohort = Cohort.objects.get(slug=PAST_COHORT_SLUG)
    staff = User.objects.get(email=f"staff@{DEMO_DOMAIN}")
    client.force_login(staff, backend="allauth.account.auth_backends.AuthenticationBackend")
    urls = [reverse("reports:table", args=[cohort.pk, table, "csv"]) for table in TABLES]
    urls += [reverse("reports:table", args=[cohort.pk, table, "xlsx"]) for table in TABLES]
    for audience in Survey.Audience.values:
        urls += [reverse("reports:survey_change_download", args=[cohort.pk, audience, "csv"])]
    for survey in Survey.objects.filter(cohort=cohort):
        urls += [reverse("reports:survey_results_download", args=[survey.pk, "xlsx"])]
    cells = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        if url.endswith(".csv"):
            text = io.StringIO(response.content.decode("utf-8-sig"))
            cells += [cell for row in csv.reader(text) for cell in row]
        else:
            book = openpyxl.load_workbook(io.BytesIO(response.content))
            cells += [
                str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row
            ]
    api = client.get(f"/api/v1/reports/cohorts/{cohort.pk}").json()
    cells += [str(value) for value in json.dumps(api).split('"')]
    assert "Naryn region" in cells and len(cells) > 500
    private = set()
    for user in User.objects.filter(participations__cohort=cohort):
        private |= {user.full_name, user.email, str(user.date_of_birth)}
        if user.date_of_birth:
            private.add(user.date_of_birth.strftime("%d.%m.%Y"))
    leaked = [cell for cell in cells if cell in private or "@" in cell]
    assert not leaked


def test_run_periodic_keeps_the_figures_of_recent_cohorts_computed(
    login, staff_of, counted, django_assert_max_num_queries
):
    from stem4all.programmes.tests.factories import CohortFactory
    from stem4all.reports import figures

    today = timezone.localdate()
    counted.starts_on, counted.ends_on = today - dt.timedelta(days=60), today
    counted.save(update_fields=["starts_on", "ends_on"])
    CohortFactory(starts_on=today - dt.timedelta(days=700), ends_on=today - dt.timedelta(days=400))
    assert figures.warm_figures() == 3  # the counted cohort, in each language
    assert figures.warm_figures() == 0  # still fresh
    client = login(staff_of(counted))
    with django_assert_max_num_queries(8):  # the page reads the figures from the cache
        assert matched(client.get(reverse("reports:cohort", args=[counted.pk]))) == "10"
