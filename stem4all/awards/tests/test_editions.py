"""Editions and categories: phase windows at their exact boundaries, the order of the
phases (model and database), and the category rules."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from stem4all.awards import services
from stem4all.awards.errors import AwardError
from stem4all.awards.models import Category, Edition, Phase
from stem4all.community.models import PartnerOrganisation

from .factories import CategoryFactory, EditionFactory, NominationFactory, phase_times

pytestmark = pytest.mark.django_db

TICK = dt.timedelta(microseconds=1)
NOW = dt.datetime(2026, 5, 10, 12, 0, tzinfo=dt.UTC)


def _edition(**kwargs):
    return EditionFactory.build(**{**phase_times("nominations", now=NOW), **kwargs})


WINDOWS = [
    ("is_nominating_open", "nominations_open_at", "nominations_close_at"),
    ("is_voting_open", "voting_open_at", "voting_close_at"),
    ("is_jury_open", "jury_open_at", "jury_close_at"),
]


@pytest.mark.parametrize(("check", "opens", "closes"), WINDOWS)
def test_a_phase_is_open_from_its_opening_instant_up_to_but_not_at_its_close(check, opens, closes):
    edition = _edition()
    is_open = getattr(edition, check)
    assert not is_open(getattr(edition, opens) - TICK)
    assert is_open(getattr(edition, opens))
    assert is_open(getattr(edition, closes) - TICK)
    assert not is_open(getattr(edition, closes))
    assert not is_open(getattr(edition, closes) + TICK)


def test_phase_at_changes_exactly_at_each_boundary():
    edition = _edition()
    expected = [
        ("nominations_open_at", Phase.UPCOMING, Phase.NOMINATIONS),
        ("voting_open_at", Phase.NOMINATIONS, Phase.VOTING),
        ("jury_open_at", Phase.VOTING, Phase.JURY),
        ("results_at", Phase.JURY, Phase.BEFORE_RESULTS),
    ]
    for field, before, at in expected:
        instant = getattr(edition, field)
        assert edition.phase_at(instant - TICK) == before, field
        assert edition.phase_at(instant) == at, field


def test_the_in_between_phases_show_when_a_gap_separates_two_phases():
    edition = _edition()
    edition.voting_open_at = edition.nominations_close_at + dt.timedelta(hours=1)
    edition.jury_open_at = edition.voting_close_at + dt.timedelta(hours=1)
    edition.results_at = edition.jury_close_at + dt.timedelta(hours=1)
    assert edition.phase_at(edition.nominations_close_at) == Phase.BEFORE_VOTING
    assert edition.phase_at(edition.voting_close_at) == Phase.BEFORE_JURY
    assert edition.phase_at(edition.jury_close_at) == Phase.BEFORE_RESULTS
    assert edition.has_voting_closed(edition.voting_close_at)
    assert not edition.has_voting_closed(edition.voting_close_at - TICK)
    assert edition.has_jury_closed(edition.jury_close_at)
    assert not edition.has_jury_closed(edition.jury_close_at - TICK)


def test_results_may_be_published_from_results_at_and_then_the_phase_is_results():
    edition = _edition()
    assert not edition.may_publish_results(edition.results_at - TICK)
    assert edition.may_publish_results(edition.results_at)
    edition.results_published_at = edition.results_at
    assert not edition.may_publish_results(edition.results_at)
    assert edition.phase_at(edition.nominations_open_at) == Phase.RESULTS


def test_phases_that_touch_are_in_order_but_an_empty_phase_is_not():
    edition = _edition()
    edition.clean()  # each phase opens as the last closes: fine
    edition.nominations_close_at = edition.nominations_open_at
    with pytest.raises(ValidationError) as error:
        edition.clean()
    assert "nominations_close_at" in error.value.message_dict


@pytest.mark.parametrize(
    ("field", "earlier_than"),
    [
        ("nominations_close_at", "nominations_open_at"),
        ("voting_open_at", "nominations_close_at"),
        ("voting_close_at", "voting_open_at"),
        ("jury_open_at", "voting_close_at"),
        ("jury_close_at", "jury_open_at"),
        ("results_at", "jury_close_at"),
    ],
)
def test_a_phase_that_starts_before_the_previous_one_ends_is_refused(field, earlier_than):
    edition = _edition()
    setattr(edition, field, getattr(edition, earlier_than) - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError) as error:
        edition.clean()
    assert error.value.message_dict  # the message names the field out of order
    assert any(error.value.message_dict.values())


@pytest.mark.parametrize(
    ("field", "earlier_than"),
    [
        ("nominations_close_at", "nominations_open_at"),
        ("voting_open_at", "nominations_close_at"),
        ("voting_close_at", "voting_open_at"),
        ("jury_open_at", "voting_close_at"),
        ("jury_close_at", "jury_open_at"),
        ("results_at", "jury_close_at"),
    ],
)
def test_the_database_refuses_phases_out_of_order(field, earlier_than):
    edition = EditionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.filter(pk=edition.pk).update(
            **{field: getattr(edition, earlier_than) - dt.timedelta(seconds=1)}
        )


def test_the_database_refuses_an_empty_voting_phase():
    edition = EditionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.filter(pk=edition.pk).update(voting_close_at=edition.voting_open_at)


def test_the_organisation_kinds_of_a_category_are_those_of_partner_organisations():
    field = Category._meta.get_field("organisation_kind")
    assert [value for value, _label in field.choices] == PartnerOrganisation.Kind.values
    assert [str(label) for _value, label in field.choices] == [
        str(label) for label in PartnerOrganisation.Kind.labels
    ]


def test_the_regional_rule_is_only_for_people_and_the_kind_only_for_organisations():
    edition = EditionFactory()
    regional = Category(edition=edition, name="x", slug="x", nominee_kind="organisation")
    regional.outside_bishkek_only = True
    with pytest.raises(ValidationError) as error:
        regional.clean()
    assert "outside_bishkek_only" in error.value.message_dict
    kind = Category(edition=edition, name="y", slug="y", nominee_kind="mentee")
    kind.organisation_kind = "university"
    with pytest.raises(ValidationError) as error:
        kind.clean()
    assert "organisation_kind" in error.value.message_dict


# Services -------------------------------------------------------------------------


def _fields(**overrides):
    return {
        "name": "Award 2027",
        "slug": "award-2027",
        "year": 2027,
        **phase_times("upcoming"),
        **overrides,
    }


def test_create_edition_refuses_phases_out_of_order_with_an_award_error(programme, staff):
    times = phase_times("upcoming")
    with pytest.raises(AwardError):
        services.create_edition(
            programme=programme,
            by=staff,
            **_fields(voting_open_at=times["nominations_open_at"]),
        )
    assert not Edition.objects.exists()


def test_create_edition_refuses_a_short_name_already_used(programme, staff):
    EditionFactory(slug="award-2027")
    with pytest.raises(AwardError):
        services.create_edition(programme=programme, by=staff, **_fields())


def test_once_voting_opened_a_passed_time_is_fixed_and_others_not_before_now(programme, staff):
    edition = EditionFactory(programme=programme, phase="voting")
    now = timezone.now()
    with pytest.raises(services.EditionLocked):
        services.update_edition(
            edition=edition,
            by=staff,
            now=now,
            nominations_close_at=edition.nominations_close_at - dt.timedelta(hours=1),
        )
    with pytest.raises(services.EditionLocked):
        services.update_edition(
            edition=edition, by=staff, now=now, voting_close_at=now - dt.timedelta(seconds=1)
        )
    later = edition.voting_close_at + dt.timedelta(days=1)
    updated = services.update_edition(
        edition=edition,
        by=staff,
        now=now,
        voting_close_at=later,
        jury_open_at=later,
        name="Renamed",
    )
    assert (updated.voting_close_at, updated.name) == (later, "Renamed")
    # Closing voting right now is allowed: not earlier than now.
    services.update_edition(edition=edition, by=staff, now=now, voting_close_at=now)


def test_the_winner_method_is_fixed_once_the_jury_started(programme, staff):
    edition = EditionFactory(programme=programme, phase="jury")
    for change in ({"winner_method": "jury"}, {"public_weight_percent": 50}):
        with pytest.raises(services.EditionLocked):
            services.update_edition(edition=edition, by=staff, **change)
    before = EditionFactory(programme=programme, phase="voting")
    assert services.update_edition(edition=before, by=staff, winner_method="jury").winner_method


def test_the_times_can_move_freely_before_voting_opens(programme, staff):
    edition = EditionFactory(programme=programme, phase="nominations")
    earlier = edition.nominations_open_at - dt.timedelta(days=3)
    assert (
        services.update_edition(
            edition=edition, by=staff, nominations_open_at=earlier
        ).nominations_open_at
        == earlier
    )


def test_categories_are_added_at_the_end_and_moved_by_swapping(programme, staff):
    edition = EditionFactory(programme=programme)
    a, b, c = (
        services.add_category(edition=edition, by=staff, name=n, slug=n, nominee_kind="mentor")
        for n in ("a", "b", "c")
    )
    assert [a.position, b.position, c.position] == [0, 1, 2]
    services.move_category(category=c, by=staff, up=True)
    assert list(edition.categories.order_by("position").values_list("slug", flat=True)) == [
        "a",
        "c",
        "b",
    ]
    services.move_category(category=a, by=staff, up=True)  # first already: nothing moves
    services.move_category(category=a, by=staff, up=False)
    assert list(edition.categories.order_by("position").values_list("slug", flat=True)) == [
        "c",
        "a",
        "b",
    ]


def test_add_category_applies_the_category_rules(programme, staff):
    edition = EditionFactory(programme=programme)
    with pytest.raises(AwardError):
        services.add_category(
            edition=edition,
            by=staff,
            name="x",
            slug="x",
            nominee_kind="practice",
            outside_bishkek_only=True,
        )
    services.add_category(edition=edition, by=staff, name="x", slug="x", nominee_kind="mentor")
    with pytest.raises(AwardError):
        services.add_category(edition=edition, by=staff, name="y", slug="x", nominee_kind="mentor")


def test_a_category_with_nominations_cannot_be_deleted_or_change_who_may_be_nominated(staff):
    nomination = NominationFactory(category__nominee_kind="mentee")
    category = nomination.category
    with pytest.raises(services.CategoryInUse, match="cannot be deleted"):
        services.delete_category(category=category, by=staff)
    with pytest.raises(services.CategoryInUse):
        services.update_category(category=category, by=staff, nominee_kind="mentor")
    renamed = services.update_category(category=category, by=staff, name="Best mentee")
    assert renamed.name == "Best mentee"
    empty = CategoryFactory(edition=category.edition)
    services.delete_category(category=empty, by=staff)
    assert not Category.objects.filter(pk=empty.pk).exists()


def test_nothing_about_categories_changes_once_results_are_published(staff):
    category = CategoryFactory(edition__phase="before_results")
    Edition.objects.filter(pk=category.edition_id).update(results_published_at=timezone.now())
    category.edition.refresh_from_db()
    with pytest.raises(services.EditionLocked):
        services.add_category(
            edition=category.edition, by=staff, name="n", slug="n", nominee_kind="mentor"
        )
    with pytest.raises(services.EditionLocked):
        services.delete_category(category=category, by=staff)
