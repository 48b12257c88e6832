"""The award's demo data: two editions, seeded once, that show every part of the award."""

import pytest
from django.urls import reverse
from django.utils import timezone

from stem4all.accounts.models import User
from stem4all.awards import queries, services
from stem4all.awards.demo import (
    BOT_NETWORK,
    BOT_VOTERS,
    CATEGORIES,
    DEMO_DOMAIN,
    EDITION_2025,
    EDITION_2026,
    seed_awards,
)
from stem4all.awards.models import (
    Category,
    Edition,
    JuryAssignment,
    JuryCriterion,
    Nomination,
    Phase,
    Result,
    ScoreSheet,
    Vote,
)
from stem4all.core.demo_data import seed_programme
from stem4all.programmes.models import Programme

pytestmark = pytest.mark.django_db

MODELS = (Edition, Category, JuryCriterion, Nomination, Vote, JuryAssignment, ScoreSheet, Result)


def _sizes():
    return {model.__name__: model.objects.count() for model in (*MODELS, User)}


@pytest.fixture
def seeded():
    seed_programme(mentees=40, mentors=30, seed=1)
    return Programme.objects.get(slug="stem4all-demo")


def _named():
    return {
        role: User.objects.get(email=f"{role}@{DEMO_DOMAIN}")
        for role in ("staff", "mentee", "mentor", "jury", "partner")
    }


def test_a_second_seed_creates_nothing(seeded):
    sizes = _sizes()
    people = _named()
    again = seed_awards(
        programme=seeded, staff=people["staff"], people=people, today=timezone.localdate()
    )
    assert again == {"editions": 0, "nominations": 0, "votes": 0, "voters": 0}
    assert _sizes() == sizes


def test_the_2026_edition_has_the_eight_categories_with_criteria_and_voting_open(seeded):
    edition = Edition.objects.get(slug=EDITION_2026, programme=seeded)
    assert edition.phase_at() == Phase.VOTING
    categories = list(edition.categories.order_by("position"))
    assert [c.slug for c in categories] == [spec[0] for spec in CATEGORIES]
    regional = {c.slug for c in categories if c.outside_bishkek_only}
    assert regional == {"best-regional-mentor", "best-regional-mentee"}
    assert edition.categories.get(slug="best-stem-educational-partner").organisation_kind == (
        "university"
    )
    for category in categories:
        criteria = list(category.criteria.all())
        assert 2 <= len(criteria) <= 3
        assert all(c.weight >= 1 for c in criteria)
        category.full_clean()
    edition.full_clean()


def test_the_2026_nominees_are_eligible_and_open_for_votes_and_some_wait_for_review(seeded):
    edition = Edition.objects.get(slug=EDITION_2026)
    for category in edition.categories.all():
        public = list(queries.public_nominations(category))
        assert public, category.slug
        eligible = queries.eligible_nominees(category)
        assert all(eligible.filter(pk=n.nominee.pk).exists() for n in public), category.slug
    pending = Nomination.objects.filter(category__edition=edition, status="pending")
    assert pending.count() >= 3
    mentee = User.objects.get(email=f"mentee@{DEMO_DOMAIN}")
    assert Nomination.objects.filter(
        category__slug="best-regional-mentee", category__edition=edition, nominee_user=mentee
    ).exists()


def test_a_few_hundred_votes_and_the_bot_cluster_is_what_the_integrity_report_flags(seeded):
    edition = Edition.objects.get(slug=EDITION_2026)
    votes = Vote.objects.filter(category__edition=edition)
    assert 250 <= votes.count() <= 800
    assert all(edition.is_voting_open(v.cast_at) for v in votes)
    report = queries.anomaly_report(edition)
    flagged = {check.id for check in report.flagged}
    bots = set(votes.filter(network=BOT_NETWORK).values_list("pk", flat=True))
    assert len(bots) == BOT_VOTERS
    assert bots <= flagged
    # Schools and households stay below the review threshold.
    organic = votes.count() - len(bots)
    assert len(flagged - bots) < 0.05 * organic


def test_the_demo_jury_member_sits_on_every_category(seeded):
    jury = User.objects.get(email=f"jury@{DEMO_DOMAIN}")
    for slug in (EDITION_2025, EDITION_2026):
        categories = Category.objects.filter(edition__slug=slug)
        assert JuryAssignment.objects.filter(juror=jury, category__in=categories).count() == 8


def test_the_2025_edition_is_finished_with_submitted_scores_and_published_results(seeded):
    edition = Edition.objects.get(slug=EDITION_2025)
    assert edition.are_results_published
    assert edition.phase_at() == Phase.RESULTS
    sheets = ScoreSheet.objects.filter(assignment__category__edition=edition)
    assert sheets.exists() and not sheets.filter(submitted_at__isnull=True).exists()
    for category in edition.categories.all():
        assert Result.objects.filter(category=category, is_winner=True).count() == 1
    assert Vote.objects.filter(category__edition=edition).count() >= 250


def test_a_demo_account_can_vote_now_and_sees_the_pages(seeded, client):
    mentor = User.objects.get(email=f"mentor@{DEMO_DOMAIN}")
    category = Category.objects.get(edition__slug=EDITION_2026, slug="best-stem-practice")
    nomination = queries.public_nominations(category).first()
    vote = services.cast_vote(voter=mentor, nomination=nomination)
    assert vote.sequence == 1
    for url in (
        reverse("awards:index"),
        reverse("awards:edition", args=[EDITION_2026]),
        reverse("awards:edition", args=[EDITION_2025]),
        category.get_absolute_url(),
    ):
        assert client.get(url).status_code == 200, url


def test_every_voter_account_is_synthetic_and_cannot_sign_in(seeded):
    voters = User.objects.filter(award_votes__isnull=False).distinct()
    assert voters.exists()
    assert not voters.exclude(email__endswith=f"@{DEMO_DOMAIN}").exists()
    added = User.objects.filter(email__startswith="voter") | User.objects.filter(
        email__startswith="newvoter"
    )
    assert not any(user.has_usable_password() for user in added)
    for user in added[:20]:
        user.full_clean()


def test_the_demo_accounts_see_each_part_of_the_award(seeded, login):
    people = _named()
    staff = login(people["staff"])
    for name in ("awards:review", "awards:integrity", "awards:jury_admin", "awards:edition_manage"):
        assert staff.get(reverse(name, args=[EDITION_2026])).status_code == 200, name
    integrity = staff.get(reverse("awards:integrity", args=[EDITION_2026])).content.decode()
    assert BOT_NETWORK in integrity
    assert staff.get(reverse("awards:results", args=[EDITION_2025])).status_code == 200
    jury = login(people["jury"])
    assert jury.get(reverse("awards:jury_home")).status_code == 200
    mentee = login(people["mentee"])
    assert mentee.get(reverse("awards:my_nominations")).status_code == 200
