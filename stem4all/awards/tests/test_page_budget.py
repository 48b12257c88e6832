"""The award's busiest pages fit the page budget of every page (100 KB transferred,
30 KB of JavaScript): a category with a full page of nominations, the published
results of eight categories, and the integrity report of a bot cluster."""

import datetime as dt
import secrets

from django.urls import reverse
from django.utils import timezone

from stem4all.accounts.tests.factories import UserFactory
from stem4all.awards import services
from stem4all.awards.models import Phase, Vote
from stem4all.core.tests.test_page_budget import BUDGET_JS, BUDGET_TOTAL, transferred

from .factories import CategoryFactory, EditionFactory, NominationFactory


def assert_within_budget(response):
    assert response.status_code == 200
    total, js = transferred(response.content.decode())
    assert js <= BUDGET_JS and total <= BUDGET_TOTAL, (total, js)


def test_a_category_with_a_full_page_of_nominations_fits(client, programme):
    category = CategoryFactory(edition=EditionFactory(programme=programme, phase=Phase.VOTING))
    for _i in range(50):
        NominationFactory(category=category, statement="x" * 3000)
    assert_within_budget(client.get(category.get_absolute_url()))


def test_the_results_of_eight_categories_fit(client, programme, staff):
    edition = EditionFactory(programme=programme, phase=Phase.BEFORE_RESULTS)
    for c in range(8):
        category = CategoryFactory(edition=edition)
        for n in range(10):
            nomination = NominationFactory(category=category)
            for _v in range(n):
                Vote.objects.create(
                    category=category,
                    nomination=nomination,
                    voter=UserFactory(),
                    cast_at=edition.voting_open_at + dt.timedelta(minutes=c + 1),
                    receipt=secrets.token_hex(6).upper(),
                )
    services.publish_results(edition=edition, by=staff)
    assert_within_budget(client.get(reverse("awards:results", args=[edition.slug])))


def test_the_integrity_report_of_a_bot_cluster_fits(login, programme, staff):
    edition = EditionFactory(programme=programme, phase=Phase.VOTING)
    nomination = NominationFactory(category=CategoryFactory(edition=edition))
    now = timezone.now()
    for i in range(120):
        bot = UserFactory(date_joined=now - dt.timedelta(seconds=30))
        services.cast_vote(
            voter=bot,
            nomination=nomination,
            ip=f"203.0.113.{i % 250}",
            user_agent="BotBrowser/1.0",
            now=now,
        )
    response = login(staff).get(reverse("awards:integrity", args=[edition.slug]))
    assert_within_budget(response)
