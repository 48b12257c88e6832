"""The page budget: a first view costs at most 100 KB transferred and 30 KB of
JavaScript. HTML is counted as sent (uncompressed); static files as whitenoise serves
them in production (gzip)."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders

BUDGET_TOTAL = 100 * 1024
BUDGET_JS = 30 * 1024
ASSET = re.compile(r'(?:src|href)="(/static/[^"]+)"')


def transferred(html: str) -> tuple[int, int]:
    total, js = len(html.encode()), 0
    for url in set(ASSET.findall(html)):
        path = finders.find(url.removeprefix("/static/"))
        assert path, f"missing static file {url}"
        with open(path, "rb") as handle:
            size = len(gzip.compress(handle.read(), compresslevel=9))
        total += size
        if url.endswith(".js"):
            js += size
    return total, js


@pytest.mark.parametrize(
    "url,who",
    [
        ("/", None),
        ("/accounts/signup/", None),
        ("/accounts/login/", None),
        ("/dashboard/", "mentee"),
        ("/profile/", "mentee"),
        ("/profile/mentee/", "mentee"),
        ("/profile/languages/", "mentee"),
        ("/dashboard/", "staff"),
    ],
)
def test_first_view_fits_the_page_budget(request, client, login, cohort, url, who):
    if who:
        client = login(request.getfixturevalue(who))
    response = client.get(url)
    assert response.status_code == 200
    total, js = transferred(response.content.decode())
    assert js <= BUDGET_JS, f"{url}: {js} bytes of JavaScript"
    assert total <= BUDGET_TOTAL, f"{url}: {total} bytes"


def test_the_staff_cohort_list_fits_the_page_budget(login, staff, cohort):
    from stem4all.programmes.tests.factories import ParticipationFactory

    for _ in range(50):
        ParticipationFactory(cohort=cohort)
    response = login(staff).get(f"/programmes/staff/cohorts/{cohort.pk}/")
    total, js = transferred(response.content.decode())
    assert total <= BUDGET_TOTAL and js <= BUDGET_JS, (total, js)


def test_the_pages_of_a_pair_fit_the_page_budget(login, mentee, mentor, staff, cohort):
    from stem4all.matching.tests.factories import MentorshipFactory
    from stem4all.messaging.services import conversation_for_mentorship, post_message

    pair = MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    conversation = conversation_for_mentorship(pair)
    for number in range(120):
        post_message(
            conversation=conversation,
            sender=mentee if number % 2 else mentor,
            text=f"Message {number}: how did the practice interview go this week?",
        )
    for _ in range(50):
        MentorshipFactory(cohort=cohort)
    pages = [
        (mentee, f"/mentorships/{pair.pk}/"),
        (mentee, f"/roadmaps/mentorship/{pair.pk}/"),
        (mentee, f"/meetings/pair/{pair.pk}/"),
        (mentee, f"/messages/{conversation.pk}/"),
        (mentee, "/messages/"),
        (mentee, "/notifications/"),
        (staff, f"/mentorships/staff/cohorts/{cohort.pk}/"),
        (staff, f"/roadmaps/staff/cohorts/{cohort.pk}/progress/"),
    ]
    for person, url in pages:
        response = login(person).get(url)
        assert response.status_code == 200, url
        total, js = transferred(response.content.decode())
        assert total <= BUDGET_TOTAL and js <= BUDGET_JS, (url, total, js)
