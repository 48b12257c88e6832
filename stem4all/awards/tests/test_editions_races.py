"""Races on PostgreSQL: staff changing an edition's categories at the same moment apply
one after the other under the edition's row lock."""

from stem4all.accounts.tests.factories import UserFactory
from stem4all.awards import services
from stem4all.awards.errors import AwardError
from stem4all.awards.models import Category, Edition

from .factories import EditionFactory


def test_categories_added_at_once_get_distinct_positions(postgres_only, run_concurrently):
    edition = EditionFactory()
    staff = UserFactory()

    def add(i):
        return services.add_category(
            edition=edition,
            by=staff,
            name=f"Category {i}",
            slug=f"category-{i}",
            nominee_kind="mentor",
        )

    _results, errors = run_concurrently(add, n=8)
    assert errors == []
    positions = sorted(Category.objects.filter(edition=edition).values_list("position", flat=True))
    assert positions == list(range(8))


def test_the_same_short_name_added_twice_at_once_is_stored_once(postgres_only, run_concurrently):
    edition = EditionFactory()
    staff = UserFactory()

    def add(_i):
        return services.add_category(
            edition=edition, by=staff, name="Best mentor", slug="best-mentor", nominee_kind="mentor"
        )

    results, errors = run_concurrently(add, n=6)
    assert len(results) == 1
    assert len(errors) == 5 and all(isinstance(e, AwardError) for e in errors)
    assert Category.objects.filter(edition=edition).count() == 1


def test_two_editions_with_one_short_name_at_once_store_one(postgres_only, run_concurrently):
    first = EditionFactory()
    staff = UserFactory()
    times = {
        f: getattr(first, f)
        for f in (
            "nominations_open_at",
            "nominations_close_at",
            "voting_open_at",
            "voting_close_at",
            "jury_open_at",
            "jury_close_at",
            "results_at",
        )
    }

    def create(_i):
        return services.create_edition(
            programme=first.programme, by=staff, name="Award", slug="award", year=2027, **times
        )

    results, errors = run_concurrently(create, n=6)
    assert len(results) == 1
    assert errors and all(isinstance(e, AwardError) for e in errors)
    assert Edition.objects.filter(slug="award").count() == 1
